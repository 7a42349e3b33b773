"""The folds of the cross-validation in parallel processes, so `make eval` keeps every core busy.

One fold first builds its TF-IDF vocabularies on one core (about 15 s on 29,000 messages), then
fits its heads on every core. Two folds at once overlap one's vocabularies with the other's heads.
Each worker process gets the labelled messages and their normalisations once, when it starts, and
loads the explicit layer itself; a fold's job is its indices and settings. Workers are spawned, not
forked: the parent may have threads running (the baseline trains in one).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Optional, Sequence

from akan_nlu.reading import Thresholds
from akan_nlu.sentence_model import LabelledText, ModelSettings
from evaluation.cross_validation import Explicit, Split, add, fold_figures

# A worker's share: set once per process by `_share`.
_shared: dict = {}


def _share(examples: Sequence[LabelledText], normalised: Sequence[str]) -> None:
    _shared.update(examples=examples, normalised=normalised, explicit=Explicit.load())


def _fold(split: Split, settings: ModelSettings, thresholds: Thresholds, use_explicit: bool) -> dict[str, tuple[int, int]]:
    return fold_figures(_shared["examples"], _shared["normalised"], split, settings, thresholds, _shared["explicit"], use_explicit)


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class FoldPool:
    """Runs folds in `processes` worker processes (default: one per usable core)."""

    def __init__(self, examples: Sequence[LabelledText], normalised: Sequence[str], processes: Optional[int] = None) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=processes or usable_cores(), mp_context=multiprocessing.get_context("spawn"),
            initializer=_share, initargs=(list(examples), list(normalised)),
        )

    def submit(self, split: Split, settings: ModelSettings, thresholds: Thresholds, use_explicit: bool = True) -> "Future[dict]":
        return self._executor.submit(_fold, split, settings, thresholds, use_explicit)

    @staticmethod
    def total(futures: Sequence["Future[dict]"]) -> dict[str, tuple[int, int]]:
        """The folds' figures summed (waits for them; a worker's error is raised here)."""
        out: dict = {}
        for future in futures:
            out = add(out, future.result())
        return out

    def __enter__(self) -> "FoldPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
