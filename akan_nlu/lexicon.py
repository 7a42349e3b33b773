"""Role, topic, substance and human-request lexicons, loaded from data/lexicon/.

The lexicons are data so that counsellors can read and extend them; this module
only compiles them and answers "which canonical values does this text show, and
which one is the main one?".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEXICON_DIR = PROJECT_ROOT / "data" / "lexicon"

ROLES = ("leder", "kollega", "parorende", "selv", "bht", "ansattrepresentant", "behandler")
TOPICS = (
    "hjemmekontor", "bekymringssamtale", "akan_avtale", "signaler",
    "tilbakefall", "policy", "testing", "juridisk",
)
SUBSTANCES = ("alkohol", "narkotika", "legemidler", "spill")


class LexiconError(ValueError):
    """A lexicon file is malformed: unknown value or invalid regex."""


@dataclass(frozen=True)
class Match:
    """A canonical value found in a text, with the span that shows it."""

    value: str
    start: int
    end: int
    rank: int  # lower is more important (tier or priority)


def normalise(text: str) -> str:
    """Lower-case and collapse whitespace, keeping positions stable for spans.

    Whitespace runs are replaced one-for-one by single spaces so that offsets in
    the normalised text are offsets in the original.
    """
    return re.sub(r"\s", " ", text.lower())


def _compile(pattern: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise LexiconError(f"{source}: invalid pattern {pattern!r}: {error}") from error


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _check(value: str, allowed: Iterable[str], source: str) -> str:
    if value not in allowed:
        raise LexiconError(f"{source}: unknown value {value!r}")
    return value


def _first_by_rank(matches: list[Match]) -> list[Match]:
    """Order matches by rank then position, one match per value."""
    seen: set[str] = set()
    ordered = []
    for match in sorted(matches, key=lambda m: (m.rank, m.start, -(m.end - m.start))):
        if match.value not in seen:
            seen.add(match.value)
            ordered.append(match)
    return ordered


class RoleLexicon:
    """Finds who is asking: explicit self-identification first, then implicit tiers."""

    def __init__(self, data: dict, source: str = "roles.yml") -> None:
        cue_before = data["cues"]["before"]
        cue_after = data["cues"]["after"]
        cue_start = data["cues"].get("start", "(?!)")
        self._explicit: list[tuple[str, tuple[re.Pattern[str], ...]]] = []
        self._terms: list[tuple[str, re.Pattern[str]]] = []
        for role, term in data["terms"].items():
            _check(role, ROLES, source)
            before = _compile(rf"\b{cue_before}(?P<term>{term})\b", source)
            after = _compile(rf"(?:^|[.,;:!?] ?)(?P<term>{term}){cue_after}", source)
            start = _compile(rf"(?:^|[.!?] ?){cue_start}(?P<term>{term})\b", source)
            self._explicit.append((role, (before, after, start)))
            self._terms.append((role, _compile(rf"^(?:{term})$", source)))
        self._implicit: list[tuple[str, list[re.Pattern[str]]]] = []
        for tier in data["implicit"]:
            role = _check(tier["role"], ROLES, source)
            self._implicit.append((role, [_compile(p, source) for p in tier["patterns"]]))

    def find(self, text: str) -> list[Match]:
        """All roles shown in the text, main role first."""
        norm = normalise(text)
        matches: list[Match] = []
        for role, patterns in self._explicit:
            for pattern in patterns:
                for found in pattern.finditer(norm):
                    matches.append(Match(role, found.start("term"), found.end("term"), 0))
        for tier, (role, patterns) in enumerate(self._implicit, start=1):
            for pattern in patterns:
                for found in pattern.finditer(norm):
                    matches.append(Match(role, found.start(), found.end(), tier))
        return _first_by_rank(matches)

    def canonical(self, phrase: str) -> str | None:
        """Map a free phrase (e.g. an entity extractor's span "avdelingslederen") to a role, if any."""
        norm = normalise(phrase).strip(" .,!?")
        for role, term in self._terms:
            if term.match(norm):
                return role
        found = self.find(phrase)
        return found[0].value if found else None


class PriorityLexicon:
    """Values in priority order, each with strong and optional weak patterns."""

    def __init__(self, items: list[dict], key: str, allowed: tuple[str, ...], source: str) -> None:
        self._strong: list[tuple[int, str, list[re.Pattern[str]]]] = []
        self._weak: list[tuple[int, str, list[re.Pattern[str]]]] = []
        for rank, item in enumerate(items):
            value = _check(item[key], allowed, source)
            self._strong.append((rank, value, [_compile(p, source) for p in item["patterns"]]))
            self._weak.append((rank, value, [_compile(p, source) for p in item.get("weak", [])]))

    @staticmethod
    def _scan(norm: str, table) -> list[Match]:
        return [
            Match(value, found.start(), found.end(), rank)
            for rank, value, patterns in table
            for pattern in patterns
            for found in pattern.finditer(norm)
        ]

    def find(self, text: str) -> list[Match]:
        """All values shown in the text, highest priority first."""
        norm = normalise(text)
        return _first_by_rank(self._scan(norm, self._strong) or self._scan(norm, self._weak))

    def canonical(self, phrase: str) -> str | None:
        found = self.find(phrase)
        return found[0].value if found else None


class PatternSet:
    """A flat list of patterns: does any of them match?"""

    def __init__(self, patterns: list[str], source: str) -> None:
        self._patterns = [_compile(p, source) for p in patterns]

    def matches(self, text: str) -> bool:
        norm = normalise(text).strip()
        return any(p.search(norm) for p in self._patterns)


@dataclass(frozen=True)
class Lexicons:
    roles: RoleLexicon
    topics: PriorityLexicon
    substances: PriorityLexicon
    human_request: PatternSet


def load_lexicons(directory: Path | None = None) -> Lexicons:
    """Load and compile every lexicon; raises LexiconError naming the bad file."""
    directory = Path(directory) if directory else DEFAULT_LEXICON_DIR
    return Lexicons(
        roles=RoleLexicon(_read(directory / "roles.yml"), "roles.yml"),
        topics=PriorityLexicon(_read(directory / "topics.yml")["topics"], "topic", TOPICS, "topics.yml"),
        substances=PriorityLexicon(
            _read(directory / "substances.yml")["substances"], "substance", SUBSTANCES, "substances.yml"
        ),
        human_request=PatternSet(_read(directory / "human_request.yml")["patterns"], "human_request.yml"),
    )
