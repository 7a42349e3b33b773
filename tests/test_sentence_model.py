"""The sentence model saved and loaded the way the Rasa component does it (skops)."""
from __future__ import annotations

import inspect
import zipfile

import pytest
import skops.io as sio

from rasa.engine.training.fingerprinting import calculate_fingerprint_key

from akan_nlu import log_count_ratio, norwegian, sentence_model
from akan_nlu.normaliser import NorwegianNormaliser
from akan_nlu.sentence_classifier import TRUSTED_TYPES, SentenceClassifier
from akan_nlu.sentence_model import LabelledText, ModelSettings, SentenceModel
from akan_nlu.source_fingerprint import modules_fingerprint

EXAMPLES = [
    LabelledText("jeg er leder og en ansatt lukter alkohol", "ask_advice", role="leder", topic="signaler"),
    LabelledText("hvordan tar jeg det opp med medarbeideren min", "ask_advice", role="leder", topic="bekymringssamtale"),
    LabelledText("mannen min drikker hver kveld", "ask_advice", role="parorende", topic="signaler"),
    LabelledText("kona mi spiller bort lønna", "ask_advice", role="parorende", topic="signaler"),
    LabelledText("jeg har akan-avtale og sprakk i helga", "ask_advice", role="selv", topic="tilbakefall"),
    LabelledText("jeg ser ingen vei ut lenger", "crisis", crisis=True),
    LabelledText("kan jeg snakke med en veileder", "request_human", human=True),
    LabelledText("møtene tar livet av meg", "out_of_scope"),
] * 3


def test_a_saved_model_loads_and_reads_the_same(tmp_path):
    model = SentenceModel(ModelSettings(max_char_features=200)).fit(EXAMPLES)
    path = tmp_path / "sentence_model.skops"
    sio.dump(model, path)
    loaded = sio.load(path, trusted=TRUSTED_TYPES)
    texts = ["min sjef lukter alkohol", "jeg vil ikke leve mer", "får jeg snakke med noen?"]
    assert [s.as_dict() for s in loaded.predict(texts)] == [s.as_dict() for s in model.predict(texts)]


def test_the_vocabulary_is_saved_as_one_piece_not_one_file_per_term(tmp_path):
    """With max_features, scikit-learn's indices are numpy integers, which skops writes one file each:
    minutes for a real vocabulary. The model keeps plain ints."""
    model = SentenceModel(ModelSettings(max_char_features=200)).fit(EXAMPLES)
    path = tmp_path / "sentence_model.skops"
    sio.dump(model, path)
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) < 100


def test_a_change_to_the_model_code_retrains_the_rasa_components(monkeypatch):
    """Rasa fingerprints a component by its own class's source; the modules it delegates to count too."""
    assert SentenceClassifier.fingerprint_addon({}) == modules_fingerprint(sentence_model, log_count_ratio, norwegian)
    assert NorwegianNormaliser.fingerprint_addon({}) == modules_fingerprint(norwegian)
    before = calculate_fingerprint_key(SentenceClassifier, {}, {})
    original = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda obj: original(obj) + ("\n# changed" if obj is sentence_model else ""))
    assert calculate_fingerprint_key(SentenceClassifier, {}, {}) != before


def test_heads_left_out_are_not_fitted_and_the_others_read_the_same():
    """The cross-validation leaves the intent and substance heads out (the labelled intent stands in)."""
    full = SentenceModel(ModelSettings(max_char_features=200)).fit(EXAMPLES)
    partial_model = SentenceModel(ModelSettings(max_char_features=200)).fit(EXAMPLES, heads=("role", "topic"))
    texts = ["mannen min drikker", "jeg ser ingen vei ut"]
    for whole, partial in zip(full.predict(texts), partial_model.predict(texts)):
        assert {"intent", "substance"} <= set(whole.labels)
        assert set(partial.labels) == {"role", "topic"}
        assert set(partial.flags) == {"crisis", "human"}  # the flag heads are always fitted
        # liblinear's solution agrees to its tolerance, not to the last bit
        assert partial.flags == pytest.approx(whole.flags, abs=1e-3)
        for head in ("role", "topic"):
            assert partial.labels[head] == pytest.approx(whole.labels[head], abs=1e-3)
    with pytest.raises(ValueError, match="unknown heads"):
        SentenceModel().fit(EXAMPLES, heads=("mood",))
