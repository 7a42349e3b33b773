"""NLU component: the contract's `role`, `topic` and `substance` entities, main one first.

- role: a role the writer states ("jeg er verneombud", data/lexicon/roles.yml) comes first and is
  marked `explicit`, unless the learned role classifier is sure of another role (`learned_over_stated`):
  then that one comes first, still marked `explicit` as the reading of a statement about the writer.
  Otherwise the classifier's reading follows (or stands alone), marked not explicit, so a later
  implicit cue cannot overrule a stated role (actions/conversation.py);
- topic and substance: the learned classifiers' readings.
Values are always canonical. Button payloads ("/ask_advice{...}") carry their entities already.
A message the intent classifier could not place but that shows a role or topic is a request for
advice.
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
from akan_nlu.reading import ADVICE_INTENT, DEFAULT_LABEL_THRESHOLD, Thresholds, best_label, main_role
from akan_nlu.self_identification import SelfIdentification
from akan_nlu.sentence_classifier import scores_of
from akan_nlu.sentence_model import LABEL_HEADS, Scores
from akan_nlu.stateless_component import StatelessComponent

logger = logging.getLogger(__name__)

# "hvordan kan jeg spørre hvordan det går?" can read as a question about the bot.
UNPLACED_INTENTS = {"nlu_fallback", "out_of_scope", "capabilities"}
EXPLICIT_KEY = "explicit"
EXTRACTOR_NAME = "RoleTopicExtractor"
# Without a setting, a stated role always stands (config.yml sets when the learned head outranks it).
NEVER_OVER_STATED = 2.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RoleTopicExtractor(StatelessComponent):
    """Stated role first, then the classifiers' role, topic and substance."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "lexicon_path": None,
            "role_over_none": DEFAULT_LABEL_THRESHOLD,
            "topic_over_none": DEFAULT_LABEL_THRESHOLD,
            "advice_topic_over_none": DEFAULT_LABEL_THRESHOLD,
            "learned_over_stated": NEVER_OVER_STATED,
        }

    def __init__(self, config: Dict[Text, Any], self_identification: Optional[SelfIdentification] = None) -> None:
        super().__init__(config)
        self._self_identification = self_identification or SelfIdentification.load(config.get("lexicon_path"))
        self._thresholds = Thresholds(
            role_over_none=float(config.get("role_over_none", DEFAULT_LABEL_THRESHOLD)),
            topic_over_none=float(config.get("topic_over_none", DEFAULT_LABEL_THRESHOLD)),
            advice_topic_over_none=float(config.get("advice_topic_over_none", DEFAULT_LABEL_THRESHOLD)),
            learned_over_stated=float(config.get("learned_over_stated", NEVER_OVER_STATED)),
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            self._process_one(message, text)
        return messages

    def _process_one(self, message: Message, text: str) -> None:
        kept = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) not in LABEL_HEADS]
        stated = self._self_identification.find(text)
        stated_entity = (
            _entity("role", stated.role, 1.0, text, stated.start, stated.end, explicit=True) if stated else None
        )
        scores = scores_of(message)
        if scores is None:
            found = [stated_entity] if stated_entity else []
        else:
            found = self._readings(text, scores, stated_entity, current_intent(message))
        message.set(ENTITIES, [*kept, *found], add_to_output=True)
        shows_something = any(e[ENTITY_ATTRIBUTE_TYPE] in ("role", "topic") for e in found)
        if shows_something and current_intent(message) in UNPLACED_INTENTS:
            set_intent(message, ADVICE_INTENT, confidence=0.5)
            logger.debug("unplaced message with role/topic treated as ask_advice")

    def _readings(self, text: str, scores: Scores, stated: Optional[dict], intent: Optional[str]) -> list[dict]:
        """The role entities, main one first, then topic and substance."""
        found: list[dict] = []
        role, probability, _ = main_role(scores, stated and stated[ENTITY_ATTRIBUTE_VALUE], self._thresholds)
        if stated and role != stated[ENTITY_ATTRIBUTE_VALUE]:
            # The learned head is sure the writer asks as someone else than the statement says:
            # its role is the main one, and it is still a statement about the writer.
            found += [_entity("role", role, probability, text, explicit=True), stated]
        elif stated:
            found.append(stated)
            learned, learned_probability = best_label(scores, "role", self._thresholds.over_none("role"))
            if learned and learned != role:
                found.append(_entity("role", learned, learned_probability, text, explicit=False))
        elif role:
            found.append(_entity("role", role, probability, text, explicit=False))
        for head in LABEL_HEADS:
            if head == "role":
                continue
            value, head_probability = best_label(scores, head, self._thresholds.over_none(head, intent))
            if value:
                found.append(_entity(head, value, head_probability, text))
        return found


def _entity(
    kind: str, value: str, confidence: float, text: str, start: int = 0, end: Optional[int] = None,
    explicit: Optional[bool] = None,
) -> dict:
    entity = {
        ENTITY_ATTRIBUTE_TYPE: kind,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: len(text) if end is None else end,
        ENTITY_ATTRIBUTE_CONFIDENCE: round(float(confidence), 4),
        EXTRACTOR: EXTRACTOR_NAME,
    }
    if explicit is not None:
        entity[EXPLICIT_KEY] = explicit
    return entity
