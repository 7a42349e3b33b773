"""Setting an intent on a parsed message, shared by the rule-based NLU components.

The rule-based detectors run after the intent classifier; when they are sure, they replace the
predicted intent and put it first in the ranking so that everything downstream
(policies, /model/parse, evaluation) sees one consistent answer.
"""
from __future__ import annotations

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def current_intent(message: Message) -> str | None:
    intent = message.get(INTENT) or {}
    return intent.get(INTENT_NAME_KEY)


def set_intent(message: Message, name: str, confidence: float = 1.0) -> None:
    """Make `name` the message's intent and the top of its ranking."""
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
