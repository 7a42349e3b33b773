"""Load and validate an evaluation set (``items: [{text, role, topic, crisis, human}]``).

Validation is strict because a typo in a label silently skews every figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import yaml

from akan_contract.taxonomy import ROLES, TOPICS

REQUIRED_KEYS = ("text", "role", "topic", "crisis", "human")


class DevSetError(ValueError):
    """The evaluation file is missing or does not follow the format."""


@dataclass(frozen=True)
class DevItem:
    """One labelled message; ``role``/``topic`` are the accepted values, None = not scored."""

    text: str
    role: Optional[tuple[str, ...]]
    topic: Optional[tuple[str, ...]]
    crisis: bool
    human: bool


def _accepted(value: Any, canonical: Sequence[str], where: str) -> Optional[tuple[str, ...]]:
    """Normalise a label (string, list of strings or null) to a tuple of accepted values."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise DevSetError(f"{where}: expected a value, a non-empty list or null, got {value!r}")
    for v in values:
        if v not in canonical:
            raise DevSetError(f"{where}: {v!r} is not one of {', '.join(canonical)}")
    return tuple(values)


def _item(raw: Any, index: int) -> DevItem:
    where = f"item {index + 1}"
    if not isinstance(raw, dict):
        raise DevSetError(f"{where}: expected a mapping, got {type(raw).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise DevSetError(f"{where}: missing key(s) {', '.join(missing)}")
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise DevSetError(f"{where}: text must be a non-empty string")
    for flag in ("crisis", "human"):
        if not isinstance(raw[flag], bool):
            raise DevSetError(f"{where}: {flag} must be true or false, got {raw[flag]!r}")
    return DevItem(
        text=text,
        role=_accepted(raw["role"], ROLES, f"{where} role"),
        topic=_accepted(raw["topic"], TOPICS, f"{where} topic"),
        crisis=raw["crisis"],
        human=raw["human"],
    )


def load_dev_set(path: Path | str) -> list[DevItem]:
    """Read and validate the file; raise DevSetError with the first problem found."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise DevSetError(f"evaluation set not found: {path}") from None
    except yaml.YAMLError as exc:
        raise DevSetError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DevSetError(f"{path}: expected a mapping with an 'items:' list")
    if not data["items"]:
        raise DevSetError(f"{path}: 'items:' is empty")
    return [_item(raw, i) for i, raw in enumerate(data["items"])]


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def verbatim_in(items: Sequence[DevItem], texts: Iterable[str]) -> list[DevItem]:
    """Dev items that also occur in ``texts`` (ignoring case and punctuation).

    Their scores measure memory, not generalisation, so the report flags them.
    """
    seen = {_normalise(t) for t in texts}
    return [item for item in items if _normalise(item.text) in seen]
