"""The crisis lines the widget's help and the demo page show, read once at start-up from the
knowledge base's contacts.yml with the contract's reader (akan_contract.crisis_lines), so they
are the list every crisis reply carries.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from akan_contract.crisis_lines import CrisisLine, CrisisLinesError, crisis_lines_from

__all__ = ["CrisisLine", "CrisisLinesError", "DEFAULT_KNOWLEDGE_DIR", "load_crisis_lines"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
CONTACTS_FILE = "contacts.yml"


def load_crisis_lines(directory: Path) -> tuple[CrisisLine, ...]:
    """The `crisis` list of `directory/contacts.yml`, in its order."""
    path = Path(directory) / CONTACTS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrisisLinesError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError:
        raise CrisisLinesError(f"{path} is not valid YAML") from None
    return crisis_lines_from(data, path)
