"""NLU component: canonical `role`, `topic` and `substance` entities, main one first.

The CRF entity extractor learns spans from the training data but returns raw text for wording it has
not seen ("avdelingslederen") and cannot rank several roles. This component reads
the lexicons in data/lexicon/, puts what they find first (the main value), keeps
the extractor's other findings after it, maps every value to the canonical taxonomy and
drops what cannot be mapped. A message the intent classifier could not place but that clearly
names a role or topic is treated as a request for advice.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.intent_override import current_intent, set_intent
from akan_nlu.lexicon import ROLES, SUBSTANCES, TOPICS, Lexicons, load_lexicons
from akan_nlu.stateless_component import StatelessComponent

logger = logging.getLogger(__name__)

ASK_ADVICE = "ask_advice"
UNPLACED_INTENTS = {"nlu_fallback", "out_of_scope"}
CANONICAL = {"role": ROLES, "topic": TOPICS, "substance": SUBSTANCES}
EXPLICIT_KEY = "explicit"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class RoleTopicExtractor(StatelessComponent):
    """Lexicon-first, canonical role/topic/substance entities."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_dir": None}

    def __init__(self, config: Dict[Text, Any], lexicons: Optional[Lexicons] = None) -> None:
        self._lexicons = lexicons or load_lexicons(config.get("lexicon_dir"))
        self._by_entity = {
            "role": self._lexicons.roles,
            "topic": self._lexicons.topics,
            "substance": self._lexicons.substances,
        }


    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads carry their entities already
            self._process_one(message, text)
        return messages

    def _process_one(self, message: Message, text: str) -> None:
        previous = message.get(ENTITIES) or []
        kept = [e for e in previous if e.get(ENTITY_ATTRIBUTE_TYPE) not in CANONICAL]
        found_any = False
        for entity, lexicon in self._by_entity.items():
            merged = self._merge(entity, lexicon, text, previous)
            found_any = found_any or (entity != "substance" and bool(merged))
            kept.extend(merged)
        message.set(ENTITIES, kept, add_to_output=True)
        if found_any and current_intent(message) in UNPLACED_INTENTS:
            set_intent(message, ASK_ADVICE, confidence=0.5)
            logger.debug("unplaced message with role/topic treated as ask_advice")

    def _merge(self, entity: str, lexicon, text: str, previous: list[dict]) -> list[dict]:
        result: list[dict] = []
        seen: set[str] = set()
        for match in lexicon.find(text):
            seen.add(match.value)
            found = self._entity(entity, match.value, match.start, match.end, text)
            if entity == "role":
                # "jeg er verneombud" may change a role chosen earlier; a hint such as
                # "en ansatt" in a later message may not (see actions.conversation).
                found[EXPLICIT_KEY] = match.rank == 0
            result.append(found)
        for old in previous:
            if old.get(ENTITY_ATTRIBUTE_TYPE) != entity:
                continue
            value = self._canonical(entity, lexicon, old, text)
            if value and value not in seen:
                seen.add(value)
                start, end = old.get(ENTITY_ATTRIBUTE_START), old.get(ENTITY_ATTRIBUTE_END)
                result.append(
                    {**old, ENTITY_ATTRIBUTE_VALUE: value, ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end}
                )
        return result

    @staticmethod
    def _canonical(entity: str, lexicon, old: dict, text: str) -> Optional[str]:
        value = str(old.get(ENTITY_ATTRIBUTE_VALUE) or "")
        if value in CANONICAL[entity]:
            return value
        start, end = old.get(ENTITY_ATTRIBUTE_START), old.get(ENTITY_ATTRIBUTE_END)
        span = text[start:end] if isinstance(start, int) and isinstance(end, int) else value
        return lexicon.canonical(span) or lexicon.canonical(value)

    @staticmethod
    def _entity(entity: str, value: str, start: int, end: int, text: str) -> dict:
        return {
            ENTITY_ATTRIBUTE_TYPE: entity,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: end,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            EXTRACTOR: "RoleTopicExtractor",
            "text": text[start:end],
        }
