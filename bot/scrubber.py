"""Replace personal details with placeholders before text is forwarded or stored.

What it finds, in this order (a later finder skips what an earlier one took):

- E-mail addresses, written plainly or to dodge filters: "kari (at) firma.no",
  "kari @ firma.no", "ola at firma dot no".
- National identity numbers (fødselsnummer, D- and H-numbers): 11 digits, also written
  "010199 123 45" or "010199-12345". Taken when the check digits and the date are valid,
  or when a word like "fnr" or "personnummer" stands just before (a mistyped number the
  person calls their fødselsnummer still identifies them); never after "kontonummer".
- Phone numbers, by libphonenumber's matcher (phonenumbers, region NO): "922 33 444",
  "92 233 444", "+47 922 33 444", "4792233444", "0047 …", foreign numbers with their
  country code. A run of digits that is a date, a year range or an amount ("kr 41234567",
  "92 233 444 kroner") is not one.
- Names, from a list of Norwegian first names and surnames (bot/privacy_data/, built by
  `python -m bot.scrubber_names` from names-dataset) and the words around them:
  after "jeg heter", "eg heiter", "navnet mitt er", "my name is" any word is a name;
  after "jeg er", "I'm", "det er", "hilsen"/"mvh"/"regards", "kollegaen min", "my boss",
  "som heter", "kall meg", "navn:" a listed first name is; a capitalised listed first name
  is one anywhere, and a following surname joins it ("Kari Nordmann"); the last line of a
  message that is only a first name is a signature. First names that are everyday words
  ("per", "dag", "liv", "mark", "rune") count only with such support, capitalised inside
  a sentence, or before a surname, so "per i dag" and "Dag 3 uten alkohol" stay. Role
  words ("jeg er leder", "jeg er verneombud") are never names.

It leans towards removing too much: a lost word costs little, a stored name or phone
number breaks the anonymity the service promises. Years, amounts, percentages, clock
times, dates, case, organisation and account numbers are left alone. Nothing here logs.
`python -m bot.scrubber_report` measures recall, precision and speed over the labelled
cases in tests/gateway/privacy_cases.yml.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

PHONE = "[telefonnummer]"
EMAIL = "[e-post]"
ID_NUMBER = "[fødselsnummer]"
NAME = "[navn]"

PLACEHOLDERS = {"name": NAME, "phone": PHONE, "email": EMAIL, "id_number": ID_NUMBER}

NAMES_FILE = Path(__file__).resolve().parent / "privacy_data" / "norwegian_names.txt"


@dataclass(frozen=True)
class Detail:
    """A personal detail in a text: text[start:end] is of `kind` (a key of PLACEHOLDERS)."""

    start: int
    end: int
    kind: str


# ------------------------------------------------------------------ the name lists


def load_names(path: Path = NAMES_FILE) -> dict[str, frozenset[str]]:
    """The sections of the names file, each a set of lower-case names."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line.casefold())
    return {title: frozenset(names) for title, names in sections.items()}


_NAMES = load_names()
_FIRST = _NAMES.get("first", frozenset())
_FIRST_WORD = _NAMES.get("first:word", frozenset())
_LAST_PLAIN = _NAMES.get("last", frozenset())
_LAST = _LAST_PLAIN | _NAMES.get("last:word", frozenset())

