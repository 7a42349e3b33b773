"""Rasa's SQLTrackerStore, but it survives a database restart without a failed message.

Rasa 3.6 builds its engine without `pool_pre_ping`, so after PostgreSQL restarts
the first request on every pooled connection fails (the person would see an
error). This store rebuilds the engine with pre-ping: a dead connection is
noticed and replaced before it is used. Both endpoints files use it through
`rasa_runtime.tracker_stores.cached.CachedSQLTrackerStore`, which builds on it.

An SQLite tracker file (the default profile) keeps its connection open between
sessions. SQLAlchemy 1.4 opens and closes a new one for every session of an SQLite
file (its `NullPool`; 2.0 pools them as done here), and each close of the last
connection also checkpoints the `-wal` file: with two or more sessions per turn
that was about a sixth of Rasa's CPU per message. Rasa uses the store from its event
loop's thread; `check_same_thread` is off only because the pool may hand a
connection to another thread, as SQLAlchemy 2.0 does. Pre-ping is for servers
that restart, so SQLite goes without it.

The SQLite file is written ahead-log style (WAL,
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
        sqlite = self.engine.dialect.name == "sqlite"
        self.engine.dispose()
        if sqlite:
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _write_ahead)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


def _write_ahead(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
