"""The live handoff through the gateway, against a scripted Rasa: availability
metadata, the queue (crisis first), live chat, end/cancel/timeout with resume
through Rasa's HTTP API, and retention of tickets and desk messages."""
from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from datetime import timedelta

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot import keys
from bot.clock import utcnow
from bot.handoff import flow as handoff
from bot.handoff.models import Ticket
from bot.opening_hours import OpeningHours
from bot.retention import purge_inactive
from bot.storage.models import Conversation, Message
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import BACK_TEXT, QUEUED_TEXT, add_counsellor, desk_csrf, login

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def desk(client, settings):
    """The counsellor: signed in, desk page open. Returns the CSRF headers."""
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    return {"X-CSRF-Token": await desk_csrf(client)}


async def say(client, conversation_id: str, text: str | None = None, button: str | None = None):
    body = {"text": text} if text is not None else {"button": button}
    return await client.post(f"/api/conversations/{conversation_id}/messages", json=body)


async def ask_for_human(client, start, message: str = "/request_human") -> str:
    conversation_id = await start(client)
    await say(client, conversation_id, "hei, jeg er leder og lurer på testing")
    response = await (say(client, conversation_id, button=message) if message.startswith("/") else say(client, conversation_id, message))
    assert response.status == 200
    assert QUEUED_TEXT in [m.get("text") for m in (await response.json())["messages"]]
    return conversation_id


async def queue(client) -> dict:
    response = await client.get("/desk/api/queue")
    assert response.status == 200
    return await response.json()


async def ticket_of(client, conversation_id: str) -> Ticket:
    async with client.server.app[keys.DB]() as s:
        return (await s.execute(select(Ticket).where(Ticket.conversation_id == conversation_id))).scalar_one()


async def test_bot_is_told_whether_a_counsellor_is_there(client, fake_rasa, settings, start):
    conversation_id = await start(client)
    await say(client, conversation_id, "hei")
    assert fake_rasa.metadata[-1]["desk"]["available"] is False  # open, but nobody signed in
    assert fake_rasa.metadata[-1]["desk"]["open"] is True
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    await client.get("/desk/api/queue")  # the desk page polls: present
    await say(client, conversation_id, "hei igjen")
    assert fake_rasa.metadata[-1]["desk"] == {"available": True, "open": True, "opens_next": None}


async def test_nobody_available_when_closed_even_with_a_counsellor(make_client, settings, fake_rasa, start):
    closed = dataclasses.replace(settings, opening_hours=OpeningHours.parse("mon-fri 08:00-15:30", closed_dates=""))
    client = await make_client(closed)
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    app = client.server.app
    saturday_noon = utcnow().replace(year=2026, month=11, day=21, hour=11, minute=0)
    status = handoff.desk_status(app, now=saturday_noon)
    assert status["available"] is False and status["open"] is False
    assert status["opens_next"].startswith("2026-11-23T08:00:00+01:00")  # Monday, Oslo time
    await client.get("/desk/api/queue")  # present at the desk
    monday_ten = saturday_noon.replace(day=23, hour=9)  # 10:00 in Oslo
    assert handoff.desk_status(app, now=monday_ten) == {"available": True, "open": True, "opens_next": None}
    holiday = saturday_noon.replace(month=12, day=25, hour=9)  # Christmas Day, a Friday
    assert handoff.desk_status(app, now=holiday)["available"] is False


async def test_request_queues_a_ticket_with_an_anonymous_scrubbed_summary(client, desk, start):
    conversation_id = await start(client)
    await say(client, conversation_id, "jeg heter Kari Nordmann, ring meg på 912 34 567")
    await say(client, conversation_id, button="/request_human")
    data = await queue(client)
    assert len(data["waiting"]) == 1
    ticket = data["waiting"][0]
    assert ticket["reason"] == "request_human" and ticket["crisis"] is False and ticket["position"] == 1
    assert (ticket["role"], ticket["topic"]) == ("leder", "testing")
    recent = " ".join(ticket["recent_messages"])
    assert "912 34 567" not in recent and "Nordmann" not in recent and "ring meg" in recent
    assert "conversation_id" not in ticket  # the desk sees no identifiers


