"""The action server gets the latest turns of the conversation, not all of it.

Rasa 3.6 sends the whole tracker, every event of the conversation as JSON, with each
custom action call (and the whole domain unless `enable_selective_domain` is set in
endpoints.yml, which it is). At turn 200 that was about 0.7 MB per call: 16 % of
Rasa's CPU went into writing it and two thirds of the action server's into reading
it, so every late message was slower than the one before.

Our actions read the latest message, the slots (always sent whole) and, from the
events, only the recent past: the last bot message (yes/no answers), the
misunderstandings in a row (handoff offer after two) and whether the bot has greeted
(actions/conversation.py). So the events sent start at the `ACTION_SERVER_USER_TURNS`th
latest user message; a shorter conversation is sent whole, as before. An action can
tell a shortened history by its first event: it is a user message, while a whole one
starts with the session start (`actions.conversation.history_is_complete`).
Everything else in the request is exactly what Rasa sends.
"""
from __future__ import annotations

from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_runtime.fixes.tripwire import Fix

ACTION_SERVER_USER_TURNS = 5


def latest_turns(tracker: DialogueStateTracker, user_turns: int = ACTION_SERVER_USER_TURNS) -> list:
    """The tracker's events from its `user_turns`th latest user message on (all when fewer)."""
    events = tracker.events
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == user_turns:
                return [events[i] for i in range(index, len(events))] if index else list(events)
    return list(events)


def action_call_format(self, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
    """RemoteAction._action_call_format with only the latest turns' events."""
    call = RASA_ACTION_CALL_FORMAT(self, _WithoutEvents(tracker), domain)
    call["tracker"]["events"] = [event.as_dict() for event in latest_turns(tracker)]
    return call


class _WithoutEvents:
    """The tracker as Rasa's function sees it, whose `current_state` skips the events
    (they are added afterwards, shortened)."""

    __slots__ = ("_tracker",)

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict[str, Any]:
        return self._tracker.current_state(EventVerbosity.NONE)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)


# Rasa's own, kept before `install` replaces it.
RASA_ACTION_CALL_FORMAT = RemoteAction._action_call_format


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    RemoteAction._action_call_format = action_call_format


FIX = Fix(
    name="action_payload",
    originals={
        "rasa.core.actions.action:RemoteAction._action_call_format": "428795b944f22edba142d278ec47a30098975b01463ba337ec447dade52a0492",
    },
    apply=apply,
)
