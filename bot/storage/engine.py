"""Async engines and session factories. SQLite gets a busy timeout (Rasa writes the
same tracker file), enforced foreign keys and secure_delete, so deleted
transcripts are overwritten in the file rather than left in free pages.

The gateway's own database (`fast_commits=True`) does not wait for a commit to
reach the disk: SQLite writes ahead-log style (WAL) with `synchronous=NORMAL` (a
commit appends to the `-wal` file instead of syncing a rollback journal and the
file: about 9 → 2 ms per stored turn here), PostgreSQL runs the gateway's sessions
with `synchronous_commit=off`. A crash of the gateway loses nothing; a crash of the
machine (or of PostgreSQL) may lose the last fraction of a second of commits, never
the database. Rasa's tracker store, the record of every message, is left as it is.
In SQLite, deleted rows reach the main file (zeroed, by secure_delete) only at a
checkpoint, so `checkpoint_deletions` runs one right after every deletion and
empties the `-wal` file, where the deleted transcript was still written."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Iterator

from asyncpg import exceptions as asyncpg_errors
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool

logger = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_wal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, fast_commits: bool = False) -> AsyncEngine:
    """`fast_commits`: for the gateway's own database (see above), not Rasa's tracker."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A fixed pool: with SQLAlchemy's default overflow, connections beyond the five
        # were opened and closed again turn after turn under load (a new PostgreSQL
        # backend and freshly prepared statements each time). Sessions are short and
        # never held across a call to Rasa, so a turn waits briefly for one instead.
        connect_args = {"server_settings": {"synchronous_commit": "off"}} if fast_commits else {}
        return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=0, connect_args=connect_args)
    if parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # SQLAlchemy 1.4 opens a new connection (and aiosqlite thread) per session for SQLite
    # files; keep one instead. One, because SQLite lets one writer in at a time anyway:
    # with several connections, concurrent turns met "database is locked" and waited in
    # SQLite's busy handler (sleeps of up to 100 ms, again and again), which under load
    # (`make bench`) gave turns of several seconds. With one connection, sessions queue
    # for it in order; none holds it across a call to Rasa or a WebSocket.
    engine = create_async_engine(
        url, connect_args={"timeout": 15}, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    if fast_commits:
        event.listen(engine.sync_engine, "connect", _sqlite_wal)
    return engine


def _sqlite_migration_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling off, so that DDL runs inside the BEGIN below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Off: a batch migration rebuilds a table by copying it and dropping the old one, and a
    # DROP TABLE with foreign keys on deletes the children through ON DELETE CASCADE.
    cursor.execute("PRAGMA foreign_keys=OFF")
    # The dropped copies' pages are zeroed, as deleted transcripts are elsewhere.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    # Takes the write lock at once: a second migrator waits instead of failing halfway.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_migration_engine(url: str) -> AsyncEngine:
    """An engine for schema migrations only (bot/storage/migrate.py): one connection, no
    pool; in SQLite every migration runs in one real transaction (SQLite's Python driver
    would otherwise commit around DDL), so a failed upgrade leaves the file as it was."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, poolclass=NullPool)
    if parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 15}, poolclass=NullPool)
    event.listen(engine.sync_engine, "connect", _sqlite_migration_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    return engine


async def empty_write_ahead_log(executor: AsyncSession | AsyncConnection) -> bool:
    """Move every page of an SQLite write-ahead log into the file and empty the log
    (a file not in WAL mode has none); False if readers kept it from finishing."""
    busy, _, _ = (await executor.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
    return not busy


async def checkpoint_deletions(session: AsyncSession) -> None:
    """After a deletion (committed): deleted rows reach the SQLite file zeroed and
    leave the log. Nothing to do here elsewhere (PostgreSQL: bot/storage/vacuum.py)."""
    if session.bind.dialect.name != "sqlite":
        return
    if not await empty_write_ahead_log(session):
        logger.warning("checkpoint_incomplete")


# PostgreSQL's error codes (SQLSTATE) that trying again can cure: the connection lost
# or refused (class 08), a serialization failure or a deadlock (40001, 40P01), too
# many connections (53300), the server shutting down or starting (57P01-57P03).
TRANSIENT_SQLSTATES = ("08", "40001", "40P01", "53300", "57P01", "57P02", "57P03")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what it wraps (SQLAlchemy's `orig`, the driver's own error), in turn."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or getattr(current, "orig", None)


def is_transient(exc: BaseException) -> bool:
    """True when the same statement may well succeed if tried again: the database was
    unreachable or restarting, or a concurrent transaction got in the way. False for an
    error of the data or the statement itself (PostgreSQL's DataError, such as a NUL
    character, an IntegrityError, a ValueError or UnicodeError from the driver): trying
    again cannot help, and a retry would only hold the conversation."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    for cause in _causes(exc):
        if isinstance(cause, (ValueError, TypeError)):  # UnicodeEncodeError too; asyncpg's DataError
            return False
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate:
            return sqlstate.startswith(TRANSIENT_SQLSTATES)
        # The network, and asyncpg's own errors of a connection going away mid-query.
        if isinstance(cause, (OSError, asyncio.TimeoutError, asyncpg_errors.InterfaceError,
                              asyncpg_errors.InternalClientError)):
            return True
    # SQLite has no SQLSTATE: its "database is locked" (and the rest of its operational
    # errors: disk, I/O) may pass; its integrity and data errors are not operational.
    return isinstance(exc, OperationalError)


def make_sessionmaker(engine: AsyncEngine) -> sessionmaker:
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
