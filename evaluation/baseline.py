"""TF-IDF + logistic-regression baseline trained on the project's own ``data/nlu``.

It answers "how much does the Rasa pipeline add over bag-of-n-grams on the same
data?"; a Rasa model that does not beat it points at the pipeline, one that the
baseline matches points at the data.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from akan_nlu.log_count_ratio import liblinear_regression
from akan_nlu.training_labels import LabelledText, TrainingLabelError, read_directory
from evaluation.scoring import Prediction

logger = logging.getLogger(__name__)

RANDOM_STATE = 1729
NO_LABEL = "none"
HEADS = ("intent", "role", "topic")


class TrainingDataError(ValueError):
    """The NLU training data cannot be used to train the baseline."""


@dataclass(frozen=True)
class TrainingExample:
    text: str
    intent: str
    role: str  # canonical value or NO_LABEL
    topic: str


def read_labelled(nlu_path: Path | str) -> list[LabelledText]:
    """The labelled messages of data/nlu (akan_nlu.training_labels.LabelledText), read once for
    the baseline and the cross-validation alike."""
    nlu_path = Path(nlu_path)
    if not nlu_path.exists():
        raise TrainingDataError(f"NLU training data not found: {nlu_path}")
    try:
        return read_directory(nlu_path)
    except (TrainingLabelError, OSError, ValueError) as exc:
        raise TrainingDataError(f"cannot load NLU training data from {nlu_path}: {exc}") from exc


def training_examples(labelled: Sequence[LabelledText], where: Path | str = "the training data") -> list[TrainingExample]:
    """The baseline's view of labelled messages: the labels in each intent block's metadata."""
    examples = [
        TrainingExample(text=e.text, intent=e.intent, role=e.role or NO_LABEL, topic=e.topic or NO_LABEL)
        for e in labelled
        if e.text
    ]
    if not examples:
        raise TrainingDataError(f"no intent examples in {where}")
    return examples


def load_training_examples(nlu_path: Path | str) -> list[TrainingExample]:
    """The labelled messages of data/nlu: the labels in each intent block's metadata."""
    return training_examples(read_labelled(nlu_path), nlu_path)


def _features() -> FeatureUnion:
    """Word 1–2 grams + char_wb 2–5 grams of the message as typed."""
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )


def _classifier(labels: Sequence[str]) -> Any:
    """A logistic regression (constant if one label)."""
    if len(set(labels)) < 2:
        # LogisticRegression refuses a single class; this happens while data is incomplete.
        return DummyClassifier(strategy="most_frequent")
    # C is fixed up front, never tuned on any evaluation set (that would leak it into the baseline).
    # liblinear, as the sentence model uses: the same learner without normalisation or the explicit
    # layer, so the difference is what the pipeline adds (and it trains in seconds, not minutes).
    return liblinear_regression(C=10.0, tol=1e-2, class_weight=None, random_state=RANDOM_STATE)


class Baseline:
    """Three independent classifiers on one set of features: intent, role (or none) and topic (or none)."""

    def __init__(self, examples: Sequence[TrainingExample]) -> None:
        if not examples:
            raise TrainingDataError("no training examples")
        texts = [e.text for e in examples]
        self._features = _features()
        matrix = self._features.fit_transform(texts)

        def fit(name: str) -> Any:
            labels = [getattr(e, name) for e in examples]
            return _classifier(labels).fit(matrix, labels)

        # liblinear releases the GIL: the three heads train side by side.
        with ThreadPoolExecutor(max_workers=len(HEADS)) as pool:
            self._models: dict[str, Any] = dict(zip(HEADS, pool.map(fit, HEADS)))
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
        matrix = self._features.transform(list(texts))
        intents, roles, topics = (self._models[name].predict(matrix) for name in HEADS)
        return [
            Prediction(intent=str(i), role=_none_if_unlabelled(r), topic=_none_if_unlabelled(t))
            for i, r, t in zip(intents, roles, topics)
        ]


def _none_if_unlabelled(label: Any) -> Optional[str]:
    return None if label == NO_LABEL else str(label)
