"""The crisis safety patterns (data/lexicon/crisis.yml): a hit is always a crisis.

Free of Rasa, so the cross-validation in `make eval` reads messages by the same patterns
without loading Rasa; `akan_nlu.crisis_detector` applies them inside the pipeline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from akan_nlu.norwegian import fold

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "crisis.yml"
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})


class CrisisLexiconError(ValueError):
    """crisis.yml is malformed: unknown macro or invalid pattern."""


def pattern_form(text: str) -> str:
    """The form the safety patterns are written against: folded, plain apostrophes, single spaces."""
    return " ".join(fold(text).translate(_APOSTROPHES).split())


@dataclass(frozen=True)
class SafetyPatterns:
    categories: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]

    @classmethod
    def load(cls, path: Optional[Path | str] = None) -> "SafetyPatterns":
        path = Path(path) if path else DEFAULT_PATH
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        macros = data.get("macros") or {}

        def expand(pattern: str) -> str:
            def one(match: re.Match[str]) -> str:
                if match.group(1) not in macros:
                    raise CrisisLexiconError(f"{path.name}: unknown macro {{{match.group(1)}}}")
                return macros[match.group(1)]

            return _MACRO.sub(one, pattern)

        categories = []
        for name, patterns in (data.get("categories") or {}).items():
            try:
                compiled = tuple(re.compile(expand(p)) for p in patterns)
            except re.error as error:
                raise CrisisLexiconError(f"{path.name}: invalid pattern in {name}: {error}") from error
            categories.append((name, compiled))
        return cls(tuple(categories))

    def category(self, text: str) -> Optional[str]:
        """The first category whose pattern the text matches, or None."""
        norm = pattern_form(text)
        for name, patterns in self.categories:
            if any(p.search(norm) for p in patterns):
                return name
        return None

    @property
    def pattern_count(self) -> int:
        return sum(len(p) for _, p in self.categories)
