"""The scrubber removes phone numbers, e-mail addresses, national identity numbers
and given names, and leaves years, amounts, dates and other numbers alone."""
from __future__ import annotations

import pytest

from bot.scrubber import EMAIL, ID_NUMBER, NAME, PHONE, scrub


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ring meg på 41234567", f"ring meg på {PHONE}"),
        ("ring 22 40 28 00", f"ring {PHONE}"),
        ("mobil 412 34 567.", f"mobil {PHONE}."),
        ("tlf 4123 4567", f"tlf {PHONE}"),
        ("22.40.28.00 eller 22-40-28-00", f"{PHONE} eller {PHONE}"),
        ("+47 412 34 567", PHONE),
        ("+4741234567", PHONE),
        ("0047 41234567", PHONE),
        ("(+47) 22 40 28 00", PHONE),
        ("to numre: 41234567, 98765432", f"to numre: {PHONE}, {PHONE}"),
        ("tlf:41234567", f"tlf:{PHONE}"),
        ("kari.nordmann@firma.no", EMAIL),
        ("skriv til Kari_N+akan@post.example.com!", f"skriv til {EMAIL}!"),
        ("fnr 01019012345", f"fnr {ID_NUMBER}"),
        ("fødselsnummer 010190 12345", f"fødselsnummer {ID_NUMBER}"),
        ("D-nummer 41019012345", f"D-nummer {ID_NUMBER}"),
        ("jeg heter Kari", f"jeg heter {NAME}"),
        ("Jeg heter kari og er leder", f"Jeg heter {NAME} og er leder"),
        ("jeg heter Kari-Anne Ødegård Berg, og", f"jeg heter {NAME}, og"),
        ("Navnet mitt er Ola Nordmann.", f"Navnet mitt er {NAME}."),
        ("mitt navn er Per", f"mitt navn er {NAME}"),
        ("Eg heiter Siri og er tillitsvald", f"Eg heiter {NAME} og er tillitsvald"),
        ("namnet mitt er Ingrid", f"namnet mitt er {NAME}"),
        ("kollegaen min heter Per Hansen", f"kollegaen min heter {NAME}"),
        ("my name is John Smith", f"my name is {NAME}"),
        ("Hilsen Ola", f"Hilsen {NAME}"),
    ],
)
def test_personal_details_are_replaced(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i 2020 begynte det",
        "fra 2019-2021 og 2019 2020",
        "det har vart siden 1998",
        "han har drukket i 12 år, 3-4 ganger i uka",
        "det kostet 25 000 kr",
        "et tap på 12 500 000 kroner",
        "kr 41234567 i gjeld",
        "41234567 kr i gjeld",
        "lønn 45 000,- i måneden",
        "ordrenummer 1234567890123",
        "organisasjonsnummer 123 456 789",
        "referanse 123456789",
        "kontonummer 1234 56 78903",
        "fra 24.12.2020 til 01.01.2021",
        "kl. 22.40 i går",
        "ring 113 eller 116 123, eller Kirkens SOS på 116 117",
        "Akan-avtalen varer minst 2 år",
        "hva heter det når man tester ansatte?",
        "det heter en Akan-avtale",
        "hva heter du?",
        "jeg er leder for 40 ansatte",
        "",
    ],
)
def test_other_numbers_and_words_stay(text):
    assert scrub(text) == text


def test_phone_inside_a_longer_number_is_not_cut_out():
    # 8 digits inside 10 or 12 digits are not a phone number of their own.
    assert scrub("saksnummer 2240280012") == "saksnummer 2240280012"
    assert scrub("1122402800") == "1122402800"
    assert scrub("ref 22 40 28 00 11") == "ref 22 40 28 00 11"


def test_all_kinds_in_one_message():
    text = "Hei, jeg heter Kari Nordmann (fnr 01019012345). Ring 412 34 567 eller skriv til kari@firma.no i 2024."
    assert scrub(text) == (
        f"Hei, jeg heter {NAME} (fnr {ID_NUMBER}). Ring {PHONE} eller skriv til {EMAIL} i 2024."
    )


def test_scrubbing_twice_changes_nothing_more():
    once = scrub("jeg heter Kari, tlf 41234567, kari@firma.no")
    assert scrub(once) == once