# Words that are never a name where a name could stand: pronouns and function words,
# common verbs, adjectives and adverbs that follow "jeg er" or "hilsen", role words, and
# the service's own words. Bokmål, nynorsk and English; lower case.
_STOP_WORDS = frozenset(
    """
    jeg eg je æ meg mæ deg du han hun ho hen den det dette disse de dei dem vi me oss dere
    dykk seg sin si sitt sine min mi mitt mine din di ditt dine hans hennes hennar vår vårt
    våre deres dykkar en ei et ein eit noe noko noen nokon ingen inga ingenting ikke ikkje
    ikkje aldri og eller men for som at om på i til fra frå med av ved hos etter under over
    mot uten utan mellom hva kva hvem kven hvor kor kvar hvordan korleis hvorfor kvifor når
    da då så også òg bare berre jo nå no her der hit dit enn sånn slik litt mye mykje mer
    meir mest veldig helt heilt ganske egentlig eigentleg faktisk visst visstnok forresten
    altså liksom kanskje dessverre heldigvis igjen ennå enno allerede alt alle all hele heile
    er var blir ble vart vert har hadde kan kunne vil ville skal skulle må måtte bør burde
    får fikk gjør gjer gjorde sier seier sa tror trur vet veit lurer jobber jobbar arbeider
    arbeidar drikker drikk spiller spelar bruker brukar heter heiter kalles kallast
    glad lei trist redd sint sliten syk sjuk frisk usikker sikker bekymret bekymra uroleg
    urolig fortvilet fortvila alene åleine aleine ny gammel ung eldre gift skilt singel
    klar enig ueinig takknemlig takksam norsk svensk dansk utenlandsk trygg stolt flau
    leder leiar sjef ansatt tilsett kollega kollegaen medarbeider medarbeidar verneombud
    verneombod hovedverneombud tillitsvalgt tillitsvald pårørende pårørande mor far mamma
    pappa bror søster kone mann samboer sambuar venn venninne nabo student lærer lege
    sykepleier sjukepleiar psykolog terapeut behandler behandlar rådgiver rådgjevar
    konsulent snekker frisør sjåfør selger eier arbeidsgiver arbeidsgjevar hr bht nav akan
    navn namn name akan-kontakt kontakt avdeling avdelingen lederen leiaren bedriften
    firmaet teamet
    the a an and or but of to in on at for with from by about as is am are was were be
    been being do does did have has had not no yes i me my mine you your he him his she
    her it its we us our they them their this that these those here there what who whom
    which where when why how just really actually also very so too still again only
    manager boss colleague coworker employee union rep representative worried concerned
    sorry fine sure afraid tired sick new old happy sad glad alone married
    called named
    """.split()
)
# Adverbs that may stand between "jeg heter" and the name.
_FILLERS = frozenset(
    "forresten egentlig eigentleg visstnok visst faktisk altså bare berre da jo nå no btw actually just".split()
)
_NEGATIONS = frozenset("ikke ikkje not never aldri".split())
_STOP_WORDS = _STOP_WORDS | _FILLERS | _NEGATIONS
# A capitalised word after a first name that is not in the surname list still reads as
# a surname when it has a surname's ending.
_SURNAME_SHAPE = re.compile(
    r"(?:sen|son|ssen|sson|stad|rud|heim|vik|dal|dahl|land|berg|bakken|haug|haugen|nes|næs|seth|set|"
    r"lie|li|moen|gård|gaard|rød|strand|skog|ski|ska|wicz|icz|ovic|ović|ic|ić|ova|ov|ev|enko|escu|"
    r"ez|ius|ian|yan|oglu|oğlu|zadeh|pour|ahmadi|ullah)$",
    re.IGNORECASE,
)

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def _is_first(word: str) -> int:
    """2: a first name; 1: a first name that is also an everyday word; 0: neither.
    A double name ("Kari-Anne", "Per-Olav") counts when all its parts are names."""
    key = word.casefold()
    if key in _FIRST:
        return 2
    if key in _FIRST_WORD:
        return 1
    parts = re.split(r"['’\-]", key)
    if len(parts) > 1 and all(p in _FIRST or p in _FIRST_WORD for p in parts):
        return 2 if any(p in _FIRST for p in parts) else 1
    return 0


def _is_name_part(word: str) -> bool:
    """A surname or a further first name ("Kari Nordmann", "Anne Marie", "Brekke-Hansen")."""
    key = word.casefold()
    if key in _STOP_WORDS:
        return False
    parts = re.split(r"['’\-]", key)
    return all(p in _LAST or p in _FIRST or p in _FIRST_WORD for p in parts)


def _capitalised(word: str) -> bool:
    return word[0].isupper()


# ------------------------------------------------------------------ e-mail addresses

