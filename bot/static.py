"""The widget's files and the demo page, served from bot/widget/ as they are (no build step).

The demo page gets a strict Content-Security-Policy: scripts and styles only from
this server, so no inline code can run on it.
"""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

WIDGET_DIR = Path(__file__).resolve().parent / "widget"

_COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def _file(name: str, content_type: str, extra: dict[str, str] | None = None):
    async def handler(_request: web.Request) -> web.FileResponse:
        response = web.FileResponse(WIDGET_DIR / name, headers={**_COMMON, **(extra or {})})
        response.content_type = content_type
        response.charset = "utf-8"
        return response

    return handler


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", _file("index.html", "text/html", {"Content-Security-Policy": _PAGE_CSP}))
    app.router.add_get("/widget.js", _file("widget.js", "application/javascript"))
    app.router.add_get("/widget.css", _file("widget.css", "text/css"))
    app.router.add_get("/demo.css", _file("demo.css", "text/css"))
    app.router.add_get("/favicon.ico", _no_icon)


async def _no_icon(_request: web.Request) -> web.Response:
    return web.Response(status=204, headers=_COMMON)
