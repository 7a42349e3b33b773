"""Rasa's REST replies become one API message per bot message; the token travels in a
header, never in a URL."""
from __future__ import annotations

import uuid

import aiohttp
import pytest
from aiohttp import web

from bot.rasa_client import WEBHOOK_PATH, RasaClient, merge_custom

BUTTONS = [{"title": "Jeg er kollega", "payload": '/ask_advice{"role": "kollega"}'}]


def test_custom_only_item_joins_the_message_before_it():
    items = [
        {"recipient_id": "x", "text": "Råd", "buttons": BUTTONS},
        {"recipient_id": "x", "custom": {"type": "recommendations", "ids": ["a"]}},
        {"recipient_id": "x", "text": "Noe mer?"},
    ]
    assert merge_custom(items) == [
        {"text": "Råd", "buttons": BUTTONS, "custom": {"type": "recommendations", "ids": ["a"]}},
        {"text": "Noe mer?"},
    ]


def test_custom_without_a_message_before_it_stands_alone():
    assert merge_custom([{"recipient_id": "x", "custom": {"type": "crisis"}}]) == [{"custom": {"type": "crisis"}}]


def test_second_custom_does_not_overwrite_the_first():
    items = [{"text": "a"}, {"custom": {"n": 1}}, {"custom": {"n": 2}}]
    assert merge_custom(items) == [{"text": "a", "custom": {"n": 1}}, {"custom": {"n": 2}}]


def test_unknown_fields_and_junk_are_dropped():
    items = [{"recipient_id": "x", "text": "hei", "image": "http://x"}, "junk", {"recipient_id": "x"}]
    assert merge_custom(items) == [{"text": "hei"}]


def test_conversation_always_goes_to_the_same_rasa_server():
    client = RasaClient(session=None, urls=("http://a", "http://b", "http://c"), actions_url="http://x", timeout_seconds=1)
    ids = [str(uuid.uuid4()) for _ in range(30)]
    first = [client.url_for(i) for i in ids]
    assert first == [client.url_for(i) for i in ids]
    assert set(first) == {"http://a", "http://b", "http://c"}


@pytest.mark.asyncio
async def test_the_token_is_sent_in_a_header_and_never_in_the_url(aiohttp_server):
    seen: list[tuple[str, str, str | None]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.path, request.query_string, request.headers.get("Authorization")))
        body = [] if request.path == WEBHOOK_PATH else {"messages": []}
        return web.json_response(body)

    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, record)
    app.router.add_post("/conversations/{id}/{path:.*}", record)
    server = await aiohttp_server(app)
    url = str(server.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as session:
        client = RasaClient(session, (url,), url, timeout_seconds=5, token="s3cret-token")
        await client.send("c1", "hei")
        await client.resume("c1", "handoff_ended", {"handoff_outcome": "ended"})
    assert [path for path, _, _ in seen] == [
        "/webhooks/gateway/webhook", "/conversations/c1/tracker/events", "/conversations/c1/trigger_intent",
    ]
    assert {header for _, _, header in seen} == {"Bearer s3cret-token"}
    assert all("s3cret-token" not in query and "token" not in query for _, query, _ in seen)
