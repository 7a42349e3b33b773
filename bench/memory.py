"""Peak resident memory of the stack's processes, each with its children, sampled
in the background while the load runs: RSS (what the targets name) and, for the
whole stack, PSS, which splits pages shared between processes (TensorFlow's
libraries in every Rasa replica, PostgreSQL's shared buffers in every backend)
instead of counting them once per process."""
from __future__ import annotations

import asyncio
from typing import Mapping

import psutil


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants ((0, 0) if it is gone)."""
    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    rss = pss = 0
    for process in family:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


class MemorySampler:
    """Samples every `interval` seconds; keeps each process's peak and the peak of the sum."""

    def __init__(self, pids: Mapping[str, int], interval: float = 1.0) -> None:
        self.pids = dict(pids)
        self.interval = interval
        self.peaks: dict[str, int] = {name: 0 for name in self.pids}
        self.total_peak = 0
        self.total_pss_peak = 0
        self._task: asyncio.Task | None = None

    def sample(self) -> None:
        current = {name: tree_memory(pid) for name, pid in self.pids.items()}
        for name, (rss, _) in current.items():
            self.peaks[name] = max(self.peaks[name], rss)
        self.total_peak = max(self.total_peak, sum(rss for rss, _ in current.values()))
        self.total_pss_peak = max(self.total_pss_peak, sum(pss for _, pss in current.values()))

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    async def __aenter__(self) -> "MemorySampler":
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self.sample()
