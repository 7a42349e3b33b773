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
- `api_token_header`: the HTTP API's token in the `Authorization` header, refused in the URL.
- `training_data_reads` (for `rasa train` only): the NLU files read and schema-checked once, not three times.
- `nlu_schema_check` (for `rasa train` only): the NLU schema checked on libyaml's parse; Rasa's own check on doubt.
- `training_data_dedup` (for `rasa train` only): duplicate examples found by text first, fingerprints only within a text.

Each module declares its `FIX` (see `tripwire`): `install()` refuses to start on another
Rasa version or when a function a fix replaces has changed, and `RASA_FIX_<NAME>=0`
switches a fix off. A module's own `apply()` installs it unchecked (tests).
"""
from __future__ import annotations

import importlib
from typing import Mapping, Optional

from rasa_runtime.fixes.tripwire import Fix, FixError, FixRefused, FixSettingInvalid, install_fixes

__all__ = ["FIX_NAMES", "TRAINING_FIX_NAMES", "Fix", "FixError", "FixRefused", "FixSettingInvalid", "all_fixes", "install"]

# In the order they are installed.
FIX_NAMES = (
    "action_response_validation",
    "applied_events",
    "graph_runner",
    "incremental_states",
    "rule_policy_log",
    "action_payload",
    "tracker_copy",
    "tracker_store_errors",
    "rest_channel_log",
    "api_token_header",
)
# For `rasa train` only (instead of the above, which concern a running Rasa).
TRAINING_FIX_NAMES = ("training_data_reads", "nlu_schema_check", "training_data_dedup")


def _fixes(names: tuple[str, ...]) -> list[Fix]:
    return [importlib.import_module(f"{__name__}.{name}").FIX for name in names]


def all_fixes() -> list[Fix]:
    return _fixes((*FIX_NAMES, *TRAINING_FIX_NAMES))


def install(env: Optional[Mapping[str, str]] = None, training: bool = False) -> list[str]:
    """Check and install every fix switched on (default: all) for running Rasa, or for
    training it; the names installed. Raises FixError (nothing installed) when one is
    refused or a setting is invalid."""
    return install_fixes(_fixes(TRAINING_FIX_NAMES if training else FIX_NAMES), env)
