"""Grouped k-fold cross-validation and a learning curve of the understanding on the training data.

Folds keep each brief's examples together (GroupKFold on `brief`), so a message and its near
twin by the same writer never sit on both sides. Each fold trains the sentence model on the
other folds and reads the held-out messages the way Rasa does (akan_nlu.reading: stated role,
safety patterns, thresholds). Figures follow the contract: role and topic accuracy over the
messages that show one, crisis recall and false-alarm rate, request_human recall.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional, Sequence

from sklearn.model_selection import GroupKFold

from akan_nlu.lexicon import HumanRequestPatterns, load_human_request
from akan_nlu.norwegian import normalise
from akan_nlu.reading import Reading, Thresholds, read
from akan_nlu.safety_patterns import SafetyPatterns
from akan_nlu.self_identification import SelfIdentification
from akan_nlu.sentence_model import NONE, LabelledText, ModelSettings, SentenceModel

FIGURES = ("role", "topic", "crisis_recall", "crisis_false_alarms", "human_recall")
# The heads behind the figures. The intent head is left out (the labelled intent stands in: see
# cross_validate), and so is substance, which no figure reads: both would only cost time.
SCORED_HEADS = ("role", "topic", "crisis", "human")


@dataclass
class Explicit:
    """The explicit layer, loaded once."""

    roles: SelfIdentification
    crisis: SafetyPatterns
    human: HumanRequestPatterns

    @classmethod
    def load(cls) -> "Explicit":
        return cls(SelfIdentification.load(), SafetyPatterns.load(), load_human_request())


def readings(
    model: SentenceModel, texts: Sequence[str], explicit: Explicit, thresholds: Thresholds,
    normalised: Optional[Sequence[str]] = None, use_explicit: bool = True,
    intents: Optional[Sequence[Optional[str]]] = None,
) -> list[Reading]:
    """`intents`: each message's intent; here the labelled one stands in for the intent head's."""
    out = []
    intents = intents or [None] * len(texts)
    for text, scores, intent in zip(texts, model.predict(texts, normalised), intents):
        stated = explicit.roles.find(text) if use_explicit else None
        out.append(read(
            scores,
            stated.role if stated else None,
            use_explicit and explicit.crisis.category(text) is not None,
            use_explicit and explicit.human.matches(text),
            thresholds,
            intent,
            use_explicit and explicit.human.about_own_life(text),
        ))
    return out


def figures(examples: Sequence[LabelledText], found: Sequence[Reading]) -> dict[str, tuple[int, int]]:
    """(count, total) per figure."""
    out = {k: [0, 0] for k in FIGURES}
    for example, reading in zip(examples, found):
        for head in ("role", "topic"):
            expected = getattr(example, head)
            if expected not in (None, NONE):
                out[head][1] += 1
                out[head][0] += getattr(reading, head) == expected
        if example.crisis:
            out["crisis_recall"][1] += 1
            out["crisis_recall"][0] += reading.crisis
        else:
            out["crisis_false_alarms"][1] += 1
            out["crisis_false_alarms"][0] += reading.crisis
        if example.human:
            out["human_recall"][1] += 1
            out["human_recall"][0] += reading.human
    return {k: (c, t) for k, (c, t) in out.items()}


def add(a: dict, b: dict) -> dict:
    return {k: (a.get(k, (0, 0))[0] + b[k][0], a.get(k, (0, 0))[1] + b[k][1]) for k in b}


Split = tuple[list[int], list[int]]


def splits(examples: Sequence[LabelledText], folds: int, fraction: float = 1.0, seed: int = 2026) -> list[Split]:
    """(training, held-out) indices per fold, grouped by brief; `fraction` of each training fold is
    kept (learning curve), drawn the same way on every run."""
    groups = [e.brief for e in examples]
    rng = random.Random(seed)
    out = []
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(examples, groups=groups):
        train = list(train)
        if fraction < 1.0:
            train = rng.sample(train, max(1, int(len(train) * fraction)))
        out.append((train, list(test)))
    return out


def fold_figures(
    examples: Sequence[LabelledText], normalised: Sequence[str], split: Split, settings: ModelSettings,
    thresholds: Thresholds, explicit: Explicit, use_explicit: bool = True,
) -> dict[str, tuple[int, int]]:
    """Train on one fold's training side and read its held-out messages: (count, total) per figure.

    The labelled intent stands in for the intent head, which is left out (SCORED_HEADS): fitting it
    would double the time of `make eval` (budget 5 minutes). Its own cross-validated accuracy is in
    akan_nlu/sentence_classifier.py, and the sets scored through /model/parse use it.
    """
    train, test = split
    model = SentenceModel(settings).fit([examples[i] for i in train], [normalised[i] for i in train], heads=SCORED_HEADS)
    held = [examples[i] for i in test]
    found = readings(model, [e.text for e in held], explicit, thresholds, [normalised[i] for i in test], use_explicit,
                     [e.intent for e in held])
    return figures(held, found)


def cross_validate(
    examples: Sequence[LabelledText], settings: ModelSettings, thresholds: Thresholds, explicit: Explicit,
    folds: int = 5, fraction: float = 1.0, use_explicit: bool = True, seed: int = 2026,
    normalised: Optional[Sequence[str]] = None,
) -> dict[str, tuple[int, int]]:
    """Figures summed over the held-out folds, one fold after another (evaluation.fold_pool runs
    them in parallel processes)."""
    if normalised is None:
        normalised = [normalise(e.text, settings.normalisation) for e in examples]
    total: dict = {}
    for split in splits(examples, folds, fraction, seed):
        total = add(total, fold_figures(examples, normalised, split, settings, thresholds, explicit, use_explicit))
    return total


def percent(figure: tuple[int, int]) -> Optional[float]:
    count, total = figure
    return 100.0 * count / total if total else None
