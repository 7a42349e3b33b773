"""Helpers for the desk tests: a fake Rasa that also speaks the handoff part of
Rasa's HTTP API (pause through the payload, resume with a token), counsellor
accounts made with the CLI's own code, and signing in as a browser would."""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from aiohttp import web

from bot.desk import cli
from bot.rasa_client import RESUME_EVENTS
from bot.opening_hours import OpeningHours
from bot.settings import Settings
from tests.gateway.conftest import FakeRasa, fake_rasa_settings, serving

PASSWORD = "riktig-hest-batteri-stift"
QUEUED_TEXT = "En veileder tar over."
BACK_TEXT = {"ended": "Nå er det meg igjen.", "cancelled": "Du gikk ut av køen.", "timeout": "Beklager, ingen kunne ta den."}


@dataclass
class HandoffFakeRasa(FakeRasa):
    """FakeRasa plus: the desk metadata it was sent, a queued handoff (and a
    pause) when the gateway says a counsellor is available, and the HTTP API
    calls for resuming (refused without the right token in the header, or with one in the URL)."""

    token: str = "rasa-test-token"
    api_calls: list = field(default_factory=list)
    paused: set = field(default_factory=set)
    answered_while_paused: int = 0

    def reply(self, sender: str, message: str, desk: dict | None = None) -> list[dict]:
        available = bool((desk or {}).get("available"))
        if message == "/request_human" or "krise" in message:
            if available:
                reason = "crisis" if "krise" in message else "request_human"
                self.paused.add(sender)
                return [
                    {"recipient_id": sender, "text": QUEUED_TEXT},
                    {"recipient_id": sender, "custom": {
                        "type": "handoff", "status": "queued", "reason": reason,
                        "summary": {"role": "leder", "topic": "testing", "substance": None},
                    }},
                ]
        return super().reply(sender, message)

    def answer(self, sender: str, message: str, metadata: dict | None) -> list[dict]:
        if sender in self.paused:  # Rasa logs the message but does not answer
            self.answered_while_paused += 1
            return []
        return self.reply(sender, message, (metadata or {}).get("desk"))

    def app(self) -> web.Application:
        app = super().app()

        async def api(request: web.Request) -> web.Response:
            if "token" in request.query or request.headers.get("Authorization") != f"Bearer {self.token}":
                return web.json_response({"message": "unauthorised"}, status=401)
            sender, path = request.match_info["id"], request.match_info["path"]
            body = await request.json()
            self.api_calls.append((sender, path, body))
            if path == "tracker/events" and body == RESUME_EVENTS:
                self.paused.discard(sender)
                return web.json_response({"sender_id": sender})
            if path == "trigger_intent":
                outcome = body["entities"]["handoff_outcome"]
                return web.json_response({"tracker": {}, "messages": [
                    {"recipient_id": sender, "text": BACK_TEXT[outcome], "buttons": [self.TOPIC_BUTTON]},
                    {"recipient_id": sender, "custom": {"type": "handoff", "status": "closed", "outcome": outcome}},
                ]})
            return web.json_response({"message": "bad request"}, status=400)

        app.router.add_post(r"/conversations/{id}/{path:tracker/events|trigger_intent}", api)
        return app

@pytest_asyncio.fixture
async def fake_rasa(var_dir: Path) -> HandoffFakeRasa:
    """Overrides conftest's: the handoff-speaking fake (import it into a test module to use it)."""
    async with serving(HandoffFakeRasa(tracker_path=var_dir / "tracker.db")) as fake:
        yield fake


@pytest.fixture
def settings(var_dir: Path, fake_rasa: HandoffFakeRasa) -> Settings:
    """Always open, the fake's token, room for many messages in a row, and for many
    handoffs at once: the tests' people all come from 127.0.0.1 (the limit per client
    has its own tests, test_handoff_per_client.py)."""
    return fake_rasa_settings(
        var_dir,
        fake_rasa,
        rasa_token=fake_rasa.token,
        opening_hours=OpeningHours.parse("always"),
        rate_conversation_burst=100,
        handoff_max_open_per_client=100,
    )


async def add_counsellor(settings: Settings, name: str, password: str = PASSWORD) -> str:
    """Create an account through the CLI's code path (password asked twice)."""
    answers = iter([password, password])
    return await cli.run_command(settings, argparse.Namespace(action="add", name=name), prompt=lambda _: next(answers))


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)


def meta_csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def login(client, name: str, password: str = PASSWORD, expect: int = 303):
    page = await client.get("/desk/login")
    token = hidden_value(await page.text(), "csrf_token")
    response = await client.post(
        "/desk/login", data={"name": name, "password": password, "csrf_token": token}, allow_redirects=False
    )
    assert response.status == expect, await response.text()
    return response


async def desk_csrf(client) -> str:
    """Open the desk page (as a signed-in counsellor) and return its CSRF token."""
    page = await client.get("/desk")
    assert page.status == 200
    return meta_csrf(await page.text())
