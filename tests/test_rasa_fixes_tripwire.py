"""The fixes' tripwire: every fix matches and installs on this Rasa; another Rasa
version or a changed function is refused before anything is installed; a fix switched
off (`RASA_FIX_<NAME>=0`) is neither checked nor installed."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_runtime.fixes
from rasa_runtime.fixes import FIX_NAMES, TRAINING_FIX_NAMES, FixRefused, FixSettingInvalid, all_fixes, tracker_copy
from rasa_runtime.fixes import tripwire
from rasa_runtime.fixes.tripwire import RASA_VERSION, check, install_fixes, switched_on

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def nothing_installed(monkeypatch):
    """Each test starts as a fresh process would (the real fixes are installed only in
    a subprocess here)."""
    monkeypatch.setattr(tripwire, "_originals", {})
    monkeypatch.setattr(tripwire, "_installed", set())


def recorded(fix, calls: list):
    """The fix with an `apply` that only records that it ran."""
    return dataclasses.replace(fix, apply=lambda: calls.append(fix.name))


def test_every_fix_is_registered_and_matches_this_rasa():
    modules = {p.stem for p in Path(rasa_runtime.fixes.__file__).parent.glob("*.py")} - {"__init__", "tripwire"}
    assert set(FIX_NAMES) | set(TRAINING_FIX_NAMES) == modules
    fixes = all_fixes()
    assert [fix.name for fix in fixes] == [*FIX_NAMES, *TRAINING_FIX_NAMES]
    assert tripwire.installed_rasa_version() == RASA_VERSION
    for fix in fixes:
        assert fix.originals, fix.name
        assert fix.rasa_version == RASA_VERSION
        check(fix)  # raises FixRefused on a mismatch


INSTALL_ALL = """
import json
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import rest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.trackers import DialogueStateTracker as T

from rasa_runtime import fixes
import rasa.server
from rasa_runtime.fixes import (action_payload, action_response_validation, api_token_header, applied_events,
    graph_runner, incremental_states, rest_channel_log, rule_policy_log, tracker_copy, tracker_store_errors)

installed = fixes.install()
from rasa.shared.importers import utils as importer_utils
assert not getattr(importer_utils.training_data_from_paths, "reads_once", False)  # training only
assert fixes.install(training=True) == ["training_data_reads", "nlu_schema_check", "training_data_dedup"]
assert importer_utils.training_data_from_paths.reads_once
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
assert RasaYAMLReader.validate.checks_quickly
assert RemoteAction._validate_action_result is action_response_validation.validate_action_result
assert T.applied_events is applied_events.applied_events
assert DaskGraphRunner.run is graph_runner.run
assert T.past_states is incremental_states.past_states
assert RulePolicy.format_tracker_states is rule_policy_log.format_tracker_states
assert RemoteAction._action_call_format is action_payload.action_call_format
assert T.copy is tracker_copy.copy
for name in tracker_store_errors.PASSED_THROUGH:
    assert getattr(FailSafeTrackerStore, name).__module__ == tracker_store_errors.__name__
assert isinstance(rest.structlogger, rest_channel_log.WithoutText)
assert rasa.server.requires_auth is api_token_header.requires_auth
# Installing again changes nothing, and the check still sees Rasa's own sources.
assert fixes.install() == installed
for fix in fixes.all_fixes():
    fixes.tripwire.check(fix)
print(json.dumps(installed))
"""


def test_every_fix_installs_on_this_rasa():
    """As the launcher does it, in a process of its own (nothing here stays installed)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RASA_FIX_")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    result = subprocess.run(
        [sys.executable, "-c", INSTALL_ALL], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == list(FIX_NAMES)


def test_another_rasa_version_is_refused(monkeypatch):
    calls: list = []
    monkeypatch.setattr(tripwire, "installed_rasa_version", lambda: "3.6.22")
    with pytest.raises(FixRefused) as refused:
        install_fixes([recorded(tracker_copy.FIX, calls)], env={})
    assert "Rasa 3.6.21" in str(refused.value) and "Rasa 3.6.22" in str(refused.value)
    assert "RASA_FIX_TRACKER_COPY=0" in str(refused.value)
    assert calls == []


