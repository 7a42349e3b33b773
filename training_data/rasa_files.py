"""Write labelled examples as Rasa NLU files, one file per concern, labels as intent metadata.

The layout (read back by akan_nlu.training_labels):
- `advice_<role>.yml` — ask_advice by the asker's role (`advice_general.yml`: no role shown);
- `crisis.yml`, `request_human.yml`, `out_of_scope.yml`;
- `chitchat.yml` — greetings, thanks, yes/no, questions about the bot, privacy and what it can do.
Within a file, examples are grouped by intent and labels, each group's examples sorted.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable

from akan_nlu.sentence_model import NONE, LabelledText

HEADER = (
    "# Generated layout, hand-editable: each block's metadata labels its examples (see\n"
    "# akan_nlu/training_labels.py); `brief` names the brief in data/briefs.yml they were written from.\n"
)
CHITCHAT = ("greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "privacy", "capabilities", "more_advice")
OWN_FILE = ("crisis", "request_human", "out_of_scope")


def concern(example: LabelledText) -> str:
    """The file an example belongs in."""
    if example.intent == "ask_advice":
        return f"advice_{example.role}" if example.role not in (None, NONE) else "advice_general"
    if example.intent in OWN_FILE:
        return example.intent
    if example.intent in CHITCHAT:
        return "chitchat"
    raise ValueError(f"no file for intent {example.intent!r}")


def _metadata(example: LabelledText) -> dict:
    meta = {"brief": example.brief, "role": example.role or NONE, "topic": example.topic or NONE}
    if example.substance is not None:
        meta["substance"] = example.substance
    if example.human and example.intent != "request_human":
        meta["human"] = True
    return meta


def _flow(meta: dict) -> str:
    return "{" + ", ".join(f"{k}: {'true' if v is True else v}" for k, v in meta.items()) + "}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(examples: Iterable[LabelledText]) -> str:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for example in examples:
        meta = _metadata(example)
        groups[(example.intent, tuple(meta.items()))].append(_one_line(example.text))
    lines = [HEADER.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for (intent, meta), texts in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        lines += [f"- intent: {intent}", f"  metadata: {_flow(dict(meta))}", "  examples: |"]
        lines += [f"    - {text}" for text in sorted(set(texts))]
    return "\n".join(lines) + "\n"


def write_directory(examples: Iterable[LabelledText], directory: Path) -> dict[str, int]:
    """Replace the NLU files of `directory` with `examples`; returns examples per file."""
    by_file: dict[str, list[LabelledText]] = defaultdict(list)
    for example in examples:
        by_file[concern(example)].append(example)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yml"):
        old.unlink()
    for name, items in by_file.items():
        (directory / f"{name}.yml").write_text(render(items), encoding="utf-8")
    return {name: len(items) for name, items in sorted(by_file.items())}
