"""HTTP and WebSocket routes of the chat API, and the health checks (/livez, /readyz)."""
from __future__ import annotations

import logging

from aiohttp import WSMsgType, web

from bot import chat, errors, input_checks, keys, sockets
from bot.client_address import client_address
from bot.errors import ApiError
from bot.handoff import flow as handoff
from bot.metrics import route_label
from bot.storage import queries
from bot.transcript import message_json

logger = logging.getLogger(__name__)

routes = web.RouteTableDef()

WS_MAX_MESSAGE_BYTES = 16 * 1024
WS_HEARTBEAT_SECONDS = 30
CRISIS_LINES_MAX_AGE = 600


def _conversation_id(request: web.Request) -> str:
    conversation_id = request.match_info["id"]
    if not chat.is_conversation_id(conversation_id):
        raise ApiError(404, errors.UNKNOWN_CONVERSATION)
    return conversation_id


async def _ws_error(request: web.Request, ws: web.WebSocketResponse, status: int, message: str) -> None:
    """An error frame, counted like the HTTP error it stands for."""
    request.app[keys.METRICS].error(route_label(request), status)
    frame = {"type": "error", "status": status, "error": message}
    await sockets.send(ws, request.transport, frame, request.app[keys.HUB].send_timeout)


async def _json_body(request: web.Request) -> object:
    try:
        raw = await request.text()
    except (UnicodeDecodeError, LookupError):  # not UTF-8, or a charset nobody knows
        raise ApiError(400, errors.INVALID_JSON) from None
    return input_checks.loads(raw)


@routes.post("/api/conversations")
async def create_conversation(request: web.Request) -> web.Response:
    chat.check_rate(request.app, None, client_address(request))
    conversation_id, messages = await chat.start_conversation(request.app)
    return web.json_response({"id": conversation_id, "messages": messages}, status=201)


async def _require_conversation(session, conversation_id: str) -> None:
    """404 unless the conversation exists (it may have been deleted or expired)."""
    if await queries.get_conversation(session, conversation_id) is None:
        raise ApiError(404, errors.UNKNOWN_CONVERSATION)


@routes.get("/api/conversations/{id}/messages")
async def list_messages(request: web.Request) -> web.Response:
    """The transcript so far, so a reloaded page (same tab) can show it again."""
    conversation_id = _conversation_id(request)
    # Under the conversation's lock: a turn whose reply has just gone out may still be
    # storing it, and a reload should show it.
    async with chat.hold_conversation(request.app, conversation_id):
        async with request.app[keys.DB]() as s:
            await _require_conversation(s, conversation_id)
            rows = await queries.list_messages(s, conversation_id)
    body = {"messages": [message_json(r) for r in rows]}
    state = await handoff.widget_state(request.app, conversation_id)
    if state is not None:
        body["handoff"] = state
    return web.json_response(body)


@routes.post("/api/conversations/{id}/messages")
async def post_message(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    data = await _json_body(request)
    messages = await chat.take_turn(request.app, conversation_id, client_address(request), data)
    return web.json_response({"messages": messages})


@routes.post("/api/conversations/{id}/handoff/cancel")
async def cancel_handoff(request: web.Request) -> web.Response:
    """The person leaves the queue (or the live chat with a counsellor); the bot takes over again."""
    conversation_id = _conversation_id(request)
    chat.check_rate(request.app, conversation_id, client_address(request))
    async with request.app[keys.DB]() as s:
        await _require_conversation(s, conversation_id)
    messages = await handoff.cancel_by_person(request.app, conversation_id)
    return web.json_response({"messages": messages})


@routes.delete("/api/conversations/{id}")
async def delete_conversation(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    if not await chat.end_conversation(request.app, conversation_id):
        raise ApiError(404, errors.UNKNOWN_CONVERSATION)
    logger.info("conversation_deleted")
    return web.Response(status=204)


@routes.get("/api/conversations/{id}/ws")
async def websocket(request: web.Request) -> web.StreamResponse:
    conversation_id = _conversation_id(request)
    async with request.app[keys.DB]() as s:
        await _require_conversation(s, conversation_id)
    # At most WS_MAX_PER_CLIENT sockets per client, desk sockets included (bot/sockets.py).
    client, open_sockets = client_address(request), request.app[keys.CLIENT_SOCKETS]
    if not open_sockets.admit(client):
        logger.info("ws_refused scope=client")
        raise ApiError(429, errors.TOO_MANY_SOCKETS, {"Retry-After": str(sockets.RETRY_AFTER_SECONDS)})
    try:
        return await _serve_websocket(request, conversation_id)
    finally:
        open_sockets.release(client)


async def _serve_websocket(request: web.Request, conversation_id: str) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=WS_HEARTBEAT_SECONDS, max_msg_size=WS_MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    hub = request.app[keys.HUB]
    logger.info("ws_opened")
    try:
        # The conversation's oldest socket makes way when it has WS_MAX_PER_CONVERSATION already.
        await hub.subscribe(conversation_id, ws, request.transport)
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                data = input_checks.loads(msg.data)
            except ApiError as exc:
                await _ws_error(request, ws, exc.status, exc.message)
                continue
            try:
                # Replies reach this socket through the hub, like every other tab's.
                await chat.take_turn(request.app, conversation_id, client_address(request), data)
            except ApiError as exc:
                await _ws_error(request, ws, exc.status, exc.message)
            except Exception as exc:  # noqa: BLE001 - keep the socket, report like HTTP would
                logger.error("ws_turn_failed type=%s", type(exc).__name__)
                phone = request.app[keys.SETTINGS].help_phone
                await _ws_error(request, ws, 500, errors.internal(phone))
    finally:
        hub.unsubscribe(conversation_id, ws)
        code = hub.close_code(ws)
        if code is not None:
            await ws.close(code=code)
        logger.info("ws_closed")
    return ws


@routes.get("/api/crisis-lines")
async def crisis_lines(request: web.Request) -> web.Response:
    """The crisis lines for the widget's help, reachable before any conversation."""
    lines = request.app[keys.CRISIS_LINES]
    return web.json_response(
        {"contacts": [line.json() for line in lines]}, headers={"Cache-Control": f"public, max-age={CRISIS_LINES_MAX_AGE}"}
    )


@routes.get("/livez")
async def livez(_request: web.Request) -> web.Response:
    """200 while the process answers; checks nothing else (a restart would not help Rasa)."""
    return web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})


@routes.get("/readyz")
@routes.get("/healthz")  # the older name, kept for supervisors and scripts
async def readyz(request: web.Request) -> web.Response:
    """200 only when Rasa, the action server and the gateway database answer."""
    checks = await request.app[keys.RASA].health()
    try:
        async with request.app[keys.DB]() as s:
            await queries.ping(s)
        checks["database"] = True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = False
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["error"] = errors.unavailable(request.app[keys.SETTINGS].help_phone)
    return web.json_response(body, status=200 if healthy else 503)
