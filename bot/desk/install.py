"""Puts the desk into the gateway app: its state, templates, routes and the
background task that closes handoffs nobody accepted in time (and deletes
expired desk sessions, closing the desk sockets of sign-ins that have ended)."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator

from aiohttp import web

from bot import keys
from bot.clock import utcnow
from bot.desk import pages, routes, sessions
from bot.desk.hub import DeskHub
from bot.desk.presence import Presence
from bot.desk.throttle import LoginThrottle
from bot.handoff import flow as handoff
from bot.periodic import running_every


def install(app: web.Application) -> None:
    settings = app[keys.SETTINGS]
    app[keys.PRESENCE] = Presence(settings.desk_presence_seconds)
    app[keys.LOGIN_THROTTLE] = LoginThrottle(settings.desk_login_max_failures, settings.desk_login_lock_minutes * 60)
    app[keys.LOGIN_SLOTS] = asyncio.Semaphore(max(1, settings.desk_login_concurrency))
    app[keys.DESK_HUB] = DeskHub(settings.ws_max_per_conversation, settings.ws_send_timeout_seconds)
    pages.setup(app)
    app.middlewares.append(pages.desk_headers_middleware)
    app.cleanup_ctx.append(handoff_ctx)
    app.add_routes(routes.routes)


async def close_ended_sessions(app: web.Application) -> int:
    """Close the desk sockets whose sign-in has ended: expired, or deleted from the
    database by `python -m bot counsellor remove` (another process); returns how many."""
    hub = app[keys.DESK_HUB]
    open_ids = hub.session_ids()
    if not open_ids:
        return 0
    async with app[keys.DB]() as s:
        ended = open_ids - await sessions.live_session_ids(s, open_ids, utcnow())
    for session_id in ended:
        app[keys.PRESENCE].signed_out(session_id)
    return await hub.close_sessions(ended)


async def _expire(app: web.Application) -> None:
    await handoff.expire_waiting(app)
    async with app[keys.DB]() as s, s.begin():
        await sessions.delete_expired(s, utcnow())
    await close_ended_sessions(app)


async def handoff_ctx(app: web.Application) -> AsyncIterator[None]:
    seconds = app[keys.SETTINGS].handoff_check_seconds
    async with running_every(seconds, lambda: _expire(app), "handoff_expiry"):
        yield
    await app[keys.DESK_HUB].close_all()
