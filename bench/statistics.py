"""Summaries of measured latencies: percentiles, rates and error counts."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between ranks; NaN when empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {q}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


@dataclass(frozen=True)
class Summary:
    """Latencies in milliseconds; rate in answered messages per second."""

    messages: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float
    rate: float

    def as_dict(self) -> dict:
        return {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in asdict(self).items()}


def summarise(latencies_s: Sequence[float], errors: int, seconds: float) -> Summary:
    """Summarise the answered messages' latencies (seconds) over a phase lasting `seconds`."""
    ms = [value * 1000 for value in latencies_s]
    return Summary(
        messages=len(ms),
        errors=errors,
        seconds=seconds,
        p50=percentile(ms, 50),
        p95=percentile(ms, 95),
        p99=percentile(ms, 99),
        rate=len(ms) / seconds if seconds > 0 else math.nan,
    )


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN when either is missing or the denominator is 0."""
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return math.nan
    return numerator / denominator
