"""The desks' WebSocket: every open desk page gets queue changes and live-chat
messages pushed (desk.js picks what it shows; `DeskHub` in bot/desk/hub.py sends
them). An open socket also counts as presence. A socket ends with its sign-in:
at its expiry, at sign-out, and when the account is removed (bot/desk/install.py
checks the open sockets' sessions against the database)."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from aiohttp import WSMsgType, web

from bot import errors, keys, sockets
from bot.client_address import client_address
from bot.clock import utcnow
from bot.desk.auth import counsellor_required
from bot.desk.hub import DeskHub
from bot.errors import ApiError
from bot.origins import OriginPolicy

logger = logging.getLogger(__name__)

WS_HEARTBEAT_SECONDS = 30
WS_MAX_MESSAGE_BYTES = 4 * 1024


async def _close_at_expiry(hub: DeskHub, session_id: int, expires_at: datetime) -> None:
    await asyncio.sleep(max(0.0, (expires_at - utcnow()).total_seconds()))
    logger.info("desk_ws_session_expired")
    # Shielded: the socket's handler cancels this task when the socket ends, which the close itself brings about.
    await asyncio.shield(hub.close_sessions([session_id]))


@counsellor_required
async def desk_socket(request: web.Request) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    settings = request.app[keys.SETTINGS]
    if origin is not None and not OriginPolicy((), settings.public_url).allows(origin, request):
        raise web.HTTPForbidden()
    # At most WS_MAX_PER_CLIENT sockets per client, chat sockets included (bot/sockets.py).
    client, open_sockets = client_address(request), request.app[keys.CLIENT_SOCKETS]
    if not open_sockets.admit(client):
        logger.info("desk_ws_refused scope=client")
        raise ApiError(429, errors.TOO_MANY_SOCKETS, {"Retry-After": str(sockets.RETRY_AFTER_SECONDS)})
    try:
        return await _serve_desk_socket(request)
    finally:
        open_sockets.release(client)


async def _serve_desk_socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=WS_HEARTBEAT_SECONDS, max_msg_size=WS_MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    desk_session = request[keys.DESK_SESSION]
    session_id = desk_session.id
    hub, presence = request.app[keys.DESK_HUB], request.app[keys.PRESENCE]
    # The sign-in's oldest socket makes way when it has WS_MAX_PER_CONVERSATION already.
    await hub.add(ws, request[keys.COUNSELLOR].id, session_id, request.transport)
    presence.connected(session_id)
    # The socket lasts no longer than its sign-in (sign-out and a removed account close it through the hub).
    expiry = asyncio.create_task(_close_at_expiry(hub, session_id, desk_session.expires_at))
    logger.info("desk_ws_opened")
    try:
        async for msg in ws:
            # The desk sends only pings ("still here"); everything else goes over HTTP with CSRF.
            if msg.type == WSMsgType.TEXT:
                presence.seen(session_id)
    finally:
        expiry.cancel()
        hub.remove(ws)
        presence.disconnected(session_id)
        logger.info("desk_ws_closed")
    return ws
