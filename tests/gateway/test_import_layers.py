"""The gateway's modules import each other in layers (issue 17, item 6).

Read from the source with `ast`, never by importing it: no module in bot/ imports
inside a function body (the old way to dodge a cycle), and the graph of the
imports that run when a module is loaded has no cycle. The clock (bot/clock.py)
and the transcript's JSON shape (bot/transcript.py) sit at the bottom; the handoff
(bot/handoff/) is used by the chat and the desk, and imports neither.

Imports under `if TYPE_CHECKING:` never run, so they are not edges of the graph
(bot/keys.py names the types of everything the app carries that way).
"""
from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
IMPORTS = (ast.Import, ast.ImportFrom)


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(path): path for path in sorted(BOT.rglob("*.py"))}


def _is_dynamic_import(node: ast.AST) -> bool:
    """`importlib.import_module(...)`, `import_module(...)` or `__import__(...)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in ("import_module", "__import__")


def imports_in_functions(tree: ast.AST) -> list[int]:
    """Line numbers of the imports inside a function body (nested ones too), the
    statements and `importlib.import_module` / `__import__` calls alike."""
    lines = {
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, FUNCTIONS)
        for node in ast.walk(function)
        if isinstance(node, IMPORTS) or _is_dynamic_import(node)
    }
    return sorted(lines)


def _is_type_checking(test: ast.expr) -> bool:
    return ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def load_time_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is loaded: outside function
    bodies, and not under `if TYPE_CHECKING:` (its `else:` does run)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(nodes: list[ast.AST]) -> None:
        for node in nodes:
            if isinstance(node, FUNCTIONS):
                continue
            if isinstance(node, IMPORTS):
                found.append(node)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.orelse)
            else:
                visit(list(ast.iter_child_nodes(node)))

    visit(tree.body)
    return found


def imported_modules(name: str, tree: ast.Module, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """The modules of `modules` that `name` imports when it is loaded. `from a import b`
    is an edge to a.b when that is a module, else to a."""
    package = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in load_time_imports(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([node.module] if node.module else []))
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            targets.add(submodule if submodule in modules else base)
    return {target for target in targets if target in modules}


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    return {
        name: imported_modules(name, ast.parse(path.read_text(encoding="utf-8")), path.name == "__init__.py", modules)
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a cycle (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


# ------------------------------------------------------------------ the checks on bot/


def test_the_gateway_is_found():
    assert {"bot.chat", "bot.keys", "bot.clock", "bot.transcript", "bot.handoff.flow", "bot.desk.routes"} <= set(MODULES)


def test_no_module_imports_inside_a_function():
    offenders = [
        f"{path.relative_to(BOT.parent)}:{line}"
        for path in MODULES.values()
        for line in imports_in_functions(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "import at the top of the module instead (a cycle means a layer is wrong): " + ", ".join(offenders)


def test_the_module_import_graph_has_no_cycle():
    assert cycles(import_graph(MODULES)) == []


def test_chat_and_desk_meet_only_in_the_handoff():
    graph = import_graph(MODULES)

    def imports(prefix: str) -> set[str]:
        return {target for name, targets in graph.items() if name == prefix or name.startswith(prefix + ".") for target in targets}

    def inside(names: set[str], prefix: str) -> set[str]:
        return {name for name in names if name == prefix or name.startswith(prefix + ".")}

    assert inside(imports("bot.chat"), "bot.desk") == set()
    assert inside(imports("bot.desk"), "bot.chat") == set()
    for above in ("bot.chat", "bot.api", "bot.desk"):
        assert inside(imports("bot.handoff"), above) == set()
    # The bottom: the clock imports nothing of the gateway, the transcript only the storage models.
    assert imports("bot.clock") == set()
    assert imports("bot.transcript") <= {"bot.storage.models"}


# ------------------------------------------------------------------ the checks check


def test_an_import_inside_a_function_is_found():
    tree = ast.parse(
        "import os\n"
        "def f():\n    from bot.chat import utcnow\n"
        "async def g():\n    def h():\n        import json\n"
        "k = lambda: __import__('x')\n"
        "def m():\n    return importlib.import_module('bot.chat')\n"
        "import_module('at_the_top_is_fine')\n"
    )
    assert imports_in_functions(tree) == [3, 6, 7, 9]


def test_load_time_imports_skip_functions_and_type_checking_only():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.metrics import Metrics\nelse:\n    from bot import hub\n"
        "try:\n    import bot.locks\nexcept ImportError:\n    pass\n"
        "def f():\n    from bot import chat\n"
        "from . import keys\n"
        "from .desk import tickets\n"
    )
    modules = {name: Path() for name in ("bot.metrics", "bot.hub", "bot.locks", "bot.chat", "bot.keys", "bot.desk", "bot.desk.tickets")}
    assert imported_modules("bot.example", tree, False, modules) == {"bot.hub", "bot.locks", "bot.keys", "bot.desk.tickets"}
    assert imported_modules("bot.desk", ast.parse("from . import tickets\n"), True, modules) == {"bot.desk.tickets"}


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []
