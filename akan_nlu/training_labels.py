"""The sentence-level labels of the NLU training data, read from Rasa's own format.

Every intent block in `data/nlu/*.yml` carries its labels as Rasa intent metadata:

    - intent: ask_advice
      metadata: {brief: offices-retail, role: leder, topic: hjemmekontor, substance: alkohol}
      examples: |
        - Hvordan følger jeg opp en selger som jobber hjemmefra og drikker?

`role`, `topic` and `substance` are canonical values or `none` (nothing shown); a missing
`substance` means the writer did not label substances (the head then skips the example).
`human: true` marks a crisis message that also asks for a person. `brief` names the brief the
examples were written from (data/briefs.yml); cross-validation keeps a brief's examples together.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

from akan_contract.taxonomy import ROLES, SUBSTANCES, TOPICS
from akan_nlu.sentence_model import NONE, LabelledText

CRISIS_INTENT = "crisis"
HUMAN_INTENT = "request_human"
UNLABELLED = None
_ALLOWED = {"role": ROLES, "topic": TOPICS, "substance": SUBSTANCES}


class TrainingLabelError(ValueError):
    """An intent block's metadata is missing a label or holds a value outside the taxonomy."""


def labelled_text(text: str, intent: str, metadata: Optional[Mapping[str, Any]], where: str = "") -> LabelledText:
    """One training message from its text, intent and its intent block's metadata."""
    metadata = metadata or {}
    values: dict[str, Optional[str]] = {}
    for key, allowed in _ALLOWED.items():
        value = metadata.get(key, UNLABELLED if key == "substance" else NONE)
        if value is not UNLABELLED and value != NONE and value not in allowed:
            raise TrainingLabelError(f"{where}: {key} {value!r} is not one of {', '.join(allowed)} or none")
        values[key] = value
    return LabelledText(
        text=text,
        intent=intent,
        role=values["role"],
        topic=values["topic"],
        substance=values["substance"],
        crisis=intent == CRISIS_INTENT,
        human=intent == HUMAN_INTENT or bool(metadata.get("human")),
        brief=str(metadata.get("brief") or "unknown"),
    )


def _example_texts(examples: Any) -> list[str]:
    """The texts of an `examples:` value: Rasa's "- text" block or a list of {text: ...}."""
    if isinstance(examples, str):
        return [line[2:].strip() for line in examples.splitlines() if line.startswith("- ")]
    return [str(e["text"]).strip() for e in examples or []]


# libyaml's safe loader reads the 43,000 messages of data/nlu in 1.5 s instead of 12.5 s (the
# pure-Python one where PyYAML was built without libyaml); both build the same data.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_file(path: Path) -> list[LabelledText]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    out = []
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue  # synonyms, regexes, lookups
        where = f"{path.name}, intent {block['intent']}"
        out += [labelled_text(t, block["intent"], block.get("metadata"), where) for t in _example_texts(block.get("examples"))]
    return out


def read_directory(directory: Path | str) -> list[LabelledText]:
    """Every labelled message in the YAML files of a directory, file by file in name order."""
    directory = Path(directory)
    return [example for path in sorted(directory.glob("*.yml")) for example in read_file(path)]


def labelled_from_rasa(text: str, intent: str, metadata: Optional[Mapping[str, Any]]) -> LabelledText:
    """Labels of a Rasa training Message: Rasa keeps the block's metadata under "intent"."""
    return labelled_text(text, intent, (metadata or {}).get("intent"), where=f"intent {intent}")


def labels_for_head(examples: Iterable[LabelledText], head: str) -> list[LabelledText]:
    """The examples that carry a label for `head` (substance is not always labelled)."""
    return [e for e in examples if getattr(e, head) is not UNLABELLED]
