"""Logistic regression on naive-Bayes-weighted features, and the mean of two regressions.

The weighting is NBSVM's (Wang and Manning, 2012, "Baselines and bigrams"): each feature is scaled
by the log-ratio of how often it occurs in positive and in negative examples, so a rare n-gram
that nearly always means "yes" ("pillene", "farvel", "ikke våkne") weighs more than the plain
regression, which shrinks every weight alike, lets it. The crisis head averages both: in grouped
cross-validation the mean finds more crises at the same false-alarm rate than either alone
(docs/understanding.md).

Plain scikit-learn objects inside, so skops stores them like the rest of the sentence model.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import scipy.sparse
from sklearn.linear_model import LogisticRegression


class LogCountRatioRegression:
    """A binary classifier with `fit`, `predict_proba` and `classes_`, like scikit-learn's."""

    def __init__(self, C: float = 16.0, alpha: float = 1.0, random_state: Optional[int] = None) -> None:
        self.C = C
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, features, labels: Sequence) -> "LogCountRatioRegression":
        labels = np.asarray(labels)
        classes = np.unique(labels)
        if len(classes) != 2:
            raise ValueError(f"two classes needed, got {len(classes)}")
        positive = labels == classes[1]
        present = scipy.sparse.csr_matrix(features, dtype=np.float32)
        present.data = (present.data > 0).astype(np.float32)
        # Smoothed share of each feature among the positives and among the negatives.
        p = self.alpha + np.asarray(present[positive].sum(axis=0)).ravel()
        q = self.alpha + np.asarray(present[~positive].sum(axis=0)).ravel()
        self.ratio_ = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        # The dual problem (more features than examples) is the faster one, as for the other heads.
        self.regression_ = LogisticRegression(
            C=self.C, solver="liblinear", dual=True, class_weight="balanced", max_iter=3000, tol=1e-3,
            random_state=self.random_state,
        ).fit(self._weighted(features), labels)
        self.classes_ = self.regression_.classes_
        return self

    def _weighted(self, features):
        # Each stored value times its column's ratio: the product with a diagonal matrix, without
        # building one of 100,000 × 100,000 for every message parsed.
        weighted = scipy.sparse.csr_matrix(features, dtype=np.float32, copy=True)
        weighted.data *= self.ratio_[weighted.indices]
        return weighted

    def predict_proba(self, features) -> np.ndarray:
        return self.regression_.predict_proba(self._weighted(features))


class MeanOfClassifiers:
    """The mean of the probabilities of classifiers fitted on the same labels."""

    def __init__(self, members: Sequence) -> None:
        if not members:
            raise ValueError("no classifiers to average")
        self.members = list(members)

    def fit(self, features, labels: Sequence) -> "MeanOfClassifiers":
        for member in self.members:
            member.fit(features, labels)
        self.classes_ = self.members[0].classes_
        for member in self.members[1:]:
            if list(member.classes_) != list(self.classes_):
                raise ValueError("the classifiers learned different classes")
        return self

    def predict_proba(self, features) -> np.ndarray:
        return np.mean([member.predict_proba(features) for member in self.members], axis=0)
