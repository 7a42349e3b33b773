"""Statistics: a scripted set of turns gives exactly the expected counts, on SQLite
and on PostgreSQL (a throw-away local cluster, marked `production`)."""
from __future__ import annotations

import shutil
import socket
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, select, text

from bot.settings import async_db_url
from bot.statistics import queries
from bot.statistics.models import ConversationTally, OutcomeCount
from bot.statistics.recording import day_of, record_outcome, record_replies
from bot.storage import queries as storage
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade_database
from bot.storage.models import Base
from tests.skips import missing

pytestmark = pytest.mark.asyncio

# 10:00 UTC on Friday 20 November 2026 is 11:00 in Oslo.
NOW = datetime(2026, 11, 20, 10, 0)
DAY = date(2026, 11, 20)


def advice(role, topic, substance=None, **extra):
    return {"recipient_id": "x", "custom": {
        "type": "recommendations", "role": role, "topic": topic, "substance": substance,
        "ids": ["a"], "sources": ["b"], **extra,
    }}


TEXT = {"recipient_id": "x", "text": "Hei!"}
CRISIS = {"recipient_id": "x", "custom": {"type": "crisis", "third_person": False, "contacts": []}}
UNAVAILABLE = {"recipient_id": "x", "custom": {"type": "handoff", "status": "unavailable", "reason": "request_human"}}


def queued(**summary):
    return {"recipient_id": "x", "custom": {"type": "handoff", "status": "queued", "reason": "request_human",
                                            "summary": summary}}


@pytest.fixture(scope="module")
def postgres_url():
    from services.postgres import PostgresError, PostgresServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Directly under /tmp: the server may run as the postgres user, which must reach the directory.
    base_dir = Path(tempfile.mkdtemp(prefix="akan-statistics-pg-"))
    server = PostgresServer(base_dir=base_dir, port=port)
    try:
        try:
            server.start()
        except (PostgresError, OSError) as exc:
            missing("production", f"PostgreSQL not available: {exc}")
        yield async_db_url(server.url("gateway"))
    finally:
        server.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.production)])
