"""Conversation locks: turns in order, work handed over after the answer still holds
the lock, and what one holder knows reaches the next only if nothing came between."""
from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from bot import locks as locks_module
from bot.locks import ConversationLocks

pytestmark = pytest.mark.asyncio


async def test_the_next_holder_waits_for_handed_over_work():
    locks = ConversationLocks()
    release = asyncio.Event()
    order = []

    async def bookkeeping():
        await release.wait()
        order.append("bookkeeping")

    async with locks.hold("a") as holding:
        holding.hand_over(bookkeeping)
        order.append("answered")

    async def next_turn():
        async with locks.hold("a"):
            order.append("next turn")

    waiting = asyncio.create_task(next_turn())
    await asyncio.sleep(0.05)
    assert order == ["answered"]  # the holder has left, the work has not
    async with locks.hold("b"):  # other conversations are not held up
        pass
    release.set()
    await waiting
    assert order == ["answered", "bookkeeping", "next turn"]
    assert len(locks) == 0


async def test_drain_waits_for_all_handed_over_work():
    locks = ConversationLocks()
    done = []

    async def slow(name):
        await asyncio.sleep(0.05)
        done.append(name)

    for name in ("a", "b"):
        async with locks.hold(name) as holding:
            holding.hand_over(lambda name=name: slow(name))
    assert done == []
    await locks.drain()
    assert sorted(done) == ["a", "b"]


async def test_failing_work_is_logged_and_releases_the_lock(caplog):
    locks = ConversationLocks()

    async def broken():
        raise RuntimeError("secret user text")

    async with locks.hold("a") as holding:
        holding.hand_over(broken)
    with caplog.at_level(logging.ERROR, logger="bot.locks"):
        await asyncio.wait_for(locks.drain(), 1)

    async def take_again():
        async with locks.hold("a"):
            pass

    await asyncio.wait_for(take_again(), 1)
    assert "handed_over_work_failed type=RuntimeError" in caplog.text
    assert "secret" not in caplog.text


async def test_a_failed_holder_hands_nothing_over():
    locks = ConversationLocks()
    ran = []

    async def work():
        ran.append(True)

    with pytest.raises(ValueError):
        async with locks.hold("a") as holding:
            holding.hand_over(work)
            holding.leave_known(["knapp"])
            raise ValueError
    await locks.drain()
    assert ran == []
    async with locks.hold("a") as holding:
        assert holding.known is None


async def test_what_a_holder_knows_reaches_the_next_holder_once():
    locks = ConversationLocks()
    async with locks.hold("a") as holding:
        assert holding.known is None
        holding.leave_known([{"title": "Ja", "payload": "/ja"}])
    async with locks.hold("a") as holding:
        assert holding.known == [{"title": "Ja", "payload": "/ja"}]
        holding.leave_known([])  # nothing offered is knowledge too
    async with locks.hold("a") as holding:
        assert holding.known == []
        # This holder changes something and does not say what: nothing is left.
    async with locks.hold("a") as holding:
        assert holding.known is None
    async with locks.hold("b") as holding:
        assert holding.known is None


async def test_knowledge_is_kept_for_a_limited_number_of_conversations(monkeypatch):
    monkeypatch.setattr(locks_module, "KNOWN_LIMIT", 3)
    locks = ConversationLocks()
    for name in "abcd":
        async with locks.hold(name) as holding:
            holding.leave_known([name])
    for name, expected in (("a", None), ("b", ["b"]), ("c", ["c"]), ("d", ["d"])):
        async with locks.hold(name) as holding:
            assert holding.known == expected


async def test_drain_returns_when_work_has_just_finished():
    """Shutdown just as handed-over work finished, its done callback not yet run: the old
    `while self._handed_over: await gather(...)` spun for ever (since Python 3.12 a gather
    of finished tasks never yields to the loop). Run in a thread of its own, so a spin
    fails the test instead of hanging the run."""

    async def shut_down_as_work_finishes() -> None:
        locks = ConversationLocks()
        async with locks.hold("a") as holding:
            holding.hand_over(lambda: asyncio.sleep(0))
        [task] = locks._handed_over
        while not task.done():
            await asyncio.sleep(0)
        assert task in locks._handed_over  # finished, its done callback still waiting for the loop
        await locks.drain()

    worker = threading.Thread(target=asyncio.run, args=(shut_down_as_work_finishes(),), daemon=True)
    worker.start()
    await asyncio.to_thread(worker.join, 5)
    assert not worker.is_alive(), "drain() did not return"
