"""Statistics of live handoffs through the desk (scripted Rasa): a counsellor accepting
counts `handed_off`, the person cancelling or nobody accepting in time counts
`abandoned`, each once per conversation, under the handoff summary's role and topic."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import keys
from bot.clock import utcnow
from bot.handoff import flow as handoff
from bot.handoff.models import Ticket
from bot.statistics import queries
from bot.statistics.recording import day_of
from tests.gateway.desk_support import fake_rasa, settings  # noqa: F401 - fixtures
from tests.gateway.desk_support import QUEUED_TEXT, add_counsellor, desk_csrf, login

pytestmark = pytest.mark.asyncio


async def ask_for_human(client, start, message: str = "/request_human") -> str:
    conversation_id = await start(client)
    body = {"button": message} if message.startswith("/") else {"text": message}
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json=body)
    assert response.status == 200
    assert QUEUED_TEXT in [m.get("text") for m in (await response.json())["messages"]]
    return conversation_id


async def ticket_id(client, conversation_id: str) -> int:
    async with client.server.app[keys.DB]() as s:
        return (await s.execute(select(Ticket.id).where(Ticket.conversation_id == conversation_id))).scalar_one()


async def cells(client) -> set[tuple]:
    today = day_of(utcnow())
    async with client.server.app[keys.DB]() as s:
        found = await queries.cells(s, today - timedelta(days=1), today + timedelta(days=1))
    return {(c.role, c.topic, c.substance, c.outcome, c.count, c.conversations) for c in found}


async def test_accepted_cancelled_and_timed_out_handoffs_are_counted(client, settings, start):
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    csrf = {"X-CSRF-Token": await desk_csrf(client)}

    accepted = await ask_for_human(client, start)
    response = await client.post(f"/desk/api/tickets/{await ticket_id(client, accepted)}/accept", headers=csrf)
    assert response.status == 200
    # A second accept is refused, and would not count again anyway.
    assert (await client.post(f"/desk/api/tickets/{await ticket_id(client, accepted)}/accept", headers=csrf)).status == 409

    cancelled = await ask_for_human(client, start)
    assert (await client.post(f"/api/conversations/{cancelled}/handoff/cancel")).status == 200

    await ask_for_human(client, start, "dette er en krise")
    later = utcnow() + timedelta(minutes=settings.handoff_wait_minutes, seconds=1)
    assert await handoff.expire_waiting(client.server.app, now=later) == 1

    # The scripted Rasa's queued payload says role "leder", topic "testing"; its crisis
    # reply is only the queued handoff, so no crisis outcome here.
    assert await cells(client) == {
        ("leder", "testing", "ukjent", "handed_off", 1, 1),
        ("leder", "testing", "ukjent", "abandoned", 2, 2),
    }
