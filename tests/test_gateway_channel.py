"""Rasa's channel for the gateway (rasa_runtime/channels/gateway.py) refuses every request
without the shared secret in its `Authorization: Bearer` header; the live stack's channel is
probed in tests/test_rasa_access.py."""
from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import yaml

from rasa_runtime.channels.gateway import GatewayInput

PROJECT_ROOT = Path(__file__).resolve().parents[1]

SECRET = "shared-secret"


def request(authorization: str | None = None) -> SimpleNamespace:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return SimpleNamespace(headers=headers, path="/webhooks/gateway/webhook")


def middleware(channel: GatewayInput):
    async def on_new_message(message):  # pragma: no cover - never reached here
        raise AssertionError("a message got through")

    blueprint = channel.blueprint(on_new_message)
    [future] = [m for m in blueprint._future_middleware if m.attach_to == "request"]
    return future.middleware


def answer(channel: GatewayInput, req: SimpleNamespace):
    return asyncio.run(middleware(channel)(req))


def test_the_secret_is_read_from_rasa_token(monkeypatch):
    monkeypatch.setenv("RASA_TOKEN", SECRET)
    channel = GatewayInput.from_credentials(None)
    assert channel.authorised(request(f"Bearer {SECRET}"))
    assert GatewayInput.name() == "gateway"


def test_a_request_without_the_secret_or_with_a_wrong_one_is_refused():
    channel = GatewayInput(SECRET)
    for req in (request(), request("Bearer wrong"), request(SECRET), request("Basic c2VjcmV0")):
        refused = answer(channel, req)
        assert refused is not None and refused.status == 401


def test_the_gateway_with_the_secret_passes():
    assert answer(GatewayInput(SECRET), request(f"Bearer {SECRET}")) is None


def test_without_a_secret_everything_is_refused(monkeypatch):
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    channel = GatewayInput.from_credentials(None)
    assert answer(channel, request("Bearer ")).status == 401
    assert answer(channel, request()).status == 401


def test_credentials_open_only_this_channel():
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())
    assert list(credentials) == ["rasa_runtime.channels.gateway.GatewayInput"]
