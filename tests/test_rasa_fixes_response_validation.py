"""The launcher's response check accepts and rejects exactly what Rasa's own does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_runtime.fixes.action_response_validation import validate_action_result

VALID = {
    "events": [
        {"event": "bot", "text": "Hei", "data": {"buttons": [{"title": "Ja", "payload": "/affirm"}]}},
        {"event": "slot", "name": "role", "value": "leder"},
    ],
    "responses": [{"text": "Hei"}],
}
INVALID = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": "slot", "value": "leder"}], "responses": []},  # no slot name
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
]


def _rasa(result):
    return RemoteAction._validate_action_result(RemoteAction("action_x", None), result)


def test_valid_response_passes_both():
    assert validate_action_result(None, VALID) is True
    assert _rasa(VALID) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_response_fails_both_with_the_same_message(result):
    with pytest.raises(ValidationError) as ours:
        validate_action_result(None, result)
    with pytest.raises(ValidationError) as theirs:
        _rasa(result)
    assert ours.value.message == theirs.value.message
    assert "Failed to validate Action server response" in ours.value.message
