"""How the scrubber's name list is chosen from names-dataset and sorted into tiers.

The rules and hand-kept lists behind bot/privacy_data/norwegian_names.txt, with no
dependency of their own; `python -m bot.scrubber_names` (bot/scrubber_names.py) applies
them to names-dataset and simplemma and writes the file. Change a list here, run that
command, and commit both.

What goes in:
- First names and surnames ranked for Norway (NO) in names-dataset (from a public Facebook
  dump). names-dataset keeps only the ten countries where a name is most common, so names
  common everywhere (Erik, Thomas, Ingrid, Emma) carry no Norwegian rank; the top of the
  neighbouring and immigrant countries' lists (SOURCES_*) fills that gap.
- Each name is sorted into one of two tiers. A name whose lower-case form is an everyday
  word in Norwegian or English ("per", "dag", "liv", "mark", "rune", "tom") goes into the
  `word` tier; the scrubber counts those only with support (a cue like "jeg er", a capital
  letter inside a sentence, a surname after it). simplemma's bokmål, nynorsk and English
  dictionaries decide what is a word, corrected by the hand-kept lists below.
- A first name that is a word and rare as a name is left out; the scrubber still catches
  it after "jeg heter" and the like, which take any word.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

# Country -> the worst rank taken from it (Norway: all its ranked first names).
SOURCES_FIRST = {
    "NO": 100_000, "SE": 1500, "DK": 1500, "IS": 300, "FI": 300,
    "GB": 700, "US": 700, "DE": 400, "NL": 300, "PL": 300, "LT": 150,
    "IQ": 100, "SY": 100, "AF": 100, "TR": 100, "IR": 100, "PH": 100, "ET": 100, "EG": 100,
}
SOURCES_LAST = {
    "NO": 10_000, "SE": 1000, "DK": 1000, "IS": 200, "FI": 200,
    "GB": 300, "US": 300, "DE": 300, "NL": 200, "PL": 300, "LT": 100,
    "IQ": 100, "SY": 100, "AF": 100, "TR": 100, "IR": 100, "PH": 100, "ET": 100, "EG": 100,
}
# A first name that is also a word is kept (in the word tier) only when it is this common.
WORD_NAME_RANK_NO = 1500
WORD_NAME_RANK_ELSEWHERE = 300
# A first name whose only clash is an inflected form of a word ("kari" of "kar", "ida" of
# "ide") is a word only past this Norwegian rank: the common names win over rare forms.
INFLECTED_FORM_RANK_NO = 600

# Names that simplemma knows as words but that are read as names far more often in a chat
# (the word is rare, old or foreign): always plain names.
NAMES_NOT_WORDS = frozenset(
    """
    Agne Aino Aksel Albin Aleksi Alexander Alma Anders Ane Angela Angelica Anka Anke Anna
    Arie Arild Arne Arve Aud Benjamin Bjørn Bobby Borgar Bosse Brad Brian Brit Carl Caroline
    Christian Colin Corrie Dace Danka Dan Diane Dina Dirk Donna Dora Ebba Ebbe Edle Egle Einar
    Eira Elling Erle Erla Fillip Fleur Frede Frid Frode Frøya Gemma Geir Gjert Gloria Gorm Graham
    Gro Gry Gunnel Guri Hector Heine Helge Helle Henna Henny Henry Hild Hilda Hilde Hogne Horst
    Jarl Jasmin Jasmine Jasper Jake Jay Jenny Jens Jess Jette Jill Jimmy Joey Jordan Josef Josh
    Julia Karete Kari Kåre Kent Kim Kine Kyle Lassi Lech Leif Leiv Lene Liene Lilja
    Lill Linn Linnea Lisa Lise Lisen Liva Lone Lotte Lucia Lutz Lynne Malte Margarita Mari Martin
    Mick Mikkel Milda Mille Mona Mons Morgan Nora Olle Ole Ollie Owe Patricia Pelle Phoebe Pål
    Rasmus Regina Renate Rick Rikke Rima Rita Roar Rolf Ross Ruth Saga Sally Sander Sanna Sari Sem
    Signe Silke Sindre Siv Sondre Stella Sten Steen Steven Sture Svein Svenn Syver Søren Ted
    Terry Thor Tilde Timothy Tobbe Toke Tommy Tony Tore Tove Trine Uffe Ula Vagn Vera Verner
    Veronica Veronika Victor Victoria Viljar Walter Willy Åke Åsta Barry Billy Heather Jack
    Adam Ana Bart Mike Karen Bella
    """.split()
)
# Everyday words that are also (rare) first names or dataset noise: never first names.
NOT_FIRST_NAMES = frozenset(
    """
    Akan Bitte Familien Fru Indre Isse Skule Privat Norsk Norwegian Nordmann Spill Trygg Livet
    Snekker Lærer Helse Helg Kvinne Gjest Frisør Kaptein Øy Ost Onkel Mormor Søster Påske
    Hej Kr Theres Restaurang Familjen Saw
    """.split()
)
# Dataset noise among the surnames: everyday words, never surnames.
NOT_SURNAMES = frozenset(
    """
    Akan Jobb Henne Sitter With Mannen Berre Kjenner Finnes Staff Ruset Svare Barnehage Helgen
    Gruer Veka Privat Butikk Været Bygg Lønn Huset Skole Gården Klubben Trygg Finne Viste Spilling
    Takle Endre Veien Landet Tunge Skille Kjenne Snekker Renhold Loven Prøven Often Frisk Kastet
    Hørte Telle Mellem Frisør Seem Giving Trener Lyder Føre Norge Runde Slette Fikse Feiring Egner
    Firing Yrke Feet Strid Tømt Fallet Vist Bleie Tørre Kvile Hefte Modell Sending Island Øde Oppi
    Norsk Aa Si Sa Skriver Norway Na Said Tas Holdt Dekker Koster Kamper Danmark Amsterdam Trondheim
    Stavanger
    """.split()
)
# Names whose lower-case form is an everyday word that simplemma may not mark: word tier.
WORD_NAMES = frozenset(
    """
    Per Dag Liv Tone Line Odd Stein Even Finn Rune Mark Stig Tor Are Else Live Gard Tale Bror
    Lage Vår Vilje Lykke Ulv Hauk Ravn Anker Bo Sol Hans Frank Will May Grace Hope Joy Rose Faith
    Bill Pat Sue Art Ray Guy Rich Tom Matt Luke Ute Jo Kai Fred Roman Rosa Tine Iver Endre Siren
    Mo Ja My Don Lea Maks Ken Lee Rob Dean Bob Bent Joke Nick Angel Jade Pascal Vita Dick Ad Dawn
    Urban Holly Gun Ed Ala Crystal Randy Sandy Gill Paw Tiny Aske Harm Ger Floor Ka Dale Ma
    Tea Berge Sam Ton Ville Iris Marina Axel Inka Summer Hunter Chase Sunny Daisy Amber Ruby Penny
    Andre Helga Tage Kaia Sina Inga Klara Kalle Max Bas Andres Ruta
    """.split()
)

# Is this name (any case) a word: (name) -> bool.
Lookup = Callable[[str], bool]


def best_ranks(table: dict, sources: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Single-word names from `table` (names-dataset's dict) ranked within `sources`,
    each with (its Norwegian rank, its best rank elsewhere); multi-word entries ("Jan Erik")
    give their parts, which count at the entry's ranks."""
    found: dict[str, tuple[int, int]] = {}
    for entry, info in table.items():
        ranks = info.get("rank") or {}
        if not any(ranks.get(country, 10**9) <= limit for country, limit in sources.items()):
            continue
        no_rank = ranks.get("NO", 10**9)
        elsewhere = min((ranks.get(c, 10**9) for c in sources if c != "NO"), default=10**9)
        for part in entry.replace("-", " ").split():
            if len(part) < 2 or not part.isalpha() or not part[0].isupper():
                continue
            old = found.get(part, (10**9, 10**9))
            found[part] = (min(old[0], no_rank), min(old[1], elsewhere))
    return found


