"""Handing the person to a human. Until the live desk exists, that means telling
them plainly how to reach Akan's counsellors by phone, e-mail or chat."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.contact_replies import akan_lines, handoff_payload
from actions.shared_knowledge import knowledge_base


def send_contact_options(dispatcher: CollectingDispatcher, reason: str) -> None:
    kb = knowledge_base()
    dispatcher.utter_message(
        text=(
            "Du kan snakke anonymt med en veileder hos Akan kompetansesenter:\n"
            f"{akan_lines(kb)}\n\n"
            "Veilederen ser ikke det du har skrevet her, så fortell gjerne kort hva det gjelder. "
            "Er noen i fare nå, ring 113."
        ),
        json_message=handoff_payload(kb, status="unavailable", reason=reason),
    )


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        send_contact_options(dispatcher, reason="request_human")
        return []
