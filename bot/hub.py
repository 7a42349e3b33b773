"""Open WebSockets per conversation, so replies (and, later, a counsellor's
messages) reach every tab that shows the conversation. At most `per_conversation`
per conversation (the oldest makes way), and no push waits on one socket for
longer than `send_timeout` seconds (bot/sockets.py)."""
from __future__ import annotations

import asyncio
import logging
import weakref
from collections import defaultdict

from aiohttp import WSCloseCode, web

from bot import sockets

logger = logging.getLogger(__name__)

# Sent when the conversation was deleted (4000–4999 are free for applications).
CLOSE_DELETED = 4404


class Hub:
    def __init__(self, per_conversation: int = 5, send_timeout: float = 10.0) -> None:
        self.per_conversation = max(1, per_conversation)
        self.send_timeout = send_timeout
        # conversation -> {socket: its connection's transport}, oldest first.
        self._sockets: dict[str, dict[web.WebSocketResponse, asyncio.BaseTransport | None]] = defaultdict(dict)
        # Why a socket is being closed, for its handler to close it with that code.
        self._close_codes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def subscribe(
        self, conversation_id: str, ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None
    ) -> None:
        """Add `ws`; the conversation's oldest socket is closed (CLOSE_REPLACED) when it has too many."""
        subscribed = self._sockets[conversation_id]
        subscribed[ws] = transport
        while len(subscribed) > self.per_conversation:
            oldest = next(iter(subscribed))
            await self._close(oldest, subscribed.pop(oldest), sockets.CLOSE_REPLACED)
            logger.info("ws_replaced")

    def unsubscribe(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        subscribed = self._sockets.get(conversation_id)
        if subscribed is not None:
            subscribed.pop(ws, None)
            if not subscribed:
                del self._sockets[conversation_id]

    async def publish(self, conversation_id: str, frame: dict) -> None:
        """To every socket of the conversation at once; a slow one is cut off, the others get it."""
        subscribed = list(self._sockets.get(conversation_id, {}).items())
        await asyncio.gather(*(sockets.send(ws, transport, frame, self.send_timeout) for ws, transport in subscribed))

    async def _close(self, ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None, code: int) -> None:
        self._close_codes[ws] = code
        # Wakes the handler's receive loop; the handler then closes with `code`.
        await sockets.close(ws, transport, code, self.send_timeout)

    async def close_conversation(self, conversation_id: str, code: int = CLOSE_DELETED) -> None:
        # One after the other, in this task: a close from a task of its own raced the peer's reply.
        for ws, transport in list(self._sockets.pop(conversation_id, {}).items()):
            await self._close(ws, transport, code)

    def close_code(self, ws: web.WebSocketResponse) -> int | None:
        """The code to close `ws` with, if the hub asked for it to be closed."""
        return self._close_codes.get(ws)

    async def close_all(self) -> None:
        for conversation_id in list(self._sockets):
            await self.close_conversation(conversation_id, code=WSCloseCode.GOING_AWAY)

    def count(self) -> int:
        return sum(len(s) for s in self._sockets.values())
