"""The cross-validation and learning-curve part of `make eval` (evaluation.cross_validation does the work)."""
from __future__ import annotations

import time
from typing import Any, Sequence

from akan_nlu.norwegian import normalise
from akan_nlu.reading import Thresholds
from akan_nlu.sentence_model import LabelledText, ModelSettings
from evaluation.cross_validation import FIGURES, Explicit, cross_validate, percent

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
    returns the figures."""
    started = time.monotonic()
    settings, thresholds, explicit = ModelSettings(), Thresholds(), Explicit.load()
    normalised = [normalise(e.text) for e in examples]
    print(f"== cross-validation on the training data: {len(examples)} examples, {len({e.brief for e in examples})} briefs, "
          f"{folds} folds grouped by brief (a brief is never on both sides)")
    print(f"  {'':<28}" + " ".join(f"{k[:6]:>6}" for k in ("role", "topic", "crisis", "alarms", "human")))
    out: dict[str, Any] = {}
    for fraction in CURVE:
        result = cross_validate(examples, settings, thresholds, explicit, folds=folds, fraction=fraction, normalised=normalised)
        label = f"learning curve {int(fraction * 100)} % of folds" if fraction < 1 else "whole system"
        print(_row(label, result))
        out[f"fraction_{fraction}"] = {k: list(v) for k, v in result.items()}
    ablations = {} if not ablation else {
        "without explicit layer": dict(use_explicit=False),
        "without normalised words": dict(settings=ModelSettings(use_normalised_words=False)),
    }
    for label, change in ablations.items():
        kwargs = {"settings": settings, "use_explicit": True, **change}
        result = cross_validate(examples, kwargs["settings"], thresholds, explicit, folds=folds,
                                use_explicit=kwargs["use_explicit"],
                                normalised=normalised if kwargs["settings"].use_normalised_words else None)
        print(_row(label, result))
        out[label] = {k: list(v) for k, v in result.items()}
    print(f"  (role/topic: accuracy where the message shows one; crisis: recall; alarms: false-alarm rate; "
          f"human: recall; {time.monotonic() - started:.0f} s)")
    return out
