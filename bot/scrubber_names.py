"""Build the scrubber's name list, bot/privacy_data/norwegian_names.txt, from names-dataset.

    python -m bot.scrubber_names            # rewrites the file; commit the result

A developer tool, never imported by the gateway: the scrubber (bot/scrubber.py) reads only
the compact file this writes. It needs names-dataset==3.3.1 and simplemma==2.0.0, takes
about half a minute and holds one of names-dataset's two tables (about 1 GB) at a time.
Which names go in and into which tier: bot/scrubber_name_rules.py. The output is sorted,
so a regeneration shows as a readable diff.
"""
from __future__ import annotations

import argparse
import gc
from pathlib import Path

from names_dataset import NameDataset
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from bot.scrubber_name_rules import (
    SOURCES_FIRST, SOURCES_LAST, Lookup, best_ranks, render, sort_first_names, sort_last_names,
)

OUTPUT = Path(__file__).resolve().parent / "privacy_data" / "norwegian_names.txt"


def word_tests() -> tuple[Lookup, Lookup]:
    """(is_base_word, is_any_form): is the lower-cased word a dictionary head word
    (a lemma of itself) in bokmål, nynorsk or English; is it any form there."""
    factory = DefaultDictionaryFactory()
    dictionaries = [factory.get_dictionary(lang) for lang in ("nb", "nn", "en")]
    norwegian = dictionaries[:2]

    def is_base_word(name: str) -> bool:
        key = name.lower()
        return any(d.get(key) == key for d in dictionaries)

    def is_any_form(name: str) -> bool:
        key = name.lower()
        return any(key in d for d in norwegian)

    return is_base_word, is_any_form


def build() -> str:
    is_base_word, is_any_form = word_tests()
    dataset = NameDataset(load_first_names=True, load_last_names=False)
    first_ranked = best_ranks(dataset.first_names, SOURCES_FIRST)
    del dataset
    gc.collect()
    dataset = NameDataset(load_first_names=False, load_last_names=True)
    last_ranked = best_ranks(dataset.last_names, SOURCES_LAST)
    del dataset
    gc.collect()
    first, first_word = sort_first_names(first_ranked, is_base_word, is_any_form)
    last, last_word = sort_last_names(last_ranked, is_base_word)
    return render({"first": first, "first:word": first_word, "last": last, "last:word": last_word})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    args = parser.parse_args(argv)
    text = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    counts = {}
    section = None
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
            counts[section] = 0
        elif section and not line.startswith("#"):
            counts[section] += 1
    print(f"wrote {args.out} ({len(text.encode()) // 1024} KB): " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
