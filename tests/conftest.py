"""Shared test helpers: trackers built the way Rasa sends them to the action server,
and the live stack (real Rasa with the trained model, action server, gateway),
started once per session for the end-to-end, conversation and browser tests.

The slow groups are marked by the fixtures they use (pytest.ini registers the markers):
`live` (live_stack: the trained model and the Rasa stack), `browser` (Chromium),
`production` (PostgreSQL and Redis, the production profile). `make test-fast` leaves them
out. A group whose requirement is missing is skipped locally, with one line per group at
the end of the run, and fails under CI=true (tests/skips.py).

Two environments run the tests (tests/environments.py; `make unit-test` runs both): the
gateway's in .venv-gateway (Python 3.12, no Rasa), the rest in .venv (Rasa 3.6, Python 3.10).
Each collects only its own; this file imports neither side, and the live stack starts every
process with its own environment's Python (services/default_stack.py)."""
from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import pytest

from services.default_stack import (
    FOREIGN_ENV, MODEL, PROJECT_ROOT, DefaultStack, StackError, free_port, gateway_python,
)
from services.private_files import UMASK
from tests.environments import of_the_other_environment, rasa_environment, wrong_environment
from tests.skips import GROUPS_OF_REASON, in_ci, missing

if TYPE_CHECKING:
    from rasa_sdk import Tracker

# ---------------------------------------------------------------- two environments


def pytest_configure(config: pytest.Config) -> None:
    for arg in config.args:
        if of_the_other_environment(config.invocation_params.dir / arg.split("::")[0]):
            raise pytest.UsageError(wrong_environment(arg))
    if rasa_environment():
        # Rasa's dependencies (TensorFlow, matplotlib, pkg_resources) warn on import; those are not ours.
        for line in ("ignore::DeprecationWarning", "ignore::PendingDeprecationWarning", "ignore:.*pkg_resources.*"):
            config.addinivalue_line("filterwarnings", line)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> Optional[bool]:
    """Each environment collects its own tests only (tests/environments.py)."""
    if not (collection_path.is_dir() or collection_path.name.startswith("test_")):
        return None
    return True if of_the_other_environment(collection_path) else None


def user_event(text: str, intent: str, entities: Optional[list[dict]] = None) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []},
    }


# How every conversation's events begin (Rasa's session start), before the first message.
SESSION_START = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
]


def entity(name: str, value: str, **extra: Any) -> dict[str, Any]:
    """An entity as the NLU sends it; without `extractor` it is a button payload's."""
    return {"entity": name, "value": value, **extra}


