"""The Rasa component: Rasa's intent and ranking come from the sentence model's intent head."""
from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from akan_nlu.sentence_classifier import SCORES, SentenceClassifier
from akan_nlu.sentence_model import LabelledText, ModelSettings, SentenceModel

EXAMPLES = [
    LabelledText("hei", "greet"),
    LabelledText("hallo der", "greet"),
    LabelledText("god morgen", "greet"),
    LabelledText("tusen takk for hjelpen", "thank"),
    LabelledText("takk skal du ha", "thank"),
    LabelledText("jeg er leder og en ansatt lukter alkohol", "ask_advice", role="leder", topic="signaler"),
    LabelledText("hvordan tar jeg det opp med medarbeideren min", "ask_advice", role="leder", topic="bekymringssamtale"),
    LabelledText("mannen min drikker hver kveld", "ask_advice", role="parorende", topic="signaler"),
    LabelledText("jeg ser ingen vei ut lenger", "crisis", crisis=True),
    LabelledText("kan jeg snakke med en veileder", "request_human", human=True),
] * 3


@pytest.fixture(scope="module")
def component(tmp_path_factory):
    model = SentenceModel(ModelSettings(max_char_features=300, word_min_df=1)).fit(EXAMPLES)
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    return SentenceClassifier(SentenceClassifier.get_default_config(), storage, Resource("sentence"), model)


def _parse(component: SentenceClassifier, text: str) -> Message:
    return component.process([Message.build(text=text)])[0]


@pytest.mark.parametrize("text, intent", [("hei hallo", "greet"), ("takk for hjelpen", "thank"),
                                          ("en ansatt lukter alkohol", "ask_advice")])
def test_known_wording_gets_its_intent_and_a_ranking(component, text, intent):
    message = _parse(component, text)
    assert message.get("intent")["name"] == intent
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == intent
    assert ranking[0]["confidence"] == message.get("intent")["confidence"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert message.get(SCORES)["labels"]["intent"][intent] == pytest.approx(ranking[0]["confidence"])


@pytest.mark.parametrize("text", ["", "   ", "/greet"])
def test_no_words_or_a_button_payload_gets_no_intent_instead_of_an_error(component, text):
    """FallbackClassifier turns no intent into nlu_fallback; Rasa's RegexMessageHandler reads payloads."""
    message = _parse(component, text)
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []
    assert message.get(SCORES) is None


def test_an_untrained_component_answers_with_no_intent(tmp_path):
    untrained = SentenceClassifier(SentenceClassifier.get_default_config(), LocalModelStorage(tmp_path), Resource("s"))
    assert _parse(untrained, "hei").get("intent") == {"name": None, "confidence": 0.0}
