"""The widget's files and the demo page, served from bot/widget/ as they are (no build step).

The demo page gets a strict Content-Security-Policy: scripts and styles only from
this server, so no inline code can run on it. Its list of crisis lines comes from
the knowledge base (bot.crisis_lines), filled in once at start-up.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Iterable

from aiohttp import web

from bot import keys
from bot.crisis_lines import CrisisLine

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


# Where index.html wants the crisis lines.
CRISIS_LINES_MARK = "<!-- crisis-lines -->"


def crisis_lines_html(lines: Iterable[CrisisLine]) -> str:
    items = "".join(
        f'<li><a href="{html.escape(line.tel)}">{html.escape(line.number)}</a> – {html.escape(line.name)}</li>'
        for line in lines
    )
    return f'<ul class="crisis-lines">{items}</ul>'


def demo_page(lines: Iterable[CrisisLine]) -> bytes:
    page = (WIDGET_DIR / "index.html").read_text(encoding="utf-8")
    if page.count(CRISIS_LINES_MARK) != 1:
        raise ValueError(f"index.html must hold {CRISIS_LINES_MARK} once")
    return page.replace(CRISIS_LINES_MARK, crisis_lines_html(lines)).encode("utf-8")


def _page(body: bytes):
    headers = {**_COMMON, "Content-Security-Policy": _PAGE_CSP}

    async def handler(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=headers)

    return handler


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", _page(demo_page(app[keys.CRISIS_LINES])))
    app.router.add_get("/widget.js", _file("widget.js", "application/javascript"))
    app.router.add_get("/widget.css", _file("widget.css", "text/css"))
    app.router.add_get("/demo.css", _file("demo.css", "text/css"))
    app.router.add_get("/favicon.ico", _no_icon)


async def _no_icon(_request: web.Request) -> web.Response:
    return web.Response(status=204, headers=_COMMON)