def sort_first_names(
    ranked: dict[str, tuple[int, int]], is_base_word: Lookup, is_any_form: Lookup
) -> tuple[list[str], list[str]]:
    """(plain names, word-tier names) from first names with their (NO, elsewhere) ranks."""
    plain, word = [], []
    for name, (no_rank, elsewhere) in ranked.items():
        if name in NOT_FIRST_NAMES:
            continue
        if name in NAMES_NOT_WORDS:
            plain.append(name)
            continue
        inflected_clash = is_any_form(name) and no_rank > INFLECTED_FORM_RANK_NO and elsewhere > WORD_NAME_RANK_ELSEWHERE
        if name in WORD_NAMES or is_base_word(name) or inflected_clash:
            if name in WORD_NAMES or no_rank <= WORD_NAME_RANK_NO or elsewhere <= WORD_NAME_RANK_ELSEWHERE:
                word.append(name)
            continue
        plain.append(name)
    return sorted(plain), sorted(word)


def sort_last_names(ranked: dict[str, tuple[int, int]], is_base_word: Lookup) -> tuple[list[str], list[str]]:
    """(plain surnames, word-tier surnames): "Hansen" against "Berg", "Strand", "Lie"."""
    plain, word = [], []
    for name in ranked:
        if name in NOT_SURNAMES:
            continue
        (word if is_base_word(name) else plain).append(name)
    return sorted(plain), sorted(word)


def render(sections: dict[str, Iterable[str]]) -> str:
    lines = [
        "# Names for the scrubber (bot/scrubber.py). Generated by `python -m bot.scrubber_names`",
        "# from names-dataset 3.3.1 by the rules in bot/scrubber_name_rules.py; do not edit by hand.",
        "# [first]/[last]: names; [first:word]/[last:word]: names that are also everyday words.",
    ]
    for title, names in sections.items():
        lines.append(f"[{title}]")
        lines.extend(names)
    return "\n".join(lines) + "\n"
