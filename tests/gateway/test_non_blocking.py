"""The gateway never blocks its event loop on a database or HTTP call: no synchronous
driver or client is imported anywhere in bot/, and PostgreSQL is reached through
asyncpg (SQLite through aiosqlite)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import Settings, async_db_url
from bot.storage.engine import make_engine

BOT = Path(__file__).resolve().parents[2] / "bot"
BLOCKING_MODULES = {"sqlite3", "psycopg2", "psycopg", "pymysql", "requests", "urllib.request", "redis", "http.client"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(BOT.rglob("*.py")), ids=lambda p: str(p.relative_to(BOT)))
def test_no_blocking_client_is_imported(path):
    blocking = {name for name in _imports(path) if name in BLOCKING_MODULES or name.split(".")[0] in {"sqlite3", "psycopg2", "requests"}}
    assert not blocking, f"{path.relative_to(BOT)} imports {blocking}"


@pytest.mark.parametrize("url", ["postgresql://akan:pw@127.0.0.1:5433/gateway", "postgres://a:b@127.0.0.1/x",
                                 "postgresql+psycopg2://a:b@127.0.0.1/x"])
def test_postgresql_goes_through_asyncpg(url):
    settings = Settings(db_url=url, tracker_db_url=url)
    for async_url in (settings.gateway_db_url, settings.tracker_async_url):
        engine = make_engine(async_url)
        assert engine.dialect.driver == "asyncpg"
        assert engine.sync_engine.pool._pre_ping  # a restarted server costs no request
    assert async_db_url(url).startswith("postgresql+asyncpg://")


def test_sqlite_goes_through_aiosqlite(tmp_path):
    engine = make_engine(Settings(var_dir=tmp_path).gateway_db_url)
    assert engine.dialect.driver == "aiosqlite"
