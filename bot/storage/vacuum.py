"""Deleted transcripts out of PostgreSQL's tables (issue 18, finding 10).

PostgreSQL deletes by marking: a deleted row stays in its table's pages, whole and
readable to anyone with the data files, until VACUUM removes it. So after every
deletion of a conversation (the person's "Slett samtalen", the retention job) the
tables that held its rows are vacuumed soon after: the gateway's messages, tickets
and conversations, and Rasa's tracker `events` when the tracker store is PostgreSQL
too. A burst of deletions (a retention round) gives one VACUUM per table, and the
retention round waits for its own; the gateway also vacuums once at start, for a
deletion just before a restart. VACUUM runs outside a transaction (an autocommit
connection) and takes no lock that keeps turns or Rasa waiting.

What VACUUM does not do (docs/privacy.md): it compacts each page and cuts empty
pages off the end of the file, but does not zero the free space it leaves, so a
removed row's bytes can stay in the data file until a new row is written there;
the write-ahead log keeps the row as it was written until its segment is recycled
and written over; backups keep what they copied. VACUUM FULL (a rewrite of the
table, with a lock that stops every turn meanwhile) is left to the operator.

SQLite needs none of this: the gateway's file deletes with secure_delete and a
checkpoint (bot/storage/engine.py), the tracker file is compacted at every
retention round after deletions (bot/storage/compaction.py).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

# Children first (a conversation's rows are deleted in this order too).
GATEWAY_TABLES = ("messages", "tickets", "conversations")
TRACKER_TABLES = ("events",)


class DeletionVacuum:
    """VACUUM, on PostgreSQL only, of the tables deletions have touched."""

    def __init__(self, targets: Iterable[tuple[AsyncEngine | None, tuple[str, ...]]]) -> None:
        self._targets = [
            (engine, tables) for engine, tables in targets if engine is not None and engine.dialect.name == "postgresql"
        ]
        self.pending = False
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()

    def mark(self) -> None:
        """Note that rows were deleted; `work` vacuums soon after."""
        if self._targets:
            self.pending = True
            self._wake.set()

    async def run(self) -> bool:
        """VACUUM the tables if rows were deleted since the last run; True if it did."""
        async with self._lock:
            if not self.pending:
                return False
            self.pending = False
            try:
                for engine, tables in self._targets:
                    await _vacuum(engine, tables)
            except Exception as exc:  # noqa: BLE001 - the database away: the next deletion or retention round tries again
                self.pending = True
                logger.warning("vacuum_postponed type=%s", type(exc).__name__)
                return False
        logger.info("deletions_vacuumed")
        return True

    async def work(self) -> None:
        """Vacuum after each burst of deletions, until cancelled (the app's database context)."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self.run()


async def _vacuum(engine: AsyncEngine, tables: tuple[str, ...]) -> None:
    async with engine.connect() as conn:
        # VACUUM cannot run inside a transaction block.
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in tables:
            # Rasa makes its table on its first message; until then there is nothing to vacuum.
            if (await autocommit.execute(text("SELECT to_regclass(:name)"), {"name": table})).scalar() is None:
                continue
            await autocommit.exec_driver_sql(f'VACUUM "{table}"')
