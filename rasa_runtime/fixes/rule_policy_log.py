"""The rule policy's debug message built only when debug messages are written.

At every prediction (twice per action) `RulePolicy` formats every state of the
conversation into a readable text for a debug log line, whether or not debug logging
is on: 8 % of Rasa's CPU at turn 200. With debug logging off (the default, and what
LOG_LEVEL sets) the text is now empty, and the line is dropped as before; with it on,
the line is the same as Rasa's.
"""
from __future__ import annotations

import logging

from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy

from rasa_runtime.fixes.tripwire import Fix


def format_tracker_states(states: list) -> str:
    # Rasa's structlog drops a debug line when the module's stdlib logger would.
    if not logging.getLogger(RulePolicy.__module__).isEnabledFor(logging.DEBUG):
        return ""
    return Policy.format_tracker_states(states)


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    RulePolicy.format_tracker_states = staticmethod(format_tracker_states)


FIX = Fix(
    name="rule_policy_log",
    originals={
        # What RulePolicy inherits and the fix replaces.
        "rasa.core.policies.policy:Policy.format_tracker_states": "32b101cb34fd1c32fd17557044632ecbe9cb5638e605ca81864ddcb6b469a22a",
    },
    apply=apply,
)
