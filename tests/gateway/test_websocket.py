"""The WebSocket pushes the bot's messages and accepts {"text"} / {"button"} like the HTTP API."""
from __future__ import annotations

import asyncio
from dataclasses import replace

import aiohttp
import pytest

pytestmark = pytest.mark.asyncio


async def receive(ws) -> dict:
    return await asyncio.wait_for(ws.receive_json(), timeout=5)


async def test_text_over_websocket_gets_replies_pushed(client, fake_rasa, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    await ws.send_json({"text": "ring meg på 41234567"})
    frame = await receive(ws)
    assert frame["type"] == "messages"
    assert frame["messages"][0]["text"] == "Jeg forstod ikke helt. Hvem er du?"
    assert fake_rasa.texts_for(conversation_id)[-1] == "ring meg på [telefonnummer]"
    await ws.close()


async def test_button_over_websocket_is_checked(client, fake_rasa, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    await ws.send_json({"button": "/restart"})
    assert await receive(ws) == {
        "type": "error", "status": 400,
        "error": "Det valget er ikke lenger aktuelt. Skriv gjerne med egne ord i stedet.",
    }
    await ws.send_json({"button": fake_rasa.ROLE_BUTTONS[0]["payload"]})
    frame = await receive(ws)
    assert frame["messages"][0]["custom"] == fake_rasa.RECOMMENDATIONS
    await ws.close()


async def test_errors_arrive_as_frames_and_the_socket_stays_open(client, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    await ws.send_str("{oops")
    assert (await receive(ws))["status"] == 400
    await ws.send_json({"text": "x" * 2001})
    assert (await receive(ws))["status"] == 413
    await ws.send_json({"nothing": 1})
    assert (await receive(ws))["status"] == 400
    await ws.send_json({"text": "hei"})
    assert (await receive(ws))["type"] == "messages"
    await ws.close()


async def test_http_replies_are_pushed_to_open_sockets(client, start):
    conversation_id = await start(client)
    first = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    second = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"})
    replies = (await response.json())["messages"]
    assert (await receive(first))["messages"] == replies
    assert (await receive(second))["messages"] == replies
    await first.close()
    await second.close()


async def test_other_conversations_hear_nothing(client, start):
    mine, other = await start(client), await start(client)
    ws = await client.ws_connect(f"/api/conversations/{other}/ws")
    await client.post(f"/api/conversations/{mine}/messages", json={"text": "hei"})
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(ws.receive_json(), timeout=0.3)
    await ws.close()


async def test_delete_closes_the_socket(client, start):
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    message = await asyncio.wait_for(ws.receive(), timeout=5)
    assert message.type == aiohttp.WSMsgType.CLOSE
    assert message.data == 4404  # the widget knows the conversation is gone, and does not reconnect
    assert ws.closed


async def test_rate_limit_applies_to_websocket_too(make_client, settings, start):
    client = await make_client(replace(settings, rate_conversation_burst=2, rate_conversation_per_minute=1))
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    statuses = []
    for _ in range(3):
        await ws.send_json({"text": "hei"})
        frame = await receive(ws)
        statuses.append(frame.get("status", 200))
    assert statuses == [200, 200, 429]
    await ws.close()
