"""A tracker's copy equals Rasa's replayed copy after every turn of random
conversations, is its own to change, and comes from a replay that is carried on."""
from __future__ import annotations

import random

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, FollowupAction, LoopInterrupted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_runtime.fixes import tracker_copy
from tests.rasa_conversations import conversations_turn_by_turn, domains, new_tracker, next_events, random_conversation

RASA_COPY = DialogueStateTracker.copy  # the tests never install the fix globally
CACHES = ("_replay_for_copies", "_incremental_state_folds", "_applied_events_cache")


def _state(tracker: DialogueStateTracker) -> dict:
    """Everything a tracker holds, slots by value, caches of the fixes left out."""
    state = {k: v for k, v in vars(tracker).items() if k not in CACHES and k not in ("events", "slots")}
    state["events"] = [id(event) for event in tracker.events]
    state["maxlen"] = tracker.events.maxlen
    state["slots"] = {
        name: (type(slot), slot.value, slot.has_been_set, slot.initial_value) for name, slot in tracker.slots.items()
    }
    state["current"] = tracker.current_state(EventVerbosity.ALL)
    return state


@pytest.mark.parametrize("rewrites", [False, True], ids=["growing", "with-rewrites"])
@pytest.mark.parametrize("seed", range(4))
def test_copies_equal_rasas_after_every_turn(seed, rewrites):
    rng = random.Random(seed)
    for _domain, tracker in conversations_turn_by_turn(seed, rewrites, turns=120):
        if rng.random() < 0.1 and tracker.followup_action:
            tracker.clear_followup_action()  # as Rasa's processor does before predicting, without an event
        ours = tracker_copy.copy(tracker)
        assert _state(ours) == _state(RASA_COPY(tracker))
        assert ours is not tracker and ours.events is not tracker.events


def test_a_copy_is_its_own_to_change():
    domain = domains()[0]
    tracker = new_tracker(domain)
    tracker.update(ActiveLoop("some_form"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 1.0}))
    before = _state(RASA_COPY(tracker))
    changed = tracker_copy.copy(tracker)
    changed.update(SlotSet("role", "leder"))
    changed.update(LoopInterrupted(True))  # changes the active loop in place
    changed.update(FollowupAction("utter_ok"))
    changed.latest_action["action_name"] = "changed"
    assert _state(tracker_copy.copy(tracker)) == before
    assert tracker.get_slot("role") is None and not tracker.active_loop.is_interrupted


def test_the_replay_is_carried_on_not_started_over(monkeypatch):
    tracker = random_conversation(domains()[1], seed=1, turns=40)
    tracker_copy.copy(tracker)
    replayed = []
    original_update = DialogueStateTracker.update

    def counting_update(self, event, domain=None):
        replayed.append(event)
        return original_update(self, event, domain)

    monkeypatch.setattr(DialogueStateTracker, "update", counting_update)
    tracker.events.append(ActionExecuted("action_listen"))
    tracker.events.append(UserUttered("igjen", {"name": "greet", "confidence": 1.0}))
    copied = tracker_copy.copy(tracker)
    assert len(replayed) == 2  # only the two new events, not the whole conversation
    monkeypatch.setattr(DialogueStateTracker, "update", original_update)
    assert _state(copied) == _state(RASA_COPY(tracker))


def test_a_bounded_history_that_dropped_events_is_replayed_again():
    domain = domains()[0]
    tracker = DialogueStateTracker.from_events("c", [], domain.slots, max_event_history=6)
    rng = random.Random(3)
    for _ in range(30):
        for event in next_events(rng, domain, rewrites=True):
            tracker.update(event)
        assert _state(tracker_copy.copy(tracker)) == _state(RASA_COPY(tracker))
