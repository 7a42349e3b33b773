"""Which web pages may use the API: the gateway's own origin, PUBLIC_URL's, and
those in ALLOWED_ORIGINS ("*" for any). Answers CORS preflights and refuses
other origins with 403, for HTTP and WebSocket alike. Requests without an
Origin header (not from a browser page) pass.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import hdrs, web

from bot.errors import FORBIDDEN_ORIGIN, json_error

ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOW_HEADERS = "Content-Type"
PREFLIGHT_MAX_AGE = "600"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class OriginPolicy:
    def __init__(self, allowed: tuple[str, ...], public_url: str = "") -> None:
        self.any = "*" in allowed
        self.allowed = {origin_of(o) or o.lower() for o in allowed if o != "*"}
        if public_url:
            self.allowed.add(origin_of(public_url))

    def allows(self, origin: str, request: web.Request) -> bool:
        origin = origin.lower()
        if self.any or origin in self.allowed:
            return True
        return origin == f"{request.scheme}://{request.host}".lower()


def _cors_headers(origin: str) -> dict[str, str]:
    return {hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: origin, hdrs.VARY: "Origin"}


def origin_middleware(policy: OriginPolicy, prefix: str = "/api/"):
    @web.middleware
    async def middleware(request: web.Request, handler):
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is None or not request.path.startswith(prefix):
            return await handler(request)
        if not policy.allows(origin, request):
            return json_error(403, FORBIDDEN_ORIGIN, {hdrs.VARY: "Origin"})
        if request.method == hdrs.METH_OPTIONS and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers:
            return web.Response(
                status=204,
                headers={
                    **_cors_headers(origin),
                    hdrs.ACCESS_CONTROL_ALLOW_METHODS: ALLOW_METHODS,
                    hdrs.ACCESS_CONTROL_ALLOW_HEADERS: ALLOW_HEADERS,
                    hdrs.ACCESS_CONTROL_MAX_AGE: PREFLIGHT_MAX_AGE,
                },
            )
        response = await handler(request)
        if not response.prepared:  # a WebSocket is already under way
            response.headers.update(_cors_headers(origin))
            response.headers[hdrs.ACCESS_CONTROL_EXPOSE_HEADERS] = "Retry-After"
        return response

    return middleware
