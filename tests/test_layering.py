"""The import graph: `kit/` imports no domain, nothing imports in a cycle, and no import hides in a function.

Read from the source with `ast` (every import counts: top-level, under TYPE_CHECKING, or in a function), so a
cycle cannot be dodged by moving an import out of sight.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "dossier"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, ast.stmt, bool]]:
    """(imported dossier module, the statement, whether it sits inside a function) for each import."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from dossier.signals import repository` imports a module; `from x.y import name` imports x.y.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                while target not in MODULES and "." in target:
                    target = target.rsplit(".", 1)[0]
                assert isinstance(node, ast.stmt)
                yield target, node, id(node) in in_function


GRAPH = {name: {target for target, _, _ in _imports(name, path) if target != name} for name, path in MODULES.items()}


def _domain(module: str) -> str:
    """The top-level part of dossier a module belongs to: a package (`dossier.signals`) or a module."""
    return ".".join(module.split(".")[:2])


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph`, as the nodes along it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_kit_imports_no_domain() -> None:
    offending = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.startswith(f"{PACKAGE}.kit")
        for target in targets
        if not target.startswith(f"{PACKAGE}.kit")
    )
    assert not offending, offending


def test_no_module_imports_in_a_cycle() -> None:
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_no_two_domains_import_each_other() -> None:
    """Across packages too: signals -> templates -> signals is a cycle even when no module meets itself."""
    domains: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        domains.setdefault(_domain(name), set()).update(_domain(t) for t in targets if _domain(t) != _domain(name))
    domains.pop(PACKAGE, None)  # dossier/__init__.py (the version) is imported by the app and the CLI only
    assert _cycle(domains) is None, " -> ".join(_cycle(domains) or [])


# The command line imports what a command needs when it runs, so that `dossier keys list` does not load the
# web app; nothing there is a cycle dodged (test_no_module_imports_in_a_cycle counts those imports too).
DEFERRED_FOR_STARTUP = {f"{PACKAGE}.cli"}


def test_no_imports_hidden_in_functions() -> None:
    hidden = sorted(
        {
            f"{name}:{node.lineno} imports {target}"
            for name, path in MODULES.items()
            if name not in DEFERRED_FOR_STARTUP
            for target, node, in_function in _imports(name, path)
            if in_function
        }
    )
    assert not hidden, hidden


@pytest.mark.parametrize(
    ("graph", "cyclic"),
    [({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True), ({"a": {"b"}, "b": {"c"}, "c": set()}, False)],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cyclic: bool) -> None:
    assert (_cycle(graph) is not None) == cyclic


def _app_state_reads(path: Path) -> Iterator[tuple[int, str]]:
    """(line, enclosing function) for each `<x>.app.state` in a module."""
    tree = ast.parse(path.read_text(), str(path))
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and node.attr == "state":
                    if isinstance(node.value, ast.Attribute) and node.value.attr == "app":
                        yield node.lineno, function.name


def test_app_state_is_read_only_by_dependency_providers() -> None:
    """Handlers and dependencies (authenticate included) take the server's parts as `Annotated` dependencies;
    the one place each part is read from the app is its `current_*` provider, which tests can override."""
    offending = sorted(
        f"{name}:{line} in {function}()"
        for name, path in MODULES.items()
        if name != f"{PACKAGE}.app"  # builds the app and puts the parts there
        for line, function in _app_state_reads(path)
        if not function.startswith("current_")
    )
    assert not offending, offending
