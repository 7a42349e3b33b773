"""TF-IDF + logistic-regression baseline trained on the project's own ``data/nlu``.

It answers "how much does the Rasa pipeline add over bag-of-n-grams on the same
data?"; a Rasa model that does not beat it points at the pipeline, one that the
baseline matches points at the data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from evaluation.scoring import Prediction

logger = logging.getLogger(__name__)

RANDOM_STATE = 1729
NO_LABEL = "none"


class TrainingDataError(ValueError):
    """The NLU training data cannot be used to train the baseline."""


@dataclass(frozen=True)
class TrainingExample:
    text: str
    intent: str
    role: str  # canonical value or NO_LABEL
    topic: str


def _first_entity_value(entities: Sequence[dict[str, Any]], name: str, synonyms: dict[str, str]) -> str:
    """Value of the first ``name`` entity, mapped like Rasa's EntitySynonymMapper (lower-cased key)."""
    for entity in sorted(entities, key=lambda e: e.get("start", 0)):
        if entity.get("entity") == name and entity.get("value") is not None:
            value = str(entity["value"])
            return synonyms.get(value.lower(), value)
    return NO_LABEL


def load_training_examples(nlu_path: Path | str) -> list[TrainingExample]:
    """Read NLU data with Rasa's own loader so annotation syntax and synonyms mean what they mean to Rasa."""
    # Imported here: Rasa is slow to import and only this step needs it.
    from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    nlu_path = Path(nlu_path)
    if not nlu_path.exists():
        raise TrainingDataError(f"NLU training data not found: {nlu_path}")
    try:
        data = load_data(str(nlu_path))
    except Exception as exc:  # Rasa raises a variety of types for malformed files.
        raise TrainingDataError(f"cannot load NLU training data from {nlu_path}: {exc}") from exc
    synonyms = {str(k).lower(): str(v) for k, v in data.entity_synonyms.items()}
    examples = [
        TrainingExample(
            text=message.get(TEXT),
            intent=message.get(INTENT),
            role=_first_entity_value(message.get(ENTITIES) or [], "role", synonyms),
            topic=_first_entity_value(message.get(ENTITIES) or [], "topic", synonyms),
        )
        for message in data.intent_examples
        if message.get(TEXT)
    ]
    if not examples:
        raise TrainingDataError(f"no intent examples in {nlu_path}")
    return examples


def _classifier(labels: Sequence[str]) -> Pipeline:
    """Word 1–2 grams + char_wb 2–5 grams into a logistic regression (constant if one label)."""
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )
    if len(set(labels)) < 2:
        # LogisticRegression refuses a single class; this happens while data is incomplete.
        model: Any = DummyClassifier(strategy="most_frequent")
    else:
        # C is fixed up front, never tuned on the dev set (that would leak it into the baseline).
        model = LogisticRegression(C=10.0, max_iter=5000, random_state=RANDOM_STATE)
    return Pipeline([("features", features), ("model", model)])


class Baseline:
    """Three independent classifiers: intent, role (or none) and topic (or none)."""

    def __init__(self, examples: Sequence[TrainingExample]) -> None:
        if not examples:
            raise TrainingDataError("no training examples")
        texts = [e.text for e in examples]
        self._models: dict[str, Pipeline] = {}
        for name in ("intent", "role", "topic"):
            labels = [getattr(e, name) for e in examples]
            self._models[name] = _classifier(labels).fit(texts, labels)
        logger.info(
            "baseline trained: %d examples, %d intents",
            len(examples),
            len({e.intent for e in examples}),
        )

    @classmethod
    def from_nlu(cls, nlu_path: Path | str) -> "Baseline":
        return cls(load_training_examples(nlu_path))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        intents = self._models["intent"].predict(list(texts))
        roles = self._models["role"].predict(list(texts))
        topics = self._models["topic"].predict(list(texts))
        return [
            Prediction(intent=str(i), role=_none_if_unlabelled(r), topic=_none_if_unlabelled(t))
            for i, r, t in zip(intents, roles, topics)
        ]


def _none_if_unlabelled(label: Any) -> Optional[str]:
    return None if label == NO_LABEL else str(label)
