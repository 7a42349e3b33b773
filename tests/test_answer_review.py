"""Every role × topic cell's replies, as `make answers` writes them for reading."""
from __future__ import annotations

import pytest

from actions.knowledge_base import ROLES, TOPICS
from answer_review.__main__ import main, markdown
from answer_review.cells import all_cells, cell, problems


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_first_reply_is_short_timeless_and_shows_its_sources_once(role, topic):
    assert problems(cell(role, topic)) == []


def test_the_review_file_holds_every_cell_and_the_rest_behind_vis_flere_rad(tmp_path):
    out = tmp_path / "answers.md"
    assert main(["--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n## ") == len(ROLES) * len(TOPICS)
    assert "**Vis flere råd:**" in text


def test_problems_are_found():
    long = cell("leder", "hjemmekontor")
    padded = type(long)(**{**long.__dict__, "first_text": long.first_text + " ord" * 200 + " smitte"})
    assert len(problems(padded)) == 2
    assert "smitte" in markdown([padded])


def test_all_cells_cover_the_grid():
    assert {(c.role, c.topic) for c in all_cells()} == {(r, t) for r in ROLES for t in TOPICS}
