"""Fixtures for the gateway tests.

Unit tests run the real app (bot.app.create_app) through the `aiohttp_client`
fixture against a scripted fake Rasa and action server, with a throw-away
VAR_DIR, a tracker table shaped like Rasa's and the gateway's database at the
newest revision. The live stack (real Rasa, action server and gateway as
processes) is started once per session for the end-to-end and browser tests.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

import pytest

from tests.environments import require_gateway_environment

# Before bot/ is imported: in Rasa's environment (.venv) these tests stop with the command to run them.
require_gateway_environment()

import pytest_asyncio  # noqa: E402 - after the check above, as every import below
from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestServer
from aiohttp.web_runner import AppRunner

from bot.app import create_app
from bot.logs import RUNNER_OPTIONS
from bot.settings import Settings
from bot.storage.migrate import upgrade_database

PARTNER_ORIGIN = "https://partner.example"

ROLE_BUTTONS = [
    {"title": "Jeg er leder eller HR", "payload": '/ask_advice{"role": "leder"}'},
    {"title": "Jeg er kollega", "payload": '/ask_advice{"role": "kollega"}'},
]
TOPIC_BUTTON = {"title": "Hjemmekontor", "payload": '/ask_advice{"topic": "hjemmekontor"}'}
COUNSELLOR_BUTTON = {"title": "Snakk med veileder", "payload": "/request_human"}
RECOMMENDATIONS = {
    "type": "recommendations", "role": "leder", "topic": "hjemmekontor", "substance": None,
    "ids": ["leder-hjemmekontor-1"], "sources": ["«Erfaringer fra Akan kompetansesenter under koronapandemien» (2020)"],
}
CRISIS = {
    "type": "crisis", "third_person": False,
    "contacts": [
        {"name": "Medisinsk nødhjelp", "number": "113"}, {"name": "Legevakt", "number": "116 117"},
        {"name": "Mental Helse hjelpetelefon", "number": "116 123"}, {"name": "Kirkens SOS", "number": "22 40 00 40"},
        {"name": "Alarmtelefonen for barn og unge", "number": "116 111"}, {"name": "Politi", "number": "112"},
    ],
}
HANDOFF = {
    "type": "handoff", "status": "unavailable", "reason": "request_human",
    "contacts": {"phone": "22 40 28 00", "email": "akan@akan.no", "chat": "https://www.akan.no"},
}


class GatewayTestServer(TestServer):
    """TestServer with the runner options `python -m bot` uses (no client address in any log)."""

    async def _make_runner(self, **kwargs) -> AppRunner:
        return AppRunner(self.app, **{**kwargs, **RUNNER_OPTIONS})


def create_tracker_table(path: Path) -> None:
    """The columns of Rasa's SQLTrackerStore `events` table that matter here."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, data TEXT)"
        )


