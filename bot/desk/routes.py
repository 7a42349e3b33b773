"""The desk's pages and API under /desk: sign-in and sign-out, the queue page,
the queue and live-chat API for desk.js, and the desk WebSocket."""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import aiohttp_jinja2
from aiohttp import web

from bot import input_checks, keys
from bot.client_address import client_address
from bot.clock import utcnow
from bot.desk import pages, sessions
from bot.desk.accounts import authenticate
from bot.desk.auth import counsellor_required, signed_in
from bot.desk.csrf import tokens_match
from bot.desk.live import desk_socket
from bot.errors import ApiError, json_error
from bot.handoff import flow as handoff
from bot.handoff import tickets
from bot.transcript import message_json

logger = logging.getLogger(__name__)

routes = web.RouteTableDef()

LOGIN_COOKIE = "akan_desk_login"
LOGIN_FAILED = "Feil brukernavn eller passord."
LOGIN_LOCKED = "For mange mislykkede forsøk. Vent {minutes} minutter og prøv igjen."
LOGIN_EXPIRED = "Innloggingsskjemaet var utløpt. Prøv igjen."
EMPTY_MESSAGE = "Meldingen er tom."
MAX_COUNSELLOR_CHARS = 4000


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _login_page(request: web.Request, status: int = 200, error: str = "", name: str = "") -> web.Response:
    """The sign-in form, with a fresh login CSRF token (double-submit: cookie and field)."""
    token = secrets.token_urlsafe(32)
    response = aiohttp_jinja2.render_template(
        "login.html", request, {"error": error, "name": name, "login_token": token}, status=status
    )
    sessions.set_cookie(response, LOGIN_COOKIE, token, request.app[keys.SETTINGS], max_age=3600)
    return response


@routes.get("/desk/login")
async def login_form(request: web.Request) -> web.StreamResponse:
    if await signed_in(request) is not None:
        raise web.HTTPFound("/desk")
    return _login_page(request)


