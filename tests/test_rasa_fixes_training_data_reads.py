"""The NLU files are read once per training, whatever language each importer asks with."""
from __future__ import annotations

import os

from rasa.shared.importers import utils

from rasa_runtime.fixes.training_data_reads import reading_once

NLU = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hei
    - god morgen
"""


def counted(calls: list):
    def original(paths, language):
        calls.append(list(paths))
        return utils.training_data_from_paths(paths, language)

    return original


def test_the_files_are_read_once_and_each_caller_gets_its_own_copy(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_text(NLU, encoding="utf-8")
    calls: list = []
    read = reading_once(counted(calls))
    first, second, third = read([str(path)], "nb"), read([str(path)], "en"), read([str(path)], None)
    assert len(calls) == 1
    assert [m.get("text") for m in second.training_examples] == ["hei", "god morgen"]
    assert first.training_examples[0] is not second.training_examples[0]
    first.training_examples[0].set("text", "changed")
    assert third.training_examples[0].get("text") == "hei"


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_text(NLU, encoding="utf-8")
    calls: list = []
    read = reading_once(counted(calls))
    read([str(path)], "nb")
    path.write_text(NLU.replace("god morgen", "god kveld"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = read([str(path)], "nb")
    assert len(calls) == 2
    assert [m.get("text") for m in again.training_examples] == ["hei", "god kveld"]


def test_other_formats_are_read_as_rasa_reads_them(tmp_path):
    path = tmp_path / "greet.md"
    path.write_text("## intent:greet\n- hei\n", encoding="utf-8")
    calls: list = []
    read = reading_once(lambda paths, language: calls.append(list(paths)) or "read")
    assert read([str(path)], "nb") == "read" and read([str(path)], "nb") == "read"
    assert len(calls) == 2
