"""The naive-Bayes-weighted regression and the mean the crisis head takes."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import LogisticRegression

from akan_nlu.log_count_ratio import LogCountRatioRegression, MeanOfClassifiers, log_count_ratio, weighted_features

# Feature 0 only in positives, feature 1 only in negatives, feature 2 everywhere.
FEATURES = scipy.sparse.csr_matrix(np.array([
    [1, 0, 1], [1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 1], [0, 1, 0], [0, 0, 1], [0, 1, 1],
], dtype=np.float32))
LABELS = ["yes", "yes", "yes", "no", "no", "no", "no", "no"]


def test_the_ratio_weighs_telling_features_and_not_common_ones():
    ratio = log_count_ratio(FEATURES, np.asarray(LABELS) == "yes")
    assert ratio[0] > 0 > ratio[1]
    assert abs(ratio[2]) < ratio[0]
    model = LogCountRatioRegression(C=4.0).fit(FEATURES, LABELS)
    assert list(model.classes_) == ["no", "yes"]
    probabilities = model.predict_proba(scipy.sparse.csr_matrix(np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32)))
    assert probabilities.shape == (2, 2)
    assert probabilities[0, 1] > 0.5 > probabilities[1, 1]
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_presence_counts_not_frequency():
    twice = scipy.sparse.csr_matrix(FEATURES.toarray() * 2)
    assert np.allclose(log_count_ratio(twice, np.asarray(LABELS) == "yes"), log_count_ratio(FEATURES, np.asarray(LABELS) == "yes"))


def test_two_classes_are_needed():
    with pytest.raises(ValueError, match="two classes"):
        LogCountRatioRegression().fit(FEATURES, ["yes"] * 8)


def test_more_classes_are_each_weighed_against_the_rest():
    # Feature 0 means "leder", feature 1 "kollega", feature 2 "none".
    labels = ["leder", "leder", "leder", "kollega", "kollega", "kollega", "none", "kollega"]
    features = scipy.sparse.csr_matrix(np.array([
        [1, 0, 0], [1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 1, 0],
    ], dtype=np.float32))
    model = LogCountRatioRegression(C=4.0).fit(features, labels)
    assert list(model.classes_) == ["kollega", "leder", "none"]
    assert model.coef_.shape == (3, 3)  # one weight vector per class against the rest
    probabilities = model.predict_proba(scipy.sparse.csr_matrix(np.eye(3, dtype=np.float32)))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert [model.classes_[i] for i in probabilities.argmax(axis=1)] == ["leder", "kollega", "none"]


def test_the_mean_averages_the_members_probabilities():
    plain = LogisticRegression(C=1.0)
    weighted = LogCountRatioRegression(C=4.0)
    mean = MeanOfClassifiers([plain, weighted]).fit(FEATURES, LABELS)
    expected = (plain.predict_proba(FEATURES) + weighted.predict_proba(FEATURES)) / 2
    assert np.allclose(mean.predict_proba(FEATURES), expected)
    assert list(mean.classes_) == ["no", "yes"]
    with pytest.raises(ValueError):
        MeanOfClassifiers([])


def test_folded_weights_read_as_the_regression_on_weighted_features_does():
    """predict_proba multiplies by ratio ⊙ weights once instead of weighting each message first."""
    model = LogCountRatioRegression(C=4.0, random_state=7).fit(FEATURES, LABELS)
    ratio = log_count_ratio(FEATURES, np.asarray(LABELS) == "yes")
    regression = LogisticRegression(
        C=4.0, solver="liblinear", dual=True, class_weight="balanced", max_iter=3000, tol=1e-3, random_state=7,
    ).fit(weighted_features(FEATURES, ratio), np.asarray(LABELS) == "yes")
    expected = regression.predict_proba(weighted_features(FEATURES, ratio))
    assert np.allclose(model.predict_proba(FEATURES), expected, atol=1e-6)
