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
event and raised as `TrackerStoreUnavailable` (no conversation content: database
errors can quote the stored events).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.tracker_store import FailSafeTrackerStore

from rasa_runtime.fixes.tripwire import Fix

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(Exception):
    """The tracker store failed; which call, and nothing of the conversation."""


PASSED_THROUGH = ("retrieve", "retrieve_full_tracker", "save", "keys")


def _passing_errors(name: str) -> Callable[..., Awaitable[Any]]:
    """The wrapper's `name` calling the tracker store's, with no fallback."""

    async def call(self: FailSafeTrackerStore, *args: Any) -> Any:
        try:
            return await getattr(self._tracker_store, name)(*args)
        except Exception as error:
            logger.error("tracker_store_failed operation=%s type=%s", name, type(error).__name__)
            # Not the database's own error: its text can quote the events (what the
            # person wrote), and Rasa logs the traceback of a failed message.
            raise TrackerStoreUnavailable(name) from None

    call.__name__ = name
    return call


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    for name in PASSED_THROUGH:
        setattr(FailSafeTrackerStore, name, _passing_errors(name))


FIX = Fix(
    name="tracker_store_errors",
    originals={
        "rasa.core.tracker_store:FailSafeTrackerStore.retrieve": "35d77318b0cc79771af3c667bc8c34cd5a56e494eaa8c4d713fd754b9d00d276",
        "rasa.core.tracker_store:FailSafeTrackerStore.retrieve_full_tracker": "5272a6be0919b511c874fde07a8666777d09f5a11ba29e66f1f923f5ef85e2a0",
        "rasa.core.tracker_store:FailSafeTrackerStore.save": "8426dc08f58d71102f7c031ade8a26b0b1458c8bae162be7b091d288699a5e9b",
        "rasa.core.tracker_store:FailSafeTrackerStore.keys": "2383a042130a7ce533e546dab8b0ebd5e9573c551fb593129d29bd7c8b8d8e28",
    },
    apply=apply,
)
