"""Handoff metrics: tickets queued, the queue's length, how tickets leave the queue
and how live chats end."""
from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot import keys
from bot.handoff.models import Ticket
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import QUEUED_TEXT, add_counsellor, desk_csrf, login
from tests.gateway.test_metrics import scrape, value

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def desk(client, settings):
    """A counsellor signed in with the desk open; returns the CSRF headers."""
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    return {"X-CSRF-Token": await desk_csrf(client)}


async def queue_one(client, start) -> tuple[str, int]:
    conversation_id = await start(client)
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"button": "/request_human"})
    assert QUEUED_TEXT in [m.get("text") for m in (await response.json())["messages"]]
    async with client.server.app[keys.DB]() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.conversation_id == conversation_id))).scalar_one()
    return conversation_id, ticket.id


async def test_queue_accept_end_cancel_and_delete_are_counted(client, desk, start):
    first, first_ticket = await queue_one(client, start)
    second, _ = await queue_one(client, start)
    third, _ = await queue_one(client, start)
    out = await scrape(client)
    assert value(out, "akan_handoffs_queued_total") == 3
    assert value(out, "akan_handoff_queue_length") == 3

    assert (await client.post(f"/desk/api/tickets/{first_ticket}/accept", headers=desk)).status == 200
    # The person writes to the counsellor: a turn of its own kind.
    said = await client.post(f"/api/conversations/{first}/messages", json={"text": "Hei, er du der?"})
    assert said.status == 200
    assert (await client.post(f"/desk/api/tickets/{first_ticket}/end", headers=desk)).status == 204
    assert (await client.post(f"/api/conversations/{second}/handoff/cancel")).status == 200
    assert (await client.delete(f"/api/conversations/{third}")).status == 204

    out = await scrape(client)
    assert value(out, "akan_handoff_queue_length") == 0
    assert value(out, "akan_handoff_outcomes_total", stage="waiting", outcome="accepted") == 1
    assert value(out, "akan_handoff_outcomes_total", stage="active", outcome="ended") == 1
    assert value(out, "akan_handoff_outcomes_total", stage="waiting", outcome="cancelled") == 1
    assert value(out, "akan_handoff_outcomes_total", stage="waiting", outcome="deleted") == 1
    assert value(out, "akan_handoff_outcomes_total", stage="waiting", outcome="timeout") == 0
    assert value(out, "akan_chat_turns_total", kind="counsellor") == 1
    assert value(out, "akan_chat_turns_total", kind="button") == 3
    assert value(out, "akan_websockets_open", page="desk") == 0
    for conversation_id in (first, second, third):
        assert conversation_id not in out
    assert "kari" not in out and "er du der" not in out
