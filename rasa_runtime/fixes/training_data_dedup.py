"""`rasa train` drops duplicate NLU examples without fingerprinting every one of them.

Every `TrainingData` Rasa builds (each merge of the importers' data, about fifteen per
training) drops duplicate examples with `OrderedDict.fromkeys(examples)`. A message's
hash is its fingerprint: a JSON dump and an md5 of its whole data, metadata included.
On 49,000 examples that is about 40 s of `make train` spent hashing messages that share
no text with any other.

Two messages with the same fingerprint have the same data, so the same text. Here the
examples are grouped by text first, and the fingerprints are compared only within a
text that occurs more than once. Which examples are kept, and their order, are exactly
those of Rasa's own function (the first of each fingerprint, in order).
"""
from __future__ import annotations

from typing import Any, List

from rasa.shared.nlu.constants import INTENT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_runtime.fixes.tripwire import Fix


def _text_key(example: Message) -> Any:
    """Equal for any two messages with equal fingerprints (their data are equal)."""
    text = example.get(TEXT)
    return ("text", text) if isinstance(text, str) else ("fingerprint", example.fingerprint())


def sanitize_examples(examples: List[Message]) -> List[Message]:
    """Rasa's `TrainingData.sanitize_examples`: annotations stripped, duplicates dropped."""
    for example in examples:
        if example.get(INTENT):
            example.set(INTENT, example.get(INTENT).strip())
        if example.get(RESPONSE):
            example.set(RESPONSE, example.get(RESPONSE).strip())
    kept: List[Message] = []
    # text key -> the first example with that key, then the fingerprints seen under it
    first: dict[Any, Message] = {}
    fingerprints: dict[Any, set[str]] = {}
    for example in examples:
        key = _text_key(example)
        earlier = first.get(key)
        if earlier is None:
            first[key] = example
            kept.append(example)
            continue
        seen = fingerprints.get(key)
        if seen is None:
            seen = fingerprints[key] = {earlier.fingerprint()}
        fingerprint = example.fingerprint()
        if fingerprint not in seen:
            seen.add(fingerprint)
            kept.append(example)
    return kept


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    TrainingData.sanitize_examples = staticmethod(sanitize_examples)  # type: ignore[method-assign]


FIX = Fix(
    name="training_data_dedup",
    originals={
        "rasa.shared.nlu.training_data.training_data:TrainingData.sanitize_examples": (
            "8bcbceeb425c3537a405690f93163239a8e45ef49fe656f7713fdaa65f7e6a29"
        ),
    },
    apply=apply,
)
