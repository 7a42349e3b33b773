"""The crisis lines (SPEC "Human handoff"), read once from the knowledge base's
contacts.yml: the same list every crisis reply carries, so the widget's help and
the demo page never hold a copy of their own.

Only names and numbers: what each line is for is in its name; nothing is said
about anonymity, which is not true of every line (113 and 112 are not anonymous).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
CONTACTS_FILE = "contacts.yml"


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


def load_crisis_lines(directory: Path) -> tuple[CrisisLine, ...]:
    """The `crisis` list of `directory/contacts.yml`, in its order."""
    path = Path(directory) / CONTACTS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrisisLinesError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError:
        raise CrisisLinesError(f"{path} is not valid YAML") from None
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
