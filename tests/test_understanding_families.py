"""Families of wording, read by the trained model through /model/parse (as the contract says).

Unit tests of the learned readings: each family is a kind of message the issue names (indirect
crises, talk about a theme, idioms, asks for a person, roles shown without "jeg er"). They are
written here by the team, so they guard behaviour; they are not the measure of understanding
(that is `make eval` on blind sets).
"""
from __future__ import annotations

import pytest

from tests.test_story_intents import parse

INDIRECT_CRISES = [
    "Han sendte en melding i natt: takk for alt, dere hører ikke mer fra meg. Nå svarer han ikke.",
    "Kollegaen min står på kaia og har drukket hele dagen, han sier han ikke orker mer",
    "Pasienten min har spart opp sovetabletter og sier hun er ferdig med alt",
    "she texted me to take care of her dog and now her phone is off",
    "Mannen min har drukket og sier han skal kjøre bilen hjem nå",
    "jeg har skrevet brev til ungene mine og gitt bort tingene mine",
]
NOT_CRISES = [
    "Vi skal ha kurs om selvmordsforebygging for ledere, har dere materiell?",
    "Hvor mange dør av overdose i Norge hvert år? Skal holde et foredrag.",
    "Møtene i dag tar livet av meg",
    "Budsjettet sprekker og det er full krise på avdelingen",
    "Kan jeg kjøre bil dagen etter julebordet hvis jeg bare drakk to glass vin?",
    "Hva sier rusmiddelpolicyen om promillekjøring med firmabil?",
]
ASKS_FOR_A_PERSON = [
    "sett meg over til noen",
    "vil drøfte dette med en av fagfolkene deres",
    "når passer det å ringe dere?",
    "hvordan når jeg dere?",
    "can I talk to a real person please",
]
IMPLICIT_ROLES = [
    ("Mannen min har begynt å drikke igjen etter behandlingen", "parorende"),
    ("En i teamet mitt lukter alkohol flere morgener i uka, hvordan tar jeg det opp?", "leder"),
    ("Jeg har en Akan-avtale og er redd for å sprekke i ferien", "selv"),
    ("psykiatrisk sykepleier i kommunen som følger opp en mann som jobber i barnehage", "behandler"),
]


@pytest.mark.parametrize("text", INDIRECT_CRISES)
def test_indirect_crises_are_crises(live_stack, text):
    assert parse(live_stack, text)["intent"]["name"] == "crisis"


@pytest.mark.parametrize("text", NOT_CRISES)
def test_talk_about_a_theme_and_idioms_are_not_crises(live_stack, text):
    assert parse(live_stack, text)["intent"]["name"] != "crisis"


@pytest.mark.parametrize("text", ASKS_FOR_A_PERSON)
def test_asks_for_a_person(live_stack, text):
    assert parse(live_stack, text)["intent"]["name"] == "request_human"


@pytest.mark.parametrize("text, role", IMPLICIT_ROLES)
def test_roles_shown_without_saying_so(live_stack, text, role):
    roles = [e["value"] for e in parse(live_stack, text)["entities"] if e["entity"] == "role"]
    assert roles and roles[0] == role
