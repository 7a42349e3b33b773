"""Quick-reply buttons. Payloads are Rasa intents with entities, so a button
press is understood exactly, whatever the NLU model would make of the title."""
from __future__ import annotations

import json

from actions.labels import ROLE_BUTTONS, TOPIC_BUTTONS
from akan_contract.payloads import REQUEST_HUMAN_PAYLOAD
from akan_contract.taxonomy import ROLES, TOPICS

COUNSELLOR_PAYLOAD = REQUEST_HUMAN_PAYLOAD
COUNSELLOR_BUTTON = {"title": "Snakk med veileder", "payload": COUNSELLOR_PAYLOAD}


def _advice_payload(**entities: str) -> str:
    return "/ask_advice" + json.dumps(entities, ensure_ascii=False)


def role_buttons() -> list[dict]:
    return [{"title": ROLE_BUTTONS[role], "payload": _advice_payload(role=role)} for role in ROLES]


def topic_buttons(only: list[str] | None = None, exclude: str | None = None) -> list[dict]:
    return [
        {"title": TOPIC_BUTTONS[topic], "payload": _advice_payload(topic=topic)}
        for topic in (only or TOPICS)
        if topic != exclude
    ]


def offered_counsellor(buttons: list[dict] | None) -> bool:
    """Whether a bot message offered the counsellor button."""
    return any(b.get("payload") == COUNSELLOR_PAYLOAD for b in buttons or [])
