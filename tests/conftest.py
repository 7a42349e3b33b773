"""Shared test helpers: trackers built the way Rasa sends them to the action server,
and the live stack (real Rasa with the trained model, action server, gateway),
started once per session for the end-to-end, conversation and browser tests."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker

from services.default_stack import MODEL, PROJECT_ROOT, DefaultStack, StackError, free_port


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
    as Rasa sends them (services/rasa_fixes/action_payload.py)."""
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
        pytest.skip(f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` (make test does)")
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