async def test_ticket_shows_the_whole_conversation_with_the_bots_replies_in_order(client, desk, fake_rasa, start):
    conversation_id = await start(client)
    await say(client, conversation_id, "jeg heter Kari Nordmann, ring meg på 912 34 567")
    await say(client, conversation_id, button=fake_rasa.ROLE_BUTTONS[0]["payload"])
    await say(client, conversation_id, button="/request_human")
    ticket = await ticket_of(client, conversation_id)

    # Waiting in the queue: a counsellor may read it all before taking it.
    response = await client.get(f"/desk/api/tickets/{ticket.id}/messages")
    assert response.status == 200
    data = await response.json()
    seen = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert data["messages"] == seen  # exactly what the person saw, nothing more
    assert [(m["from"], m.get("text")) for m in data["messages"]] == [
        ("bot", "Hei! Jeg er en chatbot. Du er anonym her. Er noen i fare, ring 113. Hvem er du?"),
        ("user", "jeg heter [navn], ring meg på [telefonnummer]"),
        ("bot", "Jeg forstod ikke helt. Hvem er du?"),
        ("user", fake_rasa.ROLE_BUTTONS[0]["title"]),
        ("bot", "**Råd til deg som leder:**\n• Hold jevnlig kontakt"),
        ("user", "Snakk med veileder"),
        ("bot", QUEUED_TEXT),
    ]
    assert data["messages"][0]["buttons"] == fake_rasa.ROLE_BUTTONS  # what the person could press
    assert data["messages"][4]["custom"]["sources"] == fake_rasa.RECOMMENDATIONS["sources"]
    assert [m["id"] for m in data["messages"]] == sorted(m["id"] for m in data["messages"])
    assert data["handoff_after_id"] == data["messages"][-1]["id"]
    assert "Nordmann" not in str(data) and "912 34 567" not in str(data)

    # Taken: the live chat follows the conversation before it.
    await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    await say(client, conversation_id, "er du der?")
    await client.post(f"/desk/api/tickets/{ticket.id}/messages", json={"text": "Ja, hei!"}, headers=desk)
    data = await (await client.get(f"/desk/api/tickets/{ticket.id}/messages")).json()
    assert [(m["from"], m.get("text")) for m in data["messages"][-2:]] == [("user", "er du der?"), ("counsellor", "Ja, hei!")]
    assert [m["id"] for m in data["messages"][:len(seen)]] == [m["id"] for m in seen]

    # Ended: what the person says to the bot afterwards is not the counsellor's to read.
    await client.post(f"/desk/api/tickets/{ticket.id}/end", headers=desk)
    await say(client, conversation_id, button=fake_rasa.TOPIC_BUTTON["payload"])
    after = await (await client.get(f"/desk/api/tickets/{ticket.id}/messages")).json()
    assert after["messages"] == data["messages"]


async def test_queue_puts_crisis_first_then_longest_waiting(client, desk, start):
    first = await ask_for_human(client, start)
    second = await ask_for_human(client, start)
    crisis = await ask_for_human(client, start, "dette er en krise")
    # Make "second" older than "first": waiting time, not creation order, decides.
    async with client.server.app[keys.DB]() as s, s.begin():
        await s.execute(update(Ticket).where(Ticket.conversation_id == second).values(created_at=utcnow() - timedelta(minutes=5)))
    data = await queue(client)
    ids = {t.conversation_id: t.id for t in [await ticket_of(client, c) for c in (first, second, crisis)]}
    assert [t["id"] for t in data["waiting"]] == [ids[crisis], ids[second], ids[first]]
    assert data["waiting"][0]["crisis"] is True and data["waiting"][0]["reason"] == "crisis"
    assert [t["position"] for t in data["waiting"]] == [1, 2, 3]