@routes.post("/desk/login")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name, password = str(form.get("name", ""))[:200], str(form.get("password", ""))[:1000]
    if not tokens_match(request.cookies.get(LOGIN_COOKIE, ""), str(form.get("csrf_token", ""))):
        return _login_page(request, 403, LOGIN_EXPIRED, name)
    throttle = request.app[keys.LOGIN_THROTTLE]
    throttle_keys = throttle.keys(name, client_address(request))
    # Counted before the password is checked: parallel attempts cannot all pass the lock.
    wait = throttle.attempt(*throttle_keys)
    if wait:
        logger.info("desk_login_throttled")
        response = _login_page(request, 429, LOGIN_LOCKED.format(minutes=max(1, (wait + 59) // 60)), name)
        response.headers["Retry-After"] = str(wait)
        return response
    settings = request.app[keys.SETTINGS]
    counsellor = await authenticate(request.app[keys.DB], name, password, request.app[keys.LOGIN_SLOTS])
    if counsellor is None:
        logger.info("desk_login_failed")
        return _login_page(request, 401, LOGIN_FAILED, name)
    async with request.app[keys.DB]() as s, s.begin():
        lifetime = timedelta(hours=settings.desk_session_hours)
        token, _ = await sessions.create_session(s, counsellor.id, utcnow(), lifetime)
    throttle.succeeded(*throttle_keys)
    logger.info("desk_login")
    response = _redirect("/desk")
    sessions.set_cookie(response, sessions.COOKIE_NAME, token, settings, max_age=settings.desk_session_hours * 3600)
    sessions.clear_cookie(response, LOGIN_COOKIE)
    return response


@routes.post("/desk/logout")
@counsellor_required
async def logout(request: web.Request) -> web.StreamResponse:
    async with request.app[keys.DB]() as s, s.begin():
        await sessions.delete_session(s, request.cookies[sessions.COOKIE_NAME])
    session_id = request[keys.DESK_SESSION].id
    request.app[keys.PRESENCE].signed_out(session_id)
    # The desk pages of this sign-in stop getting queue and live-chat pushes at once.
    await request.app[keys.DESK_HUB].close_sessions([session_id])
    logger.info("desk_logout")
    response = _redirect("/desk/login")
    sessions.clear_cookie(response)
    return response


@routes.get("/desk")
@counsellor_required
@aiohttp_jinja2.template("queue.html")
async def queue_page(request: web.Request) -> dict:
    return {}


# ------------------------------------------------------------------ API for desk.js


def _ticket_id(request: web.Request) -> int:
    try:
        return int(request.match_info["ticket_id"])
    except ValueError:
        raise ApiError(404, handoff.TICKET_GONE) from None


@routes.get("/desk/api/queue")
@counsellor_required
async def queue(request: web.Request) -> web.Response:
    now = utcnow()
    async with request.app[keys.DB]() as s:
        waiting = await tickets.waiting_queue(s)
        mine = await tickets.active_tickets(s, request[keys.COUNSELLOR].id)
    return web.json_response({
        "waiting": [tickets.summary_json(t, now, position) for position, t in enumerate(waiting, start=1)],
        "active": [tickets.summary_json(t, now) for t in mine],
        "available": handoff.desk_status(request.app)["available"],
    })


@routes.get("/desk/api/tickets/{ticket_id}/messages")
@counsellor_required
async def ticket_messages(request: web.Request) -> web.Response:
    """The ticket's whole conversation as the person saw it (the bot's replies
    included), for the counsellor who has it; while it waits in the queue, for any
    counsellor at the desk, to read before taking it. Messages with an id above
    `handoff_after_id` are the live chat."""
    async with request.app[keys.DB]() as s:
        ticket = await tickets.get_ticket(s, _ticket_id(request))
        readable = ticket is not None and (
            ticket.status == tickets.WAITING or ticket.counsellor_id == request[keys.COUNSELLOR].id
        )
        if not readable:
            raise ApiError(404, handoff.NOT_YOURS)
        rows = await tickets.transcript(s, ticket)
    return web.json_response({
        "ticket": tickets.summary_json(ticket, utcnow()),
        "messages": [message_json(r) for r in rows],
        "handoff_after_id": ticket.start_message_id,
    })


@routes.post("/desk/api/tickets/{ticket_id}/accept")
@counsellor_required
async def accept(request: web.Request) -> web.Response:
    ticket = await handoff.accept(request.app, _ticket_id(request), request[keys.COUNSELLOR].id)
    return web.json_response({"ticket": tickets.summary_json(ticket, utcnow())})


@routes.post("/desk/api/tickets/{ticket_id}/messages")
@counsellor_required
async def send_message(request: web.Request) -> web.Response:
    try:
        data = input_checks.loads(await request.text())
    except (ApiError, UnicodeDecodeError, LookupError):
        data = None
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, EMPTY_MESSAGE)
    if len(text) > MAX_COUNSELLOR_CHARS:
        raise ApiError(413, f"Meldingen er for lang. Skriv høyst {MAX_COUNSELLOR_CHARS} tegn.")
    # Control characters and lone surrogates (bot/input_checks.py): a 400, nothing stored.
    text = input_checks.clean_text(text)
    message = await handoff.counsellor_says(request.app, _ticket_id(request), request[keys.COUNSELLOR].id, text.strip())
    return web.json_response({"message": message}, status=201)


@routes.post("/desk/api/tickets/{ticket_id}/end")
@counsellor_required
async def end(request: web.Request) -> web.Response:
    await handoff.end_by_counsellor(request.app, _ticket_id(request), request[keys.COUNSELLOR].id)
    return web.Response(status=204)


@routes.post("/desk/api/heartbeat")
@counsellor_required
async def heartbeat(request: web.Request) -> web.Response:
    return web.Response(status=204)


routes.get("/desk/ws")(desk_socket)


async def _static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    types = {"desk.js": "application/javascript", "desk.css": "text/css"}
    if name not in types:
        return json_error(404, "Fant ikke det du så etter.")
    response = web.FileResponse(pages.STATIC_DIR / name)
    response.content_type = types[name]
    response.charset = "utf-8"
    return response


routes.get("/desk/static/{name}")(_static)
