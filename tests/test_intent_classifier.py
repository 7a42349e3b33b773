"""The intent classifier: trained through Rasa's own components on a tiny data set."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from akan_nlu.intent_classifier import LinearIntentClassifier

EXAMPLES = {
    "greet": ["hei", "hallo", "god morgen", "heisann"],
    "ask_advice": ["hva gjør jeg med en kollega som drikker", "hvordan tar jeg praten", "råd om akan-avtale", "hva sier policyen"],
}


@pytest.fixture
def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(graph_schema=None, model_id="test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
    )
    data = TrainingData([Message.build(text=t, intent=i) for i, texts in EXAMPLES.items() for t in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), "random_state": 1}, storage, Resource("lr"), context
    )
    classifier.train(data)

    def parse(text: str) -> Message:
        message = Message.build(text=text)
        tokenizer.process([message])
        featurizer.process([message])
        classifier.process([message])
        return message

    return parse


def test_known_wording_gets_its_intent_with_a_ranking(trained):
    message = trained("hei hallo")
    assert message.get("intent")["name"] == "greet"
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "greet"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_gets_no_intent_instead_of_an_error(trained, text):
    message = trained(text)
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []
