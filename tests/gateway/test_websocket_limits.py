"""WebSockets have caps and pushes have a time limit (issue 18, finding 5), chat and
desk sockets alike: the oldest of a conversation's (or a desk sign-in's) sockets makes
way for a newer one (close code 4409), a client over its cap is refused (429), and a
socket whose peer never reads is cut off after WS_SEND_TIMEOUT_SECONDS while every
other socket gets its push (queue positions included)."""
from __future__ import annotations

import asyncio
import base64
import os
import socket
import time
from dataclasses import replace

import aiohttp
import pytest
import pytest_asyncio

from bot import keys
from bot.client_address import TrustedProxies
from bot.handoff import flow as handoff
from bot.sockets import CLOSE_REPLACED
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import QUEUED_TEXT, add_counsellor, login

pytestmark = pytest.mark.asyncio

# Large frames, a few of which fill every buffer between the gateway and a peer that reads nothing.
PADDING = {"type": "padding", "pad": "x" * 2_000_000}


def chat_path(conversation_id: str) -> str:
    return f"/api/conversations/{conversation_id}/ws"


async def stalled_socket(client, path: str, headers: dict[str, str] | None = None) -> socket.socket:
    """A WebSocket whose peer reads the handshake's answer and then nothing at all."""
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await loop.sock_connect(sock, (client.server.host, client.server.port))
    lines = [
        f"GET {path} HTTP/1.1", f"Host: {client.server.host}:{client.server.port}", "Upgrade: websocket",
        "Connection: Upgrade", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13", *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    await loop.sock_sendall(sock, ("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = b""
    while not answer.endswith(b"\r\n\r\n"):  # byte by byte: not one byte of a frame is read
        answer += await loop.sock_recv(sock, 1)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return sock


async def until(condition, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def closed_with(ws, timeout: float = 5) -> int | None:
    while True:
        message = await ws.receive(timeout=timeout)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code


async def push_until_cut_off(publish, count, readers) -> None:
    """`publish` PADDING until the socket that does not read is gone (`count` drops by one);
    every push returns within the send timeout, and every reader gets every push."""
    before = count()
    for _ in range(20):
        started = time.monotonic()
        # Before: a push waited for as long as the peer did not read, that is, for ever.
        await asyncio.wait_for(publish(PADDING), 10)
        assert time.monotonic() - started < 5
        for reader in readers:
            assert await reader.receive_json(timeout=5) == PADDING
        await asyncio.sleep(0.05)
        if count() == before - 1:
            return
    pytest.fail("the socket that does not read was never cut off")


async def receive_of(ws, kind: str, timeout: float = 5) -> dict:
    while True:
        frame = await ws.receive_json(timeout=timeout)
        if frame.get("type") == kind:
            return frame


@pytest_asyncio.fixture
async def kari(settings) -> str:
    """A counsellor account (sign in with `sign_in`)."""
    return await add_counsellor(settings, "kari")


async def sign_in(client) -> str:
    """Kari signed in on `client`; her session cookie as a Cookie header."""
    await login(client, "kari")
    cookies = client.session.cookie_jar.filter_cookies(client.make_url("/desk"))
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


# ---------------------------------------------------------------- caps


async def test_the_oldest_socket_of_a_conversation_makes_way(make_client, settings, start):
    client = await make_client(replace(settings, ws_max_per_conversation=2))
    conversation_id = await start(client)
    first = await client.ws_connect(chat_path(conversation_id))
    second = await client.ws_connect(chat_path(conversation_id))
    third = await client.ws_connect(chat_path(conversation_id))
    assert await closed_with(first) == CLOSE_REPLACED
    await until(lambda: client.server.app[keys.HUB].count() == 2)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"})
    replies = (await response.json())["messages"]
    assert (await receive_of(second, "messages"))["messages"] == replies
    assert (await receive_of(third, "messages"))["messages"] == replies
    await second.close()
    await third.close()


async def test_a_client_over_its_cap_is_refused_and_others_are_not(make_client, settings, start, kari):
    client = await make_client(replace(settings, ws_max_per_client=3, trusted_proxies=TrustedProxies.parse("127.0.0.1")))
    await sign_in(client)
    conversations = [await start(client) for _ in range(4)]
    open_ = [await client.ws_connect(chat_path(c)) for c in conversations[:2]]
    open_.append(await client.ws_connect("/desk/ws"))  # a desk socket counts with the chat sockets
    for path in (chat_path(conversations[3]), "/desk/ws"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(path)
        assert refused.value.status == 429
        assert int(refused.value.headers["Retry-After"]) > 0
    # Someone else behind the same proxy is not affected.
    other = await client.ws_connect(chat_path(conversations[3]), headers={"X-Forwarded-For": "203.0.113.9"})
    # A closed socket frees its place.
    await open_.pop(0).close()
    await until(lambda: client.server.app[keys.CLIENT_SOCKETS].count("127.0.0.1") == 2)
    open_.append(await client.ws_connect(chat_path(conversations[3])))
    for ws in [*open_, other]:
        await ws.close()


async def test_the_oldest_desk_socket_of_a_sign_in_makes_way(make_client, settings, kari):
    client = await make_client(replace(settings, ws_max_per_conversation=1))
    await sign_in(client)
    first = await client.ws_connect("/desk/ws")
    second = await client.ws_connect("/desk/ws")
    assert await closed_with(first) == CLOSE_REPLACED
    await handoff.publish_positions(client.server.app)
    assert await second.receive_json(timeout=5) == {"type": "queue"}
    await second.close()


# ---------------------------------------------------------------- a peer that never reads


async def test_a_chat_socket_that_does_not_read_is_cut_off_and_the_others_get_their_push(make_client, settings, start):
    client = await make_client(replace(settings, ws_send_timeout_seconds=1.0))
    hub = client.server.app[keys.HUB]
    conversation_id = await start(client)
    reader = await client.ws_connect(chat_path(conversation_id), max_msg_size=0)
    stalled = await stalled_socket(client, chat_path(conversation_id))
    try:
        await until(lambda: hub.count() == 2)
        await push_until_cut_off(lambda frame: hub.publish(conversation_id, frame), hub.count, [reader])
        started = time.monotonic()
        await hub.publish(conversation_id, {"type": "messages", "messages": []})
        assert time.monotonic() - started < 0.5
        assert await reader.receive_json(timeout=5) == {"type": "messages", "messages": []}
    finally:
        stalled.close()
        await reader.close()


async def test_queue_positions_reach_everyone_while_one_socket_does_not_read(
    make_client, settings, start, kari, fake_rasa
):
    client = await make_client(replace(settings, ws_send_timeout_seconds=1.0))
    app, hub = client.server.app, client.server.app[keys.HUB]
    await sign_in(client)
    await client.get("/desk/api/queue")  # at the desk: handoffs are queued
    queued = []
    for _ in range(2):
        conversation_id = await start(client)
        response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": "/request_human"})
        assert QUEUED_TEXT in [m.get("text") for m in (await response.json())["messages"]]
        queued.append(conversation_id)
    first, second = queued
    stalled = await stalled_socket(client, chat_path(first))
    waiting = await client.ws_connect(chat_path(second))
    try:
        await until(lambda: hub.count() == 2)
        # The first in the queue has stopped reading while large pushes are on their way to it.
        async def fill() -> None:
            for _ in range(20):
                await hub.publish(first, PADDING)

        filling = asyncio.create_task(fill())
        await asyncio.sleep(0.3)
        await asyncio.wait_for(handoff.publish_positions(app), 5)
        assert await receive_of(waiting, "handoff") == {"type": "handoff", "status": "queued", "position": 2}
        # Before: the pushes to the socket that does not read never ended.
        await asyncio.wait_for(filling, 15)
        await until(lambda: hub.count() == 1)
        await asyncio.wait_for(handoff.publish_positions(app), 1)
        assert await receive_of(waiting, "handoff") == {"type": "handoff", "status": "queued", "position": 2}
    finally:
        stalled.close()
        await waiting.close()


async def test_a_desk_socket_that_does_not_read_is_cut_off_and_the_other_desks_get_their_push(
    make_client, settings, kari
):
    client = await make_client(replace(settings, ws_send_timeout_seconds=1.0))
    desk_hub = client.server.app[keys.DESK_HUB]
    cookie = await sign_in(client)
    reader = await client.ws_connect("/desk/ws", max_msg_size=0)
    stalled = await stalled_socket(client, "/desk/ws", {"Cookie": cookie})
    try:
        await until(lambda: desk_hub.count() == 2)
        await push_until_cut_off(desk_hub.publish, desk_hub.count, [reader])
        await asyncio.wait_for(desk_hub.publish({"type": "queue"}), 0.5)
        assert await reader.receive_json(timeout=5) == {"type": "queue"}
    finally:
        stalled.close()
        await reader.close()
