"""One asyncio lock per conversation, so turns run in order and a deletion waits
for the turn in flight. Locks nobody holds or waits for are dropped.

A holder may hand the lock to work that finishes after it has answered (a turn's
bookkeeping, after the reply has gone out): the lock stays held until that work is
done, so the conversation's next turn, a deletion or a transcript read waits for it.

A holder may also leave what it knows the conversation looks like now (a bot turn:
the buttons it offered, no open ticket) for the next holder, which saves that turn
a database read. Every holder takes it away on entry, and only a holder that knows
puts it back, so anything else done under the lock (a ticket accepted or closed, a
counsellor's message, a deletion) leaves nothing behind and the next turn reads the
database. Every change to a conversation's tickets or buttons is made under its lock.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable

logger = logging.getLogger(__name__)


# Conversations whose state is remembered between turns (least recently used dropped).
KNOWN_LIMIT = 10_000


class LockWaitExceeded(Exception):
    """The conversation stayed held longer than the caller would wait."""


class Holding:
    """What the holder of a conversation's lock may do with it."""

    def __init__(self, known: object | None) -> None:
        # What the previous holder left (None: nothing, read the database).
        self.known = known
        self.then: Callable[[], Awaitable[None]] | None = None
        self._left: object | None = None

    def leave_known(self, known: object) -> None:
        """What the conversation looks like once this holder is done, for the next one."""
        self._left = known

    def hand_over(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` after the holder leaves, still under the lock."""
        self.then = work


class ConversationLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}
        self._handed_over: set[asyncio.Task] = set()
        self._known: OrderedDict[str, object] = OrderedDict()

    @asynccontextmanager
    async def hold(self, conversation_id: str, wait_seconds: float | None = None) -> AsyncIterator[Holding]:
        """Hold the conversation's lock; `LockWaitExceeded` after `wait_seconds` (None: wait on)."""
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._users[conversation_id] = self._users.get(conversation_id, 0) + 1
        try:
            await asyncio.wait_for(lock.acquire(), wait_seconds)
        except asyncio.TimeoutError:
            self._leave(conversation_id)
            raise LockWaitExceeded() from None
        except BaseException:
            self._leave(conversation_id)
            raise
        holding = Holding(self._known.pop(conversation_id, None))
        handed_over = False
        try:
            yield holding
            if holding._left is not None:
                self._known[conversation_id] = holding._left
                if len(self._known) > KNOWN_LIMIT:
                    self._known.popitem(last=False)
            if holding.then is not None:
                task = asyncio.get_running_loop().create_task(self._finish(conversation_id, lock, holding.then))
                self._handed_over.add(task)
                task.add_done_callback(self._handed_over.discard)
                handed_over = True
        finally:
            if not handed_over:
                lock.release()
                self._leave(conversation_id)

    async def _finish(self, conversation_id: str, lock: asyncio.Lock, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception as exc:  # noqa: BLE001 - never leave the conversation locked
            logger.error("handed_over_work_failed type=%s", type(exc).__name__)
        finally:
            lock.release()
            self._leave(conversation_id)

    def _leave(self, conversation_id: str) -> None:
        self._users[conversation_id] -= 1
        if not self._users[conversation_id]:
            del self._users[conversation_id]
            del self._locks[conversation_id]

    async def drain(self) -> None:
        """Wait for all handed-over work (at shutdown, before the database closes).

        Until the work that is still running, not until the set is empty: a finished task
        leaves the set in its done callback, which runs only when the loop gets a turn, and
        since Python 3.12 a gather of finished tasks returns without giving it one (waiting
        for an empty set spun the loop for ever when shutdown came just as work finished)."""
        while any(not task.done() for task in self._handed_over):
            await asyncio.gather(*self._handed_over, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._locks)
