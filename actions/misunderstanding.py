"""When the bot does not understand: say what it can help with; after two
misunderstandings in a row, offer a human instead of guessing again."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import COUNSELLOR_BUTTON, role_buttons
from actions.conversation import consecutive_misunderstandings
from actions.handoff import counsellor_available, desk_status, send_contact_options
from akan_contract.payloads import REASON_MISUNDERSTOOD

# Common function words that Norwegian lacks: enough to notice English or Swedish.
FOREIGN_WORDS = re.compile(
    r"\b(?:the|what|how|is|are|you|my|with|can|please|help|hello|jag|inte|vad|hur|är|och|mig|hej)\b",
    re.IGNORECASE,
)
NORWEGIAN_WORDS = re.compile(
    r"\b(?:jeg|eg|ikke|ikkje|hva|kva|hvordan|korleis|er|og|meg|med|det|en|ein|på)\b", re.IGNORECASE
)

CAN_HELP_WITH = (
    "Beklager, det forstod jeg ikke helt. Jeg kan svare på spørsmål om alkohol, narkotika, "
    "legemidler og spill i arbeidslivet – for eksempel hjemmekontor, hvordan ta opp en bekymring, "
    "Akan-avtaler, tidlige signaler, tilbakefall og policy. Prøv gjerne å skrive det på en annen måte, "
    "eller fortell hvem du spør som."
)
ONLY_NORWEGIAN = (
    "(I can only answer in Norwegian. You can call Akan's advice line on +47 22 40 28 00. "
    "In an emergency, call 113.)"
)
STILL_NOT = (
    "Jeg forstår fortsatt ikke helt, og vil ikke gjette. En veileder kan nok hjelpe deg bedre."
)

OFFER_NOW = "En veileder er ledig i chatten nå – vil du snakke med en?"


def looks_foreign(text: str) -> bool:
    return len(FOREIGN_WORDS.findall(text)) > len(NORWEGIAN_WORDS.findall(text))


class ActionMisunderstood(Action):
    def name(self) -> str:
        return "action_misunderstood"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        if consecutive_misunderstandings(tracker) >= 2:
            if counsellor_available(tracker):
                dispatcher.utter_message(text=f"{STILL_NOT} {OFFER_NOW}", buttons=[COUNSELLOR_BUTTON])
            else:
                dispatcher.utter_message(text=STILL_NOT)
                send_contact_options(dispatcher, reason=REASON_MISUNDERSTOOD, desk=desk_status(tracker))
            return []
        reply = CAN_HELP_WITH
        if looks_foreign(text):
            reply = f"{reply}\n\n{ONLY_NORWEGIAN}"
        dispatcher.utter_message(text=reply, buttons=[*role_buttons(), COUNSELLOR_BUTTON])
        return []
