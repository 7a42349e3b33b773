"""Templates for the desk pages (aiohttp-jinja2, autoescaped): the desk's own and
the statistics pages', which extend `desk_base.html`."""
from __future__ import annotations

import warnings
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot import keys

DESK_DIR = Path(__file__).resolve().parent
TEMPLATE_DIRS = [DESK_DIR / "templates", DESK_DIR.parent / "statistics" / "templates"]
STATIC_DIR = DESK_DIR / "static"

# Desk pages load scripts and styles only from this server; no inline code runs.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@web.middleware
async def desk_headers_middleware(request: web.Request, handler):
    response = await handler(request)
    if request.path.startswith("/desk") and not response.prepared:
        for name, value in PAGE_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def setup(app: web.Application) -> None:
    environment = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader([str(d) for d in TEMPLATE_DIRS]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        # `request` in every template: desk_base.html reads the counsellor and CSRF token from it
        # at render time (context processors run before the handler has signed anyone in).
        context_processors=[aiohttp_jinja2.request_processor],
    )
    # The keys desk_base.html reads them by (web.RequestKey, set by bot/desk/auth.py).
    environment.globals.update(DESK_SESSION=keys.DESK_SESSION, COUNSELLOR=keys.COUNSELLOR)
    # aiohttp-jinja2 1.6 keeps its template context under a string key of the request, where
    # aiohttp 3.14 recommends a web.RequestKey: a hint about its code, not ours, kept out of the log.
    warnings.filterwarnings(
        "ignore", message="It is recommended to use web.RequestKey", category=UserWarning, module="aiohttp_jinja2"
    )
