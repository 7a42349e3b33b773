"""Greeting once: the full introduction the first time, a short hello after."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import has_run, history_is_complete


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        # The current run is not in the events yet, so any earlier one means "greeted before";
        # so does a history shortened to its latest turns (a long conversation).
        greeted = has_run(tracker, self.name()) or not history_is_complete(tracker)
        dispatcher.utter_message(response="utter_greet_again" if greeted else "utter_greet")
        return []
