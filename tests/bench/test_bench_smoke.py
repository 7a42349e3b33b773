"""`python -m bench` logic end to end against the live stack, with a tiny plan.
Nothing here is timed: it checks that every shape runs against both targets,
without errors, and that the report holds every target."""
from __future__ import annotations

import asyncio
import os

from bench.report import render, targets
from bench.scenario import Plan, run_plan

TINY = Plan(
    chat_conversations=3, chat_interval=0.5, chat_seconds=1.0,
    capacity_conversations=2, capacity_seconds=1.0, capacity_warmup=0.2,
    chat_rounds=2, side_by_side_rounds=1, rounds=2, long_turns=12, long_window=2, warmup_turns=1,
)


def test_bench_runs_every_shape_against_gateway_and_rasa(live_stack):
    result = asyncio.run(run_plan(live_stack.url, [live_stack.rasa_url], live_stack.token, {"bench": os.getpid()}, TINY, log=lambda *a: None))
    for shape in ("chat", "chat_side_by_side", "capacity"):
        for target in ("rasa", "gateway"):
            assert result[shape][target]["errors"] == 0, (shape, target)
            assert result[shape][target]["messages"] > 0, (shape, target)
    for target in ("rasa", "gateway"):
        assert result["long"][target] | {"early_ms": 0, "late_ms": 0, "ratio": 0} == {
            "turns": 12, "errors": 0, "early_turn": 10, "late_turn": 12, "early_ms": 0, "late_ms": 0, "ratio": 0}
    assert result["memory_mb"]["bench"] > 0
    result["targets"] = targets(result)
    assert len(result["targets"]) == 7
    assert "capacity through the gateway" in render("default", result)
