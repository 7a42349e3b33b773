"""Reading the conversation: the main role/topic of the latest message and how
many times in a row the bot failed to understand."""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

from akan_contract.payloads import RECOMMENDATIONS

MISUNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def main_entity(tracker: Tracker, entity: str) -> Optional[str]:
    """The first (main) value of `entity` in the latest user message."""
    found = _first(tracker, entity)
    return str(found["value"]) if found else None


def main_entity_confidence(tracker: Tracker, entity: str) -> float:
    """How sure the understanding was of the main `entity` of the latest message (1.0 when it
    came from a button, or gave no confidence; 0.0 when the message has none)."""
    found = _first(tracker, entity)
    if not found:
        return 0.0
    confidence = found.get("confidence")
    return 1.0 if confidence is None else float(confidence)


def _first(tracker: Tracker, entity: str) -> Optional[dict[str, Any]]:
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == entity and found.get("value"):
            return found
    return None


ROLE_STATED_SLOT = "role_stated"


def current_role(tracker: Tracker) -> Optional[str]:
    return role_and_whether_stated(tracker)[0]


def role_and_whether_stated(tracker: Tracker) -> tuple[Optional[str], bool]:
    """The role to answer for, and whether the person stated or chose it.

    A role the person stated ("jeg er verneombud") or chose with a button always wins. A role
    only implied by the wording ("en ansatt har sprukket") replaces a role that was itself only
    implied, but not one the person stated or chose: a BHT nurse talking about "en ansatt" is
    still a BHT nurse, while "mannen min drikker" after an implied leader is a relative.
    """
    found = _first(tracker, "role")
    known = tracker.get_slot("role")
    known_stated = bool(tracker.get_slot(ROLE_STATED_SLOT))
    if found is None:
        return known, known_stated
    stated = bool(found.get("explicit")) or "extractor" not in found
    if known and known_stated and not stated:
        return known, True
    return str(found["value"]), stated


def consecutive_misunderstandings(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in MISUNDERSTOOD_INTENTS:
            break
        count += 1
    return count


def last_bot_message(tracker: Tracker) -> Optional[dict[str, Any]]:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return event
    return None


def last_recommendations(tracker: Tracker) -> dict[str, Any]:
    """The `recommendations` payload of the bot's latest message ({} when it carried none)."""
    custom = ((last_bot_message(tracker) or {}).get("data") or {}).get("custom") or {}
    return custom if isinstance(custom, dict) and custom.get("type") == RECOMMENDATIONS else {}


def has_run(tracker: Tracker, action_name: str) -> bool:
    """Whether `action_name` ran in the events the action server got."""
    return any(
        e.get("event") == "action" and e.get("name") == action_name for e in tracker.events
    )


def history_is_complete(tracker: Tracker) -> bool:
    """Whether `tracker.events` reaches back to the start of the conversation.

    For a long conversation Rasa sends only the latest turns
    (rasa_runtime/fixes/action_payload.py); those begin with a user message, while
    a whole history begins with the session start.
    """
    return not tracker.events or tracker.events[0].get("event") != "user"
