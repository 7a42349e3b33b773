"""The cross-validation and learning-curve part of `make eval` (evaluation.cross_validation does the work).

`CrossValidationRun` submits every fold of every row to a pool of processes (evaluation.fold_pool)
as soon as it is entered, so the folds train while Rasa loads and the sets are scored; its
`print_figures` waits for them and prints the rows in order. A run left without asking for its
figures (an error elsewhere) stops its workers at once instead of waiting for them.
"""
from __future__ import annotations

import sys
import time
from multiprocessing.pool import AsyncResult
from typing import Any, Sequence

from akan_nlu.norwegian import normalise
from akan_nlu.reading import Thresholds
from akan_nlu.sentence_model import LabelledText, ModelSettings
from evaluation.cross_validation import FIGURES, percent, splits
from evaluation.fold_pool import FoldPool

# A quarter of each training fold, then all of it: whether four times the data still helps. (A
# point at half took `make eval` over its 5-minute budget once the role and topic heads averaged
# two regressions; on 39,169 messages it lay between the two: role 92.6, topic 88.8.)
CURVE = (0.25, 1.0)


def _row(label: str, result: dict) -> str:
    cells = []
    for key in FIGURES:
        value = percent(result[key])
        cells.append("   n/a" if value is None else f"{value:6.1f}")
    return f"  {label:<28}" + " ".join(cells)


class CrossValidationRun:
    """Grouped k-fold by brief over the labelled messages, and the score against training-set size.

    Rows: the learning curve's points (the last is the whole system) and, with `ablation`, the
    system without each component. The folds are submitted largest first (whole training folds
    before quarter ones), so the two workers finish close together.
    """

    def __init__(self, examples: Sequence[LabelledText], folds: int, ablation: bool = False) -> None:
        self._examples = examples
        self._folds = folds
        settings = ModelSettings()
        # (printed label, key in the figures returned, settings, fraction of each training fold, explicit layer used)
        self._rows = [
            (f"learning curve {int(fraction * 100)} % of folds" if fraction < 1 else "whole system", f"fraction_{fraction}",
             settings, fraction, True)
            for fraction in CURVE
        ]
        if ablation:
            self._rows += [
                ("without explicit layer", "without explicit layer", settings, 1.0, False),
                # The model ignores the normalised texts when it uses no normalised words.
                ("without normalised words", "without normalised words", ModelSettings(use_normalised_words=False), 1.0, True),
            ]
        self._pool: FoldPool | None = None
        self._results: dict[str, list[AsyncResult]] = {}
        self._started = 0.0
        self._printed = False

    def __enter__(self) -> "CrossValidationRun":
        self._started = time.monotonic()
        normalised = [normalise(e.text) for e in self._examples]
        self._pool = FoldPool(self._examples, normalised)
        thresholds = Thresholds()
        try:
            for _label, key, settings, fraction, use_explicit in sorted(self._rows, key=lambda row: -row[3]):
                self._results[key] = [
                    self._pool.submit(split, settings, thresholds, use_explicit)
                    for split in splits(self._examples, self._folds, fraction)
                ]
        except BaseException:
            self._pool.__exit__(*sys.exc_info())  # stops the workers: nobody will ask for these folds
            raise
        return self

    def print_figures(self) -> dict[str, Any]:
        """Waits for the folds, prints every row and returns the figures (a worker's error is raised here)."""
        assert self._pool is not None, "use CrossValidationRun as a context manager"
        print(f"== cross-validation on the training data: {len(self._examples)} examples, "
              f"{len({e.brief for e in self._examples})} briefs, "
              f"{self._folds} folds grouped by brief (a brief is never on both sides)")
        print(f"  {'':<28}" + " ".join(f"{k[:6]:>6}" for k in ("role", "topic", "crisis", "alarms", "human")))
        out: dict[str, Any] = {}
        for label, key, *_ in self._rows:
            result = self._pool.total(self._results[key])
            print(_row(label, result), flush=True)
            out[key] = {k: list(v) for k, v in result.items()}
        print(f"  (role/topic: accuracy where the message shows one; crisis: recall; alarms: false-alarm rate; "
              f"human: recall; {time.monotonic() - self._started:.0f} s since the folds were submitted)")
        print()
        self._printed = True
        return out

    def __exit__(self, *exc_info) -> None:
        # Figures never asked for: an error elsewhere ended the evaluation, so nobody waits for them.
        if self._pool is not None:
            if not self._printed:
                self._pool.abandon()
            self._pool.__exit__(*exc_info)
            self._pool = None

