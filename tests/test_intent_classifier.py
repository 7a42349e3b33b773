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


def _message_with_features(rng, widths: list[int], dense_width: int) -> Message:
    """A message with several featurizers' sparse sequence and sentence features (and
    dense ones when `dense_width`), and features of another attribute."""
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    message = Message.build(text="en melding")
    for number, width in enumerate(widths):
        dtype = np.float32 if number % 2 else np.int64
        for kind, rows in (("sequence", 3), ("sentence", 1)):
            matrix = scipy.sparse.random(rows, width, density=0.3, random_state=rng, format="coo", dtype=np.float64)
            message.add_features(Features(matrix.astype(dtype), kind, "text", f"featurizer{number}"))
    message.add_features(Features(scipy.sparse.coo_matrix(np.ones((1, 4))), "sentence", "intent", "other"))
    if dense_width:
        message.add_features(Features(rng.random((1, dense_width)), "sentence", "text", "dense"))
    return message


@pytest.mark.parametrize("widths,dense_width", [([7], 0), ([5, 11, 3, 20], 0), ([6, 2], 4), ([], 3)])
def test_feature_rows_equal_rasas(widths, dense_width):
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    rng = np.random.default_rng(len(widths) + dense_width)
    messages = [_message_with_features(rng, widths, dense_width) for _ in range(3)]
    ours = LinearIntentClassifier._create_X(None, messages)
    theirs = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    assert (ours != theirs).nnz == 0
