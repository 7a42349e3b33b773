"""NLU component: a request for a human counsellor — reviewed patterns or the learned classifier.

Asking for a person is a handoff trigger (SPEC "Human handoff"); missing it leaves someone
talking to a bot who asked not to. The plain asks ("snakke med en veileder", "telefonnummeret
deres") are patterns in data/lexicon/human_request.yml; the many other phrasings are the
sentence classifier's human head, at a threshold chosen by cross-validation, except on a short
question about talking to someone in the person's own life ("kan jeg snakke med HR om dette?",
the same file's `own_life`). A crisis always
outranks a request for a human. When the intent classifier alone says `request_human` and
neither agrees, its next-best intent is taken.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.intent_override import current_intent, set_intent
from akan_nlu.lexicon import load_human_request
from akan_nlu.reading import DEFAULT_HUMAN_THRESHOLD, human_flag
from akan_nlu.sentence_classifier import scores_of
from akan_nlu.stateless_component import StatelessComponent

logger = logging.getLogger(__name__)

REQUEST_HUMAN = "request_human"
NEVER_OVERRIDDEN = {"crisis"}
# Questions about the bot ("er det en robot jeg snakker med?") or to it ("har dere noen råd om …?")
# can sound like asking for a person; the intent classifier's reading stands when it is surer
# than the human head. A pattern hit always counts.
SMALL_TALK = {"ask_advice", "more_advice", "bot_challenge", "privacy", "capabilities", "greet", "goodbye", "thank", "affirm", "deny"}


def _surer_of_small_talk(message: Message, probability: float) -> bool:
    intent = message.get("intent") or {}
    return intent.get(INTENT_NAME_KEY) in SMALL_TALK and float(intent.get("confidence") or 0.0) > probability


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class HumanRequestDetector(StatelessComponent):
    """Sets intent `request_human` when the text asks for a person or for contact details."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_dir": None, "threshold": DEFAULT_HUMAN_THRESHOLD}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._patterns = load_human_request(config.get("lexicon_dir"))
        self._threshold = float(config.get("threshold", DEFAULT_HUMAN_THRESHOLD))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/") or current_intent(message) in NEVER_OVERRIDDEN:
                continue
            scores = scores_of(message)
            probability = scores.flags.get("human") if scores else None
            human, source = human_flag(
                self._patterns.matches(text), self._patterns.about_own_life(text), probability, self._threshold,
            )
            if source == "classifier" and _surer_of_small_talk(message, probability):
                human = False
            if human:
                set_intent(message, REQUEST_HUMAN, 1.0 if source == "pattern" else float(probability))
                logger.debug("human request recognised (%s)", source)
            elif current_intent(message) == REQUEST_HUMAN:
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != REQUEST_HUMAN]
                best = ranking[0] if ranking else {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 0.0}
                set_intent(message, best[INTENT_NAME_KEY], best.get("confidence", 0.0))
        return messages
