"""The scrubber removes phone numbers, e-mail addresses, national identity numbers
and names, and leaves years, amounts, dates, role words and other numbers alone.

Most cases live in privacy_cases.yml (labelled; bokmål, nynorsk, English), which
`python -m bot.scrubber_report` also reads to print recall, precision and speed. These
tests check what the scrubber does with each case; how fast it is, is the report's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.scrubber import (
    EMAIL, ID_NUMBER, NAME, NAMES_FILE, PHONE, find_personal_details, load_names, scrub, valid_national_id,
)
from bot.scrubber_report import KINDS, load_cases

CASES = load_cases()
ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("jeg heter kari nordmann", f"jeg heter {NAME}"),
        ("jeg heter: Kari", f"jeg heter: {NAME}"),
        ("Jeg er Kari Nordmann", f"Jeg er {NAME}"),
        ("Hilsen,\nKari", f"Hilsen,\n{NAME}"),
        ("ring 922 33444", f"ring {PHONE}"),
        ("ring 92 233 444", f"ring {PHONE}"),
        ("ring 4792233444", f"ring {PHONE}"),
        ("fødselsnummer 010199 100 04", f"fødselsnummer {ID_NUMBER}"),
        ("kari (at) firma.no", EMAIL),
        ("kari @ firma.no", EMAIL),
    ],
)
def test_the_reviewers_misses_are_caught(text, expected):
    # Issue 18, item 9: each of these kept a personal detail before.
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "jeg er leder",
        "jeg er verneombud",
        "Jeg er tillitsvalgt",
        "per i dag har vi ingen avtale",
        "3 enheter per dag",
        "Dag 3 uten alkohol",
        "Hvordan fungerer Akan?",
        "kl 08.30",
        "kr 15 000",
        "3 500 kroner",
        "15 %",
    ],
)
def test_words_that_are_also_names_and_everyday_numbers_stay(text):
    assert scrub(text) == text


def _case_params() -> list:
    """Each labelled case; a known miss is expected to fail (and must, so a fix shows)."""
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.known_miss)] if case.known_miss else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_labelled_case(case):
    assert scrub(case.text) == case.expected()


def test_the_labelled_cases_are_many_and_varied():
    assert len(CASES) >= 300
    for kind in KINDS:
        assert sum(1 for c in CASES if kind in c.labels) >= 20, kind
    assert sum(1 for c in CASES if not c.labels) >= 150  # text that must stay as it is
    groups = {c.group for c in CASES}
    assert {"names_bokmal", "names_nynorsk", "names_english", "numbers_that_stay", "words_that_stay"} <= groups
    # Every labelled detail is in its text, and the known misses are few and explained.
    for case in CASES:
        for strings in case.labels.values():
            assert all(s and s in case.text for s in strings), case.id
    assert sum(1 for c in CASES if c.known_miss) <= 5


def test_scrubbing_twice_changes_nothing_more_on_every_case():
    changed = [c.id for c in CASES if scrub(scrub(c.text)) != scrub(c.text)]
    assert changed == []


def test_found_details_are_in_order_and_apart():
    for case in CASES:
        details = find_personal_details(case.text)
        assert all(a.end <= b.start for a, b in zip(details, details[1:])), case.id
        assert all(d.kind in KINDS for d in details), case.id


@pytest.mark.parametrize(
    "number, valid",
    [
        ("01019910004", True),
        ("010199 100 04", True),
        ("010199-10004", True),
        ("45108810053", True),  # D-number: day + 40
        ("01019910005", False),  # last check digit wrong
        ("01019012345", False),
        ("32019910004", False),  # no such day
        ("12345678903", False),
        ("0101991000", False),  # 10 digits
    ],
)
def test_national_id_check_digits_and_date(number, valid):
    assert valid_national_id(number) is valid


def test_an_eleven_digit_number_is_an_id_number_by_its_check_digits_or_its_name():
    assert scrub("ref 01019910004") == f"ref {ID_NUMBER}"  # valid check digits
    assert scrub("referanse 01019012345") == "referanse 01019012345"  # not a valid number
    assert scrub("fnr 01019012345") == f"fnr {ID_NUMBER}"  # called one
    assert scrub("kontonummer 01019910004") == "kontonummer 01019910004"  # an account


def test_the_gateway_reads_only_the_compact_name_file():
    # names-dataset's tables take gigabytes; the scrubber must not load them (nor its
    # generator's other sources) when the gateway imports it.
    code = (
        "import sys, bot.scrubber; "
        "print(sorted(m for m in ('names_dataset', 'simplemma', 'pycountry', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert NAMES_FILE.stat().st_size < 400_000


def test_the_name_file_holds_norwegian_names_in_their_tiers():
    names = load_names()
    assert {"first", "first:word", "last", "last:word"} <= set(names)
    assert {"kari", "ola", "ingrid", "erik", "thomas", "øyvind"} <= names["first"]
    assert {"per", "dag", "liv", "mark", "rune"} <= names["first:word"]
    assert {"hansen", "nordmann", "johansen"} <= names["last"] | names["last:word"]
    every = frozenset().union(*names.values())
    assert not {"akan", "leder", "verneombud", "privat"} & every
