"""A turn's reply goes out when Rasa has answered; its transcript, buttons and
statistics are stored right after, before anything else happens to the conversation.
A database that is briefly unreachable is waited for; one that stays away is logged."""
from __future__ import annotations

import asyncio
import logging

import pytest
from asyncpg import exceptions as asyncpg_errors
from sqlalchemy.exc import OperationalError

from bot import chat
from bot.storage import queries

pytestmark = pytest.mark.asyncio


@pytest.fixture
def held_insert(monkeypatch):
    """Transcript inserts wait for `release` (set it to let them through)."""
    release = asyncio.Event()
    original = queries.insert_messages
    started = []

    async def insert_when_released(session, rows):
        started.append([r.text for r in rows])
        await release.wait()
        await original(session, rows)

    monkeypatch.setattr(queries, "insert_messages", insert_when_released)
    release.started = started
    return release


async def _post(client, conversation_id, text):
    return await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})


async def test_the_reply_does_not_wait_for_the_transcript(client, start, held_insert):
    held_insert.set()
    conversation_id = await start(client)
    held_insert.clear()
    response = await asyncio.wait_for(_post(client, conversation_id, "Hva gjør jeg?"), 5)
    assert response.status == 200
    [reply] = (await response.json())["messages"]
    await asyncio.sleep(0.05)
    assert held_insert.started[-1] == ["Hva gjør jeg?", reply["text"]]  # being stored, held

    # A reload waits for the store and then shows the exchange, with the ids the reply had.
    transcript = asyncio.create_task(client.get(f"/api/conversations/{conversation_id}/messages"))
    # The next turn waits too, and comes after it.
    next_turn = asyncio.create_task(_post(client, conversation_id, "Og så?"))
    await asyncio.sleep(0.1)
    assert not transcript.done() and not next_turn.done()
    held_insert.set()
    messages = (await (await transcript).json())["messages"]
    assert messages[-2:] == [{"id": reply["id"] - 1, "from": "user", "text": "Hva gjør jeg?"}, reply]
    assert (await next_turn).status == 200
    messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["text"] for m in messages if m["from"] == "user"] == ["Hva gjør jeg?", "Og så?"]
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)


async def test_the_offered_buttons_still_decide_the_next_turn(client, start, fake_rasa):
    """Without a database read before the turn, a button the previous reply did not
    offer is still refused, and one it did offer is still taken."""
    conversation_id = await start(client)
    topic = fake_rasa.TOPIC_BUTTON["payload"]
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": topic})
    assert response.status == 400  # the greeting offered roles, not topics
    role = fake_rasa.ROLE_BUTTONS[0]["payload"]
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": role})
    assert response.status == 200
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": role})
    assert response.status == 400  # the advice offered topics now
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": topic})
    assert response.status == 200


async def test_a_bot_turn_reads_nothing_before_rasa_unless_something_came_between(client, start, monkeypatch):
    from bot import keys
    from bot.handoff import tickets

    reads = []
    original = tickets.offered_buttons_and_open_ticket

    async def counted(session, conversation_id):
        reads.append(conversation_id)
        return await original(session, conversation_id)

    monkeypatch.setattr(tickets, "offered_buttons_and_open_ticket", counted)
    conversation_id = await start(client)
    for text in ("Hei", "Hva gjør jeg?"):
        assert (await _post(client, conversation_id, text)).status == 200
    assert reads == []
    # Anything else done under the conversation's lock (here: nothing said about it)
    # makes the next turn read the database.
    async with client.app[keys.LOCKS].hold(conversation_id):
        pass
    assert (await _post(client, conversation_id, "Og så?")).status == 200
    assert reads == [conversation_id]


async def test_a_deleted_conversation_is_not_answered_from_memory(client, start, fake_rasa):
    conversation_id = await start(client)
    assert (await _post(client, conversation_id, "Hei")).status == 200
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    received = len(fake_rasa.received)
    assert (await _post(client, conversation_id, "Er du der?")).status == 404
    assert len(fake_rasa.received) == received


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(chat, "STORE_RETRY_SECONDS", 0.01)
    monkeypatch.setattr(chat, "WAIT_FOR_UNSTORED_SECONDS", 0.1)


def unreachable():
    return OperationalError("INSERT", {}, ConnectionRefusedError())


async def test_a_briefly_unreachable_database_is_waited_for(client, start, monkeypatch, quick_retries, caplog):
    conversation_id = await start(client)
    original = queries.insert_messages
    # asyncpg raises its own errors, unwrapped, when PostgreSQL shuts down mid-query.
    failures = [asyncpg_errors.InternalClientError(), unreachable()]

    async def flaky(session, rows):
        if failures:
            raise failures.pop()
        await original(session, rows)

    monkeypatch.setattr(queries, "insert_messages", flaky)
    with caplog.at_level(logging.WARNING, logger="bot.chat"):
        assert (await _post(client, conversation_id, "Hva gjør jeg?")).status == 200
        messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["text"] for m in messages if m["from"] == "user"] == ["Hva gjør jeg?"]
    assert "turn_store_retry type=OperationalError" in caplog.text
    assert "turn_store_recovered attempts=3" in caplog.text
    assert "Hva gjør" not in caplog.text


async def test_while_a_turn_waits_for_the_database_the_next_message_is_refused_then_taken(
    client, start, fake_rasa, monkeypatch, quick_retries
):
    """The database goes away right after a reply: the person's next message gets a
    clear error at once and is not sent to Rasa; once the database is back, the held
    turn is stored and the conversation goes on in order."""
    monkeypatch.setattr(chat, "STORE_GIVE_UP_SECONDS", 30.0)
    conversation_id = await start(client)
    original = queries.insert_messages
    down = asyncio.Event()
    down.set()

    async def while_down(session, rows):
        if down.is_set():
            raise unreachable()
        await original(session, rows)

    monkeypatch.setattr(queries, "insert_messages", while_down)
    assert (await _post(client, conversation_id, "Først")).status == 200
    await asyncio.sleep(0.05)
    received = len(fake_rasa.received)
    response = await asyncio.wait_for(_post(client, conversation_id, "Mens databasen er borte"), 2)
    assert response.status == 503 and "22 40 28 00" in (await response.json())["error"]
    assert len(fake_rasa.received) == received  # not taken
    down.clear()
    assert (await _post(client, conversation_id, "Etterpå")).status == 200
    messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["text"] for m in messages if m["from"] == "user"] == ["Først", "Etterpå"]


async def test_a_database_that_stays_away_is_logged_and_the_conversation_goes_on(
    client, start, monkeypatch, quick_retries, caplog
):
    monkeypatch.setattr(chat, "STORE_GIVE_UP_SECONDS", 0.05)
    conversation_id = await start(client)
    original = queries.insert_messages
    down = [True]

    async def while_down(session, rows):
        if down[0]:
            raise unreachable()
        await original(session, rows)

    monkeypatch.setattr(queries, "insert_messages", while_down)
    with caplog.at_level(logging.WARNING, logger="bot.chat"):
        assert (await _post(client, conversation_id, "Først")).status == 200
        await asyncio.sleep(0.3)
    assert "turn_store_failed type=OperationalError" in caplog.text
    down[0] = False
    assert (await _post(client, conversation_id, "Så")).status == 200
    messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["text"] for m in messages if m["from"] == "user"] == ["Så"]
