"""Open WebSockets per conversation, so replies (and, later, a counsellor's
messages) reach every tab that shows the conversation."""
from __future__ import annotations

import logging
import weakref
from collections import defaultdict

from aiohttp import WSCloseCode, web

logger = logging.getLogger(__name__)

# Sent when the conversation was deleted (4000–4999 are free for applications).
CLOSE_DELETED = 4404


class Hub:
    def __init__(self) -> None:
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        # Why a socket is being closed, for its handler to close it with that code.
        self._close_codes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def subscribe(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        self._sockets[conversation_id].add(ws)

    def unsubscribe(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        sockets = self._sockets.get(conversation_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self._sockets[conversation_id]

    async def publish(self, conversation_id: str, frame: dict) -> None:
        for ws in list(self._sockets.get(conversation_id, ())):
            if ws.closed:
                continue
            try:
                await ws.send_json(frame)
            except (ConnectionError, RuntimeError):
                logger.info("ws_send_failed")

    async def close_conversation(self, conversation_id: str, code: int = CLOSE_DELETED) -> None:
        for ws in list(self._sockets.pop(conversation_id, ())):
            self._close_codes[ws] = code
            # Wakes the handler's receive loop; the handler then closes with `code`.
            await ws.close(code=code)

    def close_code(self, ws: web.WebSocketResponse) -> int | None:
        """The code to close `ws` with, if the hub asked for it to be closed."""
        return self._close_codes.get(ws)

    async def close_all(self) -> None:
        for conversation_id in list(self._sockets):
            await self.close_conversation(conversation_id, code=WSCloseCode.GOING_AWAY)

    def count(self) -> int:
        return sum(len(s) for s in self._sockets.values())
