"""Rasa's SQL tracker store with the trackers it just saved kept in memory.

Rasa 3.6 rebuilds the tracker from the database at every message: it reads every
event of the session, parses its JSON and replays it. That cost grows with the
conversation (measured: 23 ms at 60 events, 254 ms at 950 events), so long
conversations got slower with every turn. This store keeps the tracker it saved
last for each conversation and hands it out again, after one cheap check that the
database holds exactly the events the tracker has (the same count query Rasa's
`save` already runs). Anything else - another replica wrote to the conversation,
it was deleted ("Slett samtalen", retention), a new session began, a turn failed
before it was saved - makes the counts differ, and the tracker is read from the
database as before. So the database stays the truth, and replicas stay correct.

A tracker stays in memory at most `cache_seconds` after its last save (default
600, pruned at every save) and only for the newest `cache_size` conversations
(default 1000), so a deleted transcript does not linger in the Rasa process either.

Used by `endpoints.yml` and `endpoints.production.yml` as
`type: services.cached_tracker_store.CachedSQLTrackerStore`; optional endpoint keys
`cache_size` and `cache_seconds`.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Callable, Optional

from rasa.shared.core.trackers import DialogueStateTracker

from services.tracker_store import ReconnectingSQLTrackerStore

DEFAULT_CACHE_SIZE = 1000
DEFAULT_CACHE_SECONDS = 600


class CachedSQLTrackerStore(ReconnectingSQLTrackerStore):
    def __init__(
        self,
        *args: Any,
        cache_size: int | str = DEFAULT_CACHE_SIZE,
        cache_seconds: float | str = DEFAULT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = max(0, int(cache_size))
        self.cache_seconds = float(cache_seconds)
        self._clock = clock
        # sender id -> (tracker, when saved), oldest first
        self._saved: OrderedDict[str, tuple[DialogueStateTracker, float]] = OrderedDict()

    def stored_event_count(self, sender_id: str) -> int:
        """Events of the conversation's latest session in the database."""
        with self.session_scope() as session:
            return self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        # Taken out of the cache: whoever gets it may change it, and only a save puts it back.
        tracker, saved_at = self._saved.pop(sender_id, (None, 0.0))
        fresh = tracker is not None and self._clock() - saved_at <= self.cache_seconds
        if fresh and len(tracker.events) == self.stored_event_count(sender_id):
            return tracker
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if self.cache_size == 0:
            return
        now = self._clock()
        self._saved.pop(tracker.sender_id, None)
        self._saved[tracker.sender_id] = (tracker, now)
        while self._saved and (
            len(self._saved) > self.cache_size or now - next(iter(self._saved.values()))[1] > self.cache_seconds
        ):
            self._saved.popitem(last=False)