def test_a_fix_for_another_version_is_refused():
    calls: list = []
    with pytest.raises(FixRefused, match="written for Rasa 3.7.0"):
        install_fixes([recorded(dataclasses.replace(tracker_copy.FIX, rasa_version="3.7.0"), calls)], env={})
    assert calls == []


def test_a_changed_rasa_function_is_refused(monkeypatch):
    def copy(self):  # Rasa's copy() with another body
        return self

    monkeypatch.setattr(DialogueStateTracker, "copy", copy)
    calls: list = []
    with pytest.raises(FixRefused) as refused:
        install_fixes([recorded(tracker_copy.FIX, calls)], env={})
    assert "rasa.shared.core.trackers:DialogueStateTracker.copy" in str(refused.value)
    assert "__init__" not in str(refused.value)  # only what changed is named
    assert calls == []


def test_a_recorded_hash_that_differs_is_refused():
    path = next(iter(tracker_copy.FIX.originals))
    changed = dataclasses.replace(tracker_copy.FIX, originals={**tracker_copy.FIX.originals, path: "0" * 64})
    with pytest.raises(FixRefused, match="has changed"):
        check(changed)


def test_one_refused_fix_installs_none():
    calls: list = []
    good = recorded(all_fixes()[0], calls)
    bad = recorded(dataclasses.replace(tracker_copy.FIX, rasa_version="3.5.0"), calls)
    with pytest.raises(FixRefused):
        install_fixes([good, bad], env={})
    assert calls == []


def test_a_fix_switched_off_is_not_installed():
    calls: list = []
    fixes = [recorded(fix, calls) for fix in all_fixes()]
    installed = install_fixes(fixes, env={"RASA_FIX_TRACKER_COPY": "0", "RASA_FIX_GRAPH_RUNNER": "off"})
    assert "tracker_copy" not in calls and "graph_runner" not in calls
    assert calls == installed == [name for name in (*FIX_NAMES, *TRAINING_FIX_NAMES) if name not in ("tracker_copy", "graph_runner")]


def test_a_fix_switched_off_is_not_checked_either():
    """So Rasa can start without a fix that no longer matches."""
    calls: list = []
    stale = recorded(dataclasses.replace(tracker_copy.FIX, rasa_version="3.5.0"), calls)
    assert install_fixes([stale], env={"RASA_FIX_TRACKER_COPY": "0"}) == []
    assert calls == []


def test_settings_are_on_by_default():
    fix = tracker_copy.FIX
    assert fix.setting == "RASA_FIX_TRACKER_COPY"
    for value in ("", "1", "true", "on", "yes", " Yes "):
        assert switched_on(fix, {fix.setting: value})
    assert switched_on(fix, {})
    for value in ("0", "false", "off", "no", "OFF"):
        assert not switched_on(fix, {fix.setting: value})
    with pytest.raises(FixSettingInvalid, match="RASA_FIX_TRACKER_COPY='maybe'"):
        switched_on(fix, {fix.setting: "maybe"})


def test_every_setting_is_documented():
    configuration = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    example = (PROJECT_ROOT / ".env.example").read_text()
    for fix in all_fixes():
        assert f"`{fix.setting}`" in configuration, fix.setting
        assert f"{fix.setting}=" in example, fix.setting


def test_the_launcher_does_not_start_rasa_when_a_fix_is_refused(monkeypatch, capsys):
    import rasa.__main__

    from services import rasa_launcher

    def refused(env=None, training=False):
        raise FixRefused("Rasa fix 'tracker_copy' was written for Rasa 3.6.21")

    monkeypatch.setattr(rasa_runtime.fixes, "install", refused)
    monkeypatch.setattr(rasa.__main__, "main", lambda: pytest.fail("Rasa started"))
    assert rasa_launcher.main() == 2
    assert "error: Rasa fix 'tracker_copy'" in capsys.readouterr().err
