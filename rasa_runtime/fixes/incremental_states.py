"""Dialogue states computed once per event, not once per event per prediction.

Rasa 3.6's policies ask `DialogueStateTracker.past_states` for the states of the
whole conversation at every prediction (several times per message: the memoization
policy, and the rule policy once with the text and once with the intent). Each call
replays every event of the conversation into a fresh tracker and builds a state at
every action, so a message late in a long conversation cost Rasa more and more CPU
(measured at turn 200: 46 % of Rasa's CPU, 115 ms per message against 32 at turn 10).

Those states are a left fold over the tracker's applied events
(`Domain.states_for_tracker_history`). This module keeps the fold's position on the
tracker object, per set of arguments, and on the next call folds in only the events
added since. The result is the same list of states Rasa computes (tested against
Rasa's own function on many conversations); whenever it could differ the whole fold
is computed again, exactly as Rasa does it:
- an event that rewrites the applied history (restart, new session, reverted
  action or utterance) or a conversation with an active loop (form),
- another domain, other events in the tracker (a copy, a bounded deque that
  dropped old events), or no fold yet.
Callers may change the states they get (the featurizers delete the user part's
text, intent or entities in place), so they get copies with their own user part and
the fold stays as computed.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.fixes.applied_events import appended_since, has_loop
from rasa_runtime.fixes.tripwire import Fix

FOLDS_ATTRIBUTE = "_incremental_state_folds"


class _Fold:
    """Where `states_for_tracker_history` stood after the first `consumed` events."""

    __slots__ = ("domain", "events", "consumed", "last_event", "replay", "states", "last_ml_action", "hidden")

    def __init__(self, domain: Domain, tracker: DialogueStateTracker) -> None:
        self.domain = domain
        self.events = tracker.events
        self.consumed = 0
        self.last_event = None
        self.replay = tracker.init_copy()
        self.states: list[dict] = []
        self.last_ml_action: Optional[dict] = None
        self.hidden = False

    def new_events(self, domain: Domain, tracker: DialogueStateTracker) -> list | None:
        """The tracker's events since this fold, if it can simply go on with them."""
        if self.domain is not domain:
            return None
        return appended_since(tracker.events, self.events, self.consumed, self.last_event)


def _visit(
    domain: Domain,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    states: list[dict],
    last_ml_action: Optional[dict],
    hidden: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Optional[dict[str, Any]],
) -> tuple[Optional[dict], bool]:
    """One iteration of `Domain.states_for_tracker_history`'s loop, line for line."""
    if ignore_rule_only_turns:
        if not hidden:
            last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
            hidden = hide_rule_turn
        if hidden:
            return last_ml_action, hidden

    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action:
            state[PREVIOUS_ACTION] = last_ml_action
    states.append(domain._clean_state(state))
    return last_ml_action, hidden


def _copy(state: dict) -> dict:
    """The state with its own user part: the part Rasa's featurizers change in place."""
    user = state.get(USER)
    return {**state, USER: dict(user)} if user is not None else dict(state)


def past_states(
    tracker: DialogueStateTracker,
    domain: Domain,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[dict[str, Any]] = None,
) -> list[dict]:
    """`DialogueStateTracker.past_states`, continuing from the last call's fold."""
    arguments = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (omit_unset_slots, ignore_rule_only_turns, json.dumps(rule_only_data, sort_keys=True, default=str))
    folds: dict = tracker.__dict__.setdefault(FOLDS_ATTRIBUTE, {})
    fold = folds.get(key)
    events = tracker.events
    new_events = fold.new_events(domain, tracker) if fold is not None else None
    if new_events is None:
        if has_loop(events):
            folds.pop(key, None)
            return domain.states_for_tracker_history(tracker, *arguments)
        fold = _Fold(domain, tracker)
        new_events = tracker.applied_events()
        folds[key] = fold

    for event in new_events:
        if isinstance(event, ActionExecuted):
            fold.last_ml_action, fold.hidden = _visit(
                domain, fold.replay, event.hide_rule_turn, fold.states, fold.last_ml_action, fold.hidden, *arguments
            )
        fold.replay.update(event)
    fold.consumed = len(events)
    fold.last_event = events[-1] if events else None

    # The tracker as it is now (Rasa's last `yield tracker, False`), not kept in the fold.
    tail = fold.states[-1:]
    _visit(domain, fold.replay, False, tail, fold.last_ml_action, fold.hidden, *arguments)
    return [_copy(state) for state in fold.states] + [_copy(state) for state in tail[1 if fold.states else 0:]]


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    # A plain function whose first argument is the tracker: it serves as the method.
    DialogueStateTracker.past_states = past_states


FIX = Fix(
    name="incremental_states",
    originals={
        # past_states replaced; states_for_tracker_history: its loop repeated in `_visit`.
        "rasa.shared.core.trackers:DialogueStateTracker.past_states": "5463eefb5c69d27f82cdc7eca84e23b4b82851e9a5ff575bd02447d4d987103b",
        "rasa.shared.core.domain:Domain.states_for_tracker_history": "035111ce73ac90ba50e143abf556f924af07d9f452893f5a96a62895d44df8b7",
    },
    apply=apply,
)
