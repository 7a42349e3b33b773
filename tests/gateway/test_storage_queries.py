"""The turn's transcript insert: one statement, and the ids it hands back are the ids
the database gave the rows (SQLite numbers them without RETURNING)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import pytest_asyncio

from bot.storage import queries
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Base

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sessions(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def test_returned_ids_are_the_stored_rows(sessions):
    async with sessions() as s, s.begin():
        for conversation_id in ("a", "b"):
            await queries.create_conversation(s, conversation_id, NOW)
    returned = {}
    for turn in range(4):
        for conversation_id in ("a", "b"):
            replies = [{"text": f"svar {turn}.{n}"} for n in range(turn % 3 + 1)]
            async with sessions() as s, s.begin():
                rows = await queries.add_exchange(s, conversation_id, {"text": f"melding {turn}"}, replies, NOW)
            assert [r.text for r in rows] == [r["text"] for r in replies]
            returned.update({r.id: (conversation_id, r.text) for r in rows})
    async with sessions() as s:
        stored = {m.id: (m.conversation_id, m.text) for c in ("a", "b") for m in await queries.list_messages(s, c) if m.sender == "bot"}
    assert returned == stored


async def test_one_insert_statement_per_exchange(sessions):
    from sqlalchemy import event

    async with sessions() as s, s.begin():
        await queries.create_conversation(s, "a", NOW)
    statements = []
    async with sessions() as s, s.begin():
        engine = (await s.connection()).engine.sync_engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            await queries.add_exchange(s, "a", {"text": "hei"}, [{"text": "en"}, {"text": "to"}, {"text": "tre"}], NOW)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert [s.split()[0] for s in statements] == ["INSERT"]
