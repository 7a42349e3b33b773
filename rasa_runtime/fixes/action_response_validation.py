"""Rasa checked every action-server response against its JSON schema with
`jsonschema.validate(result, schema)`, which first checks the *schema itself*
against the JSON Schema meta-schema and builds a new validator: about 30 ms of CPU
per custom action call on these machines (0.3 ms for the check that matters).
Here the validator is built once and reused; responses are checked exactly as
before and a bad one raises the same ValidationError with the same message.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_runtime.fixes.tripwire import Fix


@lru_cache(maxsize=1)
def action_response_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with a validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        # As jsonschema.validate() reports it: the most relevant error.
        error = best_match(action_response_validator().iter_errors(result))
        if error is not None:
            raise error
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result


FIX = Fix(
    name="action_response_validation",
    originals={
        "rasa.core.actions.action:RemoteAction._validate_action_result": "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
    },
    apply=apply,
)
