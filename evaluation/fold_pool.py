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
from multiprocessing.pool import AsyncResult
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
    """Runs folds in `processes` worker processes (default: one per usable core), in the order submitted.

    Leaving the block waits for every fold; `abandon()` first stops the workers instead, with
    whatever folds they were running.
    """

    def __init__(self, examples: Sequence[LabelledText], normalised: Sequence[str], processes: Optional[int] = None) -> None:
        self._pool = multiprocessing.get_context("spawn").Pool(
            processes=processes or usable_cores(), initializer=_share, initargs=(list(examples), list(normalised)),
        )
        self._abandoned = False

    def submit(self, split: Split, settings: ModelSettings, thresholds: Thresholds, use_explicit: bool = True) -> AsyncResult:
        return self._pool.apply_async(_fold, (split, settings, thresholds, use_explicit))

    @staticmethod
    def total(results: Sequence[AsyncResult]) -> dict[str, tuple[int, int]]:
        """The folds' figures summed (waits for them; a worker's error is raised here)."""
        out: dict = {}
        for result in results:
            out = add(out, result.get())
        return out

    def abandon(self) -> None:
        """Stops the workers now; folds not finished are lost."""
        self._abandoned = True
        self._pool.terminate()

    def __enter__(self) -> "FoldPool":
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is not None and not self._abandoned:
            self.abandon()
        if not self._abandoned:
            self._pool.close()
        self._pool.join()
