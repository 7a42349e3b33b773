"""NLU component: the message in normalised Norwegian (akan_nlu.norwegian), for the sentence classifiers.

Runs after the tokenizer, before the classifiers; it adds an attribute and changes nothing else, so
Rasa's own featurizers still see the text as typed.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from akan_nlu import norwegian
from akan_nlu.norwegian import Normalisation, normalise
from akan_nlu.source_fingerprint import modules_fingerprint
from akan_nlu.stateless_component import StatelessComponent

NORMALISED_TEXT = "akan_normalised_text"


def settings_from(config: Dict[Text, Any]) -> Normalisation:
    return Normalisation(
        letters=bool(config.get("letters", True)),
        lemmas=bool(config.get("lemmas", True)),
        compounds=bool(config.get("compounds", True)),
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class NorwegianNormaliser(StatelessComponent):
    """Sets `akan_normalised_text`: lemmas, æøå restored, compound parts."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"letters": True, "lemmas": True, "compounds": True}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """A change to the normalisation recomputes the training data's normalised text."""
        return modules_fingerprint(norwegian)

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._steps = settings_from({**self.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                message.set(NORMALISED_TEXT, normalise(text, self._steps))
        return messages
