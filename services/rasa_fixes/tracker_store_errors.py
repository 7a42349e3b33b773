"""A tracker store that fails makes the message fail, instead of Rasa carrying on
from memory.

Rasa wraps every tracker store in `FailSafeTrackerStore`: when the database cannot
be read it starts the conversation over from an empty tracker, and when it cannot be
written it keeps the tracker in the process's memory. With PostgreSQL restarting,
the person then got an answer that had forgotten who they are, their message was not
in the tracker store, and a copy of the conversation stayed in the Rasa process
where deleting the conversation does not reach. Now the error goes through: Rasa's
REST channel answers with no messages, which the gateway turns into a clear error
with the phone number, and the message is not taken. The error is logged as an
event (no conversation content: database errors can quote the stored events).
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


def _failed(operation: str, error: Exception) -> None:
    logger.error("tracker_store_failed operation=%s type=%s", operation, type(error).__name__)


async def retrieve(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve(sender_id)
    except Exception as error:
        _failed("retrieve", error)
        raise


async def retrieve_full_tracker(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve_full_tracker(sender_id)
    except Exception as error:
        _failed("retrieve_full_tracker", error)
        raise


async def save(self: FailSafeTrackerStore, tracker: DialogueStateTracker) -> None:
    try:
        await self._tracker_store.save(tracker)
    except Exception as error:
        _failed("save", error)
        raise


async def keys(self: FailSafeTrackerStore) -> Any:
    try:
        return await self._tracker_store.keys()
    except Exception as error:
        _failed("keys", error)
        raise


def install() -> None:
    FailSafeTrackerStore.retrieve = retrieve
    FailSafeTrackerStore.retrieve_full_tracker = retrieve_full_tracker
    FailSafeTrackerStore.save = save
    FailSafeTrackerStore.keys = keys
