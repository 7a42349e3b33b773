"""Shared test helpers: trackers built the way Rasa sends them to the action server,
and the live stack (real Rasa with the trained model, action server, gateway),
started once per session for the end-to-end, conversation and browser tests."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODEL = PROJECT_ROOT / "models" / "akan.tar.gz"


def user_event(text: str, intent: str, entities: Optional[list[dict]] = None) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []},
    }


def entity(name: str, value: str, **extra: Any) -> dict[str, Any]:
    """An entity as the NLU sends it; without `extractor` it is a button payload's."""
    return {"entity": name, "value": value, **extra}


def make_tracker(
    text: str = "",
    intent: str = "ask_advice",
    entities: Optional[list[dict]] = None,
    slots: Optional[dict[str, Any]] = None,
    history: Optional[list[dict]] = None,
) -> Tracker:
    """A tracker whose latest message is `text` with `intent` and `entities`."""
    latest = user_event(text, intent, entities)
    return Tracker.from_dict(
        {
            "sender_id": "test-conversation",
            "slots": {"role": None, "topic": None, "substance": None, **(slots or {})},
            "latest_message": latest["parse_data"],
            "events": [*(history or []), latest],
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(name="free_port")
def free_port_fixture():
    return free_port


@dataclass
class LiveStack:
    url: str
    var_dir: Path
    rasa_url: str
    token: str


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> LiveStack:
    """Rasa (trained model), the action server and the gateway as real processes, once per session."""
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` (make test does)")
    var_dir = tmp_path_factory.mktemp("live-var")
    (var_dir / "logs").mkdir()
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "GATEWAY_PORT": free_port()}
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "VAR_DIR": str(var_dir),
        "TRACKER_DB_URL": f"sqlite:///{var_dir / 'tracker.db'}",
        "RASA_TOKEN": token,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        # Tests click and type faster than people; the limits themselves are unit-tested.
        "RATE_LIMIT_CONVERSATION_BURST": "100",
        "RATE_LIMIT_CLIENT_BURST": "1000",
        "RETENTION_CHECK_SECONDS": "1",
    }
    env.pop("RASA_URL", None)
    env.pop("ACTIONS_URL", None)
    env.pop("GATEWAY_DB_URL", None)
    bin_dir = Path(sys.executable).parent
    commands = {
        "actions": [sys.executable, "-m", "actions.server"],
        "rasa": [
            str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml", "-i", "127.0.0.1", "-p", str(ports["RASA_PORT"]),
            "--enable-api", "--auth-token", token, "--log-file", str(var_dir / "logs" / "rasa.log"),
        ],
        "gateway": [sys.executable, "-m", "bot"],
    }
    processes: dict[str, subprocess.Popen] = {}
    logs = {}
    try:
        for name, command in commands.items():
            logs[name] = open(var_dir / "logs" / f"{name}.out", "wb")
            processes[name] = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT, start_new_session=True
            )
        url = f"http://127.0.0.1:{ports['GATEWAY_PORT']}"
        deadline = time.monotonic() + 300
        while not _http_ok(f"{url}/healthz"):
            dead = [n for n, p in processes.items() if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                tails = {n: (var_dir / "logs" / f"{n}.out").read_text(errors="replace")[-3000:] for n in commands}
                pytest.fail(f"live stack did not become healthy (exited: {dead}); output:\n{json.dumps(tails, indent=1)}")
            time.sleep(1)
        yield LiveStack(url=url, var_dir=var_dir, rasa_url=f"http://127.0.0.1:{ports['RASA_PORT']}", token=token)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for handle in logs.values():
            handle.close()
