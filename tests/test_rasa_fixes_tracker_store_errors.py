"""A tracker store that fails makes the message fail: no empty tracker to start over
from, nothing kept in the Rasa process's memory, and no conversation content logged."""
from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.fixes import tracker_store_errors


class Unreachable(InMemoryTrackerStore):
    async def retrieve(self, sender_id):
        raise ConnectionRefusedError("INSERT ... 'Jeg drikker for mye'")

    async def retrieve_full_tracker(self, sender_id):
        raise ConnectionRefusedError("no database")

    async def save(self, tracker):
        raise ConnectionRefusedError("INSERT ... 'Jeg drikker for mye'")

    async def keys(self):
        raise ConnectionRefusedError("no database")


@pytest.fixture
def fixed(monkeypatch):
    for name in tracker_store_errors.PASSED_THROUGH:
        monkeypatch.setattr(FailSafeTrackerStore, name, getattr(FailSafeTrackerStore, name))
    tracker_store_errors.apply()


def test_rasa_alone_carries_on_from_memory():
    """What the fix is for: Rasa's own wrapper hides the error."""
    store = FailSafeTrackerStore(Unreachable(Domain.empty()))
    assert asyncio.run(store.retrieve("a")) is None  # an empty conversation from here on
    tracker = DialogueStateTracker.from_events("a", [UserUttered("Jeg drikker for mye")])
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.fallback_tracker_store.retrieve("a")) is not None  # kept in memory


def test_errors_go_through_and_nothing_is_kept(fixed, caplog):
    store = FailSafeTrackerStore(Unreachable(Domain.empty()))
    tracker = DialogueStateTracker.from_events("a", [UserUttered("Jeg drikker for mye")])
    with caplog.at_level(logging.ERROR, logger=tracker_store_errors.__name__):
        for call in (store.retrieve("a"), store.retrieve_full_tracker("a"), store.save(tracker), store.keys()):
            with pytest.raises(tracker_store_errors.TrackerStoreUnavailable) as raised:
                asyncio.run(call)
            assert "drikker" not in str(raised.value) and raised.value.__cause__ is None
            assert raised.value.__suppress_context__
    assert store._fallback_tracker_store is None  # never made
    assert "tracker_store_failed operation=save type=ConnectionRefusedError" in caplog.text
    assert "tracker_store_failed operation=retrieve type=ConnectionRefusedError" in caplog.text
    assert "drikker" not in caplog.text


def test_a_working_store_is_used_as_before(fixed):
    store = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    tracker = DialogueStateTracker.from_events("a", [UserUttered("hei")])
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("a")).latest_message.text == "hei"
    assert list(asyncio.run(store.keys())) == ["a"]
