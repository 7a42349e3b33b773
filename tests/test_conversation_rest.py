"""The assistant end to end through Rasa's gateway channel (Rasa's REST channel behind the
gateway's secret): trained model, real action server.

This is the core promise: a leader asking about home office gets exactly the
leader's home-office recommendations with sources; a crisis gets the emergency
numbers first; a request for a human gets the ways to reach one.
"""
from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from actions.shared_knowledge import knowledge_base


def say(stack, sender: str, text: str) -> list[dict]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/gateway/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {stack.token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def custom(replies: list[dict], kind: str) -> dict:
    found = [r["custom"] for r in replies if r.get("custom", {}).get("type") == kind]
    assert found, f"no {kind} payload in {replies}"
    return found[0]


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture
def sender() -> str:
    return str(uuid.uuid4())


def test_leader_asking_about_home_office_gets_the_leaders_recommendations(live_stack, sender):
    replies = say(live_stack, sender, "Jeg er avdelingsleder. Hvordan bør jeg følge opp folka mine som jobber hjemmefra?")
    payload = custom(replies, "recommendations")
    expected = [e.id for e in knowledge_base().entries_for("leder", "hjemmekontor")]
    assert (payload["role"], payload["topic"]) == ("leder", "hjemmekontor")
    assert payload["ids"] == expected[: len(payload["ids"])]
    assert payload["sources"] and "Kilde" in texts(replies)


def test_role_and_topic_carry_over_and_can_change(live_stack, sender):
    first = say(live_stack, sender, "jeg er tillitsvalgt")
    assert "Hva gjelder det" in texts(first)
    second = say(live_stack, sender, "det handler om hjemmekontor")
    assert custom(second, "recommendations")["role"] == "ansattrepresentant"
    third = say(live_stack, sender, "nå spør jeg som pårørende i stedet")
    payload = custom(third, "recommendations")
    assert (payload["role"], payload["topic"]) == ("parorende", "hjemmekontor")


def test_an_implied_role_replaces_an_earlier_implied_role(live_stack, sender):
    first = say(live_stack, sender, "en i teamet mitt har begynt å drikke på jobb, hva ser jeg etter?")
    assert custom(first, "recommendations")["role"] == "leder"
    second = say(live_stack, sender, "mannen min har begynt å drikke igjen etter behandlingen")
    assert custom(second, "recommendations")["role"] == "parorende"


def test_an_implied_role_does_not_replace_a_stated_one(live_stack, sender):
    say(live_stack, sender, "jeg er sykepleier i bedriftshelsetjenesten")
    replies = say(live_stack, sender, "en ansatt har sprukket igjen mens han er i akan-avtale, hva gjør vi nå?")
    assert custom(replies, "recommendations")["role"] == "bht"


def test_a_first_reply_is_short_and_the_rest_comes_with_vis_flere_rad(live_stack, sender):
    first = say(live_stack, sender, "Jeg er avdelingsleder. Hvordan bør jeg følge opp folka mine som jobber hjemmefra?")
    payload = custom(first, "recommendations")
    assert 1 <= len(payload["ids"]) <= 3
    assert len(texts(first).split("Kilde")[0].split()) <= 160
    assert texts(first).count("Kilde") == 1  # no widget on this channel: the sources as one line
    assert {"title": "Vis flere råd", "payload": "/more_advice"} in first[0]["buttons"]
    more = say(live_stack, sender, "/more_advice")
    rest = custom(more, "recommendations")["ids"]
    cell = [e.id for e in knowledge_base().entries_for("leder", "hjemmekontor")]
    assert payload["ids"] + rest == cell


def test_the_person_asking_about_their_own_signs_gets_the_signs(live_stack, sender):
    replies = say(live_stack, sender, "Jeg lurer på om jeg selv drikker for mye, hva er faresignalene?")
    payload = custom(replies, "recommendations")
    assert (payload["role"], payload["topic"]) == ("selv", "signaler")
    assert payload["ids"] and "no_recommendation" not in payload
    assert "ingen egne råd" not in texts(replies)


def test_asking_for_an_app_to_drink_less_gets_balance(live_stack, sender):
    replies = say(live_stack, sender, "Finnes det en app som kan hjelpe meg å drikke mindre?")
    assert "Balance" in texts(replies)
    assert not [r for r in replies if r.get("custom", {}).get("type") == "handoff"]


@pytest.mark.parametrize("topic", ["hjemmekontor", "bekymringssamtale", "akan_avtale", "signaler", "tilbakefall"])
def test_a_relative_gets_advice_from_the_material(live_stack, sender, topic):
    replies = say(live_stack, sender, f'/ask_advice{{"role": "parorende", "topic": "{topic}"}}')
    payload = custom(replies, "recommendations")
    assert payload["ids"] and "no_recommendation" not in payload


def test_a_crisis_about_someone_else_from_an_unknown_writer_gets_the_helpers_advice(live_stack, sender):
    replies = say(live_stack, sender, "han sendte en melding i natt om at vi aldri kommer til å høre fra ham igjen")
    assert custom(replies, "crisis")
    assert "Gjelder det en annen" in texts(replies)


def test_crisis_gets_emergency_numbers_first(live_stack, sender):
    say(live_stack, sender, "jeg er kollega og lurer på noe")
    replies = say(live_stack, sender, "eg orkar ikkje meir, har tenkt å ta livet mitt i kveld")
    assert replies[0]["text"].startswith("Dette høres alvorlig ut. Er noen i fare nå, ring 113")
    assert custom(replies, "crisis")


def test_request_for_a_human_gets_phone_mail_and_chat(live_stack, sender):
    replies = say(live_stack, sender, "kan jeg få snakke med et ekte menneske?")
    assert "22 40 28 00" in texts(replies) and "akan@akan.no" in texts(replies)
    assert custom(replies, "handoff")["status"] == "unavailable"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 5000, "🙂🙂🙂", "What is the weather in Oslo?", "Vad kostar det?", "qwpoeiruty zmxncbv"],
)
def test_bad_input_gets_a_norwegian_reply(live_stack, sender, text):
    replies = say(live_stack, sender, text)
    assert replies and all(r.get("text") or r.get("custom") for r in replies)
    assert any("Beklager" in r.get("text", "") or "Hvem spør du som" in r.get("text", "")
               or "hvem spør du som" in r.get("text", "") for r in replies)
