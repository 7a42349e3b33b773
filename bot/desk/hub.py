"""The open desk pages' WebSockets, so the handoff can push queue changes and
live-chat messages to them (the socket's route is in bot/desk/live.py). It
imports nothing of the gateway, so bot/keys.py can name it at the bottom."""
from __future__ import annotations

import logging

from aiohttp import web

logger = logging.getLogger(__name__)


class DeskHub:
    def __init__(self) -> None:
        self._sockets: dict[web.WebSocketResponse, int] = {}  # socket -> counsellor id

    def add(self, ws: web.WebSocketResponse, counsellor_id: int) -> None:
        self._sockets[ws] = counsellor_id

    def remove(self, ws: web.WebSocketResponse) -> None:
        self._sockets.pop(ws, None)

    def count(self) -> int:
        return len(self._sockets)

    async def publish(self, frame: dict, counsellor_id: int | None = None) -> None:
        """To every open desk, or only to one counsellor's (a live chat's words)."""
        for ws, owner in list(self._sockets.items()):
            if ws.closed or (counsellor_id is not None and owner != counsellor_id):
                continue
            try:
                await ws.send_json(frame)
            except (ConnectionError, RuntimeError):
                logger.info("desk_ws_send_failed")

    async def close_all(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        self._sockets.clear()
