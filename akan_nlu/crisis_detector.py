"""NLU component: the crisis decision — safety patterns or the learned crisis classifier.

Crisis recall comes first (SPEC: 100 %, a false alarm is far cheaper than a miss):
- a hit of the safety patterns (data/lexicon/crisis.yml) is always a crisis;
- otherwise the crisis head of the sentence classifier decides, at a threshold chosen by
  cross-validation for recall (config.yml); it is what finds the indirect crises;
- the intent classifier alone never makes or unmakes a crisis: when it predicts `crisis` and
  neither of the above agrees, its next-best intent is taken.
False alarms are cut by what the classifier learned from hard negatives, not by an idiom list
that could hide a real crisis.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.intent_override import current_intent, set_intent
from akan_nlu.reading import DEFAULT_CRISIS_THRESHOLD, flag
from akan_nlu.safety_patterns import SafetyPatterns
from akan_nlu.sentence_classifier import scores_of
from akan_nlu.stateless_component import StatelessComponent

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_KEY = "crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisDetector(StatelessComponent):
    """Sets intent `crisis` (and `crisis: {category, source}`) when the message is an acute crisis."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_path": None, "threshold": DEFAULT_CRISIS_THRESHOLD}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._patterns = SafetyPatterns.load(config.get("lexicon_path"))
        self._threshold = float(config.get("threshold", DEFAULT_CRISIS_THRESHOLD))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            scores = scores_of(message)
            probability = scores.flags.get("crisis") if scores else None
            category = self._patterns.category(text)
            crisis, source = flag(category is not None, probability, self._threshold)
            if crisis:
                set_intent(message, CRISIS_INTENT, confidence=1.0 if source == "pattern" else float(probability))
                message.set(CRISIS_KEY, {"category": category, "source": source}, add_to_output=True)
                logger.debug("crisis recognised (%s)", source)
            elif current_intent(message) == CRISIS_INTENT:
                _take_next_best(message)
        return messages


def _take_next_best(message: Message) -> None:
    """The intent classifier said crisis and nothing agreed: use its next-best intent."""
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != CRISIS_INTENT]
    if ranking:
        set_intent(message, ranking[0][INTENT_NAME_KEY], ranking[0].get("confidence", 0.0))
    else:
        set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.0)
