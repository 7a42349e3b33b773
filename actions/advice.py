"""Answering with the recommendations for the person's role and topic.

Role and topic come from the latest message when it shows them, otherwise from
the slots, so they carry over and can be changed at any time. Only what is
missing is asked for. The answer for a cell is that cell's knowledge base
entries (and the self-help tool for the substance, if any): a short first reply,
the rest behind "Vis flere råd". Topics and cells without a recommendation get
an honest answer and an offer of a counsellor.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_text import (
    NEXT_STEP,
    NEXT_STEP_AFTER_GUESS,
    NO_MORE,
    SOURCES_SHOWN,
    Point,
    cell_points,
    citations,
    compose,
    entry_point,
    first_points,
    first_reply,
    more_reply,
    words,
)
from actions.buttons import COUNSELLOR_BUTTON, role_buttons, topic_buttons
from actions.conversation import (
    ROLE_STATED_SLOT,
    last_recommendations,
    main_entity,
    main_entity_confidence,
    role_and_whether_stated,
)
from actions.knowledge_base import KnowledgeBase
from actions.labels import ROLE_HEADINGS, ROLE_WELCOMES, TOPIC_PHRASES
from actions.shared_knowledge import knowledge_base
from akan_contract import payloads
from akan_contract.taxonomy import TOPICS

ASK_ROLE = (
    "Så jeg kan gi deg rådene som passer for deg: hvem spør du som? "
    "Du trenger ikke si mer enn det."
)
ASK_TOPIC = "Hva gjelder det? Fortell gjerne med egne ord, eller velg et tema under. Du kan også snakke med en veileder."
# A topic the message showed less surely than this was a guess: the reply says so.
GUESSED_TOPIC_BELOW = 0.5
MORE_PAYLOAD = "/more_advice"
MORE_BUTTON = {"title": "Vis flere råd", "payload": MORE_PAYLOAD}
COUNSELLOR_OFFER = (
    "Dette er spørsmål der det lønner seg å snakke med en veileder, som kan se på akkurat din situasjon. "
    "Vil du det?"
)


def ask_topic(dispatcher: CollectingDispatcher, role: str) -> None:
    """The role is known, what it is about is not: a kind word for that role, then the question."""
    dispatcher.utter_message(text=f"{ROLE_WELCOMES[role]} {ASK_TOPIC}", buttons=[*topic_buttons(), COUNSELLOR_BUTTON])


def recommendations_payload(role: Optional[str], topic: str, substance: Optional[str], points: list[Point]) -> dict:
    """Machine-readable metadata for a reply that carries recommendations."""
    return {
        "type": payloads.RECOMMENDATIONS,
        "role": role,
        "topic": topic,
        "substance": substance,
        "ids": [p.id for p in points],
        "sources": citations(points),
    }


def sources_in_text(tracker: Tracker) -> bool:
    """Whether the sources go in the text: unless the client shows the payload's sources itself."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return not (isinstance(metadata, dict) and metadata.get(SOURCES_SHOWN))


def no_recommendation_reply(
    kb: KnowledgeBase, role: Optional[str], topic: str, context: list[Point], with_sources: bool
) -> tuple[str, list[Point]]:
    """An honest answer for a cell without recommendations: what the material does say, if anything,
    and the offer of a counsellor. Returns the text and the points it shows."""
    if topic in kb.route_to_counsellor_topics and context:
        opening = f"Om {TOPIC_PHRASES[topic]} – dette er det ærlige svaret fra materialet:"
    elif topic in kb.route_to_counsellor_topics:
        opening = (
            f"Om {TOPIC_PHRASES[topic]} har materialet fra Akan kompetansesenter ingen egne anbefalinger "
            "jeg kan gi deg her."
        )
    else:
        heading = ROLE_HEADINGS[role]
        opening = (
            f"Om {TOPIC_PHRASES[topic]} har materialet fra Akan kompetansesenter ingen egne råd "
            f"{heading[0].lower()}{heading[1:]}."
        )
        answered = answered_topics(kb, role)
        if answered:
            opening += " Jeg har råd til deg om " + _join([TOPIC_PHRASES[t] for t in answered]) + "."
    shown = first_points(context, words(opening) + words(COUNSELLOR_OFFER))
    return compose(opening, shown, COUNSELLOR_OFFER, with_sources), shown


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

        with_sources = sources_in_text(tracker)
        if role and topic and not (main_entity(tracker, "role") or main_entity(tracker, "topic")):
            last = last_recommendations(tracker)
            if (last.get("role"), last.get("topic")) == (role, topic) and not last.get("no_recommendation"):
                # A message that names nothing new, right after this cell's answer ("jobben vet ingenting"):
                # say what else the cell has, never the same reply again.
                return events + ActionMoreAdvice().run(dispatcher, tracker, domain)
        if topic and kb.routes_to_counsellor(role, topic):
            context = [entry_point(e) for e in kb.context_for(topic)]
            text, shown = no_recommendation_reply(kb, role, topic, context, with_sources)
            dispatcher.utter_message(
                text=text,
                buttons=[COUNSELLOR_BUTTON, *topic_buttons(only=answered_topics(kb, role) or None, exclude=topic)],
                json_message={**recommendations_payload(role, topic, substance, shown), "no_recommendation": True},
            )
        elif not role:
            dispatcher.utter_message(text=ASK_ROLE, buttons=role_buttons())
        elif not topic:
            ask_topic(dispatcher, role)
        else:
            guessed = main_entity(tracker, "topic") == topic and main_entity_confidence(tracker, "topic") < GUESSED_TOPIC_BELOW
            closing = NEXT_STEP_AFTER_GUESS if guessed else NEXT_STEP
            text, shown, more = first_reply(role, topic, cell_points(kb, role, topic, substance), with_sources, closing)
            dispatcher.utter_message(
                text=text,
                buttons=[*([MORE_BUTTON] if more else []), *topic_buttons(exclude=topic), COUNSELLOR_BUTTON],
                json_message=recommendations_payload(role, topic, substance, shown),
            )
        return events


class ActionMoreAdvice(Action):
    """The rest of the cell the person was last answered from ("Vis flere råd")."""

    def name(self) -> str:
        return "action_more_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge_base()
        role, topic = tracker.get_slot("role"), tracker.get_slot("topic")
        substance = tracker.get_slot("substance")
        named = {main_entity(tracker, "role"), main_entity(tracker, "topic")} - {None}
        if named - {role, topic}:
            # "Flere råd til meg som kollega?" names another cell: answer that one from the start.
            return ActionAnswerAdvice().run(dispatcher, tracker, domain)
        if not role:
            dispatcher.utter_message(text=ASK_ROLE, buttons=role_buttons())
            return []
        if not topic:
            ask_topic(dispatcher, role)
            return []
        if kb.routes_to_counsellor(role, topic):
            dispatcher.utter_message(text=COUNSELLOR_OFFER, buttons=[COUNSELLOR_BUTTON, *topic_buttons(exclude=topic)])
            return []
        text, rest = more_reply(role, topic, cell_points(kb, role, topic, substance), sources_in_text(tracker))
        if rest and last_recommendations(tracker).get("ids") == [p.id for p in rest]:
            text, rest = NO_MORE, []  # the rest was the last thing shown: nothing new to add
        dispatcher.utter_message(
            text=text,
            buttons=[*topic_buttons(exclude=topic), COUNSELLOR_BUTTON],
            json_message=recommendations_payload(role, topic, substance, rest) if rest else None,
        )
        return []
