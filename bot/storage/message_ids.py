"""Message ids handed out by the gateway itself, in order, so that a turn's reply
can carry its ids (the widget drops what it has already shown by id) before the
transcript is written. Seeded from the largest stored id when the app starts.

One gateway process per database: its conversation locks already assume so.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Message


class MessageIds:
    def __init__(self, last: int = 0) -> None:
        self._last = last

    @classmethod
    async def after_stored(cls, session: AsyncSession) -> "MessageIds":
        """Continue after the largest id in the transcript table."""
        last = (await session.execute(select(func.max(Message.id)))).scalar()
        return cls(last or 0)

    @property
    def last(self) -> int:
        """The largest id handed out so far (or stored before the start)."""
        return self._last

    def take(self, count: int) -> list[int]:
        """The next `count` ids, each larger than every id handed out before."""
        first = self._last + 1
        self._last += count
        return list(range(first, self._last + 1))
