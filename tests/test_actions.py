"""Unit tests of every custom action, with trackers from Tracker.from_dict and the real knowledge base."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionAnswerAdvice, ActionMoreAdvice
from actions.answer_text import cell_points
from actions.buttons import COUNSELLOR_PAYLOAD
from actions.crisis import ActionCrisis
from actions.greeting import ActionGreet
from actions.handoff import ActionRequestHuman
from actions.knowledge_base import ROLES, TOPICS
from actions.labels import ROLE_WELCOMES
from actions.misunderstanding import ActionMisunderstood
from actions.shared_knowledge import knowledge_base
from actions.yes_no import ActionAffirm, ActionDeny
from tests.conftest import entity, make_tracker, user_event

EMERGENCY_NUMBERS = ["113", "116 117", "116 123", "22 40 00 40", "116 111", "112"]


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def slots(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def slots_after(tracker, events) -> dict:
    """The tracker's slots once the action's events are applied."""
    return {**tracker.slots, **slots(events)}


def customs(messages) -> list[dict]:
    return [m["custom"] for m in messages if m.get("custom")]


# --- advice -------------------------------------------------------------------

def with_widget(tracker):
    """The same tracker as the gateway sends it: its client shows the payload's sources."""
    tracker.latest_message["metadata"] = {"sources_shown": True}
    return tracker


def first_and_more(role, topic, substance=None, widget=False):
    """The first reply to a cell and the "Vis flere råd" reply after it, as the person sees them."""
    entities = [entity("role", role), entity("topic", topic)] + ([entity("substance", substance)] if substance else [])
    tracker = make_tracker("x", entities=entities)
    first, events = run(ActionAnswerAdvice(), with_widget(tracker) if widget else tracker)
    after = make_tracker("vis flere råd", intent="more_advice", slots=slots_after(tracker, events))
    more, _ = run(ActionMoreAdvice(), with_widget(after) if widget else after)
    return first[0], more[0]


def words(text: str) -> int:
    return len(text.split())


