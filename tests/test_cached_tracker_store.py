"""The caching tracker store: hands out the tracker it saved only while the database
holds exactly that tracker's events; otherwise reads the database as Rasa does."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

from rasa_runtime.tracker_stores.cached import CachedSQLTrackerStore
from services.default_stack import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


def _store(domain: Domain, db: Path, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(host=f"sqlite:///{db}", domain=domain, **kwargs)


async def _new_conversation(store: CachedSQLTrackerStore, sender: str):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_greet"))
    await store.save(tracker)
    return tracker


def _turn(tracker, role: str) -> None:
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("jeg er leder", {"name": "ask_advice", "confidence": 1.0}))
    tracker.update(SlotSet("role", role))


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.production.yml"])
def test_both_profiles_load_this_store(monkeypatch, domain, db, endpoints):
    """Rasa falls back to an in-memory store, silently, when it cannot import a custom one."""
    for name in ("ACTIONS_PORT", "REDIS_PORT"):
        monkeypatch.setenv(name, "5055")
    monkeypatch.setenv("REDIS_PASSWORD", "x")
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{db}")
    config = read_endpoint_config(str(PROJECT_ROOT / endpoints), "tracker_store")
    store = TrackerStore.create(config, domain)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, CachedSQLTrackerStore)


def test_saved_tracker_is_handed_out_again_and_matches_the_database(domain, db):
    async def scenario():
        store = _store(domain, db)
        tracker = await _new_conversation(store, "a")
        _turn(tracker, "leder")
        await store.save(tracker)
        again = await store.retrieve("a")
        assert again is tracker
        from_db = await CachedSQLTrackerStore.retrieve(_store(domain, db, cache_size=0), "a")
        assert from_db.current_state() == again.current_state()
        assert again.get_slot("role") == "leder"

    asyncio.run(scenario())


def test_changes_by_others_are_read_from_the_database(domain, db):
    async def scenario():
        replica_a, replica_b = _store(domain, db), _store(domain, db)
        tracker = await _new_conversation(replica_a, "a")
        # The conversation moves to replica B (failover) and gets a turn there.
        elsewhere = await replica_b.retrieve("a")
        assert elsewhere is not tracker
        _turn(elsewhere, "kollega")
        await replica_b.save(elsewhere)
        back = await replica_a.retrieve("a")
        assert back is not tracker and back.get_slot("role") == "kollega"

    asyncio.run(scenario())


def test_a_turn_that_was_not_saved_is_not_handed_out(domain, db):
    async def scenario():
        store = _store(domain, db)
        saved_events = len((await _new_conversation(store, "a")).events)
        taken = await store.retrieve("a")
        _turn(taken, "bht")  # the turn fails before Rasa saves it
        fresh = await store.retrieve("a")
        assert fresh is not taken and fresh.get_slot("role") is None
        assert len(fresh.events) <= saved_events < len(taken.events)

    asyncio.run(scenario())


def test_deleted_conversation_is_gone_and_cache_is_bounded(domain, db):
    async def scenario():
        store = _store(domain, db, cache_size=2)
        for sender in ("a", "b", "c"):
            await _new_conversation(store, sender)
        assert list(store._saved) == ["b", "c"]
        with sqlite3.connect(db) as connection:  # "Slett samtalen": the gateway deletes the rows
            connection.execute("DELETE FROM events WHERE sender_id = 'c'")
        assert await store.retrieve("c") is None

    asyncio.run(scenario())


def test_new_session_is_read_from_the_database(domain, db):
    async def scenario():
        store = _store(domain, db)
        tracker = await _new_conversation(store, "a")
        tracker = await store.retrieve("a")
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        latest = await store.retrieve("a")
        assert latest is not tracker
        assert [e.type_name for e in latest.events][0] == "session_started"

    asyncio.run(scenario())


def test_trackers_leave_memory_after_cache_seconds(domain, db):
    async def scenario():
        now = [1000.0]
        store = _store(domain, db, cache_seconds="60", clock=lambda: now[0])
        tracker = await _new_conversation(store, "a")
        now[0] += 61
        await _new_conversation(store, "b")  # any save prunes what is too old
        assert list(store._saved) == ["b"]
        again = await store.retrieve("a")
        assert again is not tracker and len(again.events) <= len(tracker.events)

    asyncio.run(scenario())


def _stored_types(db: Path, sender: str) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [name for (name,) in rows]


def test_every_event_is_stored_exactly_once_across_turns(domain, db):
    """Save adds the events after the count retrieve saw, whether the tracker came from
    memory, from the database, or was saved twice without a retrieve in between."""
    async def scenario():
        store = _store(domain, db)
        tracker = await _new_conversation(store, "a")
        for role in ("leder", "kollega"):
            tracker = await store.retrieve("a")  # from memory
            _turn(tracker, role)
            await store.save(tracker)
        reader = _store(domain, db)
        tracker = await reader.retrieve("a")  # from the database
        _turn(tracker, "bht")
        await reader.save(tracker)
        tracker.update(ActionExecuted("action_listen"))
        await reader.save(tracker)  # no retrieve in between: Rasa counts
        assert _stored_types(db, "a") == [e.type_name for e in tracker.events]
        assert (await _store(domain, db).retrieve("a")).get_slot("role") == "bht"

    asyncio.run(scenario())


def test_a_conversation_changed_elsewhere_between_turns_is_not_duplicated(domain, db):
    async def scenario():
        replica_a, replica_b = _store(domain, db), _store(domain, db)
        await _new_conversation(replica_a, "a")
        elsewhere = await replica_b.retrieve("a")
        _turn(elsewhere, "kollega")
        await replica_b.save(elsewhere)
        back = await replica_a.retrieve("a")  # stale in memory: read again, count remembered anew
        _turn(back, "leder")
        await replica_a.save(back)
        assert _stored_types(db, "a") == [e.type_name for e in back.events]

    asyncio.run(scenario())


def test_a_turns_events_are_one_insert_and_the_newest_id_is_right(domain, db):
    """The events of a turn go in with one INSERT; the id noted for the cache check is the
    newest in the database, so the next turn is handed out from memory."""
    from sqlalchemy import event

    async def scenario():
        store = _store(domain, db)
        tracker = await _new_conversation(store, "a")
        tracker = await store.retrieve("a")
        _turn(tracker, "leder")
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(store.engine, "before_cursor_execute", listener)
        try:
            await store.save(tracker)
        finally:
            event.remove(store.engine, "before_cursor_execute", listener)
        assert [s.split()[0] for s in statements if s.split()[0] == "INSERT"] == ["INSERT"]
        assert store._saved["a"][2] == store.newest_event_id("a")
        assert await store.retrieve("a") is tracker  # from memory: the check held

    asyncio.run(scenario())


def test_an_sqlite_store_keeps_one_connection_and_never_blocks_the_deletion_checkpoint(domain, db):
    """SQLAlchemy 1.4 would open (and close, checkpointing) a connection per session of
    an SQLite file; the store keeps one. Kept open between turns, it must not hold
    the `-wal` file: the gateway's compaction empties it after every deletion."""
    from sqlalchemy import event

    async def scenario():
        store = _store(domain, db)
        connects = []
        event.listen(store.engine, "connect", lambda *args: connects.append(1))
        tracker = await _new_conversation(store, "a")
        for role in ("leder", "kollega", "bht"):
            tracker = await store.retrieve("a")
            _turn(tracker, role)
            await store.save(tracker)
        assert len(connects) == 1
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        with sqlite3.connect(db) as gateway:  # "Slett samtalen", then the compaction's checkpoint
            gateway.execute("DELETE FROM events WHERE sender_id = 'a'")
        with sqlite3.connect(db) as gateway:
            busy, _, _ = gateway.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
        assert Path(f"{db}-wal").stat().st_size == 0
        assert await store.retrieve("a") is None  # the deletion reached the store, not its memory

    asyncio.run(scenario())
