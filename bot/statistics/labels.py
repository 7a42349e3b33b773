"""The taxonomy the counts use and its Norwegian chart labels.

The canonical values (SPEC "Taxonomy") and their order come from `akan_contract`;
anything else a payload might carry counts as unknown.
"""
from __future__ import annotations

from akan_contract import taxonomy

UNKNOWN = "ukjent"


def _in_taxonomy_order(values: tuple[str, ...], wording: dict[str, str]) -> dict[str, str]:
    """The labels keyed by every value of the taxonomy, in its order (and only those)."""
    if set(wording) != set(values):
        raise ValueError(f"chart labels {sorted(wording)} do not match the taxonomy {sorted(values)}")
    return {value: wording[value] for value in values}


ROLES = _in_taxonomy_order(taxonomy.ROLES, {
    "leder": "Ledere og HR",
    "kollega": "Kolleger",
    "parorende": "Pårørende",
    "selv": "Personen selv",
    "bht": "Bedriftshelsetjenesten",
    "ansattrepresentant": "Verneombud, tillitsvalgte og Akan-kontakter",
    "behandler": "Behandlere og fastleger",
})

TOPICS = _in_taxonomy_order(taxonomy.TOPICS, {
    "hjemmekontor": "Hjemmekontor",
    "bekymringssamtale": "Den nødvendige samtalen",
    "akan_avtale": "Individuelle Akan-avtaler",
    "signaler": "Tidlige signaler",
    "tilbakefall": "Tilbakefall",
    "policy": "Policy",
    "testing": "Testing",
    "juridisk": "Juridiske spørsmål",
})

SUBSTANCES = _in_taxonomy_order(taxonomy.SUBSTANCES, {
    "alkohol": "Alkohol",
    "narkotika": "Narkotika",
    "legemidler": "Legemidler",
    "spill": "Pengespill",
})

ANSWERED = "answered"
HANDED_OFF = "handed_off"
UNAVAILABLE = "unavailable"
CRISIS = "crisis"
ABANDONED = "abandoned"

OUTCOMES = {
    ANSWERED: "Besvart av boten",
    HANDED_OFF: "Tatt over av veileder",
    UNAVAILABLE: "Ingen veileder ledig",
    CRISIS: "Krise",
    ABANDONED: "Avbrutt i køen",
}

UNKNOWN_LABEL = "Ikke oppgitt"


def canonical(value: object, known: dict[str, str]) -> str:
    """The value if it is one of the taxonomy's, otherwise the unknown bucket."""
    return value if isinstance(value, str) and value in known else UNKNOWN


def label(value: str, known: dict[str, str]) -> str:
    return known.get(value, UNKNOWN_LABEL)
