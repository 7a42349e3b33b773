"""Schema migrations of the gateway's database with Alembic (revisions in
`bot/storage/migrations/versions/`); schema changes happen only there.

    python -m bot db upgrade                  # the database of the settings to the newest revision
    python -m bot db current                  # its revision
    python -m bot db revision -m "what"       # a new revision from the models' changes, to review
    python -m bot db revision -m "what" --empty   # an empty one, e.g. for a data migration

`make run` and the production profile upgrade before the gateway starts; the
gateway itself only checks that its database is at the newest revision.

An upgrade runs in one transaction, also in SQLite (see `make_migration_engine`),
under a lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so two
upgrades at once wait for each other and a failed one changes nothing.

A database made before migrations (by the gateway's `create_all` at start-up, before
revision 0001 existed) has the gateway's tables but no `alembic_version` table. The
baseline revision keeps the tables it finds, with their rows, and creates only
the missing ones; the upgrade then compares the result with the models and rolls
everything back if they differ.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Constraint, Index, MetaData, Table, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

import bot.desk.models  # noqa: F401 - registers the desk's tables on Base
import bot.handoff.models  # noqa: F401 - registers the handoff's tickets on Base
import bot.statistics.models  # noqa: F401 - registers the statistics tables on Base
from bot.logs import configure_logging
from bot.settings import Settings
from bot.storage.engine import make_migration_engine
from bot.storage.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# The tables `create_all` made before migrations: any of them without `alembic_version`
# marks a database of that time.
PRE_MIGRATION_TABLES = frozenset({
    "conversations", "messages", "counsellors", "counsellor_sessions", "tickets",
    "statistics_counts", "statistics_conversations",
})
# PostgreSQL advisory lock held for the length of an upgrade ("akan" in ASCII).
LOCK_KEY = 0x616B616E
# Config.attributes key: set while `db revision` autogenerates (env.py then skips an empty one).
AUTOGENERATE = "autogenerate"


class SchemaError(RuntimeError):
    """The database's schema is not what this version of the gateway needs."""


@dataclass(frozen=True)
class Upgrade:
    before: str | None
    after: str
    # A database made before migrations, whose tables the baseline kept.
    adopted: bool


def target_metadata() -> MetaData:
    """Every table of the gateway (the models' modules are imported above)."""
    return Base.metadata


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """Only the gateway's own tables, never Rasa's `events` when both share a database."""
    return type_ != "table" or name in target_metadata().tables


def make_config(url: str = "") -> Config:
    """Alembic's configuration, without an ini file; `url` only for Alembic's own API
    (the commands below hand env.py a connection instead)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%": doubled here, single in the value.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(make_config()).get_current_head()


def next_revision_id() -> str:
    """Revisions are numbered 0001, 0002, ... so the files sort in order."""
    numbers = [int(s.revision) for s in ScriptDirectory.from_config(make_config()).walk_revisions() if s.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def _context(connection: Connection, **opts) -> MigrationContext:
    # Transactional: every command here runs inside a transaction of its own (see above).
    return MigrationContext.configure(connection, opts={"transactional_ddl": True, **opts})


def current_revision(connection: Connection) -> str | None:
    return _context(connection).get_current_revision()


def has_pre_migration_tables(connection: Connection) -> bool:
    return bool(PRE_MIGRATION_TABLES & set(inspect(connection).get_table_names()))


def is_pre_migration(connection: Connection) -> bool:
    """Made by `create_all` before migrations: the gateway's tables, no revision."""
    return current_revision(connection) is None and has_pre_migration_tables(connection)


def differences(connection: Connection) -> list:
    """Alembic's differences between the database and the models (empty: they agree)."""
    context = _context(connection, include_name=include_name, compare_type=True, compare_server_default=True)
    return compare_metadata(context, target_metadata())


def describe(difference) -> str:
    """One of `differences()` in a line, e.g. "add_column conversations offered_buttons"."""
    if isinstance(difference, list):
        return "; ".join(describe(d) for d in difference)
    kind, *details = difference
    names = []
    for item in details:
        if isinstance(item, Table):
            names.append(item.name)
        elif isinstance(item, Column):
            names.append(str(item.name))
        elif isinstance(item, (Index, Constraint)):
            names.append(f"{item.name or type(item).__name__}({', '.join(c.name for c in item.columns)})")
        elif isinstance(item, (str, TypeEngine)):
            names.append(str(item))
    return " ".join([kind, *names])


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _check_foreign_keys(connection: Connection) -> None:
    """SQLite migrates with foreign keys off (see make_migration_engine): an upgrade that
    leaves a row pointing nowhere fails as a whole."""
    if connection.dialect.name == "sqlite":
        dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if dangling:
            tables = sorted({row[0] for row in dangling})
            raise SchemaError(f"the upgrade left rows whose foreign keys point nowhere in {', '.join(tables)}; nothing was changed")