def test_leader_home_office_gets_a_short_first_reply_and_the_rest_on_request():
    kb = knowledge_base()
    expected = kb.entries_for("leder", "hjemmekontor")
    assert len(expected) > 3, "the leader's home-office cell has more than one reply's worth"
    first, more = first_and_more("leder", "hjemmekontor")
    payload, more_payload = first["custom"], more["custom"]
    assert (payload["type"], payload["role"], payload["topic"]) == ("recommendations", "leder", "hjemmekontor")
    assert 1 <= len(payload["ids"]) <= 3 and words(first["text"].split("Kilde")[0]) <= 160
    assert payload["ids"] + more_payload["ids"] == [e.id for e in expected]
    for e in expected:
        assert (e.text.strip() in first["text"]) == (e.id in payload["ids"])
        assert (e.text.strip() in more["text"]) == (e.id in more_payload["ids"])
    assert set(payload["sources"]) == {kb.entry(i).source.citation() for i in payload["ids"]}
    assert first["buttons"][0] == {"title": "Vis flere råd", "payload": "/more_advice"}
    assert any(b["payload"] == "/request_human" for b in first["buttons"])
    assert not any(b["payload"] == "/more_advice" for b in more["buttons"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_cell_answers_with_its_entries_or_routes_to_a_counsellor(role, topic):
    kb = knowledge_base()
    first, more = first_and_more(role, topic, widget=True)
    payload = first["custom"]
    buttons = [b["payload"] for b in first["buttons"]]
    assert "/request_human" in buttons
    assert words(first["text"]) <= 160 and len(payload["ids"]) <= 3
    assert "Kilde" not in first["text"] and "Kilde" not in more["text"]  # the widget shows them once
    if kb.routes_to_counsellor(role, topic):
        assert payload.get("no_recommendation") is True
        assert set(payload["ids"]) <= {e.id for e in kb.context_for(topic)}
        assert "veileder" in first["text"]
    else:
        shown_later = more.get("custom", {}).get("ids", [])
        assert payload["ids"] + shown_later == [p.id for p in cell_points(kb, role, topic, None)]
        assert {e.id for e in kb.entries_for(role, topic)} <= set(payload["ids"] + shown_later)
        assert ("/more_advice" in buttons) == bool(shown_later)
        assert "no_recommendation" not in payload


def test_without_a_widget_the_sources_are_one_last_line():
    first, _ = first_and_more("leder", "hjemmekontor")
    lines = [line for line in first["text"].splitlines() if line.strip()]
    assert [i for i, line in enumerate(lines) if line.startswith("Kilde")] == [len(lines) - 1]


@pytest.mark.parametrize(("substance", "tool"), [("alkohol", "Balance"), ("spill", "jegspiller.no")])
@pytest.mark.parametrize("role", ["selv", "parorende", "kollega"])
def test_the_self_help_tool_for_the_substance_is_offered_to_the_person_and_to_helpers(substance, tool, role):
    first, more = first_and_more(role, "tilbakefall", substance)
    assert tool in first["text"]
    assert f"verktoy-{tool.lower()}" in first["custom"]["ids"]
    other = "jegspiller.no" if tool == "Balance" else "Balance"
    assert other not in first["text"] + more["text"]


def test_a_person_asking_about_their_own_habits_without_a_substance_hears_of_both_tools():
    first, more = first_and_more("selv", "tilbakefall")
    shown = first["text"] + more["text"]
    assert "Balance" in shown and "jegspiller.no" in shown


def test_more_advice_without_a_known_cell_asks_for_what_is_missing():
    messages, _ = run(ActionMoreAdvice(), make_tracker("vis flere råd", intent="more_advice", slots={"role": "leder"}))
    assert "Hva gjelder det" in messages[0]["text"]


def test_missing_role_is_asked_with_role_buttons_and_topic_is_kept():
    tracker = make_tracker("hva med hjemmekontor?", entities=[entity("topic", "hjemmekontor")])
    messages, events = run(ActionAnswerAdvice(), tracker)
    assert "hvem spør du som" in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert len(payloads) == len(ROLES)
    assert '/ask_advice{"role": "parorende"}' in payloads
    assert not customs(messages)
    assert slots_after(tracker, events)["topic"] == "hjemmekontor"


def test_missing_topic_is_asked_with_topic_buttons():
    tracker = make_tracker("jeg er verneombud", entities=[entity("role", "ansattrepresentant")])
    messages, events = run(ActionAnswerAdvice(), tracker)
    assert "Hva gjelder det" in messages[0]["text"]
    assert messages[0]["text"].startswith(ROLE_WELCOMES["ansattrepresentant"])
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert len(payloads) == len(TOPICS) + 1 and payloads[-1] == COUNSELLOR_PAYLOAD
    assert slots_after(tracker, events)["role"] == "ansattrepresentant"


@pytest.mark.parametrize("role", ROLES)
def test_a_known_role_without_a_topic_gets_a_kind_word_for_that_role_and_a_counsellor(role):
    tracker = make_tracker("mannen min drikker hver kveld, hva kan jeg gjøre?", entities=[entity("role", role)])
    messages, _ = run(ActionAnswerAdvice(), tracker)
    assert messages[0]["text"].startswith(ROLE_WELCOMES[role])
    assert "veileder" in messages[0]["text"]
    assert COUNSELLOR_PAYLOAD in [b["payload"] for b in messages[0]["buttons"]]
    assert len(set(ROLE_WELCOMES.values())) >= 5  # not one text for all


@pytest.mark.parametrize("confidence, guessed", [(0.19, True), (0.93, False), (None, False)])
def test_an_answer_to_a_topic_only_hinted_at_says_so_and_how_to_change_it(confidence, guessed):
    extra = {} if confidence is None else {"confidence": confidence, "extractor": "RoleTopicExtractor"}
    tracker = make_tracker(
        "mannen min drikker hver kveld, hva kan jeg gjøre?",
        entities=[entity("role", "parorende", confidence=0.98), entity("topic", "tilbakefall", **extra)],
    )
    messages, _ = run(ActionAnswerAdvice(), tracker)
    assert ("ikke helt sikker" in messages[0]["text"]) is guessed
    assert messages[0]["custom"]["topic"] == "tilbakefall"


def test_role_carries_over_from_slot_and_topic_from_message():
    tracker = make_tracker("og tilbakefall?", entities=[entity("topic", "tilbakefall")], slots={"role": "selv"})
    messages, _ = run(ActionAnswerAdvice(), tracker)
    payload = customs(messages)[0]
    assert (payload["role"], payload["topic"]) == ("selv", "tilbakefall")


def test_person_can_change_role_and_keep_topic():
    tracker = make_tracker(
        "nå spør jeg som pårørende",
        entities=[entity("role", "parorende")],
        slots={"role": "leder", "topic": "signaler"},
    )
    messages, events = run(ActionAnswerAdvice(), tracker)
    payload = customs(messages)[0]
    assert (payload["role"], payload["topic"]) == ("parorende", "signaler")
    assert slots_after(tracker, events)["role"] == "parorende"


def test_an_implied_role_does_not_overwrite_a_chosen_one():
    hint = entity("role", "leder", extractor="RoleTopicExtractor", explicit=False)
    tracker = make_tracker(
        "en ansatt vi følger opp har sprukket", entities=[hint, entity("topic", "tilbakefall")],
        slots={"role": "bht", "role_stated": True},
    )
    messages, events = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "bht"
    assert "role" not in slots(events)  # unchanged, so not set again
    assert slots_after(tracker, events)["role"] == "bht"


def test_an_implied_role_replaces_an_earlier_implied_one():
    hint = entity("role", "parorende", extractor="RoleTopicExtractor", explicit=False)
    tracker = make_tracker(
        "mannen min har begynt å drikke igjen", entities=[hint, entity("topic", "tilbakefall")],
        slots={"role": "leder", "role_stated": False, "topic": "signaler"},
    )
    messages, events = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "parorende"
    assert slots_after(tracker, events)["role_stated"] is False


def test_a_stated_role_overwrites_a_chosen_one():
    stated = entity("role", "ansattrepresentant", extractor="RoleTopicExtractor", explicit=True)
    tracker = make_tracker("jeg er verneombud", entities=[stated], slots={"role": "bht", "topic": "policy"})
    messages, _ = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "ansattrepresentant"


def test_a_statement_read_as_another_role_still_overwrites_a_stated_one():
    """"Jeg er lege, men det gjelder meg selv" after "jeg er leder": the extractor gives `selv`
    first, marked explicit (the learned head was sure of it over the stated doctor)."""
    read = entity("role", "selv", extractor="RoleTopicExtractor", explicit=True)
    stated = entity("role", "behandler", extractor="RoleTopicExtractor", explicit=True)
    tracker = make_tracker(
        "jeg er lege, men det gjelder meg selv", entities=[read, stated, entity("topic", "signaler")],
        slots={"role": "leder", "role_stated": True},
    )
    messages, events = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "selv"
    assert slots_after(tracker, events)["role_stated"] is True


def test_an_implied_role_is_used_when_none_is_known():
    hint = entity("role", "parorende", extractor="RoleTopicExtractor", explicit=False)
    tracker = make_tracker("kona mi drikker", entities=[hint, entity("topic", "signaler")])
    messages, _ = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "parorende"


def test_first_entity_is_the_main_one():
    tracker = make_tracker(
        "x", entities=[entity("role", "selv"), entity("role", "leder"), entity("topic", "akan_avtale")]
    )
    messages, _ = run(ActionAnswerAdvice(), tracker)
    assert customs(messages)[0]["role"] == "selv"


@pytest.mark.parametrize("topic", ["testing", "juridisk"])
def test_topics_without_recommendation_are_honest_even_without_role(topic):
    kb = knowledge_base()
    tracker = with_widget(make_tracker("x", entities=[entity("topic", topic)]))
    messages, _ = run(ActionAnswerAdvice(), tracker)
    payload = customs(messages)[0]
    assert payload["no_recommendation"] is True
    context = [e.id for e in kb.context_for(topic)]
    assert payload["ids"] and payload["ids"] == context[: len(payload["ids"])]
    assert len(messages[0]["text"].split()) <= 160
    assert "ærlige svaret" in messages[0]["text"] and "veileder" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/request_human"


# --- crisis -------------------------------------------------------------------

def test_crisis_reply_starts_with_emergency_numbers_and_offers_a_counsellor():
    messages, _ = run(ActionCrisis(), make_tracker("jeg vil ikke leve", intent="crisis"))
    text = messages[0]["text"]
    assert text.index("113") < 80
    for number in EMERGENCY_NUMBERS:
        assert number in text
    assert customs(messages)[0]["type"] == "crisis"
    assert customs(messages)[0]["third_person"] is False
    assert messages[0]["buttons"] == [{"title": "Snakk med veileder", "payload": "/request_human"}]
    assert "!" not in text  # never cheerful


def test_crisis_reply_says_only_what_is_true_of_each_line():
    text = run(ActionCrisis(), make_tracker("jeg vil ikke leve", intent="crisis", entities=[entity("role", "selv")]))[0][0]["text"]
    assert "Gjelder det en annen" not in text
    anonymous = next(line for line in text.split("\n\n") if "anonym" in line)
    assert "116 123" in anonymous and "22 40 00 40" in anonymous
    assert "113 eller 112, spør de hvor du er" in anonymous


def test_crisis_from_someone_whose_role_is_unknown_also_gets_the_helpers_advice():
    text = run(ActionCrisis(), make_tracker("han har tatt alle pillene sine", intent="crisis"))[0][0]["text"]
    assert "Gjelder det en annen" in text and "Du er ikke alene" in text


def test_crisis_after_a_known_role_gets_the_helpers_advice():
    tracker = make_tracker("hun svarer ikke og har sendt en avskjedsmelding", intent="crisis", slots={"role": "leder"})
    messages, events = run(ActionCrisis(), tracker)
    assert "Gjelder det en annen" in messages[0]["text"] and "Du er ikke alene" not in messages[0]["text"]
    assert slots(events) == {}


def test_third_person_crisis_gets_advice_for_the_helper():
    tracker = make_tracker("kollegaen min ...", intent="crisis", entities=[entity("role", "kollega")])
    messages, events = run(ActionCrisis(), tracker)
    assert customs(messages)[0]["third_person"] is True
    assert customs(messages)[0]["role"] == "kollega"
    assert "Gjelder det en annen" in messages[0]["text"]
    assert slots(events) == {"role": "kollega"}


# --- human, misunderstanding, greeting, yes/no ---------------------------------

def test_request_human_gives_phone_email_and_chat_with_handoff_payload():
    messages, _ = run(ActionRequestHuman(), make_tracker("kan jeg snakke med en veileder", intent="request_human"))
    text = messages[0]["text"]
    assert "22 40 28 00" in text and "akan@akan.no" in text and "akan.no" in text
    payload = customs(messages)[0]
    assert payload["type"] == "handoff" and payload["status"] == "unavailable"
    assert payload["contacts"]["phone"] == "22 40 28 00"


def test_first_misunderstanding_says_what_the_bot_can_do():
    messages, _ = run(ActionMisunderstood(), make_tracker("asdfgh", intent="nlu_fallback"))
    assert "Beklager" in messages[0]["text"]
    assert any(b["payload"] == "/request_human" for b in messages[0]["buttons"])
    assert not customs(messages)


def test_english_gets_a_note_in_english():
    messages, _ = run(ActionMisunderstood(), make_tracker("what is the weather like", intent="out_of_scope"))
    assert "I can only answer in Norwegian" in messages[0]["text"]


def test_second_misunderstanding_in_a_row_offers_a_counsellor():
    history = [user_event("qwerty", "nlu_fallback"), {"event": "action", "name": "action_misunderstood"}]
    messages, _ = run(ActionMisunderstood(), make_tracker("zxcv", intent="out_of_scope", history=history))
    assert customs(messages)[-1]["type"] == "handoff"
    assert "22 40 28 00" in messages[-1]["text"]


def test_misunderstandings_not_in_a_row_do_not_count():
    history = [user_event("qwerty", "nlu_fallback"), user_event("jeg er leder", "ask_advice")]
    messages, _ = run(ActionMisunderstood(), make_tracker("zxcv", intent="nlu_fallback", history=history))
    assert not customs(messages)


def test_greets_once_then_briefly():
    first, _ = run(ActionGreet(), make_tracker("hei", intent="greet"))
    assert [m["response"] for m in first] == ["utter_greet"]
    again, _ = run(ActionGreet(), make_tracker("hei", intent="greet", history=[{"event": "action", "name": "action_greet"}]))
    assert again[0]["response"] == "utter_greet_again"


def test_a_long_conversation_counts_as_greeted():
    """Its events begin at a user message: Rasa sent only the latest turns."""
    latest_turns = [{"event": "user", "text": "hjemmekontor"}, {"event": "action", "name": "action_answer_advice"}]
    dispatched, _ = run(ActionGreet(), make_tracker("hei", intent="greet", history=latest_turns, from_session_start=False))
    assert [m["response"] for m in dispatched] == ["utter_greet_again"]


def test_yes_after_counsellor_offer_gives_contact_options():
    offer = {"event": "bot", "text": "...", "data": {"buttons": [{"title": "Snakk med veileder", "payload": "/request_human"}]}}
    messages, _ = run(ActionAffirm(), make_tracker("ja", intent="affirm", history=[offer]))
    assert customs(messages)[0]["type"] == "handoff"


def test_yes_without_offer_invites_next_question():
    messages, _ = run(ActionAffirm(), make_tracker("ja", intent="affirm"))
    assert messages[0]["response"] == "utter_affirm_open"
    assert len(messages[0]["buttons"]) == len(TOPICS)


def test_no_is_respected():
    messages, _ = run(ActionDeny(), make_tracker("nei", intent="deny"))
    assert messages[0]["response"] == "utter_deny_open"


def test_empty_cell_points_to_the_topics_this_role_has_advice_on():
    kb = knowledge_base()
    role, topic = next((r, t) for r in ROLES for t in TOPICS[:6] if not kb.entries_for(r, t))
    tracker = make_tracker("x", entities=[entity("role", role), entity("topic", topic)])
    messages, _ = run(ActionAnswerAdvice(), tracker)
    offered = [b["payload"] for b in messages[0]["buttons"][1:]]
    answered = [t for t in TOPICS if kb.entries_for(role, t)]
    assert offered == [f'/ask_advice{{"topic": "{t}"}}' for t in answered]




def test_asking_for_more_for_another_role_answers_that_cell_from_the_start():
    tracker = make_tracker(
        "er det flere ting jeg bør gjøre som kollega?",
        intent="more_advice",
        entities=[entity("role", "kollega")],
        slots={"role": "leder", "role_stated": True, "topic": "signaler"},
    )
    messages, events = run(ActionMoreAdvice(), tracker)
    assert (messages[0]["custom"]["role"], messages[0]["custom"]["topic"]) == ("kollega", "signaler")
    assert slots(events)["role"] == "kollega"


def bot_reply(messages) -> dict:
    """The action's first message as the bot event Rasa records for it."""
    m = messages[0]
    return {"event": "bot", "text": m.get("text"), "data": {"custom": m.get("custom"), "buttons": m.get("buttons")}}


def test_a_message_that_names_nothing_new_gets_the_rest_of_the_cell_never_the_same_reply():
    first_tracker = make_tracker("x", entities=[entity("role", "leder"), entity("topic", "hjemmekontor")])
    first, events = run(ActionAnswerAdvice(), first_tracker)
    history = [bot_reply(first)]
    second, _ = run(ActionAnswerAdvice(), make_tracker("ja, men hva mer?", slots=slots_after(first_tracker, events), history=history))
    assert second[0]["text"] != first[0]["text"]
    assert second[0]["custom"]["ids"] and not set(second[0]["custom"]["ids"]) & set(first[0]["custom"]["ids"])
    third, _ = run(ActionAnswerAdvice(), make_tracker("ok", slots=slots_after(first_tracker, events), history=[*history, bot_reply(second)]))
    assert third[0]["text"].startswith("Det var alle rådene")


def test_the_person_who_adds_that_work_knows_nothing_is_not_given_the_same_reply_again():
    first_tracker = make_tracker("x", entities=[entity("role", "selv"), entity("topic", "signaler")])
    first, events = run(ActionAnswerAdvice(), first_tracker)
    again, _ = run(
        ActionAnswerAdvice(),
        make_tracker("jobben vet ingenting", slots=slots_after(first_tracker, events), history=[bot_reply(first)]),
    )
    assert again[0]["text"] != first[0]["text"]
    assert any(b["payload"] == "/request_human" for b in again[0]["buttons"])
