"""Import boundaries between the two sides and their shared contract, read from the source with `ast`.

The bot side (`actions/`, `akan_nlu/`) runs with Rasa; the gateway (`bot/`) runs in its own
environment without it. What both need lives in `akan_contract/`, which imports the standard
library only. Every import counts: inside functions, under `if TYPE_CHECKING:`, in `try:`,
relative ones, and `importlib.import_module("…")` / `__import__("…")` with a literal name.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Iterator

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = "akan_contract"

# package → top-level names it must never import
FORBIDDEN = {
    "actions": {"bot"},
    "akan_nlu": {"bot"},
    "bot": {"actions", "akan_nlu", "rasa", "rasa_sdk"},
}


def project_packages() -> set[str]:
    """The project's own top-level packages (folders at the root with an __init__.py)."""
    return {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")}


def python_files(package: str) -> list[Path]:
    return sorted((PROJECT_ROOT / package).rglob("*.py"))


def _module_of(path: Path) -> list[str]:
    """`bot/desk/handoff.py` → ["bot", "desk", "handoff"]; a package's __init__ is the package."""
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _resolve_relative(path: Path, level: int, module: str | None) -> str:
    """The absolute name of `from ..module import x` written in `path`."""
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path)[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, *([module] if module else [])])


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield node.lineno, _resolve_relative(path, node.level, node.module)
            else:
                yield node.lineno, node.module or ""
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def top_level(module: str) -> str:
    return module.split(".", 1)[0]


def violations(package: str, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(PROJECT_ROOT)}:{line} imports {module}"
        for path in python_files(package)
        for line, module in imported_modules(path)
        if top_level(module) in forbidden
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_to_its_side(package: str) -> None:
    assert python_files(package), f"no Python files found under {package}/"
    assert violations(package, FORBIDDEN[package]) == []


def test_contract_imports_nothing_of_the_project() -> None:
    assert python_files(CONTRACT), f"no Python files found under {CONTRACT}/"
    others = project_packages() - {CONTRACT}
    assert {"actions", "akan_nlu", "bot"} <= others
    assert violations(CONTRACT, others) == []


def test_contract_imports_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__", CONTRACT}
    outside = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} imports {module}"
        for path in python_files(CONTRACT)
        for line, module in imported_modules(path)
        if top_level(module) not in allowed
    ]
    assert outside == []


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The reader itself: absolute, relative, deferred and dynamic imports are all found."""
    source = PROJECT_ROOT / "bot" / "statistics" / "labels.py"
    fake = tmp_path / "probe.py"
    fake.write_text(
        "import rasa.core\n"
        "from actions.handoff import offer_human\n"
        "def later():\n"
        "    import importlib\n"
        "    importlib.import_module('akan_nlu.lexicon')\n"
        "    __import__('rasa_sdk')\n",
        encoding="utf-8",
    )
    found = {module for _, module in imported_modules(fake)}
    assert {"rasa.core", "actions.handoff", "importlib", "akan_nlu.lexicon", "rasa_sdk"} <= found
    assert _resolve_relative(source, 1, "queries") == "bot.statistics.queries"
    assert _resolve_relative(source, 2, "keys") == "bot.keys"
    assert _resolve_relative(source, 2, None) == "bot"
