"""Typed "ja"/"nei": the answer to whatever the bot offered last."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import offered_counsellor, topic_buttons
from actions.conversation import last_bot_message
from actions.handoff import offer_human
from akan_contract.payloads import REASON_REQUEST_HUMAN


def _counsellor_was_offered(tracker: Tracker) -> bool:
    last = last_bot_message(tracker) or {}
    return offered_counsellor((last.get("data") or {}).get("buttons"))


class ActionAffirm(Action):
    def name(self) -> str:
        return "action_affirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if _counsellor_was_offered(tracker):
            return offer_human(dispatcher, tracker, reason=REASON_REQUEST_HUMAN)
        else:
            dispatcher.utter_message(response="utter_affirm_open", buttons=topic_buttons())
        return []


class ActionDeny(Action):
    def name(self) -> str:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(response="utter_deny_open")
        return []
