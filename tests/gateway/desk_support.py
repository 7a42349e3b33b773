"""Helpers for the desk tests: a fake Rasa that also speaks the handoff part of
Rasa's HTTP API (pause through the payload, resume with a token), counsellor
accounts made with the CLI's own code, and signing in as a browser would."""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import time
from dataclasses import dataclass, field

from aiohttp import web

from bot.desk import cli
from bot.rasa_client import RESUME_EVENTS
from bot.settings import Settings
from tests.gateway.conftest import FakeRasa

PASSWORD = "riktig-hest-batteri-stift"
QUEUED_TEXT = "En veileder tar over."
BACK_TEXT = {"ended": "Nå er det meg igjen.", "cancelled": "Du gikk ut av køen.", "timeout": "Beklager, ingen kunne ta den."}


@dataclass
class HandoffFakeRasa(FakeRasa):
    """FakeRasa plus: the desk metadata it was sent, a queued handoff (and a
    pause) when the gateway says a counsellor is available, and the HTTP API
    calls for resuming (refused without the right token)."""

    token: str = "rasa-test-token"
    metadata: list = field(default_factory=list)
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

    def app(self) -> web.Application:
        app = super().app()

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
            if sender in self.paused:  # Rasa logs the message but does not answer
                self.answered_while_paused += 1
                return web.json_response([])
            desk = (body.get("metadata") or {}).get("desk")
            return web.json_response(self.reply(sender, message, desk))

        async def api(request: web.Request) -> web.Response:
            if request.query.get("token") != self.token:
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

        # Replace the base webhook: this one reads the metadata too.
        fresh = web.Application()
        fresh.router.add_post("/webhooks/rest/webhook", webhook)
        fresh.router.add_post(r"/conversations/{id}/{path:tracker/events|trigger_intent}", api)
        for route in app.router.routes():
            if route.method == "GET":
                fresh.router.add_route(route.method, route.resource.canonical, route.handler)
        return fresh


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
