"""The crisis lines (SPEC "Human handoff") from the knowledge base's contacts.yml, checked
and built in one place for both sides, so every crisis reply (actions/), the widget's help and the
demo page (bot/) carry the same list. The callers read the YAML; this module needs the standard
library only.

Only names and numbers: what each line is for is in its name; nothing is said
about anonymity, which is not true of every line (113 and 112 are not anonymous).
"""
from __future__ import annotations

import re
from dataclasses import dataclass


class CrisisLinesError(ValueError):
    """contacts.yml is missing, or its `crisis` list is malformed."""


@dataclass(frozen=True)
class CrisisLine:
    name: str
    number: str

    @property
    def tel(self) -> str:
        """The number for a `tel:` link: digits (and a leading +) only."""
        return "tel:" + re.sub(r"[^\d+]", "", self.number)

    def json(self) -> dict:
        return {"name": self.name, "number": self.number}


def crisis_lines_from(data: object, where: object) -> tuple[CrisisLine, ...]:
    """The `crisis` list of contacts.yml's parsed content (`where` names it in errors)."""
    path = where
    raw = data.get("crisis") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise CrisisLinesError(f"{path}: 'crisis' must be a non-empty list")
    lines = []
    for i, item in enumerate(raw, start=1):
        fields = {key: item.get(key) if isinstance(item, dict) else None for key in ("name", "number")}
        if not all(isinstance(value, str) and value.strip() for value in fields.values()):
            raise CrisisLinesError(f"{path}: crisis #{i} needs a 'name' and a 'number'")
        if not re.search(r"\d", fields["number"]):
            raise CrisisLinesError(f"{path}: crisis #{i}: '{fields['number']}' is not a phone number")
        lines.append(CrisisLine(name=fields["name"].strip(), number=fields["number"].strip()))
    return tuple(lines)
