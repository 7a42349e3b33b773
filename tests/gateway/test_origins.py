"""Only allowed web pages may use the API: CORS for HTTP, origin check for WebSocket."""
from __future__ import annotations

from dataclasses import replace

import aiohttp
import pytest

pytestmark = pytest.mark.asyncio

PARTNER = "https://partner.example"
STRANGER = "https://evil.example"


async def test_allowed_origin_gets_cors_headers(client):
    response = await client.post("/api/conversations", headers={"Origin": PARTNER})
    assert response.status == 201
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Origin" in response.headers["Vary"]


async def test_preflight_for_allowed_origin(client, start):
    conversation_id = await start(client)
    response = await client.options(
        f"/api/conversations/{conversation_id}/messages",
        headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "DELETE" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"


async def test_other_origin_is_403_for_every_api_call(client, fake_rasa, start):
    conversation_id = await start(client)
    calls = [
        ("POST", "/api/conversations", None),
        ("POST", f"/api/conversations/{conversation_id}/messages", {"text": "hei"}),
        ("DELETE", f"/api/conversations/{conversation_id}", None),
        ("OPTIONS", "/api/conversations", None),
    ]
    for method, path, body in calls:
        headers = {"Origin": STRANGER, "Access-Control-Request-Method": "POST"}
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status == 403, (method, path)
        assert (await response.json())["error"] == "Denne nettsiden har ikke tilgang til Akan-veilederen."
        assert "Access-Control-Allow-Origin" not in response.headers
    assert fake_rasa.texts_for(conversation_id) == ["/greet"]
    assert (await client.get(f"/api/conversations/{conversation_id}/messages")).status == 200


async def test_gateway_own_origin_is_always_allowed(client):
    own = f"http://{client.server.host}:{client.server.port}"
    response = await client.post("/api/conversations", headers={"Origin": own})
    assert response.status == 201


async def test_errors_carry_cors_headers_so_the_widget_can_read_them(client):
    response = await client.post("/api/conversations/not-a-uuid/messages", json={"text": "x"}, headers={"Origin": PARTNER})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER


async def test_websocket_from_other_origin_is_refused(client, start):
    conversation_id = await start(client)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"/api/conversations/{conversation_id}/ws", headers={"Origin": STRANGER})
    assert refused.value.status == 403
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws", headers={"Origin": PARTNER})
    await ws.close()


async def test_wildcard_allows_any_origin(make_client, settings):
    client = await make_client(replace(settings, allowed_origins=("*",)))
    response = await client.post("/api/conversations", headers={"Origin": STRANGER})
    assert response.status == 201
    assert response.headers["Access-Control-Allow-Origin"] == STRANGER


async def test_static_files_are_public(client):
    response = await client.get("/widget.js", headers={"Origin": STRANGER})
    assert response.status == 200
