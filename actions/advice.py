"""Answering with the recommendations for the person's role and topic.

Role and topic come from the latest message when it shows them, otherwise from
the slots, so they carry over and can be changed at any time. Only what is
missing is asked for. The answer for a cell is exactly that cell's knowledge
base entries; topics and cells without a recommendation get an honest answer
and an offer of a counsellor.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import COUNSELLOR_BUTTON, role_buttons, topic_buttons
from actions.conversation import ROLE_STATED_SLOT, main_entity, role_and_whether_stated
from actions.knowledge_base import TOPICS, Entry, KnowledgeBase
from actions.labels import ROLE_HEADINGS, TOPIC_PHRASES
from actions.shared_knowledge import knowledge_base

ASK_ROLE = (
    "Så jeg kan gi deg rådene som passer for deg: hvem spør du som? "
    "Du trenger ikke si mer enn det."
)
ASK_TOPIC = "Hva gjelder det? Skriv med egne ord, eller velg et tema."
NEXT_STEP = "Vil du vite mer om et annet tema, eller snakke med en veileder?"


def recommendations_payload(role: Optional[str], topic: str, substance: Optional[str], entries: list[Entry]) -> dict:
    """Machine-readable metadata for a reply that carries recommendations."""
    return {
        "type": "recommendations",
        "role": role,
        "topic": topic,
        "substance": substance,
        "ids": [e.id for e in entries],
        "sources": _unique(e.source.citation() for e in entries),
    }


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def _entry_lines(entries: list[Entry]) -> str:
    return "\n".join(f"• **{e.title}**: {e.text.strip()}" for e in entries)


def _sources_line(entries: list[Entry]) -> str:
    """One line naming each document once, with the sections used from it."""
    sections: dict[str, list[str]] = {}
    for e in entries:
        used = sections.setdefault(e.source.title, [])
        if e.source.section not in used:
            used.append(e.source.section)
    parts = [f"{title}: " + ", ".join(f"«{s}»" for s in used) for title, used in sections.items()]
    return ("Kilde: " if len(parts) == 1 else "Kilder: ") + "; ".join(parts)


def recommendation_text(role: str, topic: str, entries: list[Entry]) -> str:
    return (
        f"{ROLE_HEADINGS[role]}, om {TOPIC_PHRASES[topic]}:\n\n"
        f"{_entry_lines(entries)}\n\n{_sources_line(entries)}\n\n{NEXT_STEP}"
    )


def no_recommendation_text(kb: KnowledgeBase, role: Optional[str], topic: str, context: list[Entry]) -> str:
    if topic in kb.route_to_counsellor_topics and context:
        opening = f"Om {TOPIC_PHRASES[topic]} – dette er det ærlige svaret fra materialet:"
    elif topic in kb.route_to_counsellor_topics:
        opening = (
            f"Om {TOPIC_PHRASES[topic]} har materialet fra Akan kompetansesenter ingen egne anbefalinger "
            "jeg kan gi deg her."
        )
    else:
        opening = (
            f"Materialet fra Akan kompetansesenter har ingen egne råd {ROLE_HEADINGS[role][0].lower()}"
            f"{ROLE_HEADINGS[role][1:]} om {TOPIC_PHRASES[topic]}."
        )
        answered = answered_topics(kb, role)
        if answered:
            opening += " Jeg har råd til deg om " + _join([TOPIC_PHRASES[t] for t in answered]) + "."
    parts = [opening]
    if context:
        parts.append(_entry_lines(context))
        parts.append(_sources_line(context))
    parts.append(
        "Dette er spørsmål der det lønner seg å snakke med en veileder, som kan se på akkurat din situasjon. "
        "Vil du det?"
    )
    return "\n\n".join(parts)


def answered_topics(kb: KnowledgeBase, role: Optional[str]) -> list[str]:
    """Topics this role has recommendations for, in taxonomy order."""
    return [t for t in TOPICS if role and not kb.routes_to_counsellor(role, t)]


def _join(items: list[str]) -> str:
    """"a", "a, og om b", "a, om b, og om c" – the phrases may contain "og" themselves."""
    return items[0] if len(items) == 1 else ", om ".join(items[:-1]) + ", og om " + items[-1]


class ActionAnswerAdvice(Action):
    def name(self) -> str:
        return "action_answer_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge_base()
        role, stated = role_and_whether_stated(tracker)
        topic = main_entity(tracker, "topic") or tracker.get_slot("topic")
        substance = main_entity(tracker, "substance") or tracker.get_slot("substance")
        # Only slots that change: Rasa sends every event to this server again on each turn,
        # so three unchanged SlotSets a turn made long conversations needlessly slower.
        wanted = {"role": role, ROLE_STATED_SLOT: stated if role else None, "topic": topic, "substance": substance}
        events = [SlotSet(name, value) for name, value in wanted.items() if tracker.get_slot(name) != value]

        if topic and kb.routes_to_counsellor(role, topic):
            context = kb.context_for(topic)
            dispatcher.utter_message(
                text=no_recommendation_text(kb, role, topic, context),
                buttons=[COUNSELLOR_BUTTON, *topic_buttons(only=answered_topics(kb, role) or None, exclude=topic)],
                json_message={**recommendations_payload(role, topic, substance, context), "no_recommendation": True},
            )
        elif not role:
            dispatcher.utter_message(text=ASK_ROLE, buttons=role_buttons())
        elif not topic:
            dispatcher.utter_message(text=ASK_TOPIC, buttons=topic_buttons())
        else:
            entries = kb.entries_for(role, topic)
            dispatcher.utter_message(
                text=recommendation_text(role, topic, entries),
                buttons=[*topic_buttons(exclude=topic), COUNSELLOR_BUTTON],
                json_message=recommendations_payload(role, topic, substance, entries),
            )
        return events
