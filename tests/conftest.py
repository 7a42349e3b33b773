"""Shared test helpers: trackers built the way Rasa sends them to the action server,
and the live stack (real Rasa with the trained model, action server, gateway),
started once per session for the end-to-end, conversation and browser tests.

The slow groups are marked by the fixtures they use (pytest.ini registers the markers):
`live` (live_stack: the trained model and the Rasa stack), `browser` (Chromium),
`production` (PostgreSQL and Redis, the production profile). `make test-fast` leaves them
out. A group whose requirement is missing is skipped locally, with one line per group at
the end of the run, and fails under CI=true (tests/skips.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker

from services.default_stack import MODEL, PROJECT_ROOT, DefaultStack, StackError, free_port
from tests.skips import GROUPS_OF_REASON, in_ci, missing


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
    # A desk account made with `python -m bot counsellor add`'s own code before the gateway starts.
    counsellor: str = ""
    counsellor_password: str = ""


LIVE_COUNSELLOR = "testveileder"
LIVE_COUNSELLOR_PASSWORD = "live-stack-passord-123"


def _add_live_counsellor(var_dir: Path) -> None:
    import argparse
    import asyncio

    from bot.desk import cli
    from bot.settings import Settings

    from concurrent.futures import ThreadPoolExecutor

    answers = iter([LIVE_COUNSELLOR_PASSWORD] * 2)
    command = cli.run_command(
        Settings(var_dir=var_dir), argparse.Namespace(action="add", name=LIVE_COUNSELLOR), prompt=lambda _: next(answers)
    )
    # In a thread of its own: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, command).result()


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
            url=stack.url, var_dir=var_dir, rasa_url=stack.rasa_url, token=stack.token,
            counsellor=LIVE_COUNSELLOR, counsellor_password=LIVE_COUNSELLOR_PASSWORD,
        )
    finally:
        stack.stop()
