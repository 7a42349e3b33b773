"""Running the advice actions for every role × topic cell, and what no reply may be."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionAnswerAdvice, ActionMoreAdvice
from actions.answer_text import FIRST_REPLY_POINTS, FIRST_REPLY_WORDS, SOURCES_SHOWN
from actions.knowledge_base import ROLES, TOPICS

# Words from the pandemic that make advice read as dated (issue 16: timeless wording).
DATED = re.compile(r"smitte|permittert|hver for seg", re.IGNORECASE)


@dataclass(frozen=True)
class CellReplies:
    role: str
    topic: str
    first_text: str
    ids: list[str]
    sources: list[str]
    more_text: str
    more_ids: list[str]

    @property
    def first_words(self) -> int:
        return len(self.first_text.split())


def _tracker(text: str, intent: str, entities: list[dict], slots: dict) -> Tracker:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities,
        "metadata": {SOURCES_SHOWN: True},
    }
    return Tracker.from_dict(
        {
            "sender_id": "answer-review",
            "slots": {"role": None, "topic": None, "substance": None, "role_stated": None, **slots},
            "latest_message": parse,
            "events": [{"event": "user", "text": text, "parse_data": parse}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def _run(action, tracker: Tracker) -> tuple[dict, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages[0], events


def cell(role: str, topic: str) -> CellReplies:
    entities = [{"entity": "role", "value": role}, {"entity": "topic", "value": topic}]
    first, events = _run(ActionAnswerAdvice(), _tracker(f"{role} {topic}", "ask_advice", entities, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    more, _ = _run(ActionMoreAdvice(), _tracker("vis flere råd", "more_advice", [], slots))
    payload = first.get("custom") or {}
    more_payload = more.get("custom") or {}
    offered_more = any(b["payload"] == "/more_advice" for b in first.get("buttons") or [])
    return CellReplies(
        role=role,
        topic=topic,
        first_text=first["text"],
        ids=list(payload.get("ids") or []),
        sources=list(payload.get("sources") or []),
        more_text=more["text"] if offered_more else "",
        more_ids=list(more_payload.get("ids") or []) if offered_more else [],
    )


def all_cells() -> list[CellReplies]:
    return [cell(role, topic) for role in ROLES for topic in TOPICS]


def problems(replies: CellReplies) -> list[str]:
    found = []
    if replies.first_words > FIRST_REPLY_WORDS:
        found.append(f"first reply {replies.first_words} words > {FIRST_REPLY_WORDS}")
    if len(replies.ids) > FIRST_REPLY_POINTS:
        found.append(f"{len(replies.ids)} points > {FIRST_REPLY_POINTS}")
    for text in (replies.first_text, replies.more_text):
        dated = DATED.search(text)
        if dated:
            found.append(f"dated wording «{dated.group(0)}»")
    if "Kilde" in replies.first_text:
        found.append("sources in the text as well as under it")
    return found
