"""The desks' WebSocket: every open desk page gets queue changes and live-chat
messages pushed (desk.js picks what it shows; `DeskHub` in bot/desk/hub.py sends
them). An open socket also counts as presence."""
from __future__ import annotations

import logging

from aiohttp import WSMsgType, web

from bot import keys
from bot.desk.auth import counsellor_required
from bot.origins import OriginPolicy

logger = logging.getLogger(__name__)

WS_HEARTBEAT_SECONDS = 30
WS_MAX_MESSAGE_BYTES = 4 * 1024


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
