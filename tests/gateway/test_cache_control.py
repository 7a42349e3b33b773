"""No cache keeps what the API answers (issue 18, finding 8): `Cache-Control: no-store`
on every answer of the chat API and the desk, errors included."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.gateway.conftest import PARTNER_ORIGIN
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import add_counsellor, desk_csrf, login

pytestmark = pytest.mark.asyncio


def assert_no_store(responses) -> None:
    missing = [
        (r.method, r.url.path, r.status, r.headers.get("Cache-Control"))
        for r in responses if r.headers.get("Cache-Control") != "no-store"
    ]
    assert not missing, missing


async def test_every_chat_api_answer_says_no_store(client, fake_rasa, settings, start):
    created = await client.post("/api/conversations")
    conversation_id = (await created.json())["id"]
    path = f"/api/conversations/{conversation_id}"
    responses = [
        created,
        await client.get(f"{path}/messages"),
        await client.post(f"{path}/messages", json={"text": "hei"}),
        await client.post(f"{path}/messages", data="ikke json"),  # 400
        await client.post(f"{path}/messages", json={"text": "x" * (settings.max_message_chars + 1)}),  # 413
        await client.post(f"{path}/messages", data="x" * (settings.max_body_bytes + 1)),  # 413, body too large
        await client.post(f"{path}/handoff/cancel"),  # 409
        await client.get("/api/conversations/not-a-uuid/messages"),  # 404
        await client.get("/api/nothing-here"),  # 404, no route
        await client.put(path),  # 405
        await client.post("/api/conversations", headers={"Origin": "https://evil.example"}),  # 403
        await client.options(
            "/api/conversations", headers={"Origin": PARTNER_ORIGIN, "Access-Control-Request-Method": "POST"}
        ),  # 204, preflight
    ]
    fake_rasa.rasa_up = False
    responses.append(await client.post(f"{path}/messages", json={"text": "hei igjen"}))  # 503
    fake_rasa.rasa_up = True
    responses.append(await client.delete(path))  # 204
    assert {r.status for r in responses} >= {200, 201, 204, 400, 403, 404, 405, 409, 413, 503}
    assert_no_store(responses)


async def test_rate_limited_answers_say_no_store(make_client, settings):
    client = await make_client(replace(settings, rate_client_burst=1, rate_client_per_minute=1))
    responses = [await client.post("/api/conversations") for _ in range(2)]
    assert [r.status for r in responses] == [201, 429]
    assert_no_store(responses)


async def test_every_desk_answer_says_no_store(client, settings, start):
    responses = [await client.get("/desk/api/queue")]  # 401, not signed in
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    headers = {"X-CSRF-Token": await desk_csrf(client)}
    responses += [
        await client.get("/desk/api/queue"),
        await client.get("/desk/api/tickets/999/messages"),  # 404, no such ticket
        await client.get("/desk/api/tickets/abc/messages"),  # 404, not a ticket id
        await client.post("/desk/api/tickets/999/accept", headers=headers),  # 404
        await client.post("/desk/api/tickets/999/end", headers=headers),  # 409
        await client.post("/desk/api/tickets/999/messages", json={}, headers=headers),  # 400
        await client.post("/desk/api/heartbeat"),  # 403, no CSRF token
        await client.get("/desk/api/nothing-here"),  # 404, no route
        await client.get("/desk", allow_redirects=False),
        await client.get("/desk/login", allow_redirects=False),  # 302 to the desk
    ]
    assert {r.status for r in responses} >= {200, 302, 400, 401, 403, 404, 409}
    assert_no_store(responses)


async def test_the_public_crisis_lines_keep_their_own_caching(client):
    response = await client.get("/api/crisis-lines")
    assert response.status == 200 and response.headers["Cache-Control"].startswith("public, max-age=")
    missing = await client.post("/api/crisis-lines")  # its errors are not cached
    assert missing.status == 405 and missing.headers["Cache-Control"] == "no-store"