_TLDS = (
    r"no|com|net|org|se|dk|fi|is|uk|de|nl|eu|io|info|biz|nu|me|co|edu|gov|online|email|mail|"
    r"[a-z]{2}"
)
# Bounded like real addresses (a local part of up to 64 characters, labels of up to 63),
# so a long run of letters or "@" costs little: no pattern here backtracks far.
_LOCAL = r"(?<![\w.!#$%&'*+=?^`{|}~\-])[\w.!#$%&'*+=?^`{|}~\-]{0,63}\w"
_LABEL = r"\w(?:[\w\-]{0,61}\w)?"
_EMAIL_RE = re.compile(_LOCAL + r"@" + _LABEL + r"(?:\." + _LABEL + r"){0,8}\.[^\W\d_]{2,24}\b")
# Written to dodge filters: spaces around "@", "(at)", "[at]", " at ", "krøllalfa";
# "(dot)", " dot ", "punktum", or spaces around the dots.
_OBFUSCATED_AT = (
    r"(?:[ \t]{0,3}@[ \t]{0,3}"  # kari @ firma.no
    r"|[ \t]{0,3}[(\[{<][ \t]?(?:at|a|@)[ \t]?[)\]}>][ \t]{0,3}"  # kari (at) firma.no, kari[a]firma.no
    r"|[ \t]{1,3}(?:at|AT|krøllalfa|alfakrøll)[ \t]{1,3})"  # kari at firma dot no
)
_OBFUSCATED_DOT = (
    r"(?:[ \t]{0,3}[(\[{<][ \t]?(?:dot|punktum|prikk)[ \t]?[)\]}>][ \t]{0,3}"  # firma(dot)no
    r"|[ \t]{1,3}(?:dot|DOT|punktum|prikk)[ \t]{1,3}"  # firma dot no
    r"|[ \t]{1,3}\.[ \t]{1,3}|\.)"  # firma . no, firma.no
)
_OBFUSCATED_EMAIL_RE = re.compile(
    r"(?P<local>" + _LOCAL + r")(?P<at>" + _OBFUSCATED_AT + r")"
    r"(?P<domain>" + _LABEL + r"(?:" + _OBFUSCATED_DOT + _LABEL + r"){0,8}?"
    + _OBFUSCATED_DOT + r"(?P<tld>" + _TLDS + r"))\b",
    re.IGNORECASE,
)
# Only a text with one of these can hold a written-out address.
_OBFUSCATION_HINT_RE = re.compile(
    r"[ \t]@|@[ \t]|[(\[{<][ \t]?(?:at|a|@)[ \t]?[)\]}>]|\s(?:at|krøllalfa|alfakrøll)\s", re.IGNORECASE
)


def _emails(text: str) -> list[Detail]:
    found = [Detail(m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text)] if "@" in text else []
    if not _OBFUSCATION_HINT_RE.search(text):
        return found
    for m in _OBFUSCATED_EMAIL_RE.finditer(text):
        if _overlaps(m.start(), m.end(), found):
            continue
        at, domain, tld = m.group("at").strip(), m.group("domain"), m.group("tld")
        if at.lower() == "at" and at != "AT":
            # " at " is English too ("look at nav.no"): only with a written "dot" or a
            # local part that looks like an address.
            written_dot = re.search(r"\b(?:dot|punktum|prikk)\b", domain, re.IGNORECASE)
            if not written_dot and not re.search(r"[._\d]", m.group("local")):
                continue
        if tld not in (tld.lower(), tld.upper()):
            continue  # "home. No one": a capitalised word, not a top-level domain
        found.append(Detail(m.start(), m.end(), "email"))
    return found


# ------------------------------------------------------------------ national identity numbers

_ID_RE = re.compile(r"(?<!\d)(?<!\d[ .\-])\d{6}[ .\-]?\d{3}[ .\-]?\d{2}(?![ .\-]?\d)")
_ID_WORDS_RE = re.compile(
    r"(?:f(?:ø|o|oe)dsels?(?:nummer|nr)|f\.?\s?nr|person(?:nummer|nr)|p\.?nr|personal\s+(?:id|number)|"
    r"[dh]-?(?:nummer|nr)|id-?(?:nummer|nr)|\bid\b|national\s+id|identity\s+number|social\s+security|ssn)"
    r"[\w.]*[^\d\n]{0,30}$",
    re.IGNORECASE,
)
_ACCOUNT_WORDS_RE = re.compile(r"(?:konto|account|iban|bankkonto)[\w.]*[^\d\n]{0,20}$", re.IGNORECASE)
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return None if k == 10 else 0 if k == 11 else k


