"""The crisis reply: emergency numbers first, before anything else, then advice
for whoever is writing (the person at risk, or someone helping), then a human."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import COUNSELLOR_BUTTON
from actions.contact_replies import crisis_payload, emergency_lines
from actions.conversation import current_role, main_entity
from actions.handoff import counsellor_available, queue_for_counsellor
from actions.shared_knowledge import knowledge_base
from akan_contract.payloads import REASON_CRISIS

# Only what is true of each line: 113, 116 117 and 112 need to know who and where you are so
# they can send help; the two help lines can be called without saying who you are.
FOR_THE_PERSON = (
    "Du er ikke alene med dette. Mental Helse hjelpetelefon (116 123) og Kirkens SOS (22 40 00 40) "
    "svarer døgnet rundt, og der kan du være anonym. Ringer du 113 eller 112, spør de hvor du er, "
    "så de kan sende hjelp. Blir du truet eller utsatt for vold, ring 112."
)
FOR_A_HELPER = (
    "Gjelder det en annen: ring 113 hvis livet eller helsen er i fare, og 112 hvis noen truer eller "
    "bruker vold. Ikke la personen være alene hvis det er trygt for deg å bli. Er barn i fare, ring 112 "
    "eller Alarmtelefonen for barn og unge på 116 111. Ta vare på deg selv også – du trenger ikke bære "
    "dette alene."
)



def advice_for(role: str | None) -> str:
    """The person's own advice, a helper's, or both when it is not known who is writing: a crisis
    told about someone else by a person whose role is unknown still gets the helper's advice."""
    if role == "selv":
        return FOR_THE_PERSON
    if role is not None:
        return FOR_A_HELPER
    return f"{FOR_THE_PERSON}\n\n{FOR_A_HELPER}"


CRISIS_QUEUED = "Jeg setter deg derfor også i kø til en veileder hos Akan, som tar over her i chatten."
CRISIS_WAITING = (
    "En veileder tar over her så snart en er ledig, og krisesaker kommer først i køen. "
    "Ikke vent på chatten hvis noen er i fare: ring 113."
)


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge_base()
        role = main_entity(tracker, "role") or current_role(tracker)
        third_person = role is not None and role != "selv"
        available = counsellor_available(tracker)
        dispatcher.utter_message(
            text=(
                "Dette høres alvorlig ut. Er noen i fare nå, ring 113 med en gang.\n\n"
                f"{emergency_lines(kb)}\n\n"
                f"{advice_for(role)}\n\n"
                "Jeg er en chatbot og kan ikke hjelpe i en akutt situasjon. "
                + (CRISIS_QUEUED if available else "Vil du også snakke med en veileder hos Akan?")
            ),
            buttons=[] if available else [COUNSELLOR_BUTTON],
            json_message=crisis_payload(kb, third_person, role),
        )
        events = [SlotSet("role", role)] if role and role != tracker.get_slot("role") else []
        if available:
            # Crisis tickets go first in the counsellors' queue.
            events += queue_for_counsellor(dispatcher, tracker, reason=REASON_CRISIS, text=CRISIS_WAITING)
        return events
