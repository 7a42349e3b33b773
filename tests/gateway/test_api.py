"""The chat API through the real app: every endpoint and every error it promises."""
from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace

import pytest

from bot.settings import Settings

pytestmark = pytest.mark.asyncio

PHONE = "22 40 28 00"


def tracker_rows(fake_rasa, sender: str) -> int:
    with sqlite3.connect(fake_rasa.tracker_path) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


async def send(client, conversation_id: str, body) -> tuple[int, dict]:
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json=body)
    return response.status, await response.json()


async def test_create_conversation_returns_uuid4_and_greeting(client, fake_rasa):
    response = await client.post("/api/conversations")
    assert response.status == 201
    body = await response.json()
    assert uuid.UUID(body["id"]).version == 4
    assert body["messages"][0]["text"].startswith("Hei!")
    assert body["messages"][0]["buttons"] == fake_rasa.ROLE_BUTTONS
    assert fake_rasa.texts_for(body["id"]) == ["/greet"]


async def test_every_conversation_gets_its_own_id(client, start):
    ids = {await start(client) for _ in range(3)}
    assert len(ids) == 3


async def test_text_message_returns_bot_replies(client, fake_rasa, start):
    conversation_id = await start(client)
    status, body = await send(client, conversation_id, {"text": "Hva gjør jeg?"})
    assert status == 200
    assert body["messages"] == [
        {"id": body["messages"][0]["id"], "from": "bot", "text": "Jeg forstod ikke helt. Hvem er du?", "buttons": fake_rasa.ROLE_BUTTONS}
    ]
    assert fake_rasa.texts_for(conversation_id)[-1] == "Hva gjør jeg?"


async def test_custom_payload_is_merged_into_the_message_before_it(client, start, fake_rasa):
    conversation_id = await start(client)
    status, body = await send(client, conversation_id, {"button": fake_rasa.ROLE_BUTTONS[0]["payload"]})
    assert status == 200
    [message] = body["messages"]
    assert message["text"].startswith("**Råd til deg som leder:**")
    assert message["buttons"] == [fake_rasa.TOPIC_BUTTON]
    assert message["custom"] == fake_rasa.RECOMMENDATIONS


async def test_offered_button_is_forwarded_as_payload(client, fake_rasa, start):
    conversation_id = await start(client)
    status, _ = await send(client, conversation_id, {"button": fake_rasa.ROLE_BUTTONS[1]["payload"]})
    assert status == 200
    assert fake_rasa.texts_for(conversation_id)[-1] == fake_rasa.ROLE_BUTTONS[1]["payload"]


async def test_button_not_in_latest_reply_is_refused(client, fake_rasa, start):
    conversation_id = await start(client)
    # Offered in the greeting, but the reply to the first press offers only the topic button.
    assert (await send(client, conversation_id, {"button": fake_rasa.ROLE_BUTTONS[0]["payload"]}))[0] == 200
    status, body = await send(client, conversation_id, {"button": fake_rasa.ROLE_BUTTONS[1]["payload"]})
    assert status == 400
    assert "valget" in body["error"]
    status, _ = await send(client, conversation_id, {"button": '/ask_advice{"role": "bht"}'})
    assert status == 400
    status, _ = await send(client, conversation_id, {"button": "/restart"})
    assert status == 400
    assert fake_rasa.texts_for(conversation_id) == ["/greet", fake_rasa.ROLE_BUTTONS[0]["payload"]]


async def test_counsellor_button_is_always_accepted(client, fake_rasa, start):
    conversation_id = await start(client)
    status, body = await send(client, conversation_id, {"button": fake_rasa.COUNSELLOR_BUTTON["payload"]})
    assert status == 200
    assert body["messages"][0]["custom"]["type"] == "handoff"
    assert fake_rasa.texts_for(conversation_id)[-1] == "/request_human"


async def test_typed_commands_never_reach_rasa_as_commands(client, fake_rasa, start):
    conversation_id = await start(client)
    for text in ["/restart", '/ask_advice{"role": "leder"}', "  /crisis", "//greet", "\n\t/session_start", " / stop"]:
        status, _ = await send(client, conversation_id, {"text": text})
        assert status == 200, text
    forwarded = fake_rasa.texts_for(conversation_id)[1:]
    assert forwarded == ["restart", 'ask_advice{"role": "leder"}', "crisis", "greet", "session_start", "stop"]
    assert not any(message.strip().startswith("/") for message in forwarded)


async def test_text_of_only_slashes_is_refused(client, fake_rasa, start):
    conversation_id = await start(client)
    status, body = await send(client, conversation_id, {"text": " // "})
    assert status == 400
    assert body["error"]
    assert fake_rasa.texts_for(conversation_id) == ["/greet"]


async def test_personal_details_are_scrubbed_before_rasa(client, fake_rasa, start):
    conversation_id = await start(client)
    await send(client, conversation_id, {"text": "Jeg heter Kari Nordmann, ring 412 34 567 eller kari@firma.no"})
    assert fake_rasa.texts_for(conversation_id)[-1] == "Jeg heter [navn], ring [telefonnummer] eller [e-post]"


