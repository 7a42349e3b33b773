"""Wipe deleted transcripts from an SQLite tracker file.

Rasa writes the tracker with its own connections, which leave copies of old rows
in the file's free space (page splits, deletes without secure_delete). Deleting
the rows, at once on "Slett samtalen", makes a transcript unreadable to every
query; a VACUUM after deletions, at most once per retention round, also removes
those leftovers from the file, and a checkpoint empties the write-ahead log
(`rasa_runtime/tracker_stores/reconnecting.py`). PostgreSQL's tables are vacuumed
after deletions instead (bot/storage/vacuum.py).
"""
from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import empty_write_ahead_log

logger = logging.getLogger(__name__)


class TrackerCompactor:
    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine if engine is not None and engine.dialect.name == "sqlite" else None
        self.pending = False

    def mark(self) -> None:
        """Note that transcripts were deleted since the last compaction."""
        self.pending = self._engine is not None

    async def run(self) -> bool:
        """VACUUM the tracker file if something was deleted; True if it did."""
        if not self.pending or self._engine is None:
            return False
        self.pending = False
        try:
            async with self._engine.connect() as conn:
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM")
                # Rasa writes the file ahead-log style: move the log into the file and
                # empty it, or the deleted rows are still written there.
                emptied = await empty_write_ahead_log(autocommit)
        except OperationalError:
            emptied = False
        if not emptied:
            self.pending = True  # try again next round
            logger.warning("tracker_compaction_postponed")
            return False
        logger.info("tracker_compacted")
        return True
