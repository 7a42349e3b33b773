"""One client address may have at most HANDOFF_MAX_OPEN_PER_CLIENT open (waiting or
active) tickets (issue 18, finding 6): fake crisis requests from one place cannot push
a real one back in the queue. Beyond the limit the person is told so, in Norwegian,
with the crisis lines; the bot is unpaused, nothing says they are in the queue, and
the conversation goes on. Clients are told apart by X-Forwarded-For behind a trusted
proxy, as in production."""
from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot import keys
from bot.client_address import TrustedProxies
from bot.handoff import flow as handoff
from bot.handoff.models import Ticket
from bot.opening_hours import OpeningHours
from bot.rasa_client import RESUME_EVENTS
from bot.settings import Settings
from tests.gateway.conftest import fake_rasa_settings
from tests.gateway.desk_support import fake_rasa  # noqa: F401 - fixture
from tests.gateway.desk_support import QUEUED_TEXT, HandoffFakeRasa, add_counsellor, desk_csrf, login

pytestmark = pytest.mark.asyncio

FLOODER = "203.0.113.66"
PERSON = "198.51.100.7"


@pytest.fixture
def settings(var_dir: Path, fake_rasa: HandoffFakeRasa) -> Settings:
    """The desk tests' settings (tests/gateway/desk_support.py) with the limit as shipped,
    behind a trusted proxy on 127.0.0.1."""
    return fake_rasa_settings(
        var_dir, fake_rasa, rasa_token=fake_rasa.token, opening_hours=OpeningHours.parse("always"),
        rate_conversation_burst=100, handoff_max_open_per_client=2, trusted_proxies=TrustedProxies.parse("127.0.0.1"),
    )


@pytest_asyncio.fixture
async def desk(client, settings) -> dict:
    """A counsellor at the desk (so handoffs are queued); the CSRF headers."""
    await add_counsellor(settings, "kari")
    await login(client, "kari")
    return {"X-CSRF-Token": await desk_csrf(client)}


CRISIS = {"text": "dette er en krise"}
COUNSELLOR = {"button": "/request_human"}


async def ask(client, start, address: str, body: dict = CRISIS):
    conversation_id = await start(client)
    response = await client.post(
        f"/api/conversations/{conversation_id}/messages", json=body, headers={"X-Forwarded-For": address}
    )
    assert response.status == 200
    return conversation_id, (await response.json())["messages"]


async def open_tickets(client) -> int:
    async with client.server.app[keys.DB]() as s:
        return (await s.execute(select(func.count(Ticket.id)).where(Ticket.status.in_(("waiting", "active"))))).scalar_one()


async def test_a_client_over_the_limit_is_told_with_the_crisis_lines_and_not_queued(client, desk, start, fake_rasa):
    for _ in range(2):
        _, messages = await ask(client, start, FLOODER)
        assert QUEUED_TEXT in [m.get("text") for m in messages]
    conversation_id, messages = await ask(client, start, FLOODER)
    assert await open_tickets(client) == 2
    [told] = messages
    assert told["text"].startswith("Beklager, jeg kan ikke sette deg i kø til en veileder akkurat nå.")
    for line in client.server.app[keys.CRISIS_LINES]:
        assert f"{line.number} – {line.name}" in told["text"]
    assert told["custom"]["type"] == "crisis"  # the widget's emergency banner, with the same lines
    assert told["custom"]["contacts"] == [line.json() for line in client.server.app[keys.CRISIS_LINES]]
    # The transcript says what the person was told, not that they are in the queue.
    transcript = await (await client.get(f"/api/conversations/{conversation_id}/messages")).json()
    assert QUEUED_TEXT not in [m.get("text") for m in transcript["messages"]] and "handoff" not in transcript
    assert transcript["messages"][-1] == told
    # The bot paused itself when it queued; it is unpaused and answers the next message.
    assert (conversation_id, "tracker/events", RESUME_EVENTS) in fake_rasa.api_calls
    assert conversation_id not in fake_rasa.paused
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "hei"},
                                 headers={"X-Forwarded-For": FLOODER})
    assert (await response.json())["messages"][0]["text"] == "Jeg forstod ikke helt. Hvem er du?"


async def test_a_real_crisis_from_elsewhere_is_still_queued_first(client, desk, start):
    for _ in range(6):
        await ask(client, start, FLOODER)
    conversation_id, messages = await ask(client, start, PERSON)
    assert QUEUED_TEXT in [m.get("text") for m in messages]
    queue = await (await client.get("/desk/api/queue")).json()
    assert len(queue["waiting"]) == 3  # two of the flood, and the real one
    async with client.server.app[keys.DB]() as s:
        real = (await s.execute(select(Ticket).where(Ticket.conversation_id == conversation_id))).scalar_one()
    assert [t["id"] for t in queue["waiting"]].index(real.id) == 2  # behind the two (same priority), not behind six


async def test_a_closed_ticket_frees_a_place(client, desk, start):
    first, _ = await ask(client, start, FLOODER, COUNSELLOR)
    second, _ = await ask(client, start, FLOODER, COUNSELLOR)
    _, refused = await ask(client, start, FLOODER, COUNSELLOR)
    assert QUEUED_TEXT not in [m.get("text") for m in refused] and "custom" not in refused[0]  # no crisis: no banner
    assert (await client.post(f"/api/conversations/{first}/handoff/cancel")).status == 200
    third, messages = await ask(client, start, FLOODER, COUNSELLOR)
    assert QUEUED_TEXT in [m.get("text") for m in messages]
    assert await open_tickets(client) == 2
    per_client = client.server.app[keys.TICKETS_PER_CLIENT]
    assert per_client.conversations(FLOODER) == {second, third}
    # The periodic check forgets the clients of tickets that have ended (kept in memory only while open).
    for conversation_id in (second, third):
        assert (await client.post(f"/api/conversations/{conversation_id}/handoff/cancel")).status == 200
    await handoff.expire_waiting(client.server.app)
    assert len(per_client) == 0