async def test_history_returns_the_scrubbed_transcript(client, start, fake_rasa):
    conversation_id = await start(client)
    await send(client, conversation_id, {"text": "mobil 98765432"})
    await send(client, conversation_id, {"button": fake_rasa.ROLE_BUTTONS[0]["payload"]})
    response = await client.get(f"/api/conversations/{conversation_id}/messages")
    assert response.status == 200
    messages = (await response.json())["messages"]
    assert [m["from"] for m in messages] == ["bot", "user", "bot", "user", "bot"]
    assert messages[1]["text"] == "mobil [telefonnummer]"
    assert messages[3]["text"] == fake_rasa.ROLE_BUTTONS[0]["title"]
    assert messages[4]["custom"] == fake_rasa.RECOMMENDATIONS


async def test_delete_removes_transcript_from_tracker_and_gateway(client, fake_rasa, start):
    conversation_id = await start(client)
    other_id = await start(client)
    await send(client, conversation_id, {"text": "hei"})
    assert tracker_rows(fake_rasa, conversation_id) == 2
    response = await client.delete(f"/api/conversations/{conversation_id}")
    assert response.status == 204
    assert tracker_rows(fake_rasa, conversation_id) == 0
    assert tracker_rows(fake_rasa, other_id) == 1
    assert (await client.get(f"/api/conversations/{conversation_id}/messages")).status == 404
    assert (await send(client, conversation_id, {"text": "hei"}))[0] == 404
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 404
    assert (await client.get(f"/api/conversations/{other_id}/messages")).status == 200


async def test_unknown_conversation_is_404_everywhere(client):
    for conversation_id in (str(uuid.uuid4()), "not-a-uuid", str(uuid.uuid1())):
        status, body = await send(client, conversation_id, {"text": "hei"})
        assert status == 404, conversation_id
        assert "Fant ikke samtalen" in body["error"]
        assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 404
        assert (await client.get(f"/api/conversations/{conversation_id}/ws")).status == 404


async def test_invalid_json_is_400(client, start):
    conversation_id = await start(client)
    response = await client.post(
        f"/api/conversations/{conversation_id}/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.json())["error"] == "Forespørselen må være gyldig JSON."


async def test_invalid_fields_are_400(client, fake_rasa, start):
    conversation_id = await start(client)
    for body in [[], "hei", {}, {"text": 5}, {"text": "a", "button": "/b"}, {"message": "hei"}, {"button": ""}, {"text": "   "}]:
        status, answer = await send(client, conversation_id, body)
        assert status == 400, body
        assert answer["error"]
    assert fake_rasa.texts_for(conversation_id) == ["/greet"]


async def test_text_over_the_limit_is_413(client, fake_rasa, start):
    conversation_id = await start(client)
    assert (await send(client, conversation_id, {"text": "a" * 2000}))[0] == 200
    status, body = await send(client, conversation_id, {"text": "a" * 2001})
    assert status == 413
    assert body["error"] == "Meldingen er for lang. Skriv høyst 2 000 tegn."
    response = await client.post(f"/api/conversations/{conversation_id}/messages", data=b"x" * 70_000)
    assert response.status == 413
    assert (await response.json())["error"]


async def test_rasa_down_is_503_with_the_phone_number(client, fake_rasa, start):
    conversation_id = await start(client)
    fake_rasa.rasa_up = False
    status, body = await send(client, conversation_id, {"text": "hei"})
    assert status == 503
    assert PHONE in body["error"] and "113" in body["error"]
    response = await client.post("/api/conversations")
    assert response.status == 503
    assert PHONE in (await response.json())["error"]
    # Nothing half-made: the failed turn is not in the transcript.
    messages = (await (await client.get(f"/api/conversations/{conversation_id}/messages")).json())["messages"]
    assert [m["from"] for m in messages] == ["bot"]


async def test_rasa_unreachable_is_503(make_client, settings: Settings, free_port):
    client = await make_client(replace(settings, rasa_urls=(f"http://127.0.0.1:{free_port()}",)))
    response = await client.post("/api/conversations")
    assert response.status == 503
    assert PHONE in (await response.json())["error"]


async def test_healthz_needs_rasa_and_actions(client, fake_rasa):
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["checks"] == {"rasa": True, "actions": True, "database": True}
    fake_rasa.actions_up = False
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["checks"]["actions"] is False
    fake_rasa.actions_up, fake_rasa.rasa_up = True, False
    response = await client.get("/healthz")
    assert response.status == 503
    assert PHONE in (await response.json())["error"]


async def test_unknown_path_and_wrong_method_answer_in_norwegian_json(client):
    response = await client.get("/api/nothing-here")
    assert response.status == 404
    assert (await response.json())["error"] == "Fant ikke det du så etter."
    response = await client.put("/api/conversations")
    assert response.status == 405
    assert (await response.json())["error"]
