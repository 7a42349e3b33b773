"""Rate limits per conversation and per client address, through the API."""
from __future__ import annotations

from dataclasses import replace

import pytest

pytestmark = pytest.mark.asyncio


async def test_conversation_limit_is_429_with_retry_after(make_client, settings, start, fake_rasa):
    client = await make_client(replace(settings, rate_conversation_burst=3, rate_conversation_per_minute=6))
    conversation_id = await start(client)
    statuses = []
    for _ in range(4):
        response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"})
        statuses.append(response.status)
    assert statuses == [200, 200, 200, 429]
    assert response.headers["Retry-After"] == "10"
    assert (await response.json())["error"] == "Du sender veldig raskt. Vent litt, og prøv igjen."
    assert len(fake_rasa.texts_for(conversation_id)) == 4  # greeting + 3
    other = await start(client)
    response = await client.post(f"/api/conversations/{other}/messages", json={"text": "hei"})
    assert response.status == 200


async def test_client_limit_covers_new_conversations_and_messages(make_client, settings):
    client = await make_client(replace(settings, rate_client_burst=3, rate_client_per_minute=1))
    statuses = [(await client.post("/api/conversations")).status for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