async def test_person_sees_their_place_and_live_chat_reaches_both_sides(client, desk, fake_rasa, start):
    other = await ask_for_human(client, start, "dette er en krise")
    conversation_id = await start(client)
    ws = await client.ws_connect(f"/api/conversations/{conversation_id}/ws")
    desk_ws = await client.ws_connect("/desk/ws")
    await say(client, conversation_id, button="/request_human")
    frames = [await ws.receive_json(timeout=5) for _ in range(2)]
    assert {"type": "handoff", "status": "queued", "position": 2} in frames  # behind the crisis
    assert (await desk_ws.receive_json(timeout=5)) == {"type": "queue"}

    ticket = await ticket_of(client, conversation_id)
    accepted = await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    assert accepted.status == 200
    assert (await ws.receive_json(timeout=5)) == {"type": "handoff", "status": "active"}
    again = await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    assert again.status == 409

    # The person's words go to the counsellor, scrubbed, and never to Rasa.
    sent_to_rasa = len(fake_rasa.received)
    reply = await say(client, conversation_id, "takk, e-posten min er kari@example.com")
    assert reply.status == 200 and (await reply.json())["messages"] == []
    assert len(fake_rasa.received) == sent_to_rasa
    frame = await _next_of(desk_ws, "messages")
    assert frame["ticket_id"] == ticket.id
    assert frame["messages"][0]["from"] == "user" and "kari@example.com" not in frame["messages"][0]["text"]
    assert (await say(client, conversation_id, button="/request_human")).status == 409

    # The counsellor's words reach the widget as "counsellor", stored for a reload.
    sent = await client.post(f"/desk/api/tickets/{ticket.id}/messages", json={"text": "Hei, jeg heter Anne <b>"}, headers=desk)
    assert sent.status == 201
    frame = await _next_of(ws, "messages")
    assert frame["messages"] == [{"id": frame["messages"][0]["id"], "from": "counsellor", "text": "Hei, jeg heter Anne <b>"}]
    transcript = await (await client.get(f"/desk/api/tickets/{ticket.id}/messages")).json()
    live = [m["from"] for m in transcript["messages"] if m["id"] > transcript["handoff_after_id"]]
    assert live == ["user", "counsellor"]
    widget = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert widget["messages"][-1]["from"] == "counsellor"
    assert widget["handoff"] == {"type": "handoff", "status": "active"}

    # Ending resumes the bot through Rasa's API with the token, and the bot's words reach the person.
    ended = await client.post(f"/desk/api/tickets/{ticket.id}/end", headers=desk)
    assert ended.status == 204
    assert (await _next_of(ws, "handoff")) == {"type": "handoff", "status": "ended", "outcome": "ended"}
    back = await _next_of(ws, "messages")
    assert back["messages"][0]["text"] == BACK_TEXT["ended"] and back["messages"][0]["from"] == "bot"
    assert [(c[1], c[2]) for c in fake_rasa.api_calls if c[0] == conversation_id] == [
        ("tracker/events", [{"event": "resume"}, {"event": "action", "name": "action_listen"}]),
        ("trigger_intent", {"name": "EXTERNAL_handoff_ended", "entities": {"handoff_outcome": "ended"}}),
    ]
    assert (await ticket_of(client, conversation_id)).status == "ended"
    # The bot answers again, and its buttons may be pressed.
    after = await say(client, conversation_id, button=fake_rasa.TOPIC_BUTTON["payload"])
    assert after.status == 200 and (await after.json())["messages"]
    assert fake_rasa.received[-1] == (conversation_id, fake_rasa.TOPIC_BUTTON["payload"])
    await ws.close()
    await desk_ws.close()
    assert other


async def _next_of(ws, kind: str) -> dict:
    while True:
        frame = await ws.receive_json(timeout=5)
        if frame.get("type") == kind:
            return frame


async def test_only_the_accepting_counsellor_may_write_or_end(client, desk, settings, start):
    conversation_id = await ask_for_human(client, start)
    ticket = await ticket_of(client, conversation_id)
    # Not accepted yet: nobody may write into it.
    assert (await client.post(f"/desk/api/tickets/{ticket.id}/messages", json={"text": "hei"}, headers=desk)).status == 409
    await add_counsellor(settings, "ola")
    other = TestClient(client.server)
    try:
        await login(other, "ola")
        other_headers = {"X-CSRF-Token": await desk_csrf(other)}
        assert (await other.post(f"/desk/api/tickets/{ticket.id}/accept", headers=other_headers)).status == 200
        assert (await client.post(f"/desk/api/tickets/{ticket.id}/messages", json={"text": "hei"}, headers=desk)).status == 409
        assert (await client.post(f"/desk/api/tickets/{ticket.id}/end", headers=desk)).status == 409
        assert (await client.get(f"/desk/api/tickets/{ticket.id}/messages")).status == 404
        # Live-chat words reach only the desk of the counsellor who has the conversation.
        mine, theirs = await client.ws_connect("/desk/ws"), await other.ws_connect("/desk/ws")
        await say(client, conversation_id, "bare for veilederen min")
        frame = await _next_of(theirs, "messages")
        assert frame["messages"][0]["text"] == "bare for veilederen min"
        with pytest.raises(asyncio.TimeoutError):
            while True:
                assert (await mine.receive_json(timeout=0.5))["type"] != "messages"
        await mine.close()
        await theirs.close()
        assert (await other.post(f"/desk/api/tickets/{ticket.id}/end", headers=other_headers)).status == 204
    finally:
        await other.close()


