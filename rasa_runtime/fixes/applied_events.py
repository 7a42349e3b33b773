"""The tracker's applied events extended with each new event, not recomputed.

`DialogueStateTracker.applied_events()` walks every event of the conversation to
drop reverted ones; Rasa calls it several times per message (twice alone to decide
whether a new session starts), so its cost grew with every turn (9 % of Rasa's CPU
at turn 200 once the dialogue states were folded incrementally).

The list is remembered on the tracker with the number of events it covers. While
the conversation only grows by events that are simply appended in Rasa's function
(anything but a restart, a new session, a reverted action or utterance, or a loop),
the new events are appended to it; otherwise, and for a changed tracker, Rasa's
function computes it again. Callers get their own copy of the list, as before.
"""
from __future__ import annotations

from rasa.shared.core.events import ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.fixes.tripwire import Fix

# Events Rasa's function does not simply append (loops: their actions can undo turns).
NOT_APPENDED = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)
CACHE_ATTRIBUTE = "_applied_events_cache"
RASA_APPLIED_EVENTS = DialogueStateTracker.applied_events


class _Applied:
    __slots__ = ("events", "count", "last_event", "applied")

    def __init__(self, events, applied: list) -> None:
        self.events = events
        self.count = len(events)
        self.last_event = events[-1] if events else None
        self.applied = applied


def appended_since(events, seen_events, count: int, last_event) -> list | None:
    """The events added to the deque `events` since it was `seen_events` holding `count`
    events, the last being `last_event` - if Rasa's `applied_events` simply appends each
    of them; None when anything else happened (another deque, a rewritten history)."""
    if events is not seen_events or len(events) < count or (count and events[count - 1] is not last_event):
        return None
    new_events = [events[i] for i in range(count, len(events))]
    return None if any(isinstance(event, NOT_APPENDED) for event in new_events) else new_events


def has_loop(events) -> bool:
    """Whether a loop (form) ran: its actions can undo earlier turns, so no shortcut holds."""
    return any(isinstance(event, ActiveLoop) and event.name for event in events)


def applied_events(tracker: DialogueStateTracker) -> list:
    """Rasa's `applied_events()`, continued from the last call where it can be."""
    events = tracker.events
    cached: _Applied | None = tracker.__dict__.get(CACHE_ATTRIBUTE)
    new_events = appended_since(events, cached.events, cached.count, cached.last_event) if cached else None
    if new_events is not None:
        cached.applied.extend(new_events)
        cached.count = len(events)
        cached.last_event = events[-1] if events else None
        return list(cached.applied)
    applied = RASA_APPLIED_EVENTS(tracker)
    if has_loop(events):
        tracker.__dict__.pop(CACHE_ATTRIBUTE, None)
    else:
        tracker.__dict__[CACHE_ATTRIBUTE] = _Applied(events, list(applied))
    return applied


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    DialogueStateTracker.applied_events = applied_events


FIX = Fix(
    name="applied_events",
    originals={
        "rasa.shared.core.trackers:DialogueStateTracker.applied_events": "764d5065ea9997d613c1984d9357370f9ae32d31ca21346086f16c54f0487aae",
    },
    apply=apply,
)