def valid_national_id(number: str) -> bool:
    """Do the 11 digits of `number` (separators ignored) form a fødselsnummer, D- or
    H-number: a date of birth (day + 40 for D, month + 40 for H, month + 80 for the
    tax administration's synthetic test numbers) and both mod-11 check digits."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 11:
        return False
    day, month = digits[0] * 10 + digits[1], digits[2] * 10 + digits[3]
    day = day - 40 if day > 40 else day
    month = month - 80 if month > 80 else month - 40 if month > 40 else month
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = _check_digit(digits[:9], _W1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _check_digit(digits[:10], _W2)
    return k2 is not None and k2 == digits[10]


def _id_numbers(text: str) -> list[Detail]:
    found = []
    for m in _ID_RE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        if _ACCOUNT_WORDS_RE.search(before):
            continue
        if _ID_WORDS_RE.search(before) or valid_national_id(m.group()):
            found.append(Detail(m.start(), m.end(), "id_number"))
    return found


# ------------------------------------------------------------------ phone numbers

# A run of digits with single separators, with a leading "+", "(+47)" or "00"; the
# matcher decides which part of it, if any, is a phone number.
_DIGIT_RUN_RE = re.compile(r"(?:\(\+?\d{1,3}\)[ .\-]?|\+\s?)?\d(?:[ .\-]?\(?\d\)?)*")
_NOT_DIGIT_RE = re.compile(r"\D")
_DATE_RE = re.compile(r"\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}")
_YEAR_RANGE_RE = re.compile(r"(?:19|20)\d\d[ \-/–]+(?:19|20)\d\d")
_TIME_RANGE_RE = re.compile(r"\d{1,2}[.:]\d\d ?[\-–] ?\d{1,2}[.:]\d\d")  # 23.30-24.00
_CURRENCY_BEFORE = re.compile(r"(?:\bkr\.?|\bnok|\bkroner|\$|€|£)\s*$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^\s*(?:kr\b|kroner|nok\b|,-|,\d|%|prosent|promille|mill)", re.IGNORECASE)
# Numbers that name what they are: case, order, invoice, customer, organisation numbers.
_REFERENCE_BEFORE = re.compile(
    r"(?:\bsak|saks(?:nummer|nr)|\bref|referanse(?:nummer|nr)?|ordre(?:nummer|nr)?|faktura(?:nummer|nr)?|"
    r"kunde(?:nummer|nr)|org(?:anisasjons)?(?:nummer|nr)|\bkid|case|order|invoice|reference)\.?(?:nr\.?)?[\s:#.]*$",
    re.IGNORECASE,
)


def _could_be_phone(text: str, run: re.Match) -> bool:
    """A cheap look at a run of digits before the matcher's costly one: 8 digits or more
    (7 with a country code) that are not a date, a year or time range, an amount or a
    case number."""
    digits = len(_NOT_DIGIT_RE.sub("", run.group()))
    if run.group().startswith(("+", "(", "00")):
        return 7 <= digits
    if digits < 8:
        return False
    if any(r.fullmatch(run.group()) for r in (_DATE_RE, _YEAR_RANGE_RE, _TIME_RANGE_RE)):
        return False
    before, after = text[max(0, run.start() - 24) : run.start()], text[run.end() : run.end() + 12]
    if _REFERENCE_BEFORE.search(before):
        return False  # "saksnummer 22402800"
    return not (_CURRENCY_BEFORE.search(before[-12:]) or _CURRENCY_AFTER.search(after))


def _phones(text: str, taken: list[Detail]) -> list[Detail]:
    found = []
    for run in _DIGIT_RUN_RE.finditer(text):
        start, end = run.span()
        if not _could_be_phone(text, run) or _overlaps(start, end, taken):
            continue
        for match in phonenumbers.PhoneNumberMatcher(run.group(), "NO", leniency=phonenumbers.Leniency.VALID):
            s, e = start + match.start, start + match.end
            raw = match.raw_string
            international = raw.lstrip("( ").startswith(("+", "00"))
            if not international:
                if any(r.fullmatch(raw) for r in (_DATE_RE, _YEAR_RANGE_RE, _TIME_RANGE_RE)):
                    continue
                if _CURRENCY_BEFORE.search(text[max(0, s - 12) : s]) or _CURRENCY_AFTER.search(text[e : e + 12]):
                    continue
            found.append(Detail(s, e, "phone"))
    return found


# ------------------------------------------------------------------ names


def _phrases(*patterns: str) -> frozenset[tuple[str, ...]]:
    """Cue phrases as tuples of lower-case words. Each pattern is words separated by
    spaces, each word a choice of alternatives: "jeg|eg heter|heiter" gives ("jeg",
    "heter"), ("jeg", "heiter"), ("eg", "heter") and ("eg", "heiter")."""
    return frozenset(p for pattern in patterns for p in itertools.product(*(w.split("|") for w in pattern.split())))


_RELATIONS = (
    "kollega|kollegaen|medarbeider|medarbeideren|medarbeidar|medarbeidaren|arbeidskamerat|arbeidskameraten|"
    "sjef|sjefen|leder|lederen|leiar|leiaren|mann|mannen|kone|kona|konen|samboer|samboeren|sambuar|sambuaren|"
    "kjæreste|kjæresten|partner|partneren|sønn|sønnen|son|sonen|datter|datteren|dotter|dottera|bror|broren|"
    "søster|søsteren|søstera|syster|systera|far|faren|mor|moren|mora|venn|vennen|venninne|venninnen|venninna|"
    "nabo|naboen|svoger|svogeren|svigerinne|svigerinnen|onkel|onkelen|tante|tanten|tanta|fetter|fetteren|"
    "kusine|kusinen|barnebarn|ektemann|ektefelle|ektefellen|"
    "colleague|co-worker|coworker|boss|manager|husband|wife|son|daughter|brother|sister|father|"
    "mother|dad|mum|mom|friend|neighbour|neighbor|girlfriend|boyfriend|employee|supervisor"
)
# After these, any word that is not a function word is a name ("jeg heter kari nordmann").
_ANY_WORD_CUES = _phrases(
    "jeg|eg|je|æ|i heter|heiter|hete|heite|kalles|kallast",
    "jeg|eg blir|vert kalt|kalla",
    "han|hun|ho|hen heter|heiter|kalles|kallast",
    "navnet|namnet er|e",
    "navnet|namnet mitt|hans|hennes|hennar er|e",
    "mitt|mit navn|namn er|e",
    "my|his|her name is",
    "my|his|her name's",
    "i'm|i’m|im called",
    "i am called",
    "men kalles|kallast",
)
# After these, a listed first name is a name: who is writing, relations, "som heter".
_FIRST_NAME_CUES = _phrases(
    "jeg|eg|je|æ er|e",
    "i'm|i’m|im",
    "i am",
    "dette|det|her er",
    "this|it|here is",
    "this's|it's",
    "min|mi|mitt|my|our " + _RELATIONS,
    "min|mi|mitt|my|our nærmeste|næraste|nearest " + _RELATIONS,
    _RELATIONS + " min|mi|mitt|vår",
    "heter|heiter|kalles|kallast",
    "is called|named",
    "kall|kalla meg",
    "call me",
)
# Closings: a listed first name after them, also after a full stop ("Mvh. Kari").
_CLOSINGS = _phrases(
    "hilsen|hilsener|helsing|helsingar|hälsningar|mvh|vh|regards|cheers|thanks|takk|sincerely|xoxo|klem",
    "m v h",
)
# Labels: a listed first name after them and a colon ("Navn: Heidi Larsen").
_LABELS = _phrases("navn|namn|name|kontaktperson|contact|avsender|sender|fra|from")
_CUE_LENGTH = max(len(p) for p in _ANY_WORD_CUES | _FIRST_NAME_CUES | _CLOSINGS | _LABELS)
# The words a cue can end with: most words are none, and need no closer look.
_CUE_ENDS = frozenset(p[-1] for p in _ANY_WORD_CUES | _FIRST_NAME_CUES | _CLOSINGS | _LABELS)
# Between a cue and the name: spaces, a colon, comma or dash, line breaks.
_GAP_RE = re.compile(r"[ \t]*(?:[:,\-–—][ \t]*)?(?:\n[ \t]*)*")
_CLOSING_GAP_RE = re.compile(r"[ \t]*(?:[:,\-–—.!][ \t]*)?(?:\n[ \t]*)*")
_SENTENCE_END = ".!?…:;\n"
_OPENERS = "\"'«»“”‘’([-–—•*> \t"

# A token: (word, lower-case word, start, end).
_Tok = tuple[str, str, int, int]


def _sentence_initial(text: str, start: int) -> bool:
    """Does the word at `start` open the text, a line or a sentence (quotes, brackets,
    dashes and bullets before it aside)?"""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _name_tokens(text: str, taken: list[Detail]) -> list[_Tok]:
    mask = _mask(text, taken)
    return [
        (m.group(), m.group().casefold(), m.start(), m.end())
        for m in _WORD_RE.finditer(text)
        if not mask or 1 not in mask[m.start() : m.end()]
    ]


def _cue(tokens: list[_Tok], i: int, text: str) -> str | None:
    """The strongest cue right before token i, fillers ("forresten", "visstnok") skipped:
    "any" (any word is a name), "first" (a listed first name is), or None."""
    k = i
    while k > 0 and tokens[k - 1][1] in _FILLERS and text[tokens[k - 1][3] : tokens[k][2]].isspace():
        k -= 1
    if k == 0 or tokens[k - 1][1] not in _CUE_ENDS:
        return None
    gap = text[tokens[k - 1][3] : tokens[k][2]]
    plain_gap = _GAP_RE.fullmatch(gap) is not None
    closing_gap = plain_gap or _CLOSING_GAP_RE.fullmatch(gap) is not None
    if not closing_gap:
        return None
    best = None
    phrase: tuple[str, ...] = ()
    for j in range(k - 1, max(-1, k - 1 - _CUE_LENGTH), -1):
        if j < k - 1 and not text[tokens[j][3] : tokens[j + 1][2]].isspace():
            break
        phrase = (tokens[j][1],) + phrase
        if plain_gap and phrase in _ANY_WORD_CUES:
            return "any"
        if (plain_gap and phrase in _FIRST_NAME_CUES) or phrase in _CLOSINGS or (":" in gap and phrase in _LABELS):
            best = "first"
    return best


def _extend(tokens: list[_Tok], i: int, text: str, loose: bool) -> int:
    """The index of the last token of the name that starts at token i: further names
    and surnames joined by one space ("Kari Nordmann", "Jan Erik Olsen"). After a cue
    that takes any word (`loose`), any capitalised word joins, and a lower-case one when
    it is a listed name; otherwise a word joins when it is a listed name or has a
    surname's ending, in the case of the first word (capitalised or all lower case)."""
    first = tokens[i][0]
    last = i
    while last + 1 < len(tokens) and last - i < 3:
        here, nxt = tokens[last], tokens[last + 1]
        if text[here[3] : nxt[2]] != " ":
            break
        word = nxt[0]
        if nxt[1] in _STOP_WORDS or len(word) < 2:
            break
        if _capitalised(word):
            if first.islower():
                break
            if not (loose or _is_name_part(word) or _is_first(word) or _SURNAME_SHAPE.search(word)):
                break
        elif not (first.islower() or loose) or not _is_name_part(word):
            break
        last += 1
    return last


