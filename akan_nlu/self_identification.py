"""The explicit layer for roles: the writer says who they are (data/lexicon/roles.yml).

"Jeg er verneombud", "som leder", "HR her" name the asker's role outright. Such a statement
outranks the learned role classifier and may replace a role carried over in the conversation;
a role the classifier only infers may not replace a stated one (actions/conversation.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from akan_contract.taxonomy import ROLES
from akan_nlu.norwegian import fold

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "roles.yml"


class SelfIdentificationError(ValueError):
    """roles.yml names an unknown role or holds an invalid pattern."""


@dataclass(frozen=True)
class StatedRole:
    role: str
    start: int
    end: int


class SelfIdentification:
    def __init__(self, data: dict, source: str = "roles.yml") -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for role, term in (data.get("terms") or {}).items():
            if role not in ROLES:
                raise SelfIdentificationError(f"{source}: unknown role {role!r}")
            for cue in data.get("cues") or []:
                pattern = cue.replace("{TERM}", f"(?P<term>{term})\\b")
                try:
                    self._patterns.append((role, re.compile(pattern)))
                except re.error as error:
                    raise SelfIdentificationError(f"{source}: invalid pattern for {role}: {error}") from error

    @classmethod
    def load(cls, path: Optional[Path | str] = None) -> "SelfIdentification":
        path = Path(path) if path else DEFAULT_PATH
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path.name)

    def find(self, text: str) -> Optional[StatedRole]:
        """The role the writer states first in the text, if any."""
        folded = " ".join(fold(text).split())
        # The statement that starts first wins; of two that start together the longer one, so
        # "jeg er psykolog i BHT" (a job in a service) names the service, not the job.
        found = [
            (match.start(), -(match.end() - match.start()), role, match)
            for role, pattern in self._patterns
            for match in pattern.finditer(folded)
        ]
        if not found:
            return None
        _, _, role, match = min(found, key=lambda f: (f[0], f[1]))
        return StatedRole(role, match.start("term"), match.end("term"))
