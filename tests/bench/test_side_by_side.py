"""Both targets meet the machine's load at the same moments: the long conversation
runs on them turn by turn, in alternation, with the same messages; a chat slice runs
on both at once, each with its own conversations and timing."""
from __future__ import annotations

import asyncio
import time

from bench import load
from bench.scenario import Plan, chat_side_by_side


class Recording:
    def __init__(self, name: str, log: list, fail_at: int | None = None) -> None:
        self.name, self.log, self.fail_at = name, log, fail_at
        self.sent_at: list[float] = []

    async def start(self, session) -> str:
        return f"{self.name}-conversation"

    async def send(self, session, conversation_id: str, text: str) -> None:
        self.log.append((self.name, text))
        self.sent_at.append(time.perf_counter())
        if self.fail_at is not None and len([n for n, _ in self.log if n == self.name]) == self.fail_at:
            raise load.TurnFailed("HTTP 503")


def test_turns_alternate_with_the_same_messages():
    log: list = []
    latencies = asyncio.run(load.long_conversations_side_by_side(
        [Recording("rasa", log), Recording("gateway", log, fail_at=3)], 4, seed=1))
    assert [name for name, _ in log] == ["rasa", "gateway", "gateway", "rasa", "rasa", "gateway", "gateway", "rasa"]
    rasa_texts = [text for name, text in log if name == "rasa"]
    assert rasa_texts == [text for name, text in log if name == "gateway"]
    assert len(set(rasa_texts)) > 1
    assert [value is None for value in latencies["gateway"]] == [False, False, True, False]
    assert all(value is not None for value in latencies["rasa"]) and len(latencies["rasa"]) == 4


def test_a_chat_slice_runs_on_both_targets_at_once_with_their_own_timing():
    log: list = []
    targets = [Recording("rasa", log), Recording("gateway", log)]
    measured = {t.name: load.Measured() for t in targets}
    plan = Plan(chat_conversations=4, chat_interval=0.4, chat_seconds=1.2)
    asyncio.run(chat_side_by_side(targets, measured, plan, seed=5))
    rasa, gateway = targets
    # Interleaved in time: each target's sends span the other's.
    assert min(gateway.sent_at) < max(rasa.sent_at) and min(rasa.sent_at) < max(gateway.sent_at)
    assert [name for name, _ in log] != sorted(name for name, _ in log)
    # Their own timing: the sends of one target do not shadow the other's (with the same
    # random timing they would fall within a millisecond of each other).
    nearest = sorted(min(abs(g - r) for r in rasa.sent_at) for g in gateway.sent_at)
    assert nearest[len(nearest) // 2] > 0.002
    for target in targets:
        assert measured[target.name].seconds == plan.chat_seconds
        assert len(measured[target.name].latencies) >= plan.chat_conversations * 2