@dataclass
class FakeRasa:
    """Rasa's REST channel and the action server's health check, scripted.

    Records what reaches it and writes it to the tracker table, as Rasa would."""

    ROLE_BUTTONS = ROLE_BUTTONS
    TOPIC_BUTTON = TOPIC_BUTTON
    COUNSELLOR_BUTTON = COUNSELLOR_BUTTON
    RECOMMENDATIONS = RECOMMENDATIONS
    CRISIS = CRISIS
    HANDOFF = HANDOFF

    tracker_path: Path
    received: list[tuple[str, str]] = field(default_factory=list)
    metadata: list = field(default_factory=list)
    rasa_up: bool = True
    actions_up: bool = True
    url: str = ""

    def reply(self, sender: str, message: str) -> list[dict]:
        if message == "/greet":
            return [{"recipient_id": sender, "text": "Hei! Jeg er en chatbot. Du er anonym her. Er noen i fare, ring 113. Hvem er du?", "buttons": ROLE_BUTTONS}]
        if message.startswith("/ask_advice"):
            return [
                {"recipient_id": sender, "text": "**Råd til deg som leder:**\n• Hold jevnlig kontakt", "buttons": [TOPIC_BUTTON]},
                {"recipient_id": sender, "custom": RECOMMENDATIONS},
            ]
        if message == "/request_human":
            return [{"recipient_id": sender, "text": "Ring 22 40 28 00."}, {"recipient_id": sender, "custom": HANDOFF}]
        if "krise" in message:
            return [
                {"recipient_id": sender, "text": "Ring 113 med en gang.", "buttons": [COUNSELLOR_BUTTON]},
                {"recipient_id": sender, "custom": CRISIS},
            ]
        return [{"recipient_id": sender, "text": "Jeg forstod ikke helt. Hvem er du?", "buttons": ROLE_BUTTONS}]

    def answer(self, sender: str, message: str, metadata: dict | None) -> list[dict]:
        """The webhook's reply once the message is recorded (subclasses read the metadata)."""
        return self.reply(sender, message)

    def app(self) -> web.Application:
        async def webhook(request: web.Request) -> web.Response:
            if not self.rasa_up:
                return web.Response(status=500)
            body = await request.json()
            sender, message = body["sender"], body["message"]
            self.received.append((sender, message))
            self.metadata.append(body.get("metadata"))
            with sqlite3.connect(self.tracker_path) as db:
                db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                    (sender, time.time(), json.dumps({"text": message})),
                )
            return web.json_response(self.answer(sender, message, body.get("metadata")))

        async def root(_request: web.Request) -> web.Response:
            return web.Response(text="Hello from Rasa: 3.6.21") if self.rasa_up else web.Response(status=503)

        async def health(_request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"}) if self.actions_up else web.Response(status=503)

        app = web.Application()
        app.router.add_post("/webhooks/gateway/webhook", webhook)
        app.router.add_get("/", root)
        app.router.add_get("/health", health)
        return app

    def texts_for(self, sender: str) -> list[str]:
        return [m for s, m in self.received if s == sender]


def upgrade_gateway_database(var_dir: Path) -> None:
    """`python -m bot db upgrade`'s code on VAR_DIR's gateway.db, as `make run` does before the
    gateway starts (in a thread of its own: no event loop of the caller's is touched)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, upgrade_database(Settings(var_dir=var_dir).gateway_db_url)).result()


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    create_tracker_table(path / "tracker.db")
    upgrade_gateway_database(path)
    return path


@contextlib.asynccontextmanager
async def serving(fake: FakeRasa) -> AsyncIterator[FakeRasa]:
    """Run a fake Rasa on a free loopback port for the length of the block."""
    server = GatewayTestServer(fake.app())  # quiet too: its logs are captured with the gateway's
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    try:
        yield fake
    finally:
        await server.close()


@pytest_asyncio.fixture
async def fake_rasa(var_dir: Path) -> FakeRasa:
    async with serving(FakeRasa(tracker_path=var_dir / "tracker.db")) as fake:
        yield fake


def fake_rasa_settings(var_dir: Path, fake_rasa: FakeRasa, **overrides) -> Settings:
    """Gateway settings pointing at a fake Rasa (also the action server) and its tracker file."""
    return Settings(
        var_dir=var_dir,
        rasa_urls=(fake_rasa.url,),
        actions_url=fake_rasa.url,
        tracker_db_url=f"sqlite:///{var_dir / 'tracker.db'}",
        allowed_origins=(PARTNER_ORIGIN,),
        rasa_timeout_seconds=5,
        **overrides,
    )


@pytest.fixture
def settings(var_dir: Path, fake_rasa: FakeRasa) -> Settings:
    return fake_rasa_settings(var_dir, fake_rasa)


@pytest.fixture
def make_client(aiohttp_client):
    """Start the gateway with the given settings; returns a TestClient."""

    async def make(settings: Settings):
        return await aiohttp_client(GatewayTestServer(create_app(settings)))

    return make


@pytest_asyncio.fixture
async def client(make_client, settings: Settings):
    return await make_client(settings)


@pytest.fixture
def start():
    """`await start(client)`: a new conversation's id."""

    async def start_conversation(client) -> str:
        response = await client.post("/api/conversations")
        assert response.status == 201, await response.text()
        return (await response.json())["id"]

    return start_conversation
