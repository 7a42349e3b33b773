"""CSRF protection: every state-changing desk request carries the session's
token, as the form field `csrf_token` or the `X-CSRF-Token` header."""
from __future__ import annotations

import hmac

from aiohttp import web

from bot import keys

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: web.Request) -> str:
    """The signed-in session's token, for forms and for desk.js (a `<meta>` tag)."""
    return request[keys.DESK_SESSION].csrf_token


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


async def submitted_token(request: web.Request) -> str | None:
    token = request.headers.get(HEADER)
    if token is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()  # cached: the handler can read it again
        value = form.get(FIELD)
        token = value if isinstance(value, str) else None
    return token
