"""Shared test helpers: trackers built the way Rasa sends them to the action server."""
from __future__ import annotations

from typing import Any, Optional

import pytest
from rasa_sdk import Tracker


def user_event(text: str, intent: str, entities: Optional[list[dict]] = None) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []},
    }


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value}


def make_tracker(
    text: str = "",
    intent: str = "ask_advice",
    entities: Optional[list[dict]] = None,
    slots: Optional[dict[str, Any]] = None,
    history: Optional[list[dict]] = None,
) -> Tracker:
    """A tracker whose latest message is `text` with `intent` and `entities`."""
    latest = user_event(text, intent, entities)
    return Tracker.from_dict(
        {
            "sender_id": "test-conversation",
            "slots": {"role": None, "topic": None, "substance": None, **(slots or {})},
            "latest_message": latest["parse_data"],
            "events": [*(history or []), latest],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture
def tracker_factory():
    return make_tracker
