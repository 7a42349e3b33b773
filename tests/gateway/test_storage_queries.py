"""The transcript's message ids: handed out by the gateway, in order, stored as given,
continued after a restart; a turn's rows go in with one INSERT."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import pytest_asyncio

from bot.storage import queries
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.message_ids import MessageIds
from bot.storage.migrate import upgrade_database

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sessions(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await upgrade_database(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def test_ids_increase_and_never_repeat():
    ids = MessageIds(last=41)
    assert ids.take(3) == [42, 43, 44]
    assert ids.take(0) == []
    assert ids.take(1) == [45]


async def test_rows_are_stored_with_the_ids_they_were_given(sessions):
    async with sessions() as s, s.begin():
        for conversation_id in ("a", "b"):
            await queries.create_conversation(s, conversation_id, NOW)
    async with sessions() as s:
        ids = await MessageIds.after_stored(s)
    given = {}
    for turn in range(4):
        for conversation_id in ("a", "b"):
            replies = [{"text": f"svar {turn}.{n}", "buttons": [{"title": "Ja", "payload": "/ja"}]} for n in range(turn % 3 + 1)]
            rows = [
                *queries.new_messages(conversation_id, "user", [{"text": f"melding {turn}"}], NOW, ids),
                *queries.new_messages(conversation_id, "bot", replies, NOW, ids),
            ]
            given.update({r.id: (conversation_id, r.sender, r.text, r.buttons) for r in rows})
            async with sessions() as s, s.begin():
                await queries.insert_messages(s, rows)
    async with sessions() as s:
        stored = {m.id: (m.conversation_id, m.sender, m.text, m.buttons) for c in ("a", "b") for m in await queries.list_messages(s, c)}
    assert stored == given
    # In each conversation the transcript reads in the order it was written.
    async with sessions() as s:
        texts = [m.text for m in await queries.list_messages(s, "a") if m.sender == "user"]
    assert texts == [f"melding {turn}" for turn in range(4)]


async def test_ids_continue_after_the_largest_stored(sessions):
    async with sessions() as s, s.begin():
        await queries.create_conversation(s, "a", NOW)
        await queries.add_messages(s, "a", "bot", [{"text": "en"}, {"text": "to"}], NOW, MessageIds(last=99))
    async with sessions() as s:
        assert (await MessageIds.after_stored(s)).take(1) == [102]


async def test_an_empty_transcript_starts_at_one(sessions):
    async with sessions() as s:
        assert (await MessageIds.after_stored(s)).take(2) == [1, 2]


async def test_one_insert_statement_per_exchange(sessions):
    from sqlalchemy import event

    async with sessions() as s, s.begin():
        await queries.create_conversation(s, "a", NOW)
    ids = MessageIds()
    rows = [
        *queries.new_messages("a", "user", [{"text": "hei"}], NOW, ids),
        *queries.new_messages("a", "bot", [{"text": "en"}, {"text": "to"}, {"text": "tre"}], NOW, ids),
    ]
    statements = []
    async with sessions() as s, s.begin():
        engine = (await s.connection()).engine.sync_engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            await queries.insert_messages(s, rows)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert [s.split()[0] for s in statements] == ["INSERT"]


async def test_only_the_gateways_own_file_is_written_ahead_log_style(tmp_path):
    from sqlalchemy import text

    modes = {}
    for name, fast in (("gateway.db", True), ("tracker.db", False)):
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / name}", fast_commits=fast)
        async with engine.connect() as conn:
            journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            synchronous = (await conn.execute(text("PRAGMA synchronous"))).scalar()
        await engine.dispose()
        modes[name] = (journal, synchronous)
    assert modes == {"gateway.db": ("wal", 1), "tracker.db": ("delete", 2)}  # 1 NORMAL, 2 FULL