def _upgrade(connection: Connection, config: Config) -> Upgrade:
    with connection.begin():
        _lock(connection)
        before = current_revision(connection)
        adopted = before is None and has_pre_migration_tables(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        after = current_revision(connection)
        if after != before:
            _check_foreign_keys(connection)
        if adopted:
            found = differences(connection)
            if found:
                raise SchemaError(
                    "the database was made before migrations and its tables differ from what the migrations "
                    f"expect ({'; '.join(describe(d) for d in found)}); nothing was changed"
                )
        return Upgrade(before, after, adopted)


async def upgrade_database(url: str) -> Upgrade:
    """Bring the database at `url` (async driver) to the newest revision, in one transaction."""
    engine = make_migration_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_upgrade, make_config())
    finally:
        await engine.dispose()


def require_head(connection: Connection) -> None:
    """At the gateway's start-up: refuse a database that is not at the newest revision."""
    current = current_revision(connection)
    head = head_revision()
    if current != head:
        found = "made before migrations" if is_pre_migration(connection) else f"at revision {current or 'none (empty)'}"
        raise SchemaError(
            f"the gateway database is {found}, this gateway needs revision {head}: "
            "run `python -m bot db upgrade` first (make run does)"
        )


async def database_revision(url: str) -> str:
    engine = make_migration_engine(url)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(current_revision)
            pre_migration = await connection.run_sync(is_pre_migration)
    finally:
        await engine.dispose()
    if pre_migration:
        return "none: made before migrations (`python -m bot db upgrade` keeps its tables and data)"
    head = head_revision()
    return f"{current or 'none (empty)'}{' (head)' if current == head else f', newest is {head}'}"


def _autogenerate(connection: Connection, config: Config, message: str, rev_id: str):
    config.attributes["connection"] = connection
    config.attributes[AUTOGENERATE] = True
    return command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


async def new_revision(message: str, empty: bool = False) -> Path | None:
    """Write the next revision; None when autogenerate found no change in the models.

    Autogenerate compares the models with a throw-away SQLite database at head, so no
    real database is needed; review what it wrote (renames come out as drop + add)."""
    config = make_config()
    rev_id = next_revision_id()
    if empty:
        return Path(command.revision(config, message=message, rev_id=rev_id).path)
    with tempfile.TemporaryDirectory(prefix="akan-revision-") as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'head.db'}"
        await upgrade_database(url)
        engine = make_migration_engine(url)
        try:
            async with engine.connect() as connection:
                script = await connection.run_sync(_autogenerate, config, message, rev_id)
        finally:
            await engine.dispose()
    return Path(script.path) if script else None


def add_parser(subparsers) -> None:
    db = subparsers.add_parser("db", help="the gateway database's schema (Alembic migrations)")
    actions = db.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="upgrade the database (GATEWAY_DB_URL, else VAR_DIR/gateway.db) to the newest revision")
    actions.add_parser("current", help="show the database's revision")
    revision = actions.add_parser("revision", help="write a new revision from the models' changes (review it)")
    revision.add_argument("-m", "--message", required=True, help="what the revision does")
    revision.add_argument("--empty", action="store_true", help="an empty revision to fill in by hand")


async def run_command(settings: Settings, args: argparse.Namespace) -> str:
    """Carry out one `db` command; returns what to print."""
    if args.action == "upgrade":
        done = await upgrade_database(settings.gateway_db_url)
        if done.before == done.after and not done.adopted:
            return f"The gateway database is at revision {done.after} (head): nothing to do."
        kept = " (made before migrations: its tables and rows were kept)" if done.adopted else ""
        return f"The gateway database was upgraded from revision {done.before or 'none'} to {done.after}{kept}."
    if args.action == "current":
        return await database_revision(settings.gateway_db_url)
    path = await new_revision(args.message, args.empty)
    if path is None:
        return "The models and the migrations agree: no revision written."
    return f"Wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: review it before use."


def main(args: argparse.Namespace) -> int:
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    try:
        print(asyncio.run(run_command(Settings.from_env(), args)))
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
