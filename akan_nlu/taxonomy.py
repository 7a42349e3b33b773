"""The canonical values of SPEC's taxonomy: who is asking, about what, which substance."""
from __future__ import annotations

ROLES = ("leder", "kollega", "parorende", "selv", "bht", "ansattrepresentant", "behandler")
TOPICS = (
    "hjemmekontor", "bekymringssamtale", "akan_avtale", "signaler",
    "tilbakefall", "policy", "testing", "juridisk",
)
SUBSTANCES = ("alkohol", "narkotika", "legemidler", "spill")
