"""Handing the person to a human.

The gateway tells the bot on every message whether a counsellor can take over
now (`metadata.desk`: available, open, opens_next). If one can, the bot says a
counsellor will take over, sends a `handoff` payload with status "queued" and
an anonymous summary (the gateway then opens a ticket), and pauses itself. If
not, it says so plainly, when the service opens next, and the other ways to
reach Akan. When the handoff ends, the gateway resumes the conversation with
the external intent `EXTERNAL_handoff_ended`, and the bot says it is back.

A request that only the learned human head found, and that weakly, is asked
about first: a short question about talking to someone in one's own life ("kan
jeg snakke med lederen min om dette?") can reach the head's threshold. The
person gets the counsellor button and the topics, one tap either way."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import COUNSELLOR_BUTTON, topic_buttons
from actions.contact_replies import akan_lines, handoff_payload
from actions.shared_knowledge import knowledge_base
from akan_contract import payloads
from akan_contract.dates import describe_next_opening

QUEUED = (
    "Jeg setter deg over til en veileder hos Akan nå. Du står i kø, og en veileder tar over her i "
    "chatten så snart en er ledig. Veilederen ser samtalen vår så langt, uten navn, telefonnumre og e-postadresser. "
    "Du kan avbryte når du vil."
)
NOBODY_SIGNED_IN = "Akkurat nå er ingen veiledere ledige i chatten."
CLOSED = "Veilederne i chatten er ikke på jobb nå."
# Below this confidence a typed request_human is confirmed first (the human-request patterns and
# the "Snakk med veileder" button give 1.0). Grouped cross-validation on 47,172 messages, threshold
# 0.4: 2.3 % of the requests read would be asked (91 of 3,948), and 36 % of the messages wrongly
# read as requests (156 of 432); below 0.7 it would be 4.2 and 49 %.
CONFIRM_BELOW = 0.6
CONFIRM = (
    "Vil du snakke med en veileder hos Akan? Trykk «Snakk med veileder», så ordner jeg det. "
    "Mente du å snakke med noen andre, for eksempel lederen din, en kollega eller legen din, "
    "gir jeg deg gjerne råd om det: fortell litt mer, eller velg et tema."
)
BACK = {
    payloads.OUTCOME_ENDED: "Veilederen har avsluttet samtalen. Nå er det meg, chatboten, igjen. Er det noe mer jeg kan hjelpe deg med?",
    payloads.OUTCOME_CANCELLED: "Du har gått ut av køen. Nå er det meg, chatboten, igjen. Hva kan jeg hjelpe deg med?",
    payloads.OUTCOME_TIMEOUT: (
        "Beklager, ingen veileder kunne ta samtalen din akkurat nå. Du kan nå Akan på andre måter:\n{lines}\n\n"
        "Nå er det meg, chatboten, igjen – spør meg gjerne om mer."
    ),
}


def desk_status(tracker: Tracker) -> dict:
    """What the gateway said about the desk with the latest message ({} if nothing)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    desk = metadata.get(payloads.METADATA_DESK) if isinstance(metadata, dict) else None
    return desk if isinstance(desk, dict) else {}


def counsellor_available(tracker: Tracker) -> bool:
    return desk_status(tracker).get("available") is True


def next_opening_text(desk: dict) -> str | None:
    """"mandag 23. november kl. 08.00" from the gateway's ISO time (Oslo time), or None."""
    raw = desk.get("opens_next")
    if not isinstance(raw, str):
        return None
    try:
        return describe_next_opening(datetime.fromisoformat(raw))
    except ValueError:
        return None


def summary(tracker: Tracker) -> dict:
    return {key: tracker.get_slot(key) for key in ("role", "topic", "substance")}


def send_contact_options(dispatcher: CollectingDispatcher, reason: str, desk: dict | None = None) -> None:
    """No counsellor can take over here now: say so, when we open, and the other ways in."""
    kb = knowledge_base()
    desk = desk or {}
    status = ""
    if desk:
        opens = next_opening_text(desk)
        status = NOBODY_SIGNED_IN if desk.get("open") else CLOSED
        if opens and not desk.get("open"):
            status += f" Chatten med veileder åpner igjen {opens}."
        status += " "
    dispatcher.utter_message(
        text=(
            f"{status}Du kan snakke anonymt med en veileder hos Akan kompetansesenter:\n"
            f"{akan_lines(kb)}\n\n"
            "Veilederen ser ikke det du har skrevet her, så fortell gjerne kort hva det gjelder. "
            "Er noen i fare nå, ring 113."
        ),
        json_message=handoff_payload(kb, status=payloads.UNAVAILABLE, reason=reason),
    )


def queue_for_counsellor(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, text: str = QUEUED) -> list:
    """Queue a ticket (through the payload) and pause the bot until the gateway resumes it."""
    kb = knowledge_base()
    dispatcher.utter_message(
        text=text,
        json_message={**handoff_payload(kb, status=payloads.QUEUED, reason=reason), "summary": summary(tracker)},
    )
    return [ConversationPaused()]


def offer_human(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list:
    """The person asked for a human: a counsellor now if one is there, else the other ways in."""
    if counsellor_available(tracker):
        return queue_for_counsellor(dispatcher, tracker, reason)
    send_contact_options(dispatcher, reason=reason, desk=desk_status(tracker))
    return []


def uncertain_request(tracker: Tracker) -> bool:
    """A typed message read as request_human with a confidence below CONFIRM_BELOW."""
    message = tracker.latest_message or {}
    confidence = (message.get("intent") or {}).get("confidence")
    typed = not str(message.get("text") or "").startswith("/")
    return typed and isinstance(confidence, (int, float)) and confidence < CONFIRM_BELOW


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if uncertain_request(tracker):
            dispatcher.utter_message(text=CONFIRM, buttons=[COUNSELLOR_BUTTON, *topic_buttons()])
            return []
        return offer_human(dispatcher, tracker, reason=payloads.REASON_REQUEST_HUMAN)


def handoff_outcome(tracker: Tracker) -> str:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == payloads.OUTCOME_ENTITY and entity.get("value") in BACK:
            return entity["value"]
    return payloads.OUTCOME_ENDED


class ActionHandoffEnded(Action):
    """The bot is back after a handoff (the gateway has resumed the conversation)."""

    def name(self) -> str:
        return "action_handoff_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge_base()
        outcome = handoff_outcome(tracker)
        buttons = topic_buttons() if outcome == payloads.OUTCOME_TIMEOUT else [*topic_buttons(), COUNSELLOR_BUTTON]
        closed = handoff_payload(kb, status=payloads.CLOSED, reason=payloads.REASON_HANDOFF_ENDED)
        dispatcher.utter_message(
            text=BACK[outcome].format(lines=akan_lines(kb)),
            buttons=buttons,
            json_message={**closed, "outcome": outcome},
        )
        return []
