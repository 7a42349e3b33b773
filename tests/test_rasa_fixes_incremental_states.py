"""The incrementally folded dialogue states equal Rasa's own, call after call, and
the fold is really continued (not recomputed) while the history only grows."""
from __future__ import annotations

import random

import pytest
from rasa.shared.core.constants import RULE_ONLY_LOOPS, RULE_ONLY_SLOTS, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.fixes.incremental_states import past_states
from tests.rasa_conversations import conversations_turn_by_turn, domains, random_conversation, user_message

ARGUMENTS = [
    (False, False, None),
    (False, True, None),
    (False, True, {RULE_ONLY_SLOTS: ["topic"], RULE_ONLY_LOOPS: []}),
    (True, True, {RULE_ONLY_SLOTS: [], RULE_ONLY_LOOPS: ["some_form"]}),
]


def _assert_same_as_rasa(tracker: DialogueStateTracker, domain: Domain) -> None:
    for arguments in ARGUMENTS:
        ours = past_states(tracker, domain, *arguments)
        assert ours == domain.states_for_tracker_history(tracker, *arguments)
        # Callers change what they get (the featurizers delete user text): not the fold.
        for state in ours:
            state.get(USER, {}).pop("text", None)


@pytest.mark.parametrize("rewrites", [False, True], ids=["growing", "with-rewrites"])
@pytest.mark.parametrize("seed", range(6))
def test_states_equal_rasa_after_every_turn(seed, rewrites):
    for domain, tracker in conversations_turn_by_turn(seed, rewrites, turns=120):
        _assert_same_as_rasa(tracker, domain)


def test_the_fold_continues_instead_of_starting_over(monkeypatch):
    domain = domains()[0]
    tracker = random_conversation(domain, seed=7, turns=100)
    past_states(tracker, domain)

    built = []
    original = Domain.get_active_state
    monkeypatch.setattr(Domain, "get_active_state", lambda self, *a, **kw: built.append(1) or original(self, *a, **kw))
    tracker.update(ActionExecuted("action_listen"), domain)
    tracker.update(user_message(random.Random(7), domain), domain)
    states = past_states(tracker, domain)
    assert len(states) > 50
    assert len(built) <= 2  # the new action and the tracker as it is now, not the whole history
    assert states == domain.states_for_tracker_history(tracker)


def test_a_rewritten_history_is_folded_again():
    domain = domains()[0]
    tracker = DialogueStateTracker.from_events("c", [ActionExecuted("action_listen")], domain.slots)
    rng = random.Random(3)
    for _ in range(5):
        tracker.update(ActionExecuted("action_listen"), domain)
        tracker.update(user_message(rng, domain), domain)
        tracker.update(ActionExecuted("action_answer_advice"), domain)
    before = past_states(tracker, domain)
    tracker.update(UserUtteranceReverted(), domain)
    after = past_states(tracker, domain)
    assert after == domain.states_for_tracker_history(tracker)
    assert len(after) < len(before)


def test_a_copy_of_the_tracker_gets_its_own_states():
    domain = domains()[0]
    tracker = DialogueStateTracker.from_events("c", [ActionExecuted("action_listen")], domain.slots)
    tracker.update(user_message(random.Random(1), domain), domain)
    past_states(tracker, domain)
    copy = tracker.copy()
    copy.update(ActionExecuted("action_greet"), domain)
    assert past_states(copy, domain) == domain.states_for_tracker_history(copy)
    assert past_states(tracker, domain) == domain.states_for_tracker_history(tracker)
