"""The long conversation runs on both targets turn by turn, in alternation, with the
same messages, so both meet the machine's load at the same moments."""
from __future__ import annotations

import asyncio

from bench import load


class Recording:
    def __init__(self, name: str, log: list, fail_at: int | None = None) -> None:
        self.name, self.log, self.fail_at = name, log, fail_at

    async def start(self, session) -> str:
        return f"{self.name}-conversation"

    async def send(self, session, conversation_id: str, text: str) -> None:
        self.log.append((self.name, text))
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
