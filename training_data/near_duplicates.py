"""Near-duplicate texts: the same message with other punctuation, case, a name or a word changed.

Texts are compared as TF-IDF vectors of character 3–5-grams of their words; a cosine similarity
at or above the threshold makes a pair near-duplicates. Used to keep the training data free of
twins (which inflate cross-validation) and of anything close to an evaluation set (a leak).
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

THRESHOLD = 0.85
_CHUNK = 2000


def canonical(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _vectors(fitted_on: Sequence[str], *texts: Sequence[str]):
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vectoriser.fit([canonical(t) for t in fitted_on])
    return [vectoriser.transform([canonical(t) for t in batch]) for batch in texts]


def pairs_across(texts: Sequence[str], others: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for each text i whose nearest text j in `others` is at least `threshold` alike."""
    if not texts or not others:
        return []
    a, b = _vectors([*texts, *others], texts, others)
    found = []
    for start in range(0, a.shape[0], _CHUNK):
        sims = (a[start : start + _CHUNK] @ b.T).toarray()
        best = sims.argmax(axis=1)
        for row, j in enumerate(best):
            if sims[row, j] >= threshold:
                found.append((start + row, int(j), float(sims[row, j])))
    return found


def duplicates_within(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(later, earlier, similarity): each text that nearly repeats an earlier one in the list."""
    if not texts:
        return []
    (a,) = _vectors(texts, texts)
    found = []
    for start in range(0, a.shape[0], _CHUNK):
        sims = (a[start : start + _CHUNK] @ a.T).toarray()
        for row in range(sims.shape[0]):
            i = start + row
            sims[row, i:] = 0.0  # only earlier texts count
            j = int(np.argmax(sims[row])) if i else 0
            if i and sims[row, j] >= threshold:
                found.append((i, j, float(sims[row, j])))
    return found
