"""`python -m training_data`: importing a blind writer's file, checking and tidying data/nlu."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from akan_nlu.sentence_model import LabelledText
from akan_nlu.training_labels import read_directory
from training_data.__main__ import ImportError_, check, import_file, tidy
from training_data.rasa_files import write_directory

EVALUATION = ["Min kollega lukter alkohol hver mandag morgen, hva gjør jeg?"]
EXISTING = [
    LabelledText("jeg er leder og en ansatt virker ruset på jobb", "ask_advice", role="leder", topic="signaler",
                 substance="alkohol", brief="old"),
    LabelledText("jeg ser ingen vei ut lenger", "crisis", crisis=True, brief="old"),
]


@pytest.fixture
def nlu_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "nlu"
    write_directory(EXISTING, directory)
    return directory


@pytest.fixture
def briefs_path(tmp_path: Path) -> Path:
    path = tmp_path / "briefs.yml"
    path.write_text(yaml.safe_dump({"briefs": {"new": {"blind": True, "description": "a test brief"}}}), encoding="utf-8")
    return path


def _writer_file(tmp_path: Path, items: list[dict]) -> Path:
    path = tmp_path / "out.yml"
    path.write_text(yaml.safe_dump({"items": items}, allow_unicode=True), encoding="utf-8")
    return path


def test_import_keeps_new_wording_and_drops_leaks_and_twins(tmp_path, nlu_dir, briefs_path):
    items = [
        {"text": "kona mi spiller bort hele lønna på nett", "role": "parorende", "topic": None, "substance": "spill",
         "crisis": False, "human": False},
        {"text": "min kollega lukter alkohol hver mandag morgen - hva gjør jeg", "role": "kollega",
         "topic": "signaler", "substance": "alkohol", "crisis": False, "human": False},  # near the evaluation set
        {"text": "Jeg ser ingen vei ut lenger!", "role": None, "topic": None, "crisis": True, "human": False},
        {"text": "kan jeg få snakke med et menneske", "crisis": False, "human": True},
        {"text": "Kan jeg få snakke med et menneske?", "crisis": False, "human": True},  # twin of the one above
    ]
    result = import_file(_writer_file(tmp_path, items), "new", nlu_dir, briefs_path, EVALUATION)
    assert result == {"read": 5, "near an evaluation set": 1, "near existing data": 1, "near another in the file": 1,
                      "imported": 2, "total now": 4}
    examples = {e.text: e for e in read_directory(nlu_dir)}
    assert examples["kona mi spiller bort hele lønna på nett"] == LabelledText(
        "kona mi spiller bort hele lønna på nett", "ask_advice", role="parorende", topic="none", substance="spill", brief="new")
    assert examples["kan jeg få snakke med et menneske"].intent == "request_human"


def test_import_refuses_an_undescribed_brief_or_an_unknown_label(tmp_path, nlu_dir, briefs_path):
    path = _writer_file(tmp_path, [{"text": "hei", "role": "sjef", "crisis": False, "human": False}])
    with pytest.raises(ImportError_, match="describe brief"):
        import_file(path, "unknown", nlu_dir, briefs_path, EVALUATION)
    with pytest.raises(ImportError_, match="role 'sjef' is not in the taxonomy"):
        import_file(path, "new", nlu_dir, briefs_path, EVALUATION)
    assert len(read_directory(nlu_dir)) == len(EXISTING)  # nothing written


def test_tidy_drops_what_check_finds_and_keeps_the_rest(nlu_dir):
    grown = [
        *read_directory(nlu_dir),
        LabelledText("Min kollega lukter alkohol hver mandag morgen. Hva gjør jeg?", "ask_advice", role="kollega",
                     brief="later"),
        LabelledText("jeg er leder, og en ansatt virker ruset på jobb!", "ask_advice", role="leder", brief="later"),
    ]
    write_directory(grown, nlu_dir)
    counts, twins, leaks = check(nlu_dir, EVALUATION)
    assert (twins, leaks) == (1, 1)
    assert counts["brief"] == {"old": 2, "later": 2}

    assert tidy(nlu_dir, EVALUATION) == {"read": 4, "near an evaluation set": 1, "near an earlier example": 1,
                                         "total now": 2}
    kept = [e.text for e in read_directory(nlu_dir)]
    assert "jeg ser ingen vei ut lenger" in kept
    assert sum(text.startswith("jeg er leder") for text in kept) == 1  # one of the twins stays
    assert check(nlu_dir, EVALUATION)[1:] == (0, 0)
