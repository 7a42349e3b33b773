"""Rasa's SQLTrackerStore, but it survives a database restart without a failed message.

Rasa 3.6 builds its engine without `pool_pre_ping`, so after PostgreSQL restarts
the first request on every pooled connection fails (the person would see an
error). This store rebuilds the engine with pre-ping: a dead connection is
noticed and replaced before it is used. Used by `endpoints.production.yml` as
`type: services.tracker_store.ReconnectingSQLTrackerStore`.

An SQLite tracker file (the default profile) is written ahead-log style (WAL,
`synchronous=NORMAL`): a turn's commit appends to the `-wal` file instead of
syncing a rollback journal and the file, which cost Rasa a few milliseconds of
CPU per message. A crash loses nothing; a power cut may lose the last turns. The
gateway's compaction after deletions (`bot/storage/compaction.py`) also empties
the `-wal` file.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class ReconnectingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url.render_as_string(hide_password=False)
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _write_ahead)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


def _write_ahead(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
