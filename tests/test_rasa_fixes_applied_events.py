"""The incrementally extended applied events equal Rasa's own after every turn."""
from __future__ import annotations

import random

import pytest
from rasa.shared.core.events import ActionExecuted, UserUtteranceReverted

from rasa_runtime.fixes.applied_events import RASA_APPLIED_EVENTS, applied_events
from tests.rasa_conversations import conversations_turn_by_turn, domains, new_tracker, user_message


@pytest.mark.parametrize("rewrites", [False, True], ids=["growing", "with-rewrites"])
@pytest.mark.parametrize("seed", range(4))
def test_applied_events_equal_rasa_after_every_turn(seed, rewrites):
    for _domain, tracker in conversations_turn_by_turn(seed, rewrites, turns=150):
        ours = applied_events(tracker)
        assert ours == RASA_APPLIED_EVENTS(tracker)
        ours.clear()  # the caller's own copy


def test_the_list_is_extended_not_recomputed(monkeypatch):
    domain = domains()[0]
    tracker = new_tracker(domain)
    rng = random.Random(2)
    for _ in range(30):
        tracker.update(ActionExecuted("action_listen"), domain)
        tracker.update(user_message(rng, domain), domain)
    applied_events(tracker)
    calls = []
    monkeypatch.setattr("rasa_runtime.fixes.applied_events.RASA_APPLIED_EVENTS", lambda t: calls.append(1) or [])
    tracker.update(ActionExecuted("action_listen"), domain)
    # Everything after the session start (action_session_start, session_started) applies.
    assert applied_events(tracker) == list(tracker.events)[2:]
    assert calls == []
    tracker.update(UserUtteranceReverted(), domain)
    applied_events(tracker)
    assert calls == [1]
