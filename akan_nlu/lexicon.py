"""The reviewed patterns of data/lexicon/ that are not role or crisis patterns.

`human_request.yml`: plain asks for a person or for the service's contact details, and short
questions about talking to someone in the person's own life, which are not such asks. The lexicons
are data so that counsellors can read them; this module only compiles them.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEXICON_DIR = PROJECT_ROOT / "data" / "lexicon"


class LexiconError(ValueError):
    """A lexicon file is malformed: invalid regex."""


def normalise(text: str) -> str:
    """Lower-case and collapse whitespace, keeping positions stable (one space per whitespace)."""
    return re.sub(r"\s", " ", text.lower())


def _compile(pattern: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise LexiconError(f"{source}: invalid pattern {pattern!r}: {error}") from error


class PatternSet:
    """A flat list of patterns: does any of them match?"""

    def __init__(self, patterns: list[str], source: str) -> None:
        self._patterns = [_compile(p, source) for p in patterns]

    def matches(self, text: str) -> bool:
        norm = normalise(text).strip()
        return any(p.search(norm) for p in self._patterns)


class HumanRequestPatterns(PatternSet):
    """Plain asks for a person (`matches`), and short questions about talking to someone in the
    person's own life, which are not asks for the service (`about_own_life`)."""

    def __init__(self, patterns: list[str], source: str, own_life: list[str], own_life_max_words: int) -> None:
        super().__init__(patterns, source)
        self._own_life = PatternSet(own_life, source)
        self._own_life_max_words = own_life_max_words

    def about_own_life(self, text: str) -> bool:
        return len(text.split()) <= self._own_life_max_words and self._own_life.matches(text)


def load_human_request(directory: Path | str | None = None) -> HumanRequestPatterns:
    path = Path(directory or DEFAULT_LEXICON_DIR) / "human_request.yml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    own_life = data.get("own_life") or {}
    return HumanRequestPatterns(
        data["patterns"], path.name, own_life.get("patterns") or [], int(own_life.get("max_words") or 0),
    )
