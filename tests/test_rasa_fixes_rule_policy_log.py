"""The rule policy's states text: Rasa's when debug logging is on, nothing otherwise."""
from __future__ import annotations

import logging

from rasa.core.policies.policy import Policy

from rasa_runtime.fixes.rule_policy_log import format_tracker_states

STATES = [{}, {"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]


def test_debug_on_gives_rasas_text(caplog):
    caplog.set_level(logging.DEBUG, logger="rasa.core.policies.rule_policy")
    assert format_tracker_states(STATES) == Policy.format_tracker_states(STATES)
    assert "greet" in format_tracker_states(STATES)


def test_debug_off_builds_nothing(caplog):
    caplog.set_level(logging.INFO, logger="rasa.core.policies.rule_policy")
    assert format_tracker_states(STATES) == ""
