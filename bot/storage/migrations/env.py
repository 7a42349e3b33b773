"""Alembic's environment for the gateway's database, after Alembic's asyncio cookbook.

`python -m bot db ...` (bot/storage/migrate.py) hands over a connection it opened
on an async engine (aiosqlite or asyncpg) in `config.attributes["connection"]`,
inside the transaction it owns; without one (Alembic's own API with
`sqlalchemy.url` set) this opens an async engine itself. Only the gateway's own
tables are compared or changed, never Rasa's `events` when both share a database.
"""
from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.engine import make_migration_engine
from bot.storage.migrate import AUTOGENERATE, include_name, target_metadata

config = context.config


def _configure(**options) -> None:
    context.configure(
        target_metadata=target_metadata(),
        include_name=include_name,
        # Batch operations, so that an ALTER SQLite cannot do rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
        # make_migration_engine gives SQLite real transactions around DDL too: one for the whole run.
        transactional_ddl=True,
        process_revision_directives=_skip_empty_autogenerate,
        **options,
    )


def _skip_empty_autogenerate(migration_context, _revision, directives) -> None:
    """`python -m bot db revision` writes nothing when the models did not change."""
    if migration_context.config.attributes.get(AUTOGENERATE) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def run_migrations_offline() -> None:
    """SQL to stdout (`--sql`), for reading or for a database administrator."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = make_migration_engine(config.get_main_option("sqlalchemy.url"))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
