"""Reading the conversation: the main role/topic of the latest message and how
many times in a row the bot failed to understand."""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

MISUNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def main_entity(tracker: Tracker, entity: str) -> Optional[str]:
    """The first (main) value of `entity` in the latest user message."""
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == entity and found.get("value"):
            return str(found["value"])
    return None


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


def has_run(tracker: Tracker, action_name: str) -> bool:
    """Whether `action_name` already ran in this conversation."""
    return any(
        e.get("event") == "action" and e.get("name") == action_name for e in tracker.events
    )
