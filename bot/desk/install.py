"""Puts the desk into the gateway app: its state, templates, routes and the
background task that closes handoffs nobody accepted in time."""
from __future__ import annotations

from aiohttp import web

from bot import keys
from bot.desk import handoff, pages, routes
from bot.desk.live import DeskHub
from bot.desk.presence import Presence
from bot.desk.throttle import LoginThrottle


def install(app: web.Application) -> None:
    settings = app[keys.SETTINGS]
    app[keys.PRESENCE] = Presence(settings.desk_presence_seconds)
    app[keys.LOGIN_THROTTLE] = LoginThrottle(settings.desk_login_max_failures, settings.desk_login_lock_minutes * 60)
    app[keys.DESK_HUB] = DeskHub()
    pages.setup(app)
    app.middlewares.append(pages.desk_headers_middleware)
    app.cleanup_ctx.append(handoff.handoff_ctx)
    app.add_routes(routes.routes)
