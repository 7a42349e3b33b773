"""/metrics: Prometheus text with turns, latency, errors and sockets; never an id,
a text or an address; only for loopback clients or with METRICS_TOKEN."""
from __future__ import annotations

import math
from dataclasses import replace

import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.app import create_app
from bot.settings import Settings
from tests.gateway.conftest import GatewayTestServer

pytestmark = pytest.mark.asyncio

TOKEN = "s3cret-metrics-token"
OUTSIDE = "203.0.113.7"  # TEST-NET-3: a client on another machine
NOT_FOUND = {"error": "Fant ikke det du så etter."}


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name` with exactly `labels`, from Prometheus text."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    raise AssertionError(f"no sample {name}{labels}")


async def scrape(client, headers: dict[str, str] | None = None) -> str:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return await response.text()


def from_address(address: str):
    """Make every request look as if it came from `address` (as a proxy-aware middleware would)."""

    @web.middleware
    async def middleware(request: web.Request, handler):
        return await handler(request.clone(remote=address))

    return middleware


@pytest.fixture
def remote_client(aiohttp_client):
    """The gateway as seen by a client at another address."""

    async def make(settings: Settings, address: str = OUTSIDE):
        app = create_app(settings)
        app.middlewares.insert(0, from_address(address))
        return await aiohttp_client(GatewayTestServer(app))

    return make


async def test_a_chat_turn_is_counted_without_id_or_text(client, start):
    conversation_id = await start(client)
    text = "Jeg heter Kari Nordmann og lurer på hjemmekontor"
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})
    assert response.status == 200
    out = await scrape(client)
    assert value(out, "akan_chat_turns_total", kind="text") == 1
    assert value(out, "akan_chat_turns_total", kind="button") == 0
    assert value(out, "akan_chat_turn_seconds_count", kind="text") == 1
    assert value(out, "akan_chat_turn_seconds_sum", kind="text") > 0
    # The greeting and the turn both asked Rasa.
    assert value(out, "akan_rasa_request_seconds_count", outcome="ok") == 2
    assert value(out, "akan_rasa_request_seconds_count", outcome="unavailable") == 0
    assert conversation_id not in out
    for word in ("Kari", "Nordmann", "hjemmekontor", "navn", "127.0.0.1"):
        assert word not in out


async def test_errors_are_counted_by_route_pattern_and_status(client, start):
    conversation_id = await start(client)
    bad = await client.post(f"/api/conversations/{conversation_id}/messages", data="{oops")
    assert bad.status == 400
    assert (await client.get("/api/nothing-here-42")).status == 404
    out = await scrape(client)
    assert value(out, "akan_http_errors_total", route="/api/conversations/{id}/messages", status="400") == 1
    assert value(out, "akan_http_errors_total", route="unmatched", status="404") == 1
    assert conversation_id not in out and "nothing-here-42" not in out


async def test_open_websockets_and_their_error_frames(client, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    await ws.send_str("{oops")
    assert (await ws.receive_json(timeout=5))["status"] == 400
    out = await scrape(client)
    assert value(out, "akan_websockets_open", page="chat") == 1
    assert value(out, "akan_websockets_open", page="desk") == 0
    assert value(out, "akan_http_errors_total", route="/api/conversations/{id}/ws", status="400") == 1
    await ws.close()
    for _ in range(50):  # the server notices the close a moment later
        if value(await scrape(client), "akan_websockets_open", page="chat") == 0:
            break
    else:
        raise AssertionError("the closed socket is still counted")


async def test_rasa_down_is_counted(client, fake_rasa):
    fake_rasa.rasa_up = False
    assert (await client.post("/api/conversations")).status == 503
    out = await scrape(client)
    assert value(out, "akan_rasa_request_seconds_count", outcome="unavailable") == 1
    assert value(out, "akan_http_errors_total", route="/api/conversations", status="503") == 1


async def test_queue_length_reads_the_database(client):
    assert value(await scrape(client), "akan_handoff_queue_length") == 0


async def test_each_app_has_its_own_registry(make_client, settings, start):
    first, second = await make_client(settings), await make_client(settings)
    await start(first)
    assert value(await scrape(first), "akan_rasa_request_seconds_count", outcome="ok") == 1
    assert value(await scrape(second), "akan_rasa_request_seconds_count", outcome="ok") == 0


async def test_a_client_elsewhere_without_token_gets_not_found(remote_client, settings):
    client = await remote_client(settings)
    response = await client.get("/metrics")
    assert response.status == 404
    assert await response.json() == NOT_FOUND
    # No token configured: an empty bearer token must not match the empty setting.
    response = await client.get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status == 404
    assert (await client.get("/livez")).status == 200  # the rest of the gateway answers as usual


async def test_a_client_elsewhere_with_the_token_gets_metrics(remote_client, settings):
    client = await remote_client(replace(settings, metrics_token=TOKEN))
    for headers in (None, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}):
        assert (await client.get("/metrics", headers=headers)).status == 404
    out = await scrape(client, {"Authorization": f"Bearer {TOKEN}"})
    assert value(out, "akan_chat_turns_total", kind="text") == 0
    assert OUTSIDE not in out


async def test_loopback_needs_no_token_even_when_one_is_set(make_client, settings):
    client = await make_client(replace(settings, metrics_token=TOKEN))
    await scrape(client)


async def test_a_request_through_a_proxy_is_not_loopback(client):
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = await client.get("/metrics", headers={header: OUTSIDE})
        assert response.status == 404, header


async def test_ipv6_loopback_and_mapped_addresses(remote_client, settings):
    for address, status in (("::1", 200), ("::ffff:127.0.0.1", 200), ("::ffff:203.0.113.7", 404), ("", 404)):
        client = await remote_client(settings, address)
        assert (await client.get("/metrics")).status == status, address
        await client.close()


async def test_queue_length_is_nan_while_the_database_is_away(client, monkeypatch):
    async def down(_session):
        raise ConnectionRefusedError()

    monkeypatch.setattr("bot.handoff.tickets.waiting_queue", down)
    assert math.isnan(value(await scrape(client), "akan_handoff_queue_length"))
