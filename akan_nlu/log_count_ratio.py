"""Logistic regression on naive-Bayes-weighted features, and the mean of two regressions.

The weighting is NBSVM's (Wang and Manning, 2012, "Baselines and bigrams"): each feature is scaled
by the log-ratio of how often it occurs in positive and in negative examples, so a rare n-gram
that nearly always means "yes" ("pillene", "farvel", "ikke våkne") weighs more than the plain
regression, which shrinks every weight alike, lets it. The crisis, role and topic heads average
both: in grouped cross-validation the mean finds more crises at the same false-alarm rate, and
more roles and topics right, than either alone (docs/understanding.md).

Plain scikit-learn objects inside, so skops stores them like the rest of the sentence model.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import scipy.sparse
from scipy.special import expit
from sklearn.linear_model import LogisticRegression


def liblinear_regression(C: float, tol: float, class_weight: Optional[str], random_state: Optional[int]) -> LogisticRegression:
    """The project's sparse-text logistic regression: liblinear's dual problem (more features than
    examples) reaches the same weights about twice as fast as the primal."""
    return LogisticRegression(
        C=C, solver="liblinear", dual=True, class_weight=class_weight, max_iter=3000, tol=tol, random_state=random_state,
    )


def log_count_ratio(features, positive: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Each feature's smoothed log-ratio of its share among the positives against the rest.

    Only presence counts (a feature seen twice in one message counts once), as in NBSVM.
    """
    present = scipy.sparse.csr_matrix(features, dtype=np.float32, copy=True)
    present.data = (present.data > 0).astype(np.float32)
    p = alpha + np.asarray(present[positive].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[~positive].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def weighted_features(features, ratio: np.ndarray):
    """Each stored value times its column's ratio, used while fitting: the product with a diagonal
    matrix, without building one of 100,000 × 100,000. (Prediction folds the ratio into the weights.)"""
    weighted = scipy.sparse.csr_matrix(features, dtype=np.float32, copy=True)
    weighted.data *= ratio[weighted.indices]
    return weighted


class LogCountRatioRegression:
    """A classifier with `fit`, `predict_proba` and `classes_`, like scikit-learn's.

    Two classes: one ratio and one regression. More: one of each per class against the rest, and
    the probabilities of "this class" normalised to sum to one.
    """

    def __init__(self, C: float = 16.0, alpha: float = 1.0, tol: float = 1e-3, random_state: Optional[int] = None) -> None:
        self.C = C
        self.alpha = alpha
        self.tol = tol
        self.random_state = random_state

    def fit(self, features, labels: Sequence) -> "LogCountRatioRegression":
        labels = np.asarray(labels)
        classes = np.unique(labels)
        if len(classes) < 2:
            raise ValueError(f"two classes needed, got {len(classes)}")
        # Two classes need one "this class against the rest", the second class's.
        targets = classes[1:] if len(classes) == 2 else classes
        ratios = [log_count_ratio(features, labels == target, self.alpha) for target in targets]
        regressions = [
            liblinear_regression(self.C, self.tol, "balanced", self.random_state).fit(
                weighted_features(features, ratio), labels == target,
            )
            for target, ratio in zip(targets, ratios)
        ]
        # (x ⊙ ratio) · w = x · (ratio ⊙ w): one weight vector per class reads a message in one product.
        self.coef_ = np.vstack([ratio * r.coef_[0] for ratio, r in zip(ratios, regressions)]).astype(np.float32)
        self.intercept_ = np.array([r.intercept_[0] for r in regressions], dtype=np.float32)
        self.classes_ = classes
        return self

    def predict_proba(self, features) -> np.ndarray:
        decision = np.asarray(scipy.sparse.csr_matrix(features) @ self.coef_.T) + self.intercept_
        yes = expit(decision.astype(np.float64))  # as the regression's own predict_proba
        if len(self.classes_) == 2:
            return np.column_stack([1.0 - yes[:, 0], yes[:, 0]])
        return yes / yes.sum(axis=1, keepdims=True)


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
