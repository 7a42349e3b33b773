"""``python -m training_data``: import blind-written examples into data/nlu, and check the data.

    python -m training_data import FILE --brief ID   # add a writer's file (evaluation format + intent, substance)
    python -m training_data check                    # counts, near-duplicates, leaks from evaluation sets
    python -m training_data tidy                     # drop those near-duplicates and leaks from data/nlu

Importing drops messages that nearly repeat one already in the data, or one in any evaluation
set (the dev set and evaluation/sets/*.yml, the sealed one included): only counts are printed,
never the texts of an evaluation set. The brief must be described in data/briefs.yml first.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence

import yaml

from akan_contract.taxonomy import ROLES, SUBSTANCES, TOPICS
from akan_nlu.sentence_model import NONE, LabelledText
from akan_nlu.training_labels import read_directory
from training_data.near_duplicates import duplicates_within, pairs_across
from training_data.rasa_files import CHITCHAT, write_directory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
BRIEFS = PROJECT_ROOT / "data" / "briefs.yml"
INTENTS = ("ask_advice", "crisis", "request_human", "out_of_scope", *CHITCHAT)


class ImportError_(ValueError):
    """A writer's file cannot be imported as it is."""


def evaluation_texts(root: Path = PROJECT_ROOT) -> list[str]:
    """Every text of every evaluation set the project has (never training data)."""
    files = [root.parent / "shared" / "eval" / "dev.yml", *sorted((root / "evaluation" / "sets").glob("*.yml"))]
    texts: list[str] = []
    for path in files:
        if path.exists():
            texts += [str(item["text"]) for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []]
    return texts


def _or_every_set(evaluation: Optional[Sequence[str]]) -> Sequence[str]:
    """The texts given, or by default those of every evaluation set."""
    return evaluation_texts() if evaluation is None else evaluation


def briefs(path: Path = BRIEFS) -> dict[str, dict]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("briefs") or {}


def _label(value, allowed, what: str, where: str) -> str:
    if value in (None, NONE):
        return NONE
    if value not in allowed:
        raise ImportError_(f"{where}: {what} {value!r} is not in the taxonomy")
    return value


def from_writer(item: dict, brief: str, where: str) -> LabelledText:
    """A writer's labelled message (evaluation format, plus intent and substance when given)."""
    crisis, human = bool(item.get("crisis")), bool(item.get("human"))
    intent = item.get("intent")
    if crisis:
        intent = "crisis"
    elif human:
        intent = "request_human"
    elif intent in (None, "crisis", "request_human"):
        # The writers' instructions: a message without an intent is an advice question, also a
        # follow-up such as "og hvis han nekter?" that shows neither role nor topic.
        intent = "ask_advice"
    if intent not in INTENTS:
        raise ImportError_(f"{where}: no usable intent ({item.get('intent')!r})")
    return LabelledText(
        text=" ".join(str(item["text"]).split()),
        intent=intent,
        role=_label(item.get("role"), ROLES, "role", where),
        topic=_label(item.get("topic"), TOPICS, "topic", where),
        substance=_label(item.get("substance"), SUBSTANCES, "substance", where) if "substance" in item else None,
        crisis=crisis,
        human=human,
        brief=brief,
    )


def import_file(
    path: Path, brief: str, nlu_dir: Path = NLU_DIR, briefs_path: Path = BRIEFS,
    evaluation: Optional[Sequence[str]] = None,
) -> dict[str, int]:
    """`evaluation`: the texts no training example may come near (default: every evaluation set)."""
    if brief not in briefs(briefs_path):
        raise ImportError_(f"describe brief {brief!r} in {briefs_path} first")
    raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []
    incoming = [from_writer(item, brief, f"{path.name} item {i + 1}") for i, item in enumerate(raw)]
    existing = read_directory(nlu_dir)
    evaluation = _or_every_set(evaluation)
    leaks = {i for i, _, _ in pairs_across([e.text for e in incoming], evaluation)}
    known = {i for i, _, _ in pairs_across([e.text for e in incoming], [e.text for e in existing])}
    kept = [e for i, e in enumerate(incoming) if i not in leaks and i not in known]
    twins = {i for i, _, _ in duplicates_within([e.text for e in kept])}
    kept = [e for i, e in enumerate(kept) if i not in twins]
    write_directory([*existing, *kept], nlu_dir)
    return {"read": len(incoming), "near an evaluation set": len(leaks), "near existing data": len(known - leaks),
            "near another in the file": len(twins), "imported": len(kept), "total now": len(existing) + len(kept)}


def check(nlu_dir: Path = NLU_DIR, evaluation: Optional[Sequence[str]] = None) -> tuple[dict[str, Counter], int, int]:
    """Counts per brief/intent/role/topic, near-duplicate pairs within the data, leaks from evaluation sets."""
    examples = read_directory(nlu_dir)
    evaluation = _or_every_set(evaluation)
    texts = [e.text for e in examples]
    counts = {
        "brief": Counter(e.brief for e in examples),
        "intent": Counter(e.intent for e in examples),
        "role": Counter(e.role for e in examples),
        "topic": Counter(e.topic for e in examples),
        "substance": Counter(e.substance or "(unlabelled)" for e in examples),
    }
    return counts, len(duplicates_within(texts)), len(pairs_across(texts, evaluation))


def tidy(nlu_dir: Path = NLU_DIR, evaluation: Optional[Sequence[str]] = None) -> dict[str, int]:
    """Drop what `check` finds: examples near an evaluation set, and each later near-twin in the data.

    The similarity's weights come from the texts compared, so data that grows can bring an example
    imported long ago over the threshold; this keeps the data as clean as on the day of import.
    """
    examples = read_directory(nlu_dir)
    texts = [e.text for e in examples]
    evaluation = _or_every_set(evaluation)
    leaks = {i for i, _, _ in pairs_across(texts, evaluation)}
    twins = {i for i, _, _ in duplicates_within(texts)} - leaks
    kept = [e for i, e in enumerate(examples) if i not in leaks and i not in twins]
    write_directory(kept, nlu_dir)
    return {"read": len(examples), "near an evaluation set": len(leaks), "near an earlier example": len(twins),
            "total now": len(kept)}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training_data", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="add a writer's file to data/nlu")
    imp.add_argument("file", type=Path)
    imp.add_argument("--brief", required=True)
    sub.add_parser("check", help="counts, near-duplicates and leaks")
    sub.add_parser("tidy", help="drop the near-duplicates and leaks that check finds")
    args = parser.parse_args(argv)
    if args.command == "tidy":
        print(", ".join(f"{k}: {v}" for k, v in tidy().items()))
        return 0
    if args.command == "import":
        try:
            result = import_file(args.file, args.brief)
        except (ImportError_, OSError, yaml.YAMLError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(", ".join(f"{k}: {v}" for k, v in result.items()))
        return 0
    counts, twins, leaks = check()
    for name, counter in counts.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    print(f"near-duplicate pairs within the data: {twins}")
    print(f"examples near an evaluation set: {leaks}")
    return 1 if leaks or twins else 0


if __name__ == "__main__":
    sys.exit(main())
