"""Delete transcripts after RETENTION_HOURS without activity (SPEC "Privacy"):
tracker events and gateway rows alike, in a background task owned by the app,
which then compacts the tracker file if anything was deleted."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import AsyncIterator

from aiohttp import web

from bot import chat, keys
from bot.storage import queries

logger = logging.getLogger(__name__)


async def purge_inactive(app: web.Application, now: datetime | None = None) -> int:
    """Delete every conversation idle for longer than the retention time; return how many."""
    cutoff = (now or chat.utcnow()) - timedelta(hours=app[keys.SETTINGS].retention_hours)
    async with app[keys.DB]() as s:
        stale = await queries.inactive_conversation_ids(s, cutoff)
    deleted = 0
    for conversation_id in stale:
        deleted += await chat.end_conversation(app, conversation_id)
    if deleted:
        logger.info("retention_purged conversations=%d", deleted)
    return deleted


async def _run(app: web.Application) -> None:
    interval = app[keys.SETTINGS].retention_check_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            await purge_inactive(app)
            await app[keys.COMPACTOR].run()
        except Exception as exc:  # noqa: BLE001 - try again next round
            logger.error("retention_failed type=%s", type(exc).__name__)


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(_run(app))
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
