"""Duplicate NLU examples are dropped exactly as Rasa drops them, fingerprinting only shared texts."""
from __future__ import annotations

import copy
import random

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_runtime.fixes import training_data_dedup
from rasa_runtime.fixes.tripwire import resolve

TEXTS = ["hei", "jeg er leder", "mannen min drikker", "kan jeg snakke med en veileder", "hjelp"]
INTENTS = ["greet", "ask_advice", "ask_advice ", "request_human"]
RASAS_OWN = resolve("rasa.shared.nlu.training_data.training_data:TrainingData.sanitize_examples")


def random_examples(rng: random.Random) -> list[Message]:
    """Messages that share texts, intents and metadata in every combination; some objects twice,
    some with no text (as story steps have)."""
    made: list[Message] = []
    for _ in range(rng.randint(0, 40)):
        if made and rng.random() < 0.15:
            made.append(rng.choice(made))  # the same object again
            continue
        data = {"intent": rng.choice(INTENTS)}
        if rng.random() < 0.9:
            data["text"] = rng.choice(TEXTS)
        if rng.random() < 0.5:
            data["metadata"] = {"intent": {"role": rng.choice(["leder", "selv"]), "brief": "b"}}
        made.append(Message(data=data))
    return made


def position(examples: list[Message], message: Message) -> int:
    return next(i for i, m in enumerate(examples) if m is message)


@pytest.mark.parametrize("seed", range(60))
def test_the_same_examples_are_kept_in_the_same_order_as_by_rasa(seed):
    examples = random_examples(random.Random(seed))
    twin = copy.deepcopy(examples)  # deepcopy keeps which entries are the same object
    ours = training_data_dedup.sanitize_examples(examples)
    rasas = RASAS_OWN(twin)
    assert [m.fingerprint() for m in ours] == [m.fingerprint() for m in rasas]
    assert [position(examples, m) for m in ours] == [position(twin, m) for m in rasas]


def test_annotations_are_stripped_and_the_first_of_equal_examples_is_kept():
    a = Message(data={"text": "hei", "intent": "greet "})
    b = Message(data={"text": "hei", "intent": "greet"})
    c = Message(data={"text": "hei", "intent": "thank"})
    kept = training_data_dedup.sanitize_examples([a, b, c, a])
    assert kept == [a, c] and kept[0] is a
    assert a.get("intent") == "greet"


def test_training_data_uses_it_once_applied(monkeypatch):
    monkeypatch.setattr(TrainingData, "sanitize_examples", TrainingData.__dict__["sanitize_examples"])  # restored after
    training_data_dedup.apply()
    data = TrainingData([Message(data={"text": "hei", "intent": "greet"}), Message(data={"text": "hei", "intent": "greet"})])
    assert len(data.training_examples) == 1
    assert TrainingData.sanitize_examples is training_data_dedup.sanitize_examples
