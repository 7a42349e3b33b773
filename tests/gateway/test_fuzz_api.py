"""Property-based fuzz of the public API (hypothesis) against the real app and the fake Rasa.

Whatever arrives — any JSON, raw bytes, content types, ids with slashes and
unicode, headers, sizes — the gateway answers with a clear JSON error or a
normal reply: never a 5xx, never a crash, and the limits hold (413 for
oversize, 429 on bursts, 400 otherwise). Derandomized with bounded examples so
CI sees the same cases every run.
"""
from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import quote

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

pytestmark = pytest.mark.asyncio

FUZZ = hypothesis_settings(
    derandomize=True, max_examples=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NO_LIMITS = {"rate_conversation_burst": 100000, "rate_conversation_per_minute": 100000,
             "rate_client_burst": 100000, "rate_client_per_minute": 100000}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
# Bodies that look almost right are the interesting ones.
near_valid = st.one_of(
    st.dictionaries(st.sampled_from(["text", "button", "message", "sender", "metadata"]), json_values, max_size=3),
    st.builds(lambda t: {"text": t}, st.text(max_size=300)),
    st.builds(lambda t: {"button": t}, st.text(max_size=600)),
    json_values,
)
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)


async def _assert_clean(response, allowed: set[int]) -> None:
    """Never a server error; every error is `{"error": <text>}`."""
    assert response.status < 500, await response.text()
    assert response.status in allowed, (response.status, await response.text())
    if response.status >= 400:
        body = await response.json()
        assert isinstance(body.get("error"), str) and body["error"]


@pytest.fixture
def open_settings(settings):
    return replace(settings, **NO_LIMITS)


@pytest_asyncio.fixture
async def open_client(make_client, open_settings):
    """One gateway per test, shared by its examples (hypothesis runs many per test)."""
    return await make_client(open_settings)


@FUZZ
@given(body=near_valid)
async def test_any_json_body_gets_a_reply_or_a_clear_4xx(open_client, start, body):
    client = open_client
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json=body)
    await _assert_clean(response, {200, 400, 413})
    if response.status == 200:
        assert isinstance((await response.json())["messages"], list)
    # The conversation still works afterwards.
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"})
    assert response.status == 200


@FUZZ
@given(raw=st.binary(max_size=300), content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin-1", ""]))
async def test_raw_bytes_are_400_never_5xx(open_client, start, raw, content_type):
    client = open_client
    conversation_id = await start(client)
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post(f"/api/conversations/{conversation_id}/messages", data=raw, headers=headers)
    await _assert_clean(response, {200, 400, 413})


@FUZZ
@given(
    raw_id=st.text(max_size=60) | st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper()),
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH"]),
    suffix=st.sampled_from(["/messages", "", "/ws", "/messages/", "/../messages"]),
)
async def test_any_conversation_id_is_404_or_405(open_client, raw_id, method, suffix):
    client = open_client
    path = f"/api/conversations/{quote(raw_id, safe='/')}{suffix}"
    response = await client.request(method, path, json={"text": "hei"})
    await _assert_clean(response, {200, 201, 204, 400, 404, 405})
    if method in ("POST", "DELETE") and response.status < 300:
        # Only a real conversation id can succeed, and none was made here.
        assert path == "/api/conversations" or suffix == "/../messages", path


@FUZZ
@given(headers=st.dictionaries(
    st.sampled_from(["Origin", "Referer", "X-Forwarded-For", "Accept", "Accept-Language", "Cookie", "User-Agent",
                     "Sec-WebSocket-Key", "Upgrade", "Connection", "X-Custom"]),
    header_values, max_size=4))
async def test_any_headers_never_break_the_api(open_client, start, headers):
    client = open_client
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"}, headers=headers)
    await _assert_clean(response, {200, 400, 403})
    response = await client.post("/api/conversations", headers=headers)
    await _assert_clean(response, {201, 400, 403})


@FUZZ
@given(length=st.integers(min_value=1, max_value=2600), char=st.sampled_from(["a", "ø", "😀", " ", "/", "\u200b", "\n"]))
async def test_message_size_limit_holds(open_client, open_settings, start, length, char):
    assert open_settings.max_message_chars == 2000
    client = open_client
    conversation_id = await start(client)
    text = "x" + char * (length - 1)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})
    if length > 2000:
        await _assert_clean(response, {413})
    else:
        await _assert_clean(response, {200, 400})


async def test_oversized_bodies_are_413(make_client, open_settings, start):
    client = await make_client(open_settings)
    conversation_id = await start(client)
    big = json.dumps({"text": "a" * (open_settings.max_body_bytes + 10)})
    response = await client.post(f"/api/conversations/{conversation_id}/messages", data=big,
                                 headers={"Content-Type": "application/json"})
    await _assert_clean(response, {413})


@pytest_asyncio.fixture
async def burst_client(make_client, settings):
    """Per-conversation limit as in production; the per-client one out of the way."""
    return await make_client(replace(settings, rate_conversation_burst=6, rate_conversation_per_minute=20,
                                     rate_client_burst=100000, rate_client_per_minute=100000))


@FUZZ
@given(burst=st.integers(min_value=7, max_value=25),
       texts=st.lists(st.text(min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=5))
async def test_bursts_get_429_with_retry_after(burst_client, start, burst, texts):
    """Every non-empty message counts against the limit (a new conversation per example)."""
    client = burst_client
    conversation_id = await start(client)
    statuses = []
    for i in range(burst):
        response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": texts[i % len(texts)]})
        await _assert_clean(response, {200, 400, 429})
        statuses.append(response.status)
        if response.status == 429:
            assert int(response.headers["Retry-After"]) >= 1
    assert 429 in statuses
    assert statuses.count(200) + statuses.count(400) <= 6


@FUZZ
@given(frames=st.lists(st.one_of(st.text(max_size=200), near_valid.map(json.dumps)), min_size=1, max_size=5))
async def test_websocket_frames_get_replies_or_errors(open_client, start, frames):
    client = open_client
    conversation_id = await start(client)
    async with client.ws_connect(f"/api/conversations/{conversation_id}/ws") as ws:
        for frame in frames:
            await ws.send_str(frame)
            reply = await ws.receive_json(timeout=5)
            assert reply["type"] in ("messages", "error"), reply
            if reply["type"] == "error":
                assert 400 <= reply["status"] < 500, reply
        await ws.send_str(json.dumps({"text": "hei"}))
        assert (await ws.receive_json(timeout=5))["type"] == "messages"