def _signature(tokens: list[_Tok], text: str) -> int | None:
    """The first token of a signature: the last line of a message of several lines when
    it is only a name ("Takk!\n\nKari", "- Ola Nordmann")."""
    body = text.rstrip()
    line_start = body.rfind("\n") + 1
    if line_start == 0:
        return None
    on_line = [n for n, t in enumerate(tokens) if t[2] >= line_start]
    if not 1 <= len(on_line) <= 3 or not _is_first(tokens[on_line[0]][0]):
        return None
    if not all(_capitalised(tokens[n][0]) and tokens[n][1] not in _STOP_WORDS for n in on_line):
        return None
    words = r"\s+".join(re.escape(tokens[n][0]) for n in on_line)
    return on_line[0] if re.fullmatch(r"[-–—/ \t]*" + words + r"[.!]?", body[line_start:]) else None


def _names(text: str, taken: list[Detail]) -> list[Detail]:
    tokens = _name_tokens(text, taken)
    spans: dict[int, int] = {}  # first token index -> last token index
    covered: set[int] = set()

    def take(i: int, loose: bool) -> None:
        if i not in covered:
            spans[i] = _extend(tokens, i, text, loose)
            covered.update(range(i, spans[i] + 1))

    for i, (word, lower, start, _end) in enumerate(tokens):
        if len(word) < 2 or i in covered:
            continue
        # A function word is no name, unless it is also a first name and capitalised:
        # then it counts as one that is also a word ("med Hans", not "hans kone").
        stop = lower in _STOP_WORDS
        if stop and not (_capitalised(word) and (lower in _FIRST or lower in _FIRST_WORD)):
            continue
        cue = _cue(tokens, i, text)
        if cue == "any" and not stop:
            take(i, loose=True)  # "jeg heter kari nordmann"
            continue
        tier = 1 if stop else _is_first(word)
        if not tier:
            continue
        if cue == "first" and (tier == 2 or _capitalised(word)):
            take(i, loose=False)  # "jeg er kari", "kollegaen min Per", "hilsen Ola"
        elif not _capitalised(word) or (word.isupper() and len(word) > 1):
            continue  # lower case or an acronym, no cue
        elif tier == 2:
            take(i, loose=False)  # "Kari" anywhere
        elif not _sentence_initial(text, start):
            prev = tokens[i - 1] if i else None
            if (
                prev
                and _capitalised(prev[0])
                and text[prev[3] : start] == " "
                and not _is_first(prev[0])
                and not _sentence_initial(text, prev[2])
            ):
                continue  # a word of a proper name: "på Barnas Dag" (but "Ring Per")
            take(i, loose=False)  # "snakket med Per"
        elif i + 1 < len(tokens) and text[tokens[i][3] : tokens[i + 1][2]] == " ":
            nxt = tokens[i + 1]
            if _capitalised(nxt[0]) and nxt[1] in _LAST_PLAIN:
                take(i, loose=False)  # "Per Hansen er ..." (not "Dag Lie", two words)

    signature = _signature(tokens, text)
    if signature is not None:
        take(signature, loose=False)
    return [Detail(tokens[a][2], tokens[b][3], "name") for a, b in spans.items()]


