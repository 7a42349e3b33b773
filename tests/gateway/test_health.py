"""Liveness and readiness: /livez checks nothing but the process, /readyz (and its
older name /healthz) needs Rasa, the action server and the gateway database."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from bot.storage import queries

pytestmark = pytest.mark.asyncio

PHONE = "22 40 28 00"


def unreachable() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionRefusedError())


async def test_livez_answers_while_rasa_and_the_database_are_down(client, fake_rasa, monkeypatch):
    fake_rasa.rasa_up = fake_rasa.actions_up = False

    async def down(_session):
        raise unreachable()

    monkeypatch.setattr(queries, "ping", down)
    response = await client.get("/livez")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}
    assert (await client.get("/readyz")).status == 503


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
async def test_ready_when_rasa_actions_and_database_answer(client, path):
    response = await client.get(path)
    assert response.status == 200
    assert await response.json() == {"status": "ok", "checks": {"rasa": True, "actions": True, "database": True}}


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
async def test_not_ready_while_rasa_is_down(client, fake_rasa, path):
    fake_rasa.rasa_up = False
    response = await client.get(path)
    assert response.status == 503
    body = await response.json()
    assert body["checks"] == {"rasa": False, "actions": True, "database": True}
    assert PHONE in body["error"]


async def test_not_ready_while_the_action_server_is_down(client, fake_rasa):
    fake_rasa.actions_up = False
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"]["actions"] is False


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
async def test_not_ready_while_the_database_is_down(client, monkeypatch, path):
    async def down(_session):
        raise unreachable()

    monkeypatch.setattr(queries, "ping", down)
    response = await client.get(path)
    assert response.status == 503
    assert (await response.json())["checks"] == {"rasa": True, "actions": True, "database": False}
    monkeypatch.undo()
    assert (await client.get(path)).status == 200
