"""Learned sentence-level readings of a message: intent, role, topic, substance, crisis, human request.

One set of features for every head: character n-grams of the message as typed (they carry
typos, inflections and other Scandinavian languages) and word n-grams of its Norwegian
normalisation (akan_nlu.norwegian: lemmas, æøå restored, compound parts). Each head is a
logistic regression; its probabilities are what the explicit layer and the thresholds work
with. `role`, `topic` and `substance` have a "none" class, so "no role shown" is learned too.
The intent head gives Rasa its intent and ranking (akan_nlu.sentence_classifier).

Pure scikit-learn, no Rasa: the Rasa component (akan_nlu.sentence_classifier) and the
cross-validation in `make eval` train and ask the same model.
"""
from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from akan_contract.taxonomy import ROLES, SUBSTANCES, TOPICS
from akan_nlu.log_count_ratio import LogCountRatioRegression, MeanOfClassifiers, liblinear_regression
from akan_nlu.norwegian import ALL_STEPS, Normalisation, fold, normalise

NONE = "none"
LABEL_HEADS: dict[str, tuple[str, ...]] = {"role": ROLES, "topic": TOPICS, "substance": SUBSTANCES}
FLAG_HEADS = ("crisis", "human")
INTENT_HEAD = "intent"
HEADS = (*LABEL_HEADS, *FLAG_HEADS, INTENT_HEAD)
# One thread per head, more than the cores: the heads take very different times (topic and role
# with their weighted regressions longest), and liblinear and lbfgs release the GIL, so every core
# stays busy to the end (on 2 cores: 146 s instead of 167 s with one thread per core).
FIT_THREADS = len(HEADS)


@dataclass(frozen=True)
class LabelledText:
    """A training message with its sentence-level labels (None = not shown)."""

    text: str
    intent: Optional[str] = None
    role: Optional[str] = None
    topic: Optional[str] = None
    substance: Optional[str] = None
    crisis: bool = False
    human: bool = False
    brief: str = "unknown"

    def label(self, head: str) -> str:
        value = getattr(self, head)
        if head in FLAG_HEADS:
            return "yes" if value else "no"
        return value or NONE


