"""The name list's rules (bot/scrubber_name_rules.py) sort names into tiers, and the
committed list (bot/privacy_data/norwegian_names.txt) agrees with their hand-kept lists.

Regenerating the list (`python -m bot.scrubber_names`) loads names-dataset's tables (a
gigabyte, half a minute), so these tests run the rules on a few made-up names instead."""
from __future__ import annotations

from bot import scrubber_name_rules as gen
from bot.scrubber import load_names

# (Norwegian rank, best rank elsewhere); 10**9: not ranked there.
UNRANKED = 10**9
RANKED = {
    "Kari": (24, UNRANKED),  # a name; "kari" is also a form of nynorsk "kar", but rarely
    "Per": (10, UNRANKED),  # a name and a preposition
    "Ida": (27, UNRANKED),
    "Glimt": (5000, UNRANKED),  # a word, and rare as a name: left out
    "Privat": (1848, UNRANKED),  # noise in the dataset
    "Thomas": (UNRANKED, 2),  # common everywhere, so with no Norwegian rank
}
WORDS = {"per", "glimt", "privat", "kari"}


def is_base_word(name: str) -> bool:
    return name.lower() in {"per", "glimt", "privat"}


def is_any_form(name: str) -> bool:
    return name.lower() in WORDS


def test_first_names_are_sorted_into_names_and_names_that_are_words():
    plain, word = gen.sort_first_names(RANKED, is_base_word, is_any_form)
    assert plain == ["Ida", "Kari", "Thomas"]
    assert word == ["Per"]


def test_surnames_that_are_words_get_their_own_tier():
    ranked = {"Hansen": (1, UNRANKED), "Berg": (12, UNRANKED), "Jobb": (900, UNRANKED)}
    plain, word = gen.sort_last_names(ranked, lambda name: name in {"Berg", "Jobb"})
    assert plain == ["Hansen"]
    assert word == ["Berg"]  # "Jobb" is dataset noise, never a surname


def test_ranks_come_from_the_sources_and_multi_word_entries_give_their_parts():
    table = {
        "Jan Erik": {"rank": {"NO": 40}},
        "Kari-Anne": {"rank": {"NO": 900}},
        "Emma": {"rank": {"SE": 15, "GB": 10}},
        "Zed": {"rank": {"US": 5000}},  # outside every source's limit
        "x": {"rank": {"NO": 3}},  # too short
    }
    ranked = gen.best_ranks(table, {"NO": 100_000, "SE": 1500, "GB": 700})
    assert ranked == {
        "Jan": (40, UNRANKED),
        "Erik": (40, UNRANKED),
        "Kari": (900, UNRANKED),
        "Anne": (900, UNRANKED),
        "Emma": (UNRANKED, 10),
    }


def test_the_rendered_file_reads_back_by_section(tmp_path):
    path = tmp_path / "names.txt"
    sections = {"first": ["Kari", "Ola"], "first:word": ["Per"], "last": ["Hansen"], "last:word": []}
    path.write_text(gen.render(sections), encoding="utf-8")
    assert load_names(path) == {
        "first": frozenset({"kari", "ola"}),
        "first:word": frozenset({"per"}),
        "last": frozenset({"hansen"}),
        "last:word": frozenset(),
    }


def test_the_committed_list_follows_the_hand_kept_lists():
    # A hand-kept list changed without `python -m bot.scrubber_names` shows here.
    names = load_names()
    first, first_word = names["first"], names["first:word"]
    assert not {n.casefold() for n in gen.NOT_FIRST_NAMES} & (first | first_word)
    assert not {n.casefold() for n in gen.NOT_SURNAMES} & (names["last"] | names["last:word"])
    assert not {n.casefold() for n in gen.NAMES_NOT_WORDS} & first_word
    assert not {n.casefold() for n in gen.WORD_NAMES - gen.NAMES_NOT_WORDS} & first
