"""The gateway on PostgreSQL for the `production` group: a throw-away local cluster
per test module (services/postgres.py, Debian's server binaries), an empty gateway
database at the newest revision for every test, the gateway app on it (the tracker
stays the fake Rasa's SQLite file), and the superuser's connection for looking
into the tables' pages. Import the fixtures into a test module to use them."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg2
import pytest
import pytest_asyncio
from sqlalchemy import text

from bot.settings import Settings, async_db_url
from bot.storage.engine import make_engine
from bot.storage.migrate import upgrade_database
from services.default_stack import free_port
from services.postgres import SUPERUSER, PostgresError, PostgresServer
from tests.gateway.conftest import FakeRasa, fake_rasa_settings
from tests.skips import missing


@pytest.fixture(scope="module")
def postgres_server():
    # Directly under /tmp: the server may run as the postgres user, which must reach the directory.
    base_dir = Path(tempfile.mkdtemp(prefix="akan-gateway-pg-"))
    server = PostgresServer(base_dir=base_dir, port=free_port())
    try:
        try:
            server.start()
        except (PostgresError, OSError) as exc:
            missing("production", f"PostgreSQL not available: {exc}")
        yield server
    finally:
        server.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


async def empty_postgres_database(url: str) -> None:
    """Every table of the database at `url` (async driver URL) dropped."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def empty_gateway_database(server: PostgresServer) -> str:
    """The gateway database emptied and upgraded to the newest revision; its plain URL."""
    url = server.url("gateway")
    await empty_postgres_database(async_db_url(url))
    await upgrade_database(async_db_url(url))
    return url


@pytest_asyncio.fixture
async def pg_settings(var_dir: Path, fake_rasa: FakeRasa, postgres_server: PostgresServer) -> Settings:
    """The gateway's settings with its own database on PostgreSQL (empty, newest revision)."""
    return fake_rasa_settings(var_dir, fake_rasa, db_url=await empty_gateway_database(postgres_server))


@pytest_asyncio.fixture
async def pg_client(make_client, pg_settings: Settings):
    return await make_client(pg_settings)


@pytest.fixture
def superuser(postgres_server: PostgresServer):
    """A superuser's autocommit connection to the gateway database (pageinspect needs one)."""
    connection = psycopg2.connect(
        host=str(postgres_server.socket_dir), port=postgres_server.port, user=SUPERUSER, dbname="gateway"
    )
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()
