"""The open desk pages' WebSockets, so the handoff can push queue changes and
live-chat messages to them (the socket's route is in bot/desk/live.py). At most
`per_session` per sign-in (the oldest makes way), and no push waits on one socket
for longer than `send_timeout` seconds (bot/sockets.py). It imports nothing of the
gateway but bot/sockets.py, so bot/keys.py can name it at the bottom."""
from __future__ import annotations

import asyncio
import logging

from typing import Iterable

from aiohttp import WSCloseCode, web

from bot import sockets

logger = logging.getLogger(__name__)

# Sent when the desk's sign-in has ended: signed out, expired, or the account removed
# (4000–4999 are free for applications); desk.js then goes to the sign-in page.
CLOSE_SIGNED_OUT = 4401


class DeskHub:
    def __init__(self, per_session: int = 5, send_timeout: float = 10.0) -> None:
        self.per_session = max(1, per_session)
        self.send_timeout = send_timeout
        # socket -> (counsellor id, sign-in session id), oldest first
        self._sockets: dict[web.WebSocketResponse, tuple[int, int]] = {}
        self._transports: dict[web.WebSocketResponse, asyncio.BaseTransport | None] = {}

    async def add(
        self, ws: web.WebSocketResponse, counsellor_id: int, session_id: int, transport: asyncio.BaseTransport | None
    ) -> None:
        """Add `ws`; the sign-in's oldest socket is closed (CLOSE_REPLACED) when it has too many."""
        self._sockets[ws] = (counsellor_id, session_id)
        self._transports[ws] = transport
        same = [other for other, (_, other_session) in self._sockets.items() if other_session == session_id]
        for oldest in same[: max(0, len(same) - self.per_session)]:
            transport_of_oldest = self._transports.get(oldest)
            self.remove(oldest)
            await sockets.close(oldest, transport_of_oldest, sockets.CLOSE_REPLACED, self.send_timeout)
            logger.info("desk_ws_replaced")

    def remove(self, ws: web.WebSocketResponse) -> None:
        self._sockets.pop(ws, None)
        self._transports.pop(ws, None)

    def count(self) -> int:
        return len(self._sockets)

    def session_ids(self) -> set[int]:
        """The sign-in sessions with an open desk socket."""
        return {session_id for _, session_id in self._sockets.values()}

    async def close_sessions(self, session_ids: Iterable[int]) -> int:
        """Close the sockets of these sign-in sessions (their sign-in has ended); returns how many."""
        ended = set(session_ids)
        closing = [(ws, self._transports.get(ws)) for ws, (_, session_id) in self._sockets.items() if session_id in ended]
        for ws, _ in closing:
            self.remove(ws)
        # Wakes each handler's receive loop, which then ends. One after the other, in this
        # task: a close from a task of its own raced the peer's reply (its code then lost).
        for ws, transport in closing:
            await sockets.close(ws, transport, CLOSE_SIGNED_OUT, self.send_timeout, message=b"signed out")
        return len(closing)

    async def publish(self, frame: dict, counsellor_id: int | None = None) -> None:
        """To every open desk at once, or only to one counsellor's (a live chat's words);
        a slow one is cut off, the others get it."""
        await asyncio.gather(*(
            sockets.send(ws, self._transports.get(ws), frame, self.send_timeout)
            for ws, (owner, _) in list(self._sockets.items())
            if counsellor_id is None or owner == counsellor_id
        ))

    async def close_all(self) -> None:
        closing = [(ws, self._transports.get(ws)) for ws in self._sockets]
        self._sockets.clear()
        self._transports.clear()
        for ws, transport in closing:
            await sockets.close(ws, transport, WSCloseCode.GOING_AWAY, self.send_timeout)
