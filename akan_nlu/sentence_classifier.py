"""NLU component: the learned sentence classifiers (akan_nlu.sentence_model) inside Rasa.

Trained on the intents of data/nlu and the labels in their metadata (akan_nlu.training_labels).
At parse time it sets Rasa's `intent` and `intent_ranking` from the intent head, and leaves all
its probabilities on the message (`akan_scores`, not part of Rasa's output); the explicit layer
after it (role/topic extractor, crisis and human-request detectors) turns them into the
contract's entities and intents. A message without words (or a button payload, which Rasa's
RegexMessageHandler reads later) gets no intent, so FallbackClassifier makes it `nlu_fallback`
instead of an error.

The intent head replaced a Rasa LogisticRegressionClassifier over two CountVectorsFeaturizers:
in grouped cross-validation on 32,830 messages it is right on 94.1 % of intents against 91.8 %
(small talk 67.4 against 68.0 %; advice recognised above the fallback threshold 95.9 against
93.7 %), and dropping the featurizers' per-token features took about 100 s off `make train`.

The model is stored with skops, like Rasa's own logistic regression: loading trusts only the
scikit-learn and NumPy types listed here, never arbitrary pickled code.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, METADATA, PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from akan_nlu import log_count_ratio, norwegian, sentence_model
from akan_nlu.normaliser import NORMALISED_TEXT, settings_from
from akan_nlu.sentence_model import INTENT_HEAD, ModelSettings, Scores, SentenceModel
from akan_nlu.source_fingerprint import modules_fingerprint
from akan_nlu.training_labels import labelled_from_rasa

logger = logging.getLogger(__name__)

SCORES = "akan_scores"
RANKING_LENGTH = 10  # as Rasa's own intent classifiers
MODEL_FILE = "sentence_model.skops"
SETTINGS_FILE = "settings.json"
TRUSTED_TYPES = [
    "akan_nlu.sentence_model.SentenceModel",
    "akan_nlu.log_count_ratio.LogCountRatioRegression",
    "akan_nlu.log_count_ratio.MeanOfClassifiers",
    "akan_nlu.sentence_model.ModelSettings",
    "akan_nlu.norwegian.Normalisation",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "builtins.tuple",
]


def settings_from_config(config: Dict[Text, Any]) -> ModelSettings:
    return ModelSettings(
        C=float(config["C"]),
        crisis_C=float(config["crisis_C"]),
        weighted_C={head: float(C) for head, C in (config["weighted_C"] or {}).items()},
        intent_C=float(config["intent_C"]),
        char_ngrams=tuple(config["char_ngrams"]),
        word_ngrams=tuple(config["word_ngrams"]),
        max_char_features=int(config["max_char_features"]),
        word_min_df=int(config["word_min_df"]),
        normalisation=settings_from(config.get("normalisation") or {}),
        use_normalised_words=bool(config["use_normalised_words"]),
        random_state=int(config["random_state"]),
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceClassifier(GraphComponent):
    """Role, topic, substance, crisis and human-request probabilities for each message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = ModelSettings()
        return {
            "C": defaults.C,
            "crisis_C": defaults.crisis_C,
            "weighted_C": dict(defaults.weighted_C),
            "intent_C": defaults.intent_C,
            "char_ngrams": list(defaults.char_ngrams),
            "word_ngrams": list(defaults.word_ngrams),
            "max_char_features": defaults.max_char_features,
            "word_min_df": defaults.word_min_df,
            "use_normalised_words": defaults.use_normalised_words,
            "random_state": defaults.random_state,
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        model: Optional[SentenceModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """A change to the model or the normalisation retrains this component."""
        return modules_fingerprint(sentence_model, log_count_ratio, norwegian)

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        messages = [m for m in training_data.intent_examples if m.get(TEXT)]
        examples = [labelled_from_rasa(m.get(TEXT), m.get(INTENT), m.get(METADATA)) for m in messages]
        normalised = [m.get(NORMALISED_TEXT) for m in messages]
        if any(n is None for n in normalised):
            normalised = None  # no NorwegianNormaliser before us: the model normalises itself
        self._model = SentenceModel(settings_from_config(self._config)).fit(examples, normalised)
        self._persist()
        return self._resource

    def _persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self._model, directory / MODEL_FILE)
            settings = asdict(self._model.settings)
            (directory / SETTINGS_FILE).write_text(json.dumps(settings), encoding="utf-8")

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "SentenceClassifier":
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
                if untrusted:
                    raise ValueError(f"untrusted types in the sentence model: {sorted(untrusted)}")
                model = sio.load(path, trusted=TRUSTED_TYPES)
        except (ValueError, FileNotFoundError) as exc:
            logger.warning("sentence model not loaded (%s); training is needed", exc.__class__.__name__)
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        worded = [m for m in messages if (m.get(TEXT) or "").strip() and not m.get(TEXT).startswith("/")]
        for message in messages:
            _set_intent(message, {})
        if self._model is None or not worded:
            return messages
        normalised = [m.get(NORMALISED_TEXT) for m in worded]
        scores = self._model.predict([m.get(TEXT) for m in worded], None if None in normalised else normalised)
        for message, score in zip(worded, scores):
            message.set(SCORES, score.as_dict())
            _set_intent(message, score.labels[INTENT_HEAD])
        return messages


def _set_intent(message: Message, distribution: Dict[str, float]) -> None:
    """Rasa's intent and ranking from the intent head's probabilities (none: no intent)."""
    ranking = sorted(distribution.items(), key=lambda kv: kv[1], reverse=True)[:RANKING_LENGTH]
    best = ranking[0] if ranking else (None, 0.0)
    message.set(INTENT, {INTENT_NAME_KEY: best[0], PREDICTED_CONFIDENCE_KEY: float(best[1])}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(p)} for name, p in ranking],
        add_to_output=True,
    )


def scores_of(message: Message) -> Optional[Scores]:
    raw = message.get(SCORES)
    return Scores.from_dict(raw) if raw else None
