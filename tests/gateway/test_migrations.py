"""Schema migrations (bot/storage/migrate.py, Alembic): an empty database and one
made before migrations (by the gateway's old `create_all`, with data) both reach the
newest revision with nothing lost, on SQLite and on PostgreSQL (a throw-away local
cluster, marked `production`); the baseline equals that old schema
exactly; the models and the migrations agree; `python -m bot db ...` works.

The old schema is frozen in tests/gateway/pre_migration_schema/ as the SQL
`create_all` emitted, so these tests keep meaning the same when the models move on.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, inspect, select, text

from bot.app import create_app
from bot.handoff.models import Ticket
from bot.settings import Settings, async_db_url
from bot.statistics.models import ConversationTally
from bot.storage import migrate
from bot.storage.engine import make_engine, make_migration_engine, make_sessionmaker
from bot.storage.message_ids import MessageIds
from bot.storage.models import Conversation, Message
from tests.gateway.conftest import GatewayTestServer
from tests.gateway.postgres_support import empty_postgres_database, postgres_server  # noqa: F401 - fixture
from tests.skips import missing

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRE_MIGRATION_SCHEMA = Path(__file__).resolve().parent / "pre_migration_schema"
GATEWAY_TABLES = {
    "conversations", "messages", "counsellors", "counsellor_sessions", "tickets",
    "statistics_counts", "statistics_conversations",
}
# The tables of the first gateway (before the desk and statistics came).
FIRST_TABLES = {"conversations", "messages"}
T0 = datetime(2026, 12, 1, 9, 30, 15, 123456)
T1 = datetime(2026, 12, 1, 9, 31, 2)
C1 = "00000000-0000-4000-8000-000000000001"
C2 = "00000000-0000-4000-8000-000000000002"
# One or two rows for every table of the old schema, as the gateway wrote them.
ROWS = {
    "conversations": [
        {"id": C1, "created_at": T0, "last_activity_at": T1,
         "offered_buttons": [{"title": "Snakk med veileder", "payload": "/request_human"}]},
        {"id": C2, "created_at": T0, "last_activity_at": T0, "offered_buttons": []},
    ],
    "messages": [
        {"id": 1, "conversation_id": C1, "sender": "user", "text": "Hei, jeg er leder", "buttons": None, "custom": None,
         "created_at": T0},
        {"id": 2, "conversation_id": C1, "sender": "bot", "text": "Råd til deg som leder",
         "buttons": [{"title": "Policy", "payload": '/ask_advice{"topic": "policy"}'}],
         "custom": {"type": "recommendations", "role": "leder", "ids": ["leder-policy-1"]}, "created_at": T1},
        {"id": 3, "conversation_id": C2, "sender": "user", "text": "Hallo", "buttons": None, "custom": None, "created_at": T0},
    ],
    "counsellors": [{"id": 1, "name": "kari", "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                     "created_at": T0}],
    "counsellor_sessions": [{"id": 1, "token_hash": "a" * 64, "counsellor_id": 1, "csrf_token": "b" * 64,
                             "created_at": T0, "expires_at": T1}],
    "tickets": [{"id": 1, "conversation_id": C1, "status": "active", "reason": "request_human", "priority": 1,
                 "role": "leder", "topic": "policy", "substance": None, "recent_messages": ["Hei, jeg er leder"],
                 "start_message_id": 2, "counsellor_id": 1, "created_at": T0, "accepted_at": T1, "ended_at": None}],
    "statistics_counts": [{"id": 1, "day": date(2026, 12, 1), "role": "leder", "topic": "policy", "substance": "ukjent",
                           "outcome": "answered", "first_outcome": True, "count": 3}],
    "statistics_conversations": [{"conversation_id": C1, "counted": ["answered", "handed_off"], "role": "leder",
                                  "topic": "policy", "substance": None}],
}
# Columns that revisions after the baseline added, as an old row reads after the upgrade.
ADDED_LATER = {"tickets": {"end_message_id": None}}
# Parents first.
INSERT_ORDER = ["conversations", "counsellors", "messages", "counsellor_sessions", "tickets", "statistics_counts",
                "statistics_conversations"]

# ---------------------------------------------------------------- databases


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.production)])
async def urls(request, tmp_path) -> tuple[str, str]:
    """Two empty databases of the same kind (async driver URLs)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'one.db'}", f"sqlite+aiosqlite:///{tmp_path / 'two.db'}"
    server = request.getfixturevalue("postgres_server")
    found = tuple(async_db_url(server.url(name)) for name in ("gateway", "tracker"))
    for url in found:
        await empty_postgres_database(url)
    return found


