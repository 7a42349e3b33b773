"""The handoff actions with the gateway's desk metadata: queue and pause when a
counsellor is there, say plainly when the service opens when not, crisis
numbers always first, and the bot's return after a handoff."""
from __future__ import annotations

from actions.crisis import ActionCrisis
from actions.buttons import COUNSELLOR_BUTTON
from actions.handoff import CONFIRM, CONFIRM_BELOW, ActionHandoffEnded, ActionRequestHuman
from actions.misunderstanding import ActionMisunderstood
from actions.yes_no import ActionAffirm
from tests.conftest import entity, make_tracker, user_event

AVAILABLE = {"desk": {"available": True, "open": True, "opens_next": None}}
CLOSED = {"desk": {"available": False, "open": False, "opens_next": "2026-11-23T08:00:00+01:00"}}
NOBODY = {"desk": {"available": False, "open": True, "opens_next": "2026-11-23T08:00:00+01:00"}}


def with_metadata(tracker, metadata: dict):
    tracker.latest_message["metadata"] = metadata
    return tracker


def run(action, tracker):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def customs(messages) -> list[dict]:
    return [m["custom"] for m in messages if m.get("custom")]


def paused(events) -> bool:
    return any(e.get("event") == "pause" for e in events)


def test_available_counsellor_queues_with_an_anonymous_summary_and_pauses():
    tracker = with_metadata(make_tracker("kan jeg snakke med en veileder", intent="request_human", slots={
        "role": "leder", "topic": "testing", "substance": "alkohol"}), AVAILABLE)
    messages, events = run(ActionRequestHuman(), tracker)
    payload = customs(messages)[0]
    assert payload["type"] == "handoff" and payload["status"] == "queued" and payload["reason"] == "request_human"
    assert payload["summary"] == {"role": "leder", "topic": "testing", "substance": "alkohol"}
    assert "kø" in messages[0]["text"] and "avbryte" in messages[0]["text"]
    assert paused(events)


def test_closed_service_says_when_it_opens_and_the_other_ways_in():
    tracker = with_metadata(make_tracker("snakke med veileder", intent="request_human"), CLOSED)
    messages, events = run(ActionRequestHuman(), tracker)
    text = messages[0]["text"]
    assert "ikke på jobb nå" in text and "mandag 23. november kl. 08.00" in text
    assert "22 40 28 00" in text and "akan@akan.no" in text and "akan.no" in text
    assert customs(messages)[0]["status"] == "unavailable"
    assert not paused(events)


def test_open_but_nobody_signed_in_says_so_without_a_time():
    tracker = with_metadata(make_tracker("snakke med veileder", intent="request_human"), NOBODY)
    messages, _ = run(ActionRequestHuman(), tracker)
    assert "ingen veiledere ledige" in messages[0]["text"] and "åpner igjen" not in messages[0]["text"]


def test_without_metadata_the_reply_is_as_before():
    messages, events = run(ActionRequestHuman(), make_tracker("veileder", intent="request_human"))
    assert messages[0]["text"].startswith("Du kan snakke anonymt") and not paused(events)


def test_crisis_keeps_emergency_numbers_first_and_queues_a_crisis_ticket():
    tracker = with_metadata(make_tracker("jeg vil ikke leve", intent="crisis"), AVAILABLE)
    messages, events = run(ActionCrisis(), tracker)
    assert messages[0]["text"].startswith("Dette høres alvorlig ut. Er noen i fare nå, ring 113")
    assert messages[0]["custom"]["type"] == "crisis"
    assert messages[0]["buttons"] == []  # queued already: no button to ask for it
    handoff = customs(messages)[1]
    assert handoff["type"] == "handoff" and handoff["status"] == "queued" and handoff["reason"] == "crisis"
    assert "113" in messages[1]["text"]
    assert paused(events)


