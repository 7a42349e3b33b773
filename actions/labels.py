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

# The first words to someone whose role is known but not yet what they want to know.
ROLE_WELCOMES = {
    "leder": "Som leder har du en viktig rolle her, og det er bra at du søker råd.",
    "kollega": "Det er fint at du bryr deg om en kollega.",
    "parorende": "Det kan være tungt å stå nær noen som sliter med dette, og det er godt at du spør.",
    "selv": "Takk for at du skriver. Det er et godt steg å spørre, og du er anonym her.",
    "bht": "Takk for at du tar kontakt.",
    "ansattrepresentant": "Takk for at du tar kontakt. Du har en viktig rolle på arbeidsplassen.",
    "behandler": "Takk for at du tar kontakt.",
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

assert set(ROLE_HEADINGS) == set(ROLE_WELCOMES) == set(ROLE_BUTTONS) == set(ROLES)
assert set(TOPIC_PHRASES) == set(TOPIC_BUTTONS) == set(TOPICS)
