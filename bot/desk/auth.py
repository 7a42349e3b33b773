"""Who is signed in at the desk. `counsellor_required` guards every desk handler:
pages redirect to the sign-in page, API calls get 401 JSON; state-changing
requests also need the session's CSRF token (403 without it)."""
from __future__ import annotations

import functools
from typing import Awaitable, Callable

from aiohttp import web

from bot import keys
from bot.clock import utcnow
from bot.desk import csrf, sessions
from bot.desk.csrf import csrf_token  # noqa: F401 - part of this module's interface
from bot.errors import json_error

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOGIN_PATH = "/desk/login"
SIGNED_OUT = "Du er ikke logget inn. Logg inn på nytt."
CSRF_FAILED = "Forespørselen mangler gyldig sikkerhetsnøkkel. Last siden på nytt og prøv igjen."


def wants_json(request: web.Request) -> bool:
    if request.path.startswith("/desk/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


async def signed_in(request: web.Request):
    """(session row, counsellor) for the request's cookie, or None."""
    token = request.cookies.get(sessions.COOKIE_NAME)
    if not token:
        return None
    async with request.app[keys.DB]() as s:
        return await sessions.find_session(s, token, utcnow())


def counsellor_required(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        found = await signed_in(request)
        if found is None:
            if wants_json(request):
                return json_error(401, SIGNED_OUT)
            raise web.HTTPFound(LOGIN_PATH)
        desk_session, counsellor = found
        if request.method not in csrf.SAFE_METHODS:
            if not csrf.tokens_match(desk_session.csrf_token, await csrf.submitted_token(request)):
                return json_error(403, CSRF_FAILED)
        request[keys.DESK_SESSION] = desk_session
        request[keys.COUNSELLOR] = counsellor
        request.app[keys.PRESENCE].seen(desk_session.id)
        return await handler(request)

    return wrapper
