"""Pause and resume against the real Rasa (live stack): a queued handoff pauses
the bot, the person's messages then reach the counsellor and not the bot, and
when the handoff ends Rasa is resumed through its HTTP API and answers again."""
from __future__ import annotations

import re

import pytest
import requests
from tests.live_http import customs

TIMEOUT = 60
ADVICE_QUESTION = "Jeg er leder. Hvordan kan jeg følge opp en ansatt som jobber på hjemmekontor?"


class Desk:
    """A counsellor at the desk, as desk.js talks to it (cookie session + CSRF header)."""

    def __init__(self, base: str, name: str, password: str) -> None:
        self.base = base
        self.http = requests.Session()
        page = self.http.get(f"{base}/desk/login", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        signed_in = self.http.post(
            f"{base}/desk/login", data={"name": name, "password": password, "csrf_token": token}, timeout=TIMEOUT
        )
        assert signed_in.status_code == 200 and signed_in.url.endswith("/desk"), signed_in.text[:500]
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', signed_in.text).group(1)

    def queue(self) -> dict:
        response = self.http.get(f"{self.base}/desk/api/queue", timeout=TIMEOUT)
        assert response.status_code == 200
        return response.json()

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return self.http.post(f"{self.base}{path}", json=body, headers={"X-CSRF-Token": self.csrf}, timeout=TIMEOUT)

    def sign_out(self) -> None:
        self.http.post(f"{self.base}/desk/logout", data={"csrf_token": self.csrf}, timeout=TIMEOUT)


@pytest.fixture
def desk(live_stack):
    counsellor = Desk(live_stack.url, live_stack.counsellor, live_stack.counsellor_password)
    counsellor.queue()  # the desk page is open: present
    yield counsellor
    counsellor.sign_out()  # so later tests see nobody at the desk again


def start(base: str) -> str:
    response = requests.post(f"{base}/api/conversations", timeout=TIMEOUT)
    assert response.status_code == 201
    return response.json()["id"]


def say(base: str, conversation_id: str, **body) -> list[dict]:
    response = requests.post(f"{base}/api/conversations/{conversation_id}/messages", json=body, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def transcript(base: str, conversation_id: str) -> dict:
    return requests.get(f"{base}/api/conversations/{conversation_id}/messages", timeout=TIMEOUT).json()


def rasa_tracker(live_stack, conversation_id: str) -> dict:
    response = requests.get(
        f"{live_stack.rasa_url}/conversations/{conversation_id}/tracker",
        headers={"Authorization": f"Bearer {live_stack.token}"}, timeout=TIMEOUT,
    )
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response.json()


def ticket_for(desk: Desk, recent_text: str) -> dict:
    return next(t for t in desk.queue()["waiting"] if recent_text in " ".join(t["recent_messages"]))


def test_pause_live_chat_and_resume_with_the_real_rasa(live_stack, desk):
    base = live_stack.url
    conversation_id = start(base)
    say(base, conversation_id, text="Jeg er leder og lurer på om vi kan teste ansatte for rus")
    queued = say(base, conversation_id, button="/request_human")
    [handoff] = [c for c in customs(queued) if c["type"] == "handoff"]
    assert handoff["status"] == "queued" and handoff["summary"]["role"] == "leder"
    assert rasa_tracker(live_stack, conversation_id)["paused"] is True
    ticket = ticket_for(desk, "teste ansatte")
    assert ticket["role"] == "leder" and ticket["crisis"] is False

    # While paused the bot does not answer: not through the gateway, and not even when asked directly.
    assert say(base, conversation_id, text="Hallo, er det noen der?") == []
    direct = requests.post(
        f"{live_stack.rasa_url}/webhooks/gateway/webhook", json={"sender": conversation_id, "message": "hei"},
        headers={"Authorization": f"Bearer {live_stack.token}"}, timeout=TIMEOUT,
    )
    assert direct.status_code == 200 and direct.json() == []

    assert desk.post(f"/desk/api/tickets/{ticket['id']}/accept").status_code == 200
    live = desk.http.get(f"{base}/desk/api/tickets/{ticket['id']}/messages", timeout=TIMEOUT).json()
    assert "Hallo, er det noen der?" in [m.get("text") for m in live["messages"]]
    assert desk.post(f"/desk/api/tickets/{ticket['id']}/messages", {"text": "Hei, du snakker med en veileder."}).status_code == 201
    assert say(base, conversation_id, text="Takk, så fint") == []
    assert transcript(base, conversation_id)["messages"][-2]["from"] == "counsellor"
    assert rasa_tracker(live_stack, conversation_id)["paused"] is True

    assert desk.post(f"/desk/api/tickets/{ticket['id']}/end").status_code == 204
    after = transcript(base, conversation_id)
    back = after["messages"][-1]
    assert back["from"] == "bot" and "chatboten, igjen" in back["text"]
    assert back["custom"]["status"] == "closed" and back["custom"]["outcome"] == "ended"
    assert "handoff" not in after
    tracker = rasa_tracker(live_stack, conversation_id)
    assert tracker["paused"] is False
    assert [e["event"] for e in tracker["events"]].count("resume") == 1

    # The bot answers again, with the knowledge base.
    reply = say(base, conversation_id, text=ADVICE_QUESTION)
    assert any(c["type"] == "recommendations" and c["topic"] == "hjemmekontor" for c in customs(reply))


def test_cancel_while_waiting_brings_the_bot_back(live_stack, desk):
    base = live_stack.url
    conversation_id = start(base)
    say(base, conversation_id, text="Kollegaen min drikker mye, hva gjør jeg?")
    say(base, conversation_id, button="/request_human")
    assert transcript(base, conversation_id)["handoff"]["status"] == "queued"
    response = requests.post(f"{base}/api/conversations/{conversation_id}/handoff/cancel", timeout=TIMEOUT)
    assert response.status_code == 200
    assert "gått ut av køen" in response.json()["messages"][0]["text"]
    assert rasa_tracker(live_stack, conversation_id)["paused"] is False
    assert not [t for t in desk.queue()["waiting"] if "drikker mye" in " ".join(t["recent_messages"])]
    reply = say(base, conversation_id, text=ADVICE_QUESTION)
    assert any(c["type"] == "recommendations" for c in customs(reply))


def test_crisis_gives_the_numbers_first_and_goes_first_in_the_queue(live_stack, desk):
    base = live_stack.url
    ordinary = start(base)
    say(base, ordinary, text="Jeg er verneombud og lurer på rusmiddeltesting")
    say(base, ordinary, button="/request_human")
    crisis = start(base)
    reply = say(base, crisis, text="Jeg orker ikke mer, jeg vil ikke leve lenger")
    assert reply[0]["text"].startswith("Dette høres alvorlig ut. Er noen i fare nå, ring 113")
    assert customs(reply)[0]["type"] == "crisis"
    assert any(c["type"] == "handoff" and c["status"] == "queued" and c["reason"] == "crisis" for c in customs(reply))
    waiting = desk.queue()["waiting"]
    assert waiting[0]["crisis"] is True and "vil ikke leve" in " ".join(waiting[0]["recent_messages"])
    for conversation_id in (ordinary, crisis):
        assert requests.post(f"{base}/api/conversations/{conversation_id}/handoff/cancel", timeout=TIMEOUT).status_code == 200


def test_nobody_at_the_desk_means_the_plain_unavailable_reply(live_stack):
    base = live_stack.url
    conversation_id = start(base)
    reply = say(base, conversation_id, button="/request_human")
    [handoff] = [c for c in customs(reply) if c["type"] == "handoff"]
    assert handoff["status"] == "unavailable"
    assert "ingen veiledere ledige" in reply[0]["text"] and "22 40 28 00" in reply[0]["text"]
    assert rasa_tracker(live_stack, conversation_id)["paused"] is False