async def test_person_can_cancel_while_waiting(client, desk, fake_rasa, start):
    conversation_id = await ask_for_human(client, start)
    during = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert during["handoff"] == {"type": "handoff", "status": "queued", "position": 1}
    response = await client.post(f"/api/conversations/{conversation_id}/handoff/cancel")
    assert response.status == 200
    assert (await response.json())["messages"][0]["text"] == BACK_TEXT["cancelled"]
    assert (await ticket_of(client, conversation_id)).status == "cancelled"
    assert (await queue(client))["waiting"] == []
    assert fake_rasa.api_calls[-1][2]["entities"] == {"handoff_outcome": "cancelled"}
    transcript = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert transcript["messages"][-1]["text"] == BACK_TEXT["cancelled"] and "handoff" not in transcript
    again = await client.post(f"/api/conversations/{conversation_id}/handoff/cancel")
    assert again.status == 409 and "kø" in (await again.json())["error"]
    assert (await client.post("/api/conversations/00000000-0000-4000-8000-000000000000/handoff/cancel")).status == 404
    foreign = await client.post(f"/api/conversations/{conversation_id}/handoff/cancel", headers={"Origin": "https://evil.example"})
    assert foreign.status == 403


async def test_unaccepted_tickets_time_out_and_the_bot_offers_phone_and_email(client, desk, fake_rasa, settings, start):
    conversation_id = await ask_for_human(client, start)
    app = client.server.app
    almost = utcnow() + timedelta(minutes=settings.handoff_wait_minutes - 1)
    assert await handoff.expire_waiting(app, now=almost) == 0
    later = utcnow() + timedelta(minutes=settings.handoff_wait_minutes, seconds=1)
    assert await handoff.expire_waiting(app, now=later) == 1
    assert (await ticket_of(client, conversation_id)).status == "timeout"
    assert fake_rasa.api_calls[-1][2]["entities"] == {"handoff_outcome": "timeout"}
    transcript = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert transcript["messages"][-1]["text"] == BACK_TEXT["timeout"]
    assert await handoff.expire_waiting(app, now=later) == 0


async def test_accepted_tickets_never_time_out_but_the_person_may_leave(client, desk, start, settings, fake_rasa):
    conversation_id = await ask_for_human(client, start)
    ticket = await ticket_of(client, conversation_id)
    await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    later = utcnow() + timedelta(minutes=settings.handoff_wait_minutes * 3)
    assert await handoff.expire_waiting(client.server.app, now=later) == 0
    assert (await ticket_of(client, conversation_id)).status == "active"
    desk_ws = await client.ws_connect("/desk/ws")
    assert (await client.post(f"/api/conversations/{conversation_id}/handoff/cancel")).status == 200
    assert (await _next_of(desk_ws, "ended")) == {"type": "ended", "ticket_id": ticket.id, "outcome": "cancelled"}
    assert (await ticket_of(client, conversation_id)).status == "cancelled"
    assert fake_rasa.paused == set()
    await desk_ws.close()


async def test_resume_failure_still_frees_the_person(client, desk, fake_rasa, start):
    conversation_id = await ask_for_human(client, start)
    fake_rasa.token = "rotated"  # Rasa refuses the gateway's token
    assert (await client.post(f"/api/conversations/{conversation_id}/handoff/cancel")).status == 200
    transcript = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert "22 40 28 00" in transcript["messages"][-1]["text"]
    assert (await ticket_of(client, conversation_id)).status == "cancelled"


