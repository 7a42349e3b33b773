"""Rasa's SQL tracker store with the trackers it just saved kept in memory.

Rasa 3.6 rebuilds the tracker from the database at every message: it reads every
event of the session, parses its JSON and replays it. That cost grows with the
conversation (measured: 23 ms at 60 events, 254 ms at 950 events), so long
conversations got slower with every turn. This store keeps the tracker it saved
last for each conversation and hands it out again, after one cheap check that the
newest event id the database holds for the conversation is still the one this
store wrote last (one indexed lookup; Rasa's own count query with its session
subquery cost about a tenth of a replica's CPU). Anything else - another replica
wrote to the conversation, it was deleted ("Slett samtalen", retention), a turn
failed before it was saved - changes that id or takes the tracker out of memory,
and the tracker is read from the database as before. So the database stays the
truth, and replicas stay correct.

The number of stored events is also remembered between `retrieve` and `save` of
a turn: Rasa's `save` would otherwise count them once more to know which events
are new. Within a turn the conversation is locked (lock store; the gateway's own
lock covers deletions), so the number read at the start of the turn is still the
number stored at its end.

`save` writes a turn's events with one INSERT (Rasa's ORM `save` sends one per
event: about a tenth of a replica's CPU per message with SQLite) and takes the newest
id from it (RETURNING on PostgreSQL, the last row id on SQLite).

A tracker stays in memory at most `cache_seconds` after its last save (default
600, pruned at every save) and only for the newest `cache_size` conversations
(default 1000), so a deleted transcript does not linger in the Rasa process either.

Used by `endpoints.yml` and `endpoints.production.yml` as
`type: rasa_runtime.tracker_stores.cached.CachedSQLTrackerStore`; optional endpoint keys
`cache_size` and `cache_seconds`.
"""
from __future__ import annotations

import itertools
import json
import time
from collections import OrderedDict
from typing import Any, Callable, Iterator, Optional

import sqlalchemy as sa
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from rasa_runtime.tracker_stores.reconnecting import ReconnectingSQLTrackerStore

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
        # sender id -> (tracker, when saved, newest event id written), oldest first
        self._saved: OrderedDict[str, tuple[DialogueStateTracker, float, Optional[int]]] = OrderedDict()
        self._newest_id_query = sa.select(sa.func.max(self.SQLEvent.id)).where(
            self.SQLEvent.sender_id == sa.bindparam("sender_id")
        )
        # sender id -> how many of its tracker's events are in the database (the index
        # where `save` starts adding), as last seen by retrieve or save
        self._stored_counts: dict[str, int] = {}

    def newest_event_id(self, sender_id: str, session: Any = None) -> Optional[int]:
        """The id of the conversation's newest event in the database (None: no events)."""
        if session is not None:
            return session.execute(self._newest_id_query, {"sender_id": sender_id}).scalar()
        with self.session_scope() as session:
            return session.execute(self._newest_id_query, {"sender_id": sender_id}).scalar()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        # Taken out of the cache: whoever gets it may change it, and only a save puts it back.
        tracker, saved_at, newest_id = self._saved.pop(sender_id, (None, 0.0, None))
        fresh = tracker is not None and newest_id is not None and self._clock() - saved_at <= self.cache_seconds
        if fresh and self.newest_event_id(sender_id) == newest_id:
            self._remember_count(sender_id, len(tracker.events))  # all of it is stored
            return tracker
        tracker = await super().retrieve(sender_id)
        # Rasa builds it from exactly the stored events of the latest session.
        self._remember_count(sender_id, len(tracker.events) if tracker is not None else 0)
        return tracker

    def _remember_count(self, sender_id: str, count: int) -> None:
        self._stored_counts.pop(sender_id, None)
        self._stored_counts[sender_id] = count
        while len(self._stored_counts) > max(self.cache_size, 1):
            del self._stored_counts[next(iter(self._stored_counts))]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events `save` must add: those after the count last seen, else Rasa's query."""
        count = self._stored_counts.pop(tracker.sender_id, None)
        if count is None or count > len(tracker.events):
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, count, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `save`, which also notes the newest event id and the stored count, and
        writes the turn's events in one INSERT (the ORM's way is one per event)."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [self._event_values(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            newest_id = self._insert_events(session, rows) if rows else None
            if newest_id is None:
                newest_id = self.newest_event_id(tracker.sender_id, session)
            session.commit()
        self._remember_count(tracker.sender_id, len(tracker.events))
        self._saved.pop(tracker.sender_id, None)
        if self.cache_size == 0 or not _read_back_whole(tracker):
            # A tracker that began a new session holds more than Rasa reads back (the
            # latest session only): the next turn reads the database, as Rasa would.
            return
        now = self._clock()
        self._saved[tracker.sender_id] = (tracker, now, newest_id)
        while self._saved and (
            len(self._saved) > self.cache_size or now - next(iter(self._saved.values()))[1] > self.cache_seconds
        ):
            self._saved.popitem(last=False)

    def _insert_events(self, session: Any, rows: list[dict[str, Any]]) -> Optional[int]:
        """Insert the rows; the newest id among them (None where the database cannot say)."""
        table = self.SQLEvent.__table__
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            return max(session.execute(table.insert().values(rows).returning(table.c.id)).scalars())
        if dialect == "sqlite":
            return session.execute(table.insert().values(rows)).lastrowid
        session.add_all([self.SQLEvent(**row) for row in rows])
        session.flush()
        return None

    def _event_values(self, sender_id: str, event: Event) -> dict[str, Any]:
        """One row of Rasa's events table, exactly as Rasa's `SQLTrackerStore.save` writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _read_back_whole(tracker: DialogueStateTracker) -> bool:
    """Whether Rasa's `retrieve` would read every event of this tracker back: it reads
    those not older than the newest SessionStarted."""
    starts = [event.timestamp for event in tracker.events if isinstance(event, SessionStarted)]
    if not starts:
        return True
    latest_start = max(starts)
    return all(event.timestamp >= latest_start for event in tracker.events)
