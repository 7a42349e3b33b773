"""The shared secret in a request's `Authorization: Bearer <secret>` header, compared in
constant time. Used by Rasa's HTTP API (`fixes/api_token_header`) and the gateway's
channel (`channels/gateway`): the secret never travels in a URL, where logs and
proxies keep it."""
from __future__ import annotations

import hmac
from typing import Optional

from sanic.request import Request

SCHEME = "bearer "


def bearer_token(request: Request) -> Optional[str]:
    """The token of an `Authorization: Bearer ...` header, or None."""
    value = request.headers.get("Authorization", "")
    if value[: len(SCHEME)].lower() != SCHEME:
        return None
    return value[len(SCHEME):].strip()


def matches(provided: Optional[str], secret: Optional[str]) -> bool:
    """True only for a non-empty secret and the same token (hmac.compare_digest)."""
    if not provided or not secret:
        return False
    return hmac.compare_digest(provided.encode(), secret.encode())