@dataclass(frozen=True)
class Scores:
    """One message's probabilities: a distribution per label head, P(yes) per flag head."""

    labels: Mapping[str, Mapping[str, float]]
    flags: Mapping[str, float]

    def best(self, head: str) -> tuple[Optional[str], float]:
        """The most probable value of a label head (None when "none" wins) and its probability."""
        value, probability = max(self.labels[head].items(), key=lambda kv: kv[1])
        return (None if value == NONE else value), probability

    def as_dict(self) -> dict:
        return {"labels": {h: dict(d) for h, d in self.labels.items()}, "flags": dict(self.flags)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Scores":
        return cls(labels=data["labels"], flags=data["flags"])


@dataclass
class ModelSettings:
    """Settings that grouped cross-validation chose (docs/understanding.md); never chosen by the sealed set."""

    C: float = 8.0
    # The crisis head alone is less regularised: at the same false-alarm rate, grouped
    # cross-validation finds more crises with C 32 than with 8 (at 2 %: 94.7 against 94.1 %);
    # 64 and 128 add nothing more.
    crisis_C: float = 32.0
    # These heads average their regression with one on naive-Bayes-weighted features
    # (akan_nlu.log_count_ratio), with this C. Grouped CV: on 37,402 messages 96.5 instead of 95.5 %
    # of crises at ≤ 2.3 % false alarms (C 1: 96.0, 4: 96.1, 8: 96.3, 16: 96.5); on 39,169, role and
    # topic right more often (docs/understanding.md). Empty: the plain regressions alone.
    weighted_C: Mapping[str, float] = field(default_factory=lambda: {"crisis": 16.0, "role": 8.0, "topic": 8.0})
    # The intent head is one multinomial regression with balanced classes, so the rare intents
    # (greetings, thanks, questions about the bot) are not drowned by ask_advice; lbfgs, 100
    # iterations: grouped CV gave 94.1 % intent accuracy in 35 s; C 30 with 300 iterations 94.5 % in 74 s
    # but fewer small-talk intents right (66.2 against 67.4 %).
    intent_C: float = 10.0
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    max_char_features: int = 60_000
    # Word n-grams seen in one message only are dropped: cross-validation is the same within 0.2
    # points, the vocabulary is 60 % smaller and a Rasa process about 40 MB lighter.
    word_min_df: int = 2
    normalisation: Normalisation = field(default_factory=lambda: ALL_STEPS)
    use_normalised_words: bool = True
    random_state: int = 2026


class SentenceModel:
    """TF-IDF features and one logistic regression per head."""

    def __init__(self, settings: Optional[ModelSettings] = None) -> None:
        self.settings = settings or ModelSettings()
        self._char: Optional[TfidfVectorizer] = None
        self._word: Optional[TfidfVectorizer] = None
        self._heads: dict[str, LogisticRegression | str] = {}

    # --- features -------------------------------------------------------------------
    def _C_for(self, head: str) -> float:
        return self.settings.crisis_C if head == "crisis" else self.settings.C

    def _views(self, texts: Sequence[str], normalised: Optional[Sequence[str]]) -> tuple[list[str], list[str]]:
        folded = [fold(t) for t in texts]
        if normalised is None:
            normalised = [normalise(t, self.settings.normalisation) for t in texts]
        return folded, list(normalised)

    def _features(self, folded: Sequence[str], normalised: Sequence[str]) -> scipy.sparse.csr_matrix:
        parts = [self._char.transform(folded)]
        if self._word is not None:
            parts.append(self._word.transform(normalised))
        return scipy.sparse.hstack(parts, format="csr")

    # --- training ---------------------------------------------------------------------
    def fit(
        self, examples: Sequence[LabelledText], normalised: Optional[Sequence[str]] = None,
        heads: Sequence[str] = HEADS,
    ) -> "SentenceModel":
        """Fits the given heads (both flag heads always); the scores of a model without a label head
        or the intent head have no distribution for it."""
        unknown = set(heads) - set(HEADS)
        if unknown:
            raise ValueError(f"unknown heads: {sorted(unknown)}")
        if not examples:
            raise ValueError("no training examples")
        s = self.settings
        folded, norm = self._views([e.text for e in examples], normalised)
        self._char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=s.char_ngrams, sublinear_tf=True, min_df=2,
            max_features=s.max_char_features, dtype=np.float32,
        ).fit(folded)
        self._word = (
            TfidfVectorizer(
                analyzer="word", ngram_range=s.word_ngrams, sublinear_tf=True, min_df=s.word_min_df,
                token_pattern=r"(?u)\b\w+\b", dtype=np.float32,
            ).fit(norm)
            if s.use_normalised_words
            else None
        )
        # With max_features, scikit-learn keeps the vocabulary's indices as numpy integers and the
        # cut terms in stop_words_: skops then writes one file per index (minutes for 60,000), and
        # the cut terms are never used. Plain ints, and no cut terms, save the same model in seconds.
        # (The word vectoriser's min_df cuts too: 54,000 unused terms, a quarter of the file.)
        self._char.vocabulary_ = {term: int(index) for term, index in self._char.vocabulary_.items()}
        self._char.stop_words_ = None
        if self._word is not None:
            self._word.stop_words_ = None
        features = self._features(folded, norm)
        # The heads are independent and fitted at once (FIT_THREADS).
        order = tuple(head for head in HEADS if head in heads or head in FLAG_HEADS)
        # The intent head stops at 100 iterations on purpose (ModelSettings.intent_C): its lbfgs
        # warning says only that. (The filter is process-wide while fitting, so it is set here.)
        with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=FIT_THREADS) as pool:
            warnings.filterwarnings("ignore", message="lbfgs failed to converge", category=ConvergenceWarning)
            fitted = dict(zip(order, pool.map(lambda head: self._fit_head(head, examples, features), order)))
        self._heads = {head: fitted[head] for head in HEADS if head in fitted}
        return self

    def _fit_head(self, head: str, examples: Sequence[LabelledText], features) -> "LogisticRegression | MeanOfClassifiers | str":
        # A label head learns from the examples whose writer labelled it (None = unlabelled).
        rows = [i for i, e in enumerate(examples) if head in FLAG_HEADS or getattr(e, head) is not None]
        labels = [examples[i].label(head) for i in rows]
        if not labels:
            return NONE
        if len(set(labels)) < 2:
            return labels[0]  # one class only: always that one
        if head == INTENT_HEAD:
            model = LogisticRegression(
                C=self.settings.intent_C, max_iter=100, class_weight="balanced", random_state=self.settings.random_state,
            )
        else:
            # The label heads stop at tolerance 0.01, the flag heads at 0.001: grouped CV on 39,169
            # messages gives the same role and topic figures either way in two thirds of the time.
            tol = 1e-3 if head in FLAG_HEADS else 1e-2
            model = liblinear_regression(
                self._C_for(head), tol, "balanced" if head in FLAG_HEADS else None, self.settings.random_state,
            )
            if head in self.settings.weighted_C:
                weighted = LogCountRatioRegression(
                    C=self.settings.weighted_C[head], tol=tol, random_state=self.settings.random_state,
                )
                model = MeanOfClassifiers([model, weighted])
        return model.fit(features[rows], labels)

    # --- prediction ---------------------------------------------------------------------
    def predict(self, texts: Sequence[str], normalised: Optional[Sequence[str]] = None) -> list[Scores]:
        if not self._heads:
            raise RuntimeError("the sentence model is not trained")
        if not texts:
            return []
        folded, norm = self._views(texts, normalised)
        features = self._features(folded, norm)
        per_head = {head: self._probabilities(head, features) for head in self._heads}
        out = []
        for row in range(len(texts)):
            labels = {head: per_head[head][row] for head in (*LABEL_HEADS, INTENT_HEAD) if head in per_head}
            flags = {head: per_head[head][row].get("yes", 0.0) for head in FLAG_HEADS}
            out.append(Scores(labels=labels, flags=flags))
        return out

    def _probabilities(self, head: str, features) -> list[dict[str, float]]:
        model = self._heads[head]
        if isinstance(model, str):
            return [{model: 1.0} for _ in range(features.shape[0])]
        probabilities = model.predict_proba(features)
        classes = [str(c) for c in model.classes_]
        return [dict(zip(classes, map(float, row))) for row in probabilities]


def labelled_texts(rows: Iterable[Mapping]) -> list[LabelledText]:
    """Build training examples from mappings with the LabelledText field names."""
    return [LabelledText(**{k: v for k, v in row.items() if k in LabelledText.__dataclass_fields__}) for row in rows]
