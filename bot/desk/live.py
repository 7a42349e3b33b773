"""The desks' WebSockets: every open desk page gets queue changes and live-chat
messages pushed (desk.js picks what it shows). An open socket also counts as
presence."""
from __future__ import annotations

import logging

from aiohttp import WSMsgType, web

from bot import keys
from bot.desk.auth import counsellor_required
from bot.origins import OriginPolicy

logger = logging.getLogger(__name__)

WS_HEARTBEAT_SECONDS = 30
WS_MAX_MESSAGE_BYTES = 4 * 1024


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


@counsellor_required
async def desk_socket(request: web.Request) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    settings = request.app[keys.SETTINGS]
    if origin is not None and not OriginPolicy((), settings.public_url).allows(origin, request):
        raise web.HTTPForbidden()
    ws = web.WebSocketResponse(heartbeat=WS_HEARTBEAT_SECONDS, max_msg_size=WS_MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    session_id = request["desk_session"].id
    hub, presence = request.app[keys.DESK_HUB], request.app[keys.PRESENCE]
    hub.add(ws, request["counsellor"].id)
    presence.connected(session_id)
    logger.info("desk_ws_opened")
    try:
        async for msg in ws:
            # The desk sends only pings ("still here"); everything else goes over HTTP with CSRF.
            if msg.type == WSMsgType.TEXT:
                presence.seen(session_id)
    finally:
        hub.remove(ws)
        presence.disconnected(session_id)
        logger.info("desk_ws_closed")
    return ws
