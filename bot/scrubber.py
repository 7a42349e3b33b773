"""Replace personal details with placeholders before text is forwarded or stored.

Catches Norwegian phone numbers (with or without +47/0047), e-mail addresses,
national identity numbers (fødselsnummer, D-numbers: any 11 digits) and names
the person gives ("jeg heter …", "navnet mitt er …"). Leans towards removing
too much: a lost digit costs little, a stored phone number breaks anonymity.
Years, amounts and numbers that are part of longer numbers are left alone.
"""
from __future__ import annotations

import re

PHONE = "[telefonnummer]"
EMAIL = "[e-post]"
ID_NUMBER = "[fødselsnummer]"
NAME = "[navn]"

# A number must not continue into more digits on either side ("1234 5678 90").
_NO_DIGIT_BEFORE = r"(?<!\d)(?<!\d[ .\-])"
_NO_DIGIT_AFTER = r"(?![ .\-]?\d)"

_EMAIL_RE = re.compile(r"[\w.!#$%&'*+=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+")

_ID_NUMBER_RE = re.compile(_NO_DIGIT_BEFORE + r"\d{6}[ .\-]?\d{5}" + _NO_DIGIT_AFTER)

_COUNTRY_CODE = r"\(?(?:\+|00)\s?47\)?[ .\-]?"
_PHONE_BODY = (
    r"(?:\d{8}"
    r"|\d{2}[ .\-]\d{2}[ .\-]\d{2}[ .\-]\d{2}"  # 22 40 28 00
    r"|\d{3}[ .\-]\d{2}[ .\-]\d{3}"  # 922 33 444
    r"|\d{4}[ .\-]\d{4})"  # 2240 2800
)
_PHONE_RE = re.compile(
    _NO_DIGIT_BEFORE
    + r"(?P<code>" + _COUNTRY_CODE + r")?"
    + r"(?P<body>" + _PHONE_BODY + r")"
    + _NO_DIGIT_AFTER
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_CURRENCY_BEFORE = re.compile(r"(?:\bkr\.?|\bnok|\$|€)\s*$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^\s*(?:kr\b|kroner|nok\b|,-|,\d)", re.IGNORECASE)

_NAME_INTRO = (
    r"(?i:\b(?:heter|heiter|navnet\s+mitt\s+er|namnet\s+mitt\s+er|mitt\s+navn\s+er|mitt\s+namn\s+er"
    r"|kall\s+meg|kalles|my\s+name\s+is|call\s+me|i\s+am\s+called|i'm\s+called"
    r"|hilsen|helsing|mvh))"
)
_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_CAPITALISED_WORD = r"[A-ZÆØÅÄÖÜÉÈ][\w'’\-]*"
_NAME_RE = re.compile(
    _NAME_INTRO + r"(?P<space>\s+)(?P<name>" + _NAME_WORD + r"(?:\s+" + _CAPITALISED_WORD + r"){0,3})"
)
# Words that follow "heter" without being a name ("hva heter det", "det heter en …").
_NOT_A_NAME = frozenset(
    "det den dette disse de du dere han hun jeg eg vi en ei et noe noen hva hvem så også egentlig "
    "visst faktisk ikke bare the a an is".split()
)


def _phone(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    body = match.group("body")
    if not match.group("code"):
        if body[0] in "01":
            return match.group(0)  # Norwegian numbers start with 2–9; this is a date or a count
        groups = re.split(r"[ .\-]", body)
        if len(groups) == 2 and all(_YEAR.fullmatch(g) for g in groups):
            return match.group(0)  # "2019-2021"
        if _CURRENCY_BEFORE.search(text[:start]) or _CURRENCY_AFTER.search(text[end:]):
            return match.group(0)  # an amount
    return PHONE


def _name(match: re.Match) -> str:
    first = match.group("name").split()[0]
    if first.lower() in _NOT_A_NAME:
        return match.group(0)
    intro_end = match.start("space") - match.start()
    return match.group(0)[:intro_end] + match.group("space") + NAME


def scrub(text: str) -> str:
    """Return `text` with personal details replaced by placeholders."""
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _ID_NUMBER_RE.sub(ID_NUMBER, text)
    text = _PHONE_RE.sub(_phone, text)
    return _NAME_RE.sub(_name, text)
