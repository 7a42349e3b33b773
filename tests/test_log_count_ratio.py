"""The naive-Bayes-weighted regression and the mean the crisis head takes."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import LogisticRegression

from akan_nlu.log_count_ratio import LogCountRatioRegression, MeanOfClassifiers

# Feature 0 only in positives, feature 1 only in negatives, feature 2 everywhere.
FEATURES = scipy.sparse.csr_matrix(np.array([
    [1, 0, 1], [1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 1], [0, 1, 0], [0, 0, 1], [0, 1, 1],
], dtype=np.float32))
LABELS = ["yes", "yes", "yes", "no", "no", "no", "no", "no"]


def test_the_ratio_weighs_telling_features_and_not_common_ones():
    model = LogCountRatioRegression(C=4.0).fit(FEATURES, LABELS)
    assert model.ratio_[0] > 0 > model.ratio_[1]
    assert abs(model.ratio_[2]) < model.ratio_[0]
    assert list(model.classes_) == ["no", "yes"]
    probabilities = model.predict_proba(scipy.sparse.csr_matrix(np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32)))
    assert probabilities.shape == (2, 2)
    assert probabilities[0, 1] > 0.5 > probabilities[1, 1]
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_two_classes_are_needed():
    with pytest.raises(ValueError, match="two classes"):
        LogCountRatioRegression().fit(FEATURES, ["yes"] * 8)


def test_the_mean_averages_the_members_probabilities():
    plain = LogisticRegression(C=1.0)
    weighted = LogCountRatioRegression(C=4.0)
    mean = MeanOfClassifiers([plain, weighted]).fit(FEATURES, LABELS)
    expected = (plain.predict_proba(FEATURES) + weighted.predict_proba(FEATURES)) / 2
    assert np.allclose(mean.predict_proba(FEATURES), expected)
    assert list(mean.classes_) == ["no", "yes"]
    with pytest.raises(ValueError):
        MeanOfClassifiers([])