async def test_retention_deletes_tickets_and_desk_messages_with_the_transcript(client, desk, fake_rasa, start):
    conversation_id = await ask_for_human(client, start)
    ticket = await ticket_of(client, conversation_id)
    await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    await say(client, conversation_id, "hemmelig-ord-fra-personen")
    await client.post(f"/desk/api/tickets/{ticket.id}/messages", json={"text": "hemmelig-svar-fra-veileder"}, headers=desk)
    app = client.server.app
    later = utcnow() + timedelta(hours=app[keys.SETTINGS].retention_hours, minutes=1)
    assert await purge_inactive(app, now=utcnow()) == 0
    assert await purge_inactive(app, now=later) == 1
    async with app[keys.DB]() as s:
        assert (await s.execute(select(Ticket))).scalars().all() == []
        assert (await s.execute(select(Message))).scalars().all() == []
        assert (await s.execute(select(Conversation))).scalars().all() == []
    with sqlite3.connect(fake_rasa.tracker_path) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id,)).fetchone()[0] == 0
    assert (await client.get(f"/desk/api/tickets/{ticket.id}/messages")).status == 404
    assert (await queue(client))["active"] == []


async def test_deleting_the_conversation_takes_its_ticket_out_of_the_queue(client, desk, start):
    conversation_id = await ask_for_human(client, start)
    assert len((await queue(client))["waiting"]) == 1
    ticket = await ticket_of(client, conversation_id)
    await client.post(f"/desk/api/tickets/{ticket.id}/accept", headers=desk)
    desk_ws = await client.ws_connect("/desk/ws")
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    assert (await _next_of(desk_ws, "ended")) == {"type": "ended", "ticket_id": ticket.id, "outcome": "deleted"}
    assert (await queue(client))["waiting"] == [] and (await queue(client))["active"] == []
    await desk_ws.close()


async def test_background_task_times_out_tickets(make_client, settings, start):
    client = await make_client(dataclasses.replace(settings, handoff_wait_minutes=0, handoff_check_seconds=1))
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    await client.get("/desk/api/queue")
    conversation_id = await ask_for_human(client, start)
    for _ in range(50):
        if (await ticket_of(client, conversation_id)).status == "timeout":
            break
        await asyncio.sleep(0.1)
    assert (await ticket_of(client, conversation_id)).status == "timeout"


async def test_a_closed_tickets_transcript_ends_with_it_whatever_the_clock_says(client, desk, settings, start):
    """Issue 18, finding 3: after the end, the counsellor reads nothing of what the person
    says to the bot, nor of a later handoff to someone else, even when the clock stood
    still or went back (every later message bears the end's time)."""
    conversation_id = await ask_for_human(client, start)
    first = await ticket_of(client, conversation_id)
    await client.post(f"/desk/api/tickets/{first.id}/accept", headers=desk)
    await say(client, conversation_id, "takk, det hjalp")
    assert (await client.post(f"/desk/api/tickets/{first.id}/end", headers=desk)).status == 204
    ended = await (await client.get(f"/desk/api/tickets/{first.id}/messages")).json()
    assert ended["messages"][-1]["text"] == "takk, det hjalp"

    # Afterwards: the person talks to the bot, asks for a counsellor again, and Ola takes it.
    await say(client, conversation_id, "jeg er leder og har et nytt spørsmål om hemmelige ting")
    await say(client, conversation_id, button="/request_human")
    await add_counsellor(settings, "ola")
    ola = TestClient(client.server)
    try:
        await login(ola, "ola")
        ola_headers = {"X-CSRF-Token": await desk_csrf(ola)}
        async with client.server.app[keys.DB]() as s:
            second = (await s.execute(select(Ticket).where(Ticket.status == "waiting"))).scalar_one()
        assert (await ola.post(f"/desk/api/tickets/{second.id}/accept", headers=ola_headers)).status == 200
        await say(client, conversation_id, "bare for Ola")
        await ola.post(f"/desk/api/tickets/{second.id}/messages", json={"text": "Hei, Ola her"}, headers=ola_headers)
        async with client.server.app[keys.DB]() as s, s.begin():
            ended_at = (await s.get(Ticket, first.id)).ended_at
            await s.execute(
                update(Message)
                .where(Message.conversation_id == conversation_id, Message.id > ended["messages"][-1]["id"])
                .values(created_at=ended_at)
            )

        after = await (await client.get(f"/desk/api/tickets/{first.id}/messages")).json()
        assert after["messages"] == ended["messages"]
        assert "hemmelige" not in str(after) and "Ola" not in str(after)
        assert (await client.get(f"/desk/api/tickets/{second.id}/messages")).status == 404
    finally:
        await ola.close()  # last: it closes the shared test server too
