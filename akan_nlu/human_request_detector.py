"""NLU component: recognise a request for a human counsellor without relying on the intent classifier.

Asking for a person is a handoff trigger (SPEC "Human handoff"); missing it leaves
someone talking to a bot who asked not to. Patterns live in
data/lexicon/human_request.yml. A crisis always outranks a request for a human.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.intent_override import current_intent, set_intent
from akan_nlu.lexicon import load_lexicons
from akan_nlu.stateless_component import StatelessComponent

logger = logging.getLogger(__name__)

REQUEST_HUMAN = "request_human"
NEVER_OVERRIDDEN = {"crisis"}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class HumanRequestDetector(StatelessComponent):
    """Sets intent `request_human` when the text asks for a person or contact details."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_dir": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._patterns = load_lexicons(config.get("lexicon_dir")).human_request


    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or current_intent(message) in NEVER_OVERRIDDEN:
                continue
            if self._patterns.matches(text):
                set_intent(message, REQUEST_HUMAN)
                logger.debug("human request recognised by pattern")
        return messages