@pytest.fixture
def url(urls) -> str:
    return urls[0]


def dialect_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def pre_migration_statements(dialect: str, tables: set[str] = GATEWAY_TABLES) -> list[str]:
    """The frozen `create_all` DDL: CREATE TABLE and CREATE INDEX of `tables`."""
    lines = [line for line in (PRE_MIGRATION_SCHEMA / f"{dialect}.sql").read_text().splitlines() if not line.startswith("--")]
    statements = [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    return [s for s in statements if _table_of(s) in tables]


def _table_of(statement: str) -> str:
    words = statement.split()
    return words[2] if words[1] == "TABLE" else words[words.index("ON") + 1]


async def run_sql(url: str, statements: list[str]) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.exec_driver_sql(statement)
    finally:
        await engine.dispose()


async def reflected(conn) -> MetaData:
    metadata = MetaData()
    await conn.run_sync(lambda sync: metadata.reflect(sync, only=lambda name, _: name in GATEWAY_TABLES))
    return metadata


async def insert_rows(url: str, rows: dict[str, list[dict]]) -> None:
    """Through the tables as they are in the database, not through today's models."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            tables = (await reflected(conn)).tables
            for name in INSERT_ORDER:
                if name in rows:
                    await conn.execute(tables[name].insert(), rows[name])
    finally:
        await engine.dispose()


async def read_rows(url: str, names) -> dict[str, list[dict]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            tables = (await reflected(conn)).tables
            out = {}
            for name in names:
                table = tables[name]
                result = await conn.execute(select(table).order_by(*table.primary_key.columns))
                out[name] = [dict(row._mapping) for row in result]
            return out
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def with_migration_connection(url: str, work):
    """`work(connection)` on a migration connection, in one transaction."""
    engine = make_migration_engine(url)

    def run(connection):
        with connection.begin():
            return work(connection)

    try:
        async with engine.connect() as conn:
            return await conn.run_sync(run)
    finally:
        await engine.dispose()


async def alembic(url: str, fn, *args) -> None:
    """An Alembic command on `url` through the connection-sharing path, as `db upgrade` runs."""

    def work(connection):
        config = migrate.make_config()
        config.attributes["connection"] = connection
        fn(config, *args)

    await with_migration_connection(url, work)


SQLITE_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '%alembic_version%' ORDER BY name"
POSTGRES_SCHEMA = [
    # Columns with their types, lengths, nullability and defaults (the id sequences too).
    "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default "
    "FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'alembic_version' ORDER BY 1, 3",
    "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = 'public' AND tablename <> 'alembic_version' ORDER BY 1, 2",
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'alembic_version' ORDER BY 1, 2",
    "SELECT sequencename, data_type, start_value, increment_by FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
]


async def schema_of(url: str) -> list:
    """Everything of the schema the database itself keeps: SQLite's CREATE statements as
    stored, PostgreSQL's catalog (columns, indexes, constraints with their names, sequences)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            queries = [SQLITE_SCHEMA] if dialect_of(url) == "sqlite" else POSTGRES_SCHEMA
            return [[tuple(row) for row in await conn.execute(text(query))] for query in queries]
    finally:
        await engine.dispose()


# ---------------------------------------------------------------- tests


@pytest.mark.asyncio
async def test_an_empty_database_is_upgraded_to_head_once(url):
    done = await migrate.upgrade_database(url)
    assert done == migrate.Upgrade(before=None, after=migrate.head_revision(), adopted=False)
    assert await table_names(url) == GATEWAY_TABLES | {"alembic_version"}
    again = await migrate.upgrade_database(url)
    assert again == migrate.Upgrade(before=done.after, after=done.after, adopted=False)
    # The gateway's own engine and models work on it.
    engine = make_engine(url, fast_commits=True)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            s.add(Conversation(id=C1, created_at=T0, last_activity_at=T0))
        async with make_sessionmaker(engine)() as s:
            assert (await s.execute(select(Conversation.id))).scalars().all() == [C1]
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_two_upgrades_at_once_wait_for_each_other(url):
    # As two gateways' start-ups would: one upgrades, the other then finds the database at head.
    done = await asyncio.gather(migrate.upgrade_database(url), migrate.upgrade_database(url))
    head = migrate.head_revision()
    assert sorted(done, key=lambda u: u.before or "") == [
        migrate.Upgrade(before=None, after=head, adopted=False), migrate.Upgrade(before=head, after=head, adopted=False),
    ]


@pytest.mark.asyncio
async def test_the_baseline_equals_the_schema_create_all_made(urls):
    old, migrated = urls
    await run_sql(old, pre_migration_statements(dialect_of(old)))
    await alembic(migrated, command.upgrade, migrate.BASELINE)
    expected = await schema_of(old)
    assert sum(len(part) for part in expected) >= 14  # 7 tables and 7 indexes at least
    assert await schema_of(migrated) == expected


@pytest.mark.asyncio
async def test_the_models_and_the_migrations_agree(url):
    await migrate.upgrade_database(url)
    found = await with_migration_connection(url, migrate.differences)
    assert found == [], [migrate.describe(d) for d in found]


@pytest.mark.asyncio
async def test_a_database_made_before_migrations_keeps_its_data(url):
    await run_sql(url, pre_migration_statements(dialect_of(url)))
    await insert_rows(url, ROWS)
    assert await with_migration_connection(url, migrate.is_pre_migration)

    done = await migrate.upgrade_database(url)

    assert done == migrate.Upgrade(before=None, after=migrate.head_revision(), adopted=True)
    upgraded = {name: [{**row, **ADDED_LATER.get(name, {})} for row in rows] for name, rows in ROWS.items()}
    assert await read_rows(url, INSERT_ORDER) == upgraded
    assert await with_migration_connection(url, migrate.differences) == []
    # The gateway reads on where it stopped, and its foreign keys still cascade.
    engine = make_engine(url, fast_commits=True)
    try:
        async with make_sessionmaker(engine)() as s:
            assert (await MessageIds.after_stored(s)).take(1) == [4]
        async with make_sessionmaker(engine)() as s, s.begin():
            await s.execute(delete(Conversation).where(Conversation.id == C1))
        async with make_sessionmaker(engine)() as s:
            assert (await s.execute(select(Message.conversation_id))).scalars().all() == [C2]
            assert (await s.execute(select(func.count()).select_from(Ticket))).scalar() == 0
            assert (await s.execute(select(func.count()).select_from(ConversationTally))).scalar() == 0
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_a_database_of_the_first_gateway_gets_the_tables_it_lacked(url):
    await run_sql(url, pre_migration_statements(dialect_of(url), FIRST_TABLES))
    first_rows = {name: ROWS[name] for name in FIRST_TABLES}
    await insert_rows(url, first_rows)

    done = await migrate.upgrade_database(url)

    assert done.adopted and done.after == migrate.head_revision()
    assert await table_names(url) == GATEWAY_TABLES | {"alembic_version"}
    assert await read_rows(url, FIRST_TABLES) == first_rows
    assert await with_migration_connection(url, migrate.differences) == []


@pytest.mark.asyncio
async def test_a_database_unlike_the_baseline_is_refused_and_left_as_it_was(url):
    # A conversations table without its offered_buttons column, holding a conversation.
    statements = [
        "\n".join(line for line in s.splitlines() if "offered_buttons" not in line)
        for s in pre_migration_statements(dialect_of(url), FIRST_TABLES)
    ]
    await run_sql(url, statements)
    row = {key: value for key, value in ROWS["conversations"][0].items() if key != "offered_buttons"}
    await insert_rows(url, {"conversations": [row]})

    with pytest.raises(migrate.SchemaError, match="add_column conversations offered_buttons"):
        await migrate.upgrade_database(url)

    # One transaction, rolled back: no revision, none of the missing tables, the row still there.
    assert await table_names(url) == FIRST_TABLES
    assert await read_rows(url, ["conversations"]) == {"conversations": [row]}


@pytest.mark.asyncio
async def test_an_sqlite_upgrade_that_leaves_a_row_pointing_nowhere_is_rolled_back(tmp_path):
    # Written with foreign keys off (as a migration runs, or the sqlite3 shell): a message of no conversation.
    path = tmp_path / "gateway.db"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        for statement in pre_migration_statements("sqlite", FIRST_TABLES):
            db.execute(statement)
        db.execute("INSERT INTO messages (conversation_id, sender, created_at) VALUES (?, 'user', '2026-12-01 09:30:15')", (C1,))
    url = f"sqlite+aiosqlite:///{path}"

    with pytest.raises(migrate.SchemaError, match="point nowhere in messages"):
        await migrate.upgrade_database(url)
    assert await table_names(url) == FIRST_TABLES


@pytest.mark.asyncio
async def test_the_baseline_goes_down_and_up_again(url):
    await migrate.upgrade_database(url)
    await alembic(url, command.downgrade, "base")
    assert await table_names(url) == {"alembic_version"}
    assert await with_migration_connection(url, migrate.current_revision) is None
    assert (await migrate.upgrade_database(url)).after == migrate.head_revision()


@pytest.mark.asyncio
async def test_the_gateway_refuses_a_database_that_is_not_at_head(aiohttp_client, tmp_path):
    settings = Settings(var_dir=tmp_path / "var")
    with pytest.raises(migrate.SchemaError, match="python -m bot db upgrade"):
        await aiohttp_client(GatewayTestServer(create_app(settings)))
    await run_sql(settings.gateway_db_url, pre_migration_statements("sqlite"))
    with pytest.raises(migrate.SchemaError, match="made before migrations"):
        await aiohttp_client(GatewayTestServer(create_app(settings)))


def test_alembics_own_api_opens_an_async_engine_itself(tmp_path):
    """env.py's other path (Alembic's asyncio cookbook): a URL, no connection handed over."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    # In a thread of its own: env.py runs its own event loop there.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, migrate.make_config(url), "head").result()
        assert pool.submit(asyncio.run, table_names(url)).result() == GATEWAY_TABLES | {"alembic_version"}


def run_bot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GATEWAY_DB_URL"}
    env.update({"VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_upgrades_the_database_of_the_settings(tmp_path):
    head = migrate.head_revision()
    first = run_bot(tmp_path, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert f"from revision none to {head}" in first.stdout
    assert (tmp_path / "var" / "gateway.db").exists()
    assert "nothing to do" in run_bot(tmp_path, "db", "upgrade").stdout
    assert run_bot(tmp_path, "db", "current").stdout.strip() == f"{head} (head)"


@pytest.fixture
def scratch_migrations(tmp_path, monkeypatch) -> Path:
    """A copy of the migrations to write new revisions into."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    return copy / "versions"


@pytest.mark.asyncio
async def test_a_new_revision_comes_from_the_models_changes(scratch_migrations, monkeypatch, tmp_path):
    before = sorted(p.name for p in scratch_migrations.glob("*.py"))
    assert await migrate.new_revision("nothing changed") is None
    assert sorted(p.name for p in scratch_migrations.glob("*.py")) == before

    changed = MetaData()
    for table in migrate.target_metadata().sorted_tables:
        table.to_metadata(changed)
    Table("notes", changed, Column("id", Integer, primary_key=True), Column("body", String(200), nullable=False))
    monkeypatch.setattr(migrate, "target_metadata", lambda: changed)

    previous, expected_id = migrate.head_revision(), migrate.next_revision_id()
    written = await migrate.new_revision("add notes")
    assert written is not None and written.name == f"{expected_id}_add_notes.py"
    source = written.read_text()
    assert "op.create_table('notes'" in source and f"down_revision = {previous!r}" in source

    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    assert (await migrate.upgrade_database(url)).after == expected_id
    assert "notes" in await table_names(url)
    assert await with_migration_connection(url, migrate.differences) == []

    empty = await migrate.new_revision("fix data", empty=True)
    assert empty.name == f"{int(expected_id) + 1:04d}_fix_data.py"
    assert "def upgrade() -> None:\n    pass" in empty.read_text()