def make_tracker(
    text: str = "",
    intent: str = "ask_advice",
    entities: Optional[list[dict]] = None,
    slots: Optional[dict[str, Any]] = None,
    history: Optional[list[dict]] = None,
    from_session_start: bool = True,
) -> Tracker:
    """A tracker whose latest message is `text` with `intent` and `entities`, after
    `history`; `from_session_start=False` makes it a long conversation's latest turns
    as Rasa sends them (rasa_runtime/fixes/action_payload.py)."""
    # Here, not at the top: the gateway's tests (.venv-gateway, without Rasa) load this file too.
    from rasa_sdk import Tracker

    latest = user_event(text, intent, entities)
    return Tracker.from_dict(
        {
            "sender_id": "test-conversation",
            "slots": {"role": None, "topic": None, "substance": None, **(slots or {})},
            "latest_message": latest["parse_data"],
            "events": [*(SESSION_START if from_session_start else []), *(history or []), latest],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture
def tracker_factory():
    return make_tracker


# ---------------------------------------------------------------- groups and skips

GROUPS = ("live", "browser", "production")
# A test that uses one of these fixtures (directly or through another fixture) is in the group.
GROUP_OF_FIXTURE = {
    "live_stack": "live",
    "browser": "browser",
    "production_stack": "production",
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            group = GROUP_OF_FIXTURE.get(fixture)
            if group and not item.get_closest_marker(group):
                item.add_marker(group)


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    if isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
    else:
        reason = str(report.longrepr)
    return reason.removeprefix("Skipped: ")


def _in_ci_a_skip_fails(report: pytest.TestReport | pytest.CollectReport) -> None:
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"{_skip_reason(report)} [CI=true: a skipped test is a failure]"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skip that did not come through tests/skips.py (a skipif mark, a
    bare pytest.skip) is a failure as well: CI runs every test."""
    outcome = yield
    if item.get_closest_marker("seeds") is None:
        _in_ci_a_skip_fails(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _in_ci_a_skip_fails(outcome.get_result())


def pytest_terminal_summary(terminalreporter) -> None:
    """One line per skipped group (a skip outside the groups: per test file), and why."""
    skipped: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in terminalreporter.stats.get("skipped", []):
        if hasattr(report, "wasxfail"):
            continue
        reason = _skip_reason(report)
        keywords = getattr(report, "keywords", {})
        groups = [g for g in GROUPS if g in keywords]
        # A test in two groups (a browser test on the live stack): the one whose fixture skipped.
        group = next((g for g in groups if g in GROUPS_OF_REASON.get(reason, ())), groups[0] if groups else None)
        skipped[group or report.nodeid.split("::")[0]][reason] += 1
    if not skipped:
        return
    terminalreporter.section("skipped groups", sep="-")
    for group, reasons in skipped.items():
        count = sum(reasons.values())
        terminalreporter.write_line(f"SKIPPED {group} ({count} test{'s' * (count != 1)}): {'; '.join(reasons)}")


# ---------------------------------------------------------------- live stack


@pytest.fixture(name="free_port")
def free_port_fixture():
    return free_port


@dataclass
class LiveStack:
    url: str
    var_dir: Path
    rasa_url: str
    token: str
    # The stack's processes (actions, rasa, gateway) by name.
    pids: dict[str, int] = field(default_factory=dict)
    # A desk account made with `python -m bot counsellor add`'s own code before the gateway starts.
    counsellor: str = ""
    counsellor_password: str = ""


LIVE_COUNSELLOR = "testveileder"
LIVE_COUNSELLOR_PASSWORD = "live-stack-passord-123"


# `python -m bot counsellor add`'s own code, in the gateway's environment (this test run may be
# Rasa's), with the password on standard input instead of the terminal.
ADD_COUNSELLOR = """
import argparse, asyncio, sys
from bot.desk import cli
from bot.settings import Settings
password = sys.stdin.readline().rstrip("\\n")
args = argparse.Namespace(action="add", name=sys.argv[1])
print(asyncio.run(cli.run_command(Settings.from_env(), args, prompt=lambda _: password)))
"""


def _add_live_counsellor(var_dir: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env["VAR_DIR"] = str(var_dir)
    try:
        python = gateway_python()
    except StackError as exc:
        pytest.fail(str(exc))
    result = subprocess.run(
        [python, "-c", ADD_COUNSELLOR, LIVE_COUNSELLOR], input=LIVE_COUNSELLOR_PASSWORD + "\n", cwd=PROJECT_ROOT,
        env=env, capture_output=True, text=True, timeout=120, umask=UMASK,  # as `python -m bot` sets it
    )
    if result.returncode != 0:
        pytest.fail(f"the live stack's counsellor could not be added:\n{result.stdout}{result.stderr}")


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> LiveStack:
    """Rasa (trained model), the action server and the gateway as real processes, once per session."""
    if not MODEL.exists():
        missing("live", f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` (make test does)")
    var_dir = tmp_path_factory.mktemp("live-var")
    stack = DefaultStack(
        var_dir,
        extra_env={
            # Tests click and type faster than people; the limits themselves are unit-tested.
            "RATE_LIMIT_CONVERSATION_BURST": "100",
            "RATE_LIMIT_CLIENT_BURST": "1000",
            "RETENTION_CHECK_SECONDS": "1",
            # The desk is open at every hour, so a handoff works whenever the tests run;
            # whether a counsellor is there depends on someone signing in (see tests/gateway/test_desk_*).
            "OPENING_HOURS": "always",
        },
    )
    _add_live_counsellor(var_dir)
    try:
        stack.start()
    except StackError as exc:
        pytest.fail(str(exc))
    try:
        yield LiveStack(
            url=stack.url, var_dir=var_dir, rasa_url=stack.rasa_url, token=stack.token, pids=stack.pids(),
            counsellor=LIVE_COUNSELLOR, counsellor_password=LIVE_COUNSELLOR_PASSWORD,
        )
    finally:
        stack.stop()
