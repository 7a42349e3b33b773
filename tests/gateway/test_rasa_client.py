"""Rasa's REST replies become one API message per bot message."""
from __future__ import annotations

import uuid

from bot.rasa_client import RasaClient, merge_custom

BUTTONS = [{"title": "Jeg er kollega", "payload": '/ask_advice{"role": "kollega"}'}]


def test_custom_only_item_joins_the_message_before_it():
    items = [
        {"recipient_id": "x", "text": "Råd", "buttons": BUTTONS},
        {"recipient_id": "x", "custom": {"type": "recommendations", "ids": ["a"]}},
        {"recipient_id": "x", "text": "Noe mer?"},
    ]
    assert merge_custom(items) == [
        {"text": "Råd", "buttons": BUTTONS, "custom": {"type": "recommendations", "ids": ["a"]}},
        {"text": "Noe mer?"},
    ]


def test_custom_without_a_message_before_it_stands_alone():
    assert merge_custom([{"recipient_id": "x", "custom": {"type": "crisis"}}]) == [{"custom": {"type": "crisis"}}]


def test_second_custom_does_not_overwrite_the_first():
    items = [{"text": "a"}, {"custom": {"n": 1}}, {"custom": {"n": 2}}]
    assert merge_custom(items) == [{"text": "a", "custom": {"n": 1}}, {"custom": {"n": 2}}]


def test_unknown_fields_and_junk_are_dropped():
    items = [{"recipient_id": "x", "text": "hei", "image": "http://x"}, "junk", {"recipient_id": "x"}]
    assert merge_custom(items) == [{"text": "hei"}]


def test_conversation_always_goes_to_the_same_rasa_server():
    client = RasaClient(session=None, urls=("http://a", "http://b", "http://c"), actions_url="http://x", timeout_seconds=1)
    ids = [str(uuid.uuid4()) for _ in range(30)]
    first = [client.url_for(i) for i in ids]
    assert first == [client.url_for(i) for i in ids]
    assert set(first) == {"http://a", "http://b", "http://c"}
