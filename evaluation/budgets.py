"""The understanding's budgets, measured while `make eval` runs (a benchmark, not a test):
`/model/parse` latency one message at a time, the Rasa process's resident memory, and how long
the last `make train` took. Prints figures next to the budgets; never fails a build."""
from __future__ import annotations

import json
import statistics
import time
import urllib.request
from pathlib import Path
from typing import Optional, Sequence

from bench.memory import tree_memory

PARSE_P95_MS = 25.0
RSS_MB = 900.0
TRAIN_SECONDS = 300.0


def parse_latencies_ms(url: str, token: Optional[str], texts: Sequence[str]) -> list[float]:
    """Each text parsed alone, one after another, as a single visitor's message would be."""
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    timings = []
    for text in texts:
        request = urllib.request.Request(
            f"{url}/model/parse",
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json", **auth},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int) -> Optional[float]:
    """Resident memory of a process and its children, in MB (None when it is gone)."""
    rss, _ = tree_memory(pid)
    return rss / 2**20 if rss else None


def _mark(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def report(url: str, token: Optional[str], texts: Sequence[str], rasa_pid: Optional[int], train_seconds_file: Path) -> dict:
    timings = parse_latencies_ms(url, token, texts)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    figures: dict = {"parse_ms_p50": round(p50, 1), "parse_ms_p95": round(p95, 1), "parses": len(timings)}
    print(f"== Budgets ({len(timings)} messages parsed one at a time)")
    print(f"/model/parse        p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   budget p95 ≤ {PARSE_P95_MS:.0f} ms   {_mark(p95 <= PARSE_P95_MS)}")
    memory = rss_mb(rasa_pid) if rasa_pid else None
    if memory is not None:
        figures["rasa_rss_mb"] = round(memory)
        print(f"Rasa process RSS    {memory:6.0f} MB                      budget ≤ {RSS_MB:.0f} MB       {_mark(memory <= RSS_MB)}")
    else:
        print("Rasa process RSS    not measured (no RASA_PID)")
    if train_seconds_file.exists():
        seconds = float(train_seconds_file.read_text().strip() or 0)
        figures["train_seconds"] = seconds
        print(f"last make train     {seconds:6.0f} s                       budget ≤ {TRAIN_SECONDS:.0f} s        {_mark(seconds <= TRAIN_SECONDS)}")
    else:
        print(f"last make train     not measured ({train_seconds_file} missing)")
    print()
    return figures
