"""The cross-validation and learning-curve part of `make eval` (evaluation.cross_validation does the work)."""
from __future__ import annotations

import time
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


def print_cross_validation(examples: Sequence[LabelledText], folds: int, ablation: bool = False) -> dict[str, Any]:
    """Grouped k-fold by brief over the labelled messages, and the score against training-set size;
    returns the figures. Every fold of every row is submitted at once to a pool of processes
    (evaluation.fold_pool); the rows print in order as they complete."""
    started = time.monotonic()
    settings, thresholds = ModelSettings(), Thresholds()
    normalised = [normalise(e.text) for e in examples]
    print(f"== cross-validation on the training data: {len(examples)} examples, {len({e.brief for e in examples})} briefs, "
          f"{folds} folds grouped by brief (a brief is never on both sides)")
    print(f"  {'':<28}" + " ".join(f"{k[:6]:>6}" for k in ("role", "topic", "crisis", "alarms", "human")))
    # (printed label, key in the figures returned, settings, fraction of each training fold, explicit layer used)
    rows = [
        (f"learning curve {int(fraction * 100)} % of folds" if fraction < 1 else "whole system", f"fraction_{fraction}",
         settings, fraction, True)
        for fraction in CURVE
    ]
    if ablation:
        rows += [
            ("without explicit layer", "without explicit layer", settings, 1.0, False),
            # The model ignores the normalised texts when it uses no normalised words.
            ("without normalised words", "without normalised words", ModelSettings(use_normalised_words=False), 1.0, True),
        ]
    out: dict[str, Any] = {}
    with FoldPool(examples, normalised) as pool:
        pending = [
            (label, key, [pool.submit(split, row_settings, thresholds, use_explicit) for split in splits(examples, folds, fraction)])
            for label, key, row_settings, fraction, use_explicit in rows
        ]
        for label, key, futures in pending:
            result = pool.total(futures)
            print(_row(label, result), flush=True)
            out[key] = {k: list(v) for k, v in result.items()}
    print(f"  (role/topic: accuracy where the message shows one; crisis: recall; alarms: false-alarm rate; "
          f"human: recall; {time.monotonic() - started:.0f} s)")
    return out
