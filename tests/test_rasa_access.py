"""Only the gateway can talk to Rasa, and the stack leaks no secret (live stack: real Rasa,
action server and gateway, started as `make run` starts them).

Rasa listens on 127.0.0.1, where every local process could reach it: its HTTP API takes
RASA_TOKEN only in an `Authorization: Bearer` header (never `?token=`, which logs keep), its
one channel refuses any request without that secret (a `/restart` of someone's conversation
included), no process has the secret on its command line, and what the stack writes under
VAR_DIR is readable by its owner only."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from tests.secrets_probe import command_lines, not_private, secrets_on_command_lines

WEBHOOK = "/webhooks/gateway/webhook"


def http(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple[int, object]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def tracker(stack, sender: str) -> dict:
    status, body = http("GET", f"{stack.rasa_url}/conversations/{sender}/tracker", token=stack.token)
    assert status == 200
    return body


@pytest.fixture
def sender() -> str:
    return str(uuid.uuid4())


def test_the_api_takes_the_token_in_the_header_only(live_stack, sender):
    url = f"{live_stack.rasa_url}/conversations/{sender}/tracker"
    assert http("GET", url, token=live_stack.token)[0] == 200
    assert http("GET", f"{url}?token={live_stack.token}")[0] == 401
    assert http("GET", f"{url}?token={live_stack.token}", token=live_stack.token)[0] == 401
    assert http("GET", url, token="wrong")[0] == 401
    assert http("GET", url)[0] == 401


def test_the_channel_answers_the_gateway_only(live_stack, sender):
    webhook = f"{live_stack.rasa_url}{WEBHOOK}"
    status, replies = http("POST", webhook, {"sender": sender, "message": "jeg er leder"}, token=live_stack.token)
    assert status == 200 and replies
    assert tracker(live_stack, sender)["slots"]["role"] == "leder"

    restart = {"sender": sender, "message": "/restart"}
    assert http("POST", webhook, restart)[0] == 401
    assert http("POST", webhook, restart, token="wrong")[0] == 401
    assert http("POST", f"{webhook}?token={live_stack.token}", restart)[0] == 401
    assert http("POST", f"{live_stack.rasa_url}/webhooks/rest/webhook", restart)[0] == 404  # no open REST channel
    # Nothing was restarted (the tracker shows the events after the last restart).
    kept = tracker(live_stack, sender)
    assert kept["slots"]["role"] == "leder" and "jeg er leder" in [e.get("text") for e in kept["events"]]

    # The same message with the secret does restart: the refusals above were the channel's.
    assert http("POST", webhook, restart, token=live_stack.token)[0] == 200
    assert tracker(live_stack, sender)["slots"]["role"] is None


def test_no_secret_on_any_command_line(live_stack):
    lines = command_lines(live_stack.pids.values())
    assert any("services.rasa_launcher run" in line and "--enable-api" in line for line in lines.values()), lines
    assert secrets_on_command_lines(live_stack.pids.values(), {"RASA_TOKEN": live_stack.token}) == []


def test_what_the_stack_writes_is_private(live_stack, sender):
    assert http("POST", f"{live_stack.rasa_url}{WEBHOOK}", {"sender": sender, "message": "hei"}, token=live_stack.token)[0] == 200
    names = {path.name for path in live_stack.var_dir.rglob("*")}
    assert {"tracker.db", "gateway.db", "logs", "rasa.log", "gateway.out"} <= names, names
    assert not_private(live_stack.var_dir) == []
