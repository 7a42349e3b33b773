"""Norwegian labels for the taxonomy, used in replies and quick-reply buttons."""
from __future__ import annotations

from akan_contract.taxonomy import ROLES, TOPICS

# How a reply addresses each role.
ROLE_HEADINGS = {
    "leder": "Til deg som leder eller jobber med HR",
    "kollega": "Til deg som kollega",
    "parorende": "Til deg som pårørende",
    "selv": "Til deg som det gjelder selv",
    "bht": "Til deg i bedriftshelsetjenesten",
    "ansattrepresentant": "Til deg som verneombud, tillitsvalgt eller Akan-kontakt",
    "behandler": "Til deg som behandler eller fastlege",
}

ROLE_BUTTONS = {
    "leder": "Jeg er leder eller HR",
    "kollega": "Jeg er kollega",
    "parorende": "Jeg er pårørende",
    "selv": "Det gjelder meg selv",
    "bht": "Jeg er i bedriftshelsetjenesten",
    "ansattrepresentant": "Jeg er verneombud, tillitsvalgt eller Akan-kontakt",
    "behandler": "Jeg er behandler eller fastlege",
}

TOPIC_PHRASES = {
    "hjemmekontor": "hjemmekontor og oppfølging på avstand",
    "bekymringssamtale": "hvordan du tar opp en bekymring",
    "akan_avtale": "individuelle Akan-avtaler",
    "signaler": "tidlige signaler",
    "tilbakefall": "tilbakefall og støtte i hverdagen",
    "policy": "rusmiddelpolicy på arbeidsplassen",
    "testing": "testing for alkohol og andre rusmidler",
    "juridisk": "juridiske spørsmål",
}

TOPIC_BUTTONS = {
    "hjemmekontor": "Hjemmekontor",
    "bekymringssamtale": "Ta opp en bekymring",
    "akan_avtale": "Akan-avtale",
    "signaler": "Tidlige signaler",
    "tilbakefall": "Tilbakefall",
    "policy": "Policy",
    "testing": "Testing",
    "juridisk": "Juridiske spørsmål",
}

assert set(ROLE_HEADINGS) == set(ROLE_BUTTONS) == set(ROLES)
assert set(TOPIC_PHRASES) == set(TOPIC_BUTTONS) == set(TOPICS)