async def db(request, tmp_path):
    url = (
        f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}" if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = make_engine(url)
    # An empty database for every test (the PostgreSQL one is shared by the module), then its schema.
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await upgrade_database(url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def new_conversation(db, name: str) -> str:
    conversation_id = f"00000000-0000-4000-8000-{name:0>12}"
    async with db() as s, s.begin():
        await storage.create_conversation(s, conversation_id, NOW)
    return conversation_id


async def turn(db, conversation_id, replies, now=NOW):
    async with db() as s, s.begin():
        return await record_replies(s, conversation_id, replies, now)


async def outcome(db, conversation_id, name, now=NOW, **known):
    async with db() as s, s.begin():
        return await record_outcome(s, conversation_id, name, now, **known)


async def read(db, fn, *args, **kwargs):
    async with db() as s:
        return await fn(s, *args, **kwargs)


async def test_a_scripted_day_gives_exact_counts(db):
    # 1: a leader gets advice twice (one "answered"), then asks for a human after hours.
    leader = await new_conversation(db, "1")
    assert await turn(db, leader, [TEXT]) == []
    assert await turn(db, leader, [TEXT, advice("leder", "hjemmekontor")]) == ["answered"]
    assert await turn(db, leader, [TEXT, advice("leder", "policy", "alkohol")]) == []
    assert await turn(db, leader, [TEXT, UNAVAILABLE]) == ["unavailable"]
    assert await turn(db, leader, [UNAVAILABLE]) == []
    # 2: a crisis before anything is known, then a colleague's question about early signs.
    worried = await new_conversation(db, "2")
    assert await turn(db, worried, [TEXT, CRISIS]) == ["crisis"]
    assert await turn(db, worried, [advice("kollega", "signaler", "narkotika")]) == ["answered"]
    assert await turn(db, worried, [TEXT, CRISIS]) == []
    # 3: occupational health asks for a human; the summary tells who; a counsellor takes it.
    bht = await new_conversation(db, "3")
    assert await turn(db, bht, [queued(role="bht", topic="testing", substance=None)]) == []
    assert await outcome(db, bht, "handed_off") is True
    assert await outcome(db, bht, "handed_off") is False
    # 4: someone leaves the queue; the desk says who.
    selv = await new_conversation(db, "4")
    assert await outcome(db, selv, "abandoned", role="selv", topic="akan_avtale", substance="spill") is True
    # 5: only greetings and misunderstandings: not a henvendelse.
    idle = await new_conversation(db, "5")
    assert await turn(db, idle, [TEXT]) == []
    # 6: a crisis with the answer in the same turn, values outside the taxonomy count as unknown.
    odd = await new_conversation(db, "6")
    assert await turn(db, odd, [CRISIS, advice("martian", "weather", "kaffe")]) == ["crisis", "answered"]

    assert await read(db, queries.count_conversations, DAY, DAY) == 5
    assert await read(db, queries.counts_by, "role", DAY, DAY) == {
        "leder": 1, "ukjent": 2, "bht": 1, "selv": 1,
    }
    assert await read(db, queries.counts_by, "topic", DAY, DAY) == {
        "hjemmekontor": 1, "ukjent": 2, "testing": 1, "akan_avtale": 1,
    }
    assert await read(db, queries.counts_by, "substance", DAY, DAY) == {"ukjent": 4, "spill": 1}
    assert await read(db, queries.counts_by, "outcome", DAY, DAY) == {
        "answered": 1, "crisis": 2, "handed_off": 1, "abandoned": 1,
    }
    assert await read(db, queries.counts_by, "outcome", DAY, DAY, conversations_only=False) == {
        "answered": 3, "unavailable": 1, "crisis": 2, "handed_off": 1, "abandoned": 1,
    }
    assert await read(db, queries.counts_by, "role", DAY, DAY, conversations_only=False) == {
        "leder": 2, "kollega": 1, "ukjent": 3, "bht": 1, "selv": 1,
    }
    cells = await read(db, queries.cells, DAY, DAY)
    as_tuples = {(c.role, c.topic, c.substance, c.outcome, c.count, c.conversations) for c in cells}
    assert as_tuples == {
        ("leder", "hjemmekontor", "ukjent", "answered", 1, 1),
        # The role/topic/substance last seen before the handoff request.
        ("leder", "policy", "alkohol", "unavailable", 1, 0),
        ("ukjent", "ukjent", "ukjent", "crisis", 2, 2),
        ("kollega", "signaler", "narkotika", "answered", 1, 0),
        ("bht", "testing", "ukjent", "handed_off", 1, 1),
        ("selv", "akan_avtale", "spill", "abandoned", 1, 1),
        ("ukjent", "ukjent", "ukjent", "answered", 1, 0),
    }
    assert all(c.day == DAY for c in cells)


async def test_days_follow_the_oslo_calendar_and_the_period_filter(db):
    late = await new_conversation(db, "1")
    # 23:30 UTC on 20 November is 00:30 on 21 November in Oslo.
    await turn(db, late, [advice("leder", "policy")], now=datetime(2026, 11, 20, 23, 30))
    early = await new_conversation(db, "2")
    await turn(db, early, [advice("kollega", "policy")], now=datetime(2026, 11, 20, 22, 59))
    summer = await new_conversation(db, "3")
    # 22:30 UTC on 30 June is 00:30 on 1 July in Oslo (summer time, UTC+2).
    await turn(db, summer, [CRISIS], now=datetime(2026, 6, 30, 22, 30))
    assert day_of(datetime(2026, 6, 30, 22, 30)) == date(2026, 7, 1)

    assert await read(db, queries.conversations_by_day, date(2026, 1, 1), date(2026, 12, 31)) == {
        date(2026, 7, 1): 1, date(2026, 11, 20): 1, date(2026, 11, 21): 1,
    }
    assert await read(db, queries.count_conversations, date(2026, 11, 21), date(2026, 11, 21)) == 1
    assert await read(db, queries.counts_by, "role", date(2026, 11, 20), date(2026, 11, 20)) == {"kollega": 1}
    assert await read(db, queries.count_conversations, date(2026, 7, 2), date(2026, 11, 19)) == 0
    assert await read(db, queries.cells, date(2026, 11, 22), date(2026, 12, 31)) == []


async def test_counts_stay_when_the_transcript_goes(db):
    conversation_id = await new_conversation(db, "1")
    await turn(db, conversation_id, [advice("parorende", "signaler")])
    async with db() as s:
        assert (await s.execute(select(func.count()).select_from(ConversationTally))).scalar_one() == 1
    async with db() as s, s.begin():
        assert await storage.delete_conversation(s, conversation_id)
    async with db() as s:
        assert (await s.execute(select(func.count()).select_from(ConversationTally))).scalar_one() == 0
        assert (await s.execute(select(OutcomeCount.count))).scalars().all() == [1]
    # The desk may report the end of a conversation that was just deleted: counted, not as new.
    assert await outcome(db, conversation_id, "abandoned") is True
    assert await read(db, queries.count_conversations, DAY, DAY) == 1
    assert await read(db, queries.counts_by, "outcome", DAY, DAY, conversations_only=False) == {
        "answered": 1, "abandoned": 1,
    }


async def test_many_conversations_add_up_in_one_row(db):
    for n in range(1, 8):
        conversation_id = await new_conversation(db, str(n))
        await turn(db, conversation_id, [advice("leder", "akan_avtale")], now=NOW + timedelta(minutes=n))
    async with db() as s:
        rows = (await s.execute(select(OutcomeCount))).scalars().all()
    assert [(r.role, r.topic, r.outcome, r.first_outcome, r.count) for r in rows] == [
        ("leder", "akan_avtale", "answered", True, 7)
    ]


async def test_unknown_outcome_is_refused(db):
    conversation_id = await new_conversation(db, "1")
    with pytest.raises(ValueError, match="outcome"):
        await outcome(db, conversation_id, "lost")
