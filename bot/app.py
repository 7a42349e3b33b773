"""The app factory: routes, middlewares, and every resource opened and closed in cleanup_ctx."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

import aiohttp
from aiohttp import web

from bot import api, keys, metrics, static
from bot.caching import no_store_middleware
from bot.crisis_lines import load_crisis_lines
from bot.desk import install as desk
from bot.errors import error_middleware
from bot.handoff.per_client import OpenTicketsPerClient
from bot.hub import Hub
from bot.locks import ConversationLocks
from bot.logs import request_log_middleware
from bot.metrics import Metrics, metrics_middleware
from bot.origins import OriginPolicy, origin_middleware
from bot.rasa_client import RasaClient
from bot.rate_limit import RateLimiter
from bot.retention import retention_ctx
from bot.settings import Settings
from bot.sockets import ClientSockets
from bot.statistics import views as statistics
from bot.statistics.recording import RecentTallies
from bot.storage.compaction import TrackerCompactor
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.message_ids import MessageIds
from bot.storage.migrate import require_head
from bot.storage.vacuum import GATEWAY_TABLES, TRACKER_TABLES, DeletionVacuum


async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    engine = make_engine(settings.gateway_db_url, fast_commits=True)
    # The schema is Alembic's (`python -m bot db upgrade`, run before the gateway starts): only checked here.
    try:
        async with engine.connect() as conn:
            await conn.run_sync(require_head)
    except BaseException:
        await engine.dispose()
        raise
    app[keys.DB] = make_sessionmaker(engine)
    async with app[keys.DB]() as s:
        app[keys.MESSAGE_IDS] = await MessageIds.after_stored(s)
    tracker_engine = make_engine(settings.tracker_async_url) if settings.tracker_async_url else None
    app[keys.TRACKER_DB] = make_sessionmaker(tracker_engine) if tracker_engine else None
    app[keys.COMPACTOR] = TrackerCompactor(tracker_engine)
    # On PostgreSQL, deleted rows leave the tables' pages at a VACUUM soon after the deletion.
    app[keys.VACUUM] = DeletionVacuum([(engine, GATEWAY_TABLES), (tracker_engine, TRACKER_TABLES)])
    # Once at start too: a deletion just before a restart may not have had its VACUUM.
    app[keys.VACUUM].mark()
    vacuuming = asyncio.create_task(app[keys.VACUUM].work())
    yield
    # Turns whose replies went out may still be storing their transcript.
    await app[keys.LOCKS].drain()
    vacuuming.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await vacuuming
    await engine.dispose()
    if tracker_engine is not None:
        await tracker_engine.dispose()


async def _rasa_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=30)
    async with aiohttp.ClientSession(connector=connector, raise_for_status=False) as session:
        app[keys.RASA] = RasaClient(
            session, settings.rasa_urls, settings.actions_url, settings.rasa_timeout_seconds, token=settings.rasa_token
        )
        yield


async def _hub_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    app[keys.HUB] = Hub(settings.ws_max_per_conversation, settings.ws_send_timeout_seconds)
    yield
    await app[keys.HUB].close_all()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=[
            metrics_middleware,
            no_store_middleware,
            request_log_middleware,
            origin_middleware(OriginPolicy(settings.allowed_origins, settings.public_url)),
            error_middleware(settings.help_phone),
        ],
    )
    app[keys.SETTINGS] = settings
    app[keys.METRICS] = Metrics()
    app[keys.CRISIS_LINES] = load_crisis_lines(settings.knowledge_dir)
    app[keys.LOCKS] = ConversationLocks()
    app[keys.UNSTORED] = set()
    app[keys.CONVERSATION_LIMITER] = RateLimiter(settings.rate_conversation_per_minute, settings.rate_conversation_burst)
    app[keys.CLIENT_LIMITER] = RateLimiter(settings.rate_client_per_minute, settings.rate_client_burst)
    app[keys.TALLIES] = RecentTallies()
    app[keys.CLIENT_SOCKETS] = ClientSockets(settings.ws_max_per_client)
    app[keys.TICKETS_PER_CLIENT] = OpenTicketsPerClient(settings.handoff_max_open_per_client)
    app.cleanup_ctx.extend([_database_ctx, _rasa_ctx, _hub_ctx, retention_ctx])
    app.add_routes(api.routes)
    desk.install(app)
    app.add_routes(statistics.routes)
    app.add_routes(metrics.routes)
    static.add_routes(app)
    return app