def test_crisis_without_a_counsellor_is_unchanged():
    tracker = with_metadata(make_tracker("jeg vil ikke leve", intent="crisis"), CLOSED)
    messages, events = run(ActionCrisis(), tracker)
    assert len(messages) == 1 and customs(messages)[0]["type"] == "crisis"
    assert messages[0]["buttons"] == [{"title": "Snakk med veileder", "payload": "/request_human"}]
    assert not paused(events)


def test_second_misunderstanding_offers_the_counsellor_button_when_one_is_there():
    history = [user_event("asdf", "nlu_fallback"), {"event": "action", "name": "action_misunderstood"}]
    tracker = with_metadata(make_tracker("qwerty", intent="nlu_fallback", history=history), AVAILABLE)
    messages, events = run(ActionMisunderstood(), tracker)
    assert messages[0]["buttons"] == [{"title": "Snakk med veileder", "payload": "/request_human"}]
    assert "ledig" in messages[0]["text"] and not customs(messages) and not paused(events)
    closed = with_metadata(make_tracker("qwerty", intent="nlu_fallback", history=history), CLOSED)
    messages, _ = run(ActionMisunderstood(), closed)
    assert customs(messages)[-1]["status"] == "unavailable" and "mandag 23. november" in messages[-1]["text"]


def test_yes_after_a_counsellor_offer_queues_when_available():
    offer = {"event": "bot", "text": "...", "data": {"buttons": [{"title": "Snakk med veileder", "payload": "/request_human"}]}}
    tracker = with_metadata(make_tracker("ja", intent="affirm", history=[offer]), AVAILABLE)
    messages, events = run(ActionAffirm(), tracker)
    assert customs(messages)[0]["status"] == "queued" and paused(events)


def test_bot_says_it_is_back_for_each_outcome():
    for outcome, words in (("ended", "avsluttet samtalen"), ("cancelled", "gått ut av køen"), ("timeout", "ingen veileder kunne")):
        tracker = make_tracker("", intent="EXTERNAL_handoff_ended", entities=[entity("handoff_outcome", outcome)])
        messages, events = run(ActionHandoffEnded(), tracker)
        assert words in messages[0]["text"] and "chatboten, igjen" in messages[0]["text"]
        assert customs(messages)[0] == {**customs(messages)[0], "type": "handoff", "status": "closed", "outcome": outcome}
        assert events == []
    assert "22 40 28 00" in messages[0]["text"] and "akan@akan.no" in messages[0]["text"]  # timeout: other ways in


def uncertain(text: str, confidence: float, metadata: dict):
    tracker = with_metadata(make_tracker(text, intent="request_human"), metadata)
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


def test_a_weak_learned_request_is_confirmed_before_any_handoff():
    tracker = uncertain("kan jeg snakke med lederen min om dette?", CONFIRM_BELOW - 0.1, AVAILABLE)
    messages, events = run(ActionRequestHuman(), tracker)
    assert messages[0]["text"] == CONFIRM
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[0] == "Snakk med veileder" and len(titles) > 1  # the counsellor, then the topics
    assert customs(messages) == [] and not paused(events)


def test_yes_after_the_question_hands_over():
    asked, _ = run(ActionRequestHuman(), uncertain("kan jeg snakke med HR om dette?", 0.45, AVAILABLE))
    question = {"event": "bot", "text": asked[0]["text"], "data": {"buttons": asked[0]["buttons"]}}
    tracker = with_metadata(make_tracker("ja", intent="affirm", history=[question]), AVAILABLE)
    messages, events = run(ActionAffirm(), tracker)
    assert customs(messages)[0]["status"] == "queued" and paused(events)


def test_a_sure_request_or_the_button_hands_over_at_once():
    for tracker in (
        uncertain("kan noen hos dere ringe meg?", CONFIRM_BELOW, AVAILABLE),
        uncertain(COUNSELLOR_BUTTON["payload"], 0.3, AVAILABLE),  # a button press is never asked about
    ):
        messages, events = run(ActionRequestHuman(), tracker)
        assert customs(messages)[0]["status"] == "queued" and paused(events)
