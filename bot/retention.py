"""Delete transcripts after RETENTION_HOURS without activity (SPEC "Privacy"):
tracker events and gateway rows alike, in a background task owned by the app,
which then compacts the tracker file (SQLite) or vacuums the tables (PostgreSQL)
if anything was deleted."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import AsyncIterator

from aiohttp import web

from bot import chat, keys
from bot.clock import utcnow
from bot.periodic import running_every
from bot.storage import queries

logger = logging.getLogger(__name__)


async def purge_inactive(app: web.Application, now: datetime | None = None) -> int:
    """Delete every conversation idle for longer than the retention time; return how many."""
    cutoff = (now or utcnow()) - timedelta(hours=app[keys.SETTINGS].retention_hours)
    async with app[keys.DB]() as s:
        stale = await queries.inactive_conversation_ids(s, cutoff)
    deleted = 0
    for conversation_id in stale:
        deleted += await chat.end_conversation(app, conversation_id)
    if deleted:
        logger.info("retention_purged conversations=%d", deleted)
    return deleted


async def _purge_and_compact(app: web.Application) -> None:
    await purge_inactive(app)
    await app[keys.COMPACTOR].run()
    await app[keys.VACUUM].run()


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    seconds = app[keys.SETTINGS].retention_check_seconds
    async with running_every(seconds, lambda: _purge_and_compact(app), "retention"):
        yield
