"""The benchmark's arithmetic: percentiles, summaries, ratios, the target check."""
from __future__ import annotations

import math

import pytest

from bench.report import render, targets
from bench.scenario import long_summary, alternating
from bench.statistics import percentile, ratio, summarise


def test_percentile_interpolates_between_ranks():
    values = [10, 20, 30, 40, 50]
    assert percentile(values, 0) == 10
    assert percentile(values, 50) == 30
    assert percentile(values, 100) == 50
    assert percentile(values, 95) == pytest.approx(48)
    assert percentile([40, 10, 30, 20], 50) == pytest.approx(25)  # unsorted input


def test_percentile_of_nothing_is_nan_and_bad_q_is_refused():
    assert math.isnan(percentile([], 95))
    assert percentile([7], 99) == 7
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_counts_rate_and_converts_to_milliseconds():
    summary = summarise([0.010, 0.020, 0.030, 0.040], errors=2, seconds=2.0)
    assert summary.messages == 4 and summary.errors == 2
    assert summary.rate == 2.0
    assert summary.p50 == pytest.approx(25.0)
    assert summary.p99 == pytest.approx(39.7)
    empty = summarise([], errors=3, seconds=5.0)
    assert empty.messages == 0 and empty.rate == 0 and empty.as_dict()["p95"] is None


def test_ratio_is_nan_when_a_side_is_missing():
    assert ratio(110, 100) == pytest.approx(1.1)
    assert math.isnan(ratio(1, 0)) and math.isnan(ratio(math.nan, 3))


def test_alternating_order_puts_each_target_first_equally_often():
    assert alternating(["r", "g"], 4) == ["r", "g", "g", "r", "r", "g", "g", "r"]


def test_long_conversation_compares_turns_around_10_with_the_last_ones():
    latencies = [0.05] * 190 + [0.12] * 10
    latencies[7] = None  # a failed turn is counted, not measured
    summary = long_summary(latencies, window=10)
    assert summary["errors"] == 1 and summary["late_turn"] == 200
    assert summary["early_ms"] == pytest.approx(50) and summary["late_ms"] == pytest.approx(120)
    assert summary["ratio"] == pytest.approx(2.4)


def _result(gateway_p95: float, rasa_p95: float, rate: float, late_ratio: float) -> dict:
    shape = lambda p95, rate=1.0: {"messages": 10, "errors": 0, "seconds": 10.0, "p50": p95 / 2, "p95": p95, "p99": p95, "rate": rate}  # noqa: E731
    long = {"turns": 200, "errors": 0, "early_turn": 10, "early_ms": 50.0, "late_turn": 200, "late_ms": 50 * late_ratio, "ratio": late_ratio}
    return {
        "plan": {"chat_conversations": 50, "chat_interval": 5.0, "capacity_conversations": 20},
        "load_before": (1.0, 1.0, 1.0), "load_after": (1.0, 1.0, 1.0),
        "chat": {"rasa": shape(rasa_p95), "gateway": shape(gateway_p95), "p95_ratio": 1.0},
        "chat_side_by_side": {"rasa": shape(rasa_p95), "gateway": shape(gateway_p95), "p95_ratio": ratio(gateway_p95, rasa_p95)},
        "capacity": {"rasa": shape(100, rate), "gateway": shape(100, rate), "p95_ratio": 1.0},
        "long": {"rasa": long, "gateway": long},
        "memory_mb": {"rasa": 900, "gateway": 80}, "memory_total_mb": 980,
    }


def test_targets_are_met_or_missed_by_the_numbers():
    good = {row["target"]: row["met"] for row in targets(_result(150, 140, 45, 1.5))}
    assert all(good.values())
    bad = {row["target"]: row["met"] for row in targets(_result(250, 200, 30, 2.5))}
    assert not bad["chat p95 through the gateway"]
    assert not bad["chat p95 gateway / Rasa, at once"]  # 1.25
    assert not bad["capacity through the gateway"]
    assert not bad["turn 200 / turn 10 (gateway)"]
    assert bad["all processes RSS"]


def test_render_shows_every_target_with_its_verdict():
    result = _result(250, 200, 45, 1.5)
    result["targets"] = targets(result)
    text = render("default", result)
    assert "chat p95 through the gateway" in text and "NO" in text and "yes" in text
    assert "p95 gateway/Rasa = 1.25" in text
