"""Fixes for Rasa 3.6 behaviour that no setting reaches (per-message costs, and one
silent fallback), installed by `services.rasa_launcher` before Rasa starts; nothing
in `.venv` is changed.

- `action_response_validation`: the action server's answer checked with a validator built once.
- `applied_events`: the tracker's applied events extended per event, not recomputed per call.
- `graph_runner`: the model graph run node after node, not through dask's scheduler.
- `incremental_states`: the policies' dialogue states folded once per event, not per prediction.
- `rule_policy_log`: the rule policy's debug text built only when debug messages are written.
- `action_payload`: the action server gets the latest turns, not every event of the conversation.
- `tracker_copy`: a tracker's copy cloned from a replay carried on with it, not replayed anew.
- `tracker_store_errors`: a failing tracker store fails the message; no fallback to memory.
- `rest_channel_log`: the REST channel's error log lines without the message text.
"""
from __future__ import annotations


def install() -> None:
    from services.rasa_fixes import (
        action_payload,
        action_response_validation,
        applied_events,
        graph_runner,
        incremental_states,
        rest_channel_log,
        rule_policy_log,
        tracker_copy,
        tracker_store_errors,
    )

    action_response_validation.install()
    applied_events.install()
    graph_runner.install()
    incremental_states.install()
    rule_policy_log.install()
    action_payload.install()
    tracker_copy.install()
    tracker_store_errors.install()
    rest_channel_log.install()
