"""The NLU schema check on libyaml's parse: valid files pass without Rasa's slow check, and every
doubtful file gets Rasa's own check and its error message."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.exceptions import YamlException
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from rasa_runtime.fixes.nlu_schema_check import checking_quickly, passes_quickly

VALID = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hei
    - god morgen
  metadata:
    role: null
"""
# `example` instead of `examples`: the schema refuses it.
WRONG_KEY = VALID.replace("examples:", "example:")
DUPLICATE_KEY = VALID.replace("  metadata:", "  intent: bye\n  metadata:")
NOT_YAML = 'version: "3.1"\nnlu:\n- intent: [greet\n'


def counted(calls: list):
    original = RasaYAMLReader.validate

    def validate(self, string):
        calls.append(string)
        return original(self, string)

    return validate


@pytest.mark.parametrize("text", [WRONG_KEY, DUPLICATE_KEY, NOT_YAML])
def test_rasa_refuses_what_the_quick_check_doubts(text):
    assert not passes_quickly(text)
    with pytest.raises(YamlException):
        RasaYAMLReader().validate(text)  # the original, as the fix calls it on doubt


def test_a_valid_file_passes_without_rasas_own_check():
    calls: list = []
    validate = checking_quickly(counted(calls))
    validate(RasaYAMLReader(), VALID)
    assert passes_quickly(VALID)
    assert calls == []


@pytest.mark.parametrize("text", [WRONG_KEY, DUPLICATE_KEY, NOT_YAML])
def test_an_invalid_file_gets_rasas_own_error(text):
    calls: list = []
    validate = checking_quickly(counted(calls))
    with pytest.raises(YamlException):
        validate(RasaYAMLReader(), text)
    assert calls == [text]


def test_a_file_only_libyaml_doubts_passes_as_before():
    # YAML 1.1 (libyaml) reads `yes` as true, so an intent named yes fails the quick check;
    # Rasa's YAML 1.2 reads a string, and its own check passes the file.
    text = VALID.replace("intent: greet", "intent: yes")
    calls: list = []
    validate = checking_quickly(counted(calls))
    assert not passes_quickly(text)
    validate(RasaYAMLReader(), text)
    assert calls == [text]


def test_the_project_nlu_files_pass_quickly():
    files = sorted(Path(__file__).resolve().parent.parent.glob("data/nlu/*.yml"))
    assert files
    for path in files:
        assert passes_quickly(path.read_text(encoding="utf-8")), path.name
