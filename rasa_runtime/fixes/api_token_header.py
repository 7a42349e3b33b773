"""Rasa's HTTP API token in the `Authorization: Bearer` header, never in the URL.

Rasa 3.6 accepts its `--auth-token` only as a `?token=` query parameter, which access
logs, proxies and error reports keep. With this fix a request that carries the token
in its header passes; one with a `token` in its query is refused (401) whatever it
holds; anything else goes through Rasa's own check (a JWT, when one is configured).
The gateway and `make eval` send the header (`RASA_TOKEN`).
"""
from __future__ import annotations

from functools import wraps
from http import HTTPStatus
from inspect import isawaitable
from typing import Any, Callable, Optional

import rasa.server
from sanic import Sanic
from sanic.request import Request

from rasa_runtime.bearer import bearer_token, matches
from rasa_runtime.fixes.tripwire import Fix

# Rasa's own decorator, for every request whose header does not carry the token.
_rasa_requires_auth = rasa.server.requires_auth


def requires_auth(app: Sanic, token: Optional[str] = None) -> Callable[[Callable], Callable]:
    """`rasa.server.requires_auth` with the token taken from the header only."""
    checked_by_rasa = _rasa_requires_auth(app, token)

    def decorator(f: Callable) -> Callable:
        rasa_view = checked_by_rasa(f)

        @wraps(f)
        async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
            if "token" in request.args:
                raise rasa.server.ErrorResponse(
                    HTTPStatus.UNAUTHORIZED,
                    "NotAuthenticated",
                    "Send the token in an 'Authorization: Bearer' header, never in the URL.",
                )
            if matches(bearer_token(request), token):
                result = f(request, *args, **kwargs)
                return await result if isawaitable(result) else result
            return await rasa_view(request, *args, **kwargs)

        return decorated

    return decorator


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    rasa.server.requires_auth = requires_auth


FIX = Fix(
    name="api_token_header",
    originals={
        # Read from the query only; create_app wraps every API route with it.
        "rasa.server:requires_auth": "b90315c4ea48b28b0022ee17587b71edf03c766421a88b1005d2d5303a3f4d12",
    },
    apply=apply,
)
