"""NLU component: a short conversational intent needs its words.

The intent classifier's char n-gram features sometimes read keyboard mash ("xcvb nmmm") as "ja" or "hei".
A typed "ja" after the bot offered a counsellor hands the person over, so an
affirm must contain a yes. When the words for a short intent
(data/lexicon/short_intents.yml) are missing, the message is treated as not
understood (`nlu_fallback`), which also makes "two misunderstandings in a row"
count correctly.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.intent_override import current_intent, set_intent
from akan_nlu.lexicon import DEFAULT_LEXICON_DIR, LexiconError, normalise
from akan_nlu.stateless_component import StatelessComponent


def load_short_intents(path=None) -> dict[str, re.Pattern[str]]:
    path = path or DEFAULT_LEXICON_DIR / "short_intents.yml"
    with open(path, encoding="utf-8") as handle:
        raw = (yaml.safe_load(handle) or {}).get("intents") or {}
    try:
        return {intent: re.compile(pattern) for intent, pattern in raw.items()}
    except re.error as error:
        raise LexiconError(f"short_intents.yml: invalid pattern: {error}") from error


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ShortIntentGuard(StatelessComponent):
    """Turns a short intent without its words into `nlu_fallback`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_path": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._required = load_short_intents(config.get("lexicon_path"))


    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            intent = current_intent(message)
            if not text or text.startswith("/") or intent not in self._required:
                continue
            if not self._required[intent].search(normalise(text)):
                set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages
