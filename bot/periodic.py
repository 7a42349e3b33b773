"""Background jobs that run every few seconds for as long as the app lives.

Both the retention purge and the handoff expiry need the same loop: sleep,
run, log a failure without text and try again next round, and stop cleanly
when the app's cleanup_ctx closes."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator, Awaitable, Callable

logger = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def running_every(seconds: float, job: Callable[[], Awaitable[object]], event: str) -> AsyncIterator[None]:
    """Run `job` every `seconds` while the block is open; failures are logged as `<event>_failed`."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception as exc:  # noqa: BLE001 - try again next round
                logger.error("%s_failed type=%s", event, type(exc).__name__)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
