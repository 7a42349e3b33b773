"""The canonical values of SPEC's taxonomy: who is asking, about what, which substance.

In taxonomy order, which is the order buttons, charts and model heads use."""
from __future__ import annotations

ROLES: tuple[str, ...] = ("leder", "kollega", "parorende", "selv", "bht", "ansattrepresentant", "behandler")
TOPICS: tuple[str, ...] = (
    "hjemmekontor",
    "bekymringssamtale",
    "akan_avtale",
    "signaler",
    "tilbakefall",
    "policy",
    "testing",
    "juridisk",
)
SUBSTANCES: tuple[str, ...] = ("alkohol", "narkotika", "legemidler", "spill")
