"""`DialogueStateTracker.copy()` without replaying the whole conversation each time.

Rasa 3.6 runs every action on a copy of the tracker (so that a rejected action's
events can be thrown away), and `copy()` builds that copy by replaying every event
of the conversation into a fresh tracker: several times per message, and more work
with every turn (at turn 200, about a seventh of Rasa's CPU per message).

Here the replay is kept with the tracker and carried on with the events added
since the last copy; each copy is then cloned from that replay. The replayed
tracker is never handed out or changed by anyone else, so a clone is what Rasa's
replay would give, including where Rasa's processor changed the tracker itself
without an event (it clears a follow-up action before predicting). Containers a
copy may change in place (events, slots, the active loop, the latest action) are
its own; the events and messages are shared, as in Rasa's replay. When the events
are not simply longer than at the last copy (another deque, history rewritten,
a bounded deque that dropped events), the replay starts over, as Rasa's does.
"""
from __future__ import annotations

import copy as copying
from typing import Any, Optional

from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.fixes.tripwire import Fix

REPLAY_ATTRIBUTE = "_replay_for_copies"


class _Replay:
    """A fresh tracker into which the first `count` events have been replayed."""

    __slots__ = ("tracker", "events", "count", "last_event")

    def __init__(self, source: DialogueStateTracker) -> None:
        self.tracker = source.init_copy()
        self.events = source.events
        self.count = 0
        self.last_event: Optional[Any] = None

    def continues(self, source: DialogueStateTracker) -> bool:
        events = source.events
        if events is not self.events or len(events) < self.count:
            return False
        return self.count == 0 or events[self.count - 1] is self.last_event


def copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's `DialogueStateTracker.copy()` (see the module docstring)."""
    replay: Optional[_Replay] = self.__dict__.get(REPLAY_ATTRIBUTE)
    if replay is None or not replay.continues(self):
        replay = _Replay(self)
        self.__dict__[REPLAY_ATTRIBUTE] = replay
    events = self.events
    for index in range(replay.count, len(events)):
        replay.tracker.update(events[index])
    replay.count = len(events)
    replay.last_event = events[-1] if events else None
    return clone(replay.tracker)


def clone(replayed: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker in the state of `replayed`, with containers of its own."""
    tracker = replayed.init_copy()
    tracker.events = tracker._create_events(replayed.events)
    # init_copy's slots are reset copies; these keep the replayed values.
    tracker.slots = {name: copying.copy(slot) for name, slot in replayed.slots.items()}
    tracker._paused = replayed._paused
    tracker.followup_action = replayed.followup_action
    tracker.latest_action = dict(replayed.latest_action) if replayed.latest_action is not None else None
    tracker.latest_message = replayed.latest_message
    tracker.latest_bot_utterance = replayed.latest_bot_utterance
    tracker.active_loop = copying.copy(replayed.active_loop)
    return tracker


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    DialogueStateTracker.copy = copy


FIX = Fix(
    name="tracker_copy",
    originals={
        # copy replaced; __init__: the state `clone` carries over.
        "rasa.shared.core.trackers:DialogueStateTracker.copy": "dfa48dca9f355ad1b42c625bc6f6370bafe83514ed17a77904ed64c67bf07285",
        "rasa.shared.core.trackers:DialogueStateTracker.__init__": "8f39eb22462aa62b140d9da1f6db986cbc76383d8f7cc4e3dc7664fa7d84cb2d",
    },
    apply=apply,
)
