"""Several Rasa replicas: consistent routing by conversation id, failover only when a
replica refuses the connection (it never saw the message), never a resend otherwise;
and the clear reply when the action server is down."""
from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import aiohttp
import pytest
from aiohttp import web

from bot import rasa_client
from bot.rasa_client import RasaClient, RasaUnavailable, rank_servers

URLS = ("http://127.0.0.1:5005", "http://127.0.0.1:5006", "http://127.0.0.1:5007")


def test_order_is_stable_and_spreads_conversations():
    ids = [str(uuid.UUID(int=i * 7919 + 1, version=4)) for i in range(600)]
    firsts = Counter(rank_servers(i, URLS)[0] for i in ids)
    assert all(rank_servers(i, URLS) == rank_servers(i, URLS[::-1]) for i in ids[:50])
    assert set(firsts) == set(URLS) and min(firsts.values()) > 120


def test_removing_a_replica_moves_only_its_conversations():
    ids = [str(uuid.UUID(int=i * 104729 + 3, version=4)) for i in range(300)]
    before = {i: rank_servers(i, URLS)[0] for i in ids}
    after = {i: rank_servers(i, URLS[:2])[0] for i in ids}
    moved = [i for i in ids if before[i] != after[i]]
    assert moved and all(before[i] == URLS[2] for i in moved)
    # ... and they move to their own second choice.
    assert all(after[i] == rank_servers(i, URLS)[1] for i in moved)


class Replica:
    """A Rasa REST channel that records what reached it."""

    def __init__(self, name: str, behaviour: str = "answer") -> None:
        self.name = name
        self.behaviour = behaviour
        self.received: list[str] = []

    def app(self) -> web.Application:
        async def webhook(request: web.Request) -> web.StreamResponse:
            body = await request.json()
            self.received.append(body["message"])
            if self.behaviour == "hang":
                await asyncio.sleep(10)
            if self.behaviour == "error":
                return web.Response(status=500)
            return web.json_response([{"recipient_id": body["sender"], "text": f"svar fra {self.name}"}])

        app = web.Application()
        app.router.add_post("/webhooks/gateway/webhook", webhook)
        return app


@pytest.fixture
def replicas(aiohttp_server):
    async def make(*behaviours: str):
        made = []
        for index, behaviour in enumerate(behaviours):
            replica = Replica(f"r{index}", behaviour)
            replica.server = await aiohttp_server(replica.app())
            replica.url = str(replica.server.make_url("")).rstrip("/")
            made.append(replica)
        return made

    return make


def _conversation_for(first_choice: str, urls: tuple[str, ...]) -> str:
    while True:
        candidate = str(uuid.uuid4())
        if rank_servers(candidate, urls)[0] == first_choice:
            return candidate


@pytest.mark.asyncio
async def test_refused_connection_fails_over_and_comes_back(replicas, free_port, monkeypatch):
    (alive,) = await replicas("answer")
    dead_url = f"http://127.0.0.1:{free_port()}"  # nothing listens: connection refused
    urls = (dead_url, alive.url)
    conversation = _conversation_for(dead_url, urls)
    async with aiohttp.ClientSession() as session:
        client = RasaClient(session, urls, "http://127.0.0.1:1", timeout_seconds=5)
        assert await client.send(conversation, "hei") == [{"text": "svar fra r0"}]
        assert await client.send(conversation, "igjen") == [{"text": "svar fra r0"}]
        assert alive.received == ["hei", "igjen"]
        # After the down time the first choice is probed again.
        monkeypatch.setattr(rasa_client, "DOWN_SECONDS", 0.0)
        client._down_until.clear()
        assert await client.send(conversation, "tredje") == [{"text": "svar fra r0"}]
        assert alive.received == ["hei", "igjen", "tredje"]


@pytest.mark.asyncio
async def test_a_message_that_may_have_arrived_is_never_sent_twice(replicas):
    hanging, error, other = await replicas("hang", "error", "answer")
    async with aiohttp.ClientSession() as session:
        for broken in (hanging, error):
            urls = (broken.url, other.url)
            conversation = _conversation_for(broken.url, urls)
            client = RasaClient(session, urls, "http://127.0.0.1:1", timeout_seconds=1)
            with pytest.raises(RasaUnavailable):
                await client.send(conversation, "bare én gang")
            assert broken.received == ["bare én gang"]
    assert other.received == []


@pytest.mark.asyncio
async def test_all_replicas_refusing_is_unavailable(free_port):
    urls = (f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}")
    async with aiohttp.ClientSession() as session:
        client = RasaClient(session, urls, "http://127.0.0.1:1", timeout_seconds=2)
        with pytest.raises(RasaUnavailable):
            await client.send(str(uuid.uuid4()), "hei")
        # Both marked down, both still tried (rather than failing without trying).
        with pytest.raises(RasaUnavailable):
            await client.send(str(uuid.uuid4()), "hei")


@pytest.mark.asyncio
async def test_action_server_down_gives_a_clear_reply_with_the_phone(client, start, fake_rasa, monkeypatch):
    conversation_id = await start(client)
    # What Rasa 3.6 does when the action endpoint refuses: it carries on and answers nothing.
    monkeypatch.setattr(fake_rasa, "reply", lambda sender, message: [])
    fake_rasa.actions_up = False
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "Jeg er leder"})
    assert response.status == 200
    (message,) = (await response.json())["messages"]
    assert "22 40 28 00" in message["text"] and "113" in message["text"]
    transcript = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert transcript["messages"][-1]["text"] == message["text"]


@pytest.mark.asyncio
async def test_empty_reply_with_the_action_server_up_is_a_clear_error(client, start, fake_rasa, monkeypatch):
    """The bot answers every message. Rasa's REST channel answers `[]` when something
    inside it failed (its tracker store unreachable), and a conversation left paused
    by a failed resume gets nothing either: the person is told plainly, with the
    phone number, instead of silence, and nothing is added to the transcript."""
    conversation_id = await start(client)
    monkeypatch.setattr(fake_rasa, "reply", lambda sender, message: [])
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hallo"})
    assert response.status == 503
    assert "22 40 28 00" in (await response.json())["error"]
    messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["from"] for m in messages] == ["bot"]