# ------------------------------------------------------------------ putting it together


def _overlaps(start: int, end: int, taken: list[Detail]) -> bool:
    return any(d.start < end and start < d.end for d in taken)


def _mask(text: str, taken: list[Detail]) -> bytearray:
    """1 for each character of `text` inside a detail of `taken` (empty when none)."""
    if not taken:
        return bytearray()
    mask = bytearray(len(text))
    for d in taken:
        mask[d.start : d.end] = b"\x01" * (d.end - d.start)
    return mask


_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def find_personal_details(text: str) -> list[Detail]:
    """The personal details in `text`, in order, none overlapping."""
    taken = [Detail(m.start(), m.end(), "placeholder") for m in _PLACEHOLDER_RE.finditer(text)]
    found: list[Detail] = []
    for finder in (_emails, _id_numbers):
        for detail in finder(text):
            if not _overlaps(detail.start, detail.end, taken + found):
                found.append(detail)
    for finder2 in (_phones, _names):
        for detail in finder2(text, taken + found):
            if not _overlaps(detail.start, detail.end, taken + found):
                found.append(detail)
    return sorted(found, key=lambda d: d.start)


def scrub(text: str) -> str:
    """Return `text` with personal details replaced by placeholders."""
    details = find_personal_details(text)
    if not details:
        return text
    out, pos = [], 0
    for detail in details:
        out.append(text[pos : detail.start])
        out.append(PLACEHOLDERS[detail.kind])
        pos = detail.end
    out.append(text[pos:])
    return "".join(out)
