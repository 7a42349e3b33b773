"""The action server gets Rasa's request with the latest turns' events only."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_runtime.fixes.action_payload import ACTION_SERVER_USER_TURNS, RASA_ACTION_CALL_FORMAT, action_call_format, latest_turns

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))


def conversation(user_turns: int) -> DialogueStateTracker:
    rng = random.Random(user_turns)
    tracker = DialogueStateTracker.from_events(
        "c", [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")], DOMAIN.slots
    )
    for turn in range(user_turns):
        tracker.update(UserUttered(f"melding {turn}", {"name": "ask_advice", "confidence": rng.random()}), DOMAIN)
        tracker.update(ActionExecuted("action_answer_advice"), DOMAIN)
        tracker.update(BotUttered(f"svar {turn}"), DOMAIN)
        tracker.update(SlotSet("role", rng.choice(["leder", "kollega"])), DOMAIN)
        tracker.update(ActionExecuted("action_listen"), DOMAIN)
    tracker.update(UserUttered("siste", {"name": "greet", "confidence": 1.0}), DOMAIN)
    return tracker


@pytest.fixture
def action():
    return RemoteAction("action_greet", EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True))


def rasa_call(action: RemoteAction, tracker: DialogueStateTracker) -> dict:
    return RASA_ACTION_CALL_FORMAT(action, tracker, DOMAIN)


@pytest.mark.parametrize("user_turns", [0, 3, ACTION_SERVER_USER_TURNS - 2])
def test_a_short_conversation_is_sent_exactly_as_rasa_sends_it(action, user_turns):
    tracker = conversation(user_turns)
    assert action_call_format(action, tracker, DOMAIN) == rasa_call(action, tracker)


def test_a_long_conversation_is_sent_from_its_fifth_latest_user_message(action):
    tracker = conversation(150)
    ours, theirs = action_call_format(action, tracker, DOMAIN), rasa_call(action, tracker)
    events = ours["tracker"].pop("events")
    all_events = theirs["tracker"].pop("events")
    assert ours == theirs  # slots, latest message, everything but the events
    assert events == all_events[-len(events):]
    assert [e["event"] for e in events].count("user") == ACTION_SERVER_USER_TURNS
    assert events[0]["event"] == "user"
    assert len(events) < len(all_events) / 10


def test_latest_turns_counts_user_messages_only():
    tracker = conversation(ACTION_SERVER_USER_TURNS)  # one user message more than the window
    assert latest_turns(tracker)[0].text == "melding 1"
    assert latest_turns(tracker, user_turns=1)[0].text == "siste"
    assert latest_turns(tracker, user_turns=100) == list(tracker.events)


def test_no_domain_is_sent_when_selective(action):
    assert "domain" not in action_call_format(action, conversation(2), DOMAIN)
