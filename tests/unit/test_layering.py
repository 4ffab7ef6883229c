"""The layering contract of ``src/shlint``: imports go down the layers, never up, and never round in a loop.

Read from the source with :mod:`ast` (imports inside functions count; imports under ``if TYPE_CHECKING:`` do
not, since they never run). A module belongs to the first layer whose pattern names it; a module may import
its own layer and the layers below it. The layers, top to bottom, are the data flow of docs/DESIGN.md.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "shlint"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry points", ("shlint.__main__", "shlint.cli")),
    ("one check run", ("shlint.command",)),
    ("reporters", ("shlint.reporters", "shlint.reporters.*")),
    ("library API", ("shlint", "shlint.api", "shlint.cache", "shlint.parallel")),
    ("engine", ("shlint.analyzer.engine",)),
    ("deciding", ("shlint.decide",)),
    ("settings", ("shlint.config", "shlint.configfile", "shlint.simple_toml")),
    ("rules", ("shlint.rules.*",)),
    ("rule API", ("shlint.rules", "shlint.rules.api", "shlint.rules.catalogue")),
    ("input kinds", ("shlint.analyzer.documents", "shlint.analyzer.documents.*", "shlint.analyzer.hcl*")),
    ("semantics", ("shlint.analyzer", "shlint.analyzer.*")),
    (
        "loaders",
        (
            "shlint.analyzer.source",
            "shlint.analyzer.source.*",
            "shlint.analyzer.hcl.parse",
            "shlint.analyzer.hcl.source",
            "shlint.analyzer.hcl.strings",
        ),
    ),
    (
        "records",
        (
            "shlint.findings",
            "shlint.fixes",
            "shlint.suppressions",
            "shlint.inline_suppressions",
            "shlint.baseline",
        ),
    ),
    (
        "positions, paths and escapes",
        (
            "shlint.positions",
            "shlint.paths",
            "shlint.version",
            "shlint.escape",
            "shlint.records",
            "shlint.patterns",
        ),
    ),
)
# Beyond the layers: what findings and reporters must never depend on (how a file was read).
FORBIDDEN = (
    ("shlint.findings", "shlint.analyzer*"),
    ("shlint.reporters*", "shlint.analyzer.source*"),
    ("shlint.reporters*", "shlint.analyzer.documents*"),
    ("shlint.rules.catalogue", "shlint.analyzer*"),
    ("shlint*", "typer*"),
    ("shlint*", "click*"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def runtime_imports(path: Path) -> Iterator[str]:
    """Names of the modules ``path`` imports when it runs (``from a import b`` gives ``a.b`` if a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
        for statement in block.body
        for node in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in MODULES
            )


@cache
def graph() -> dict[str, set[str]]:
    return {
        name: {imported for imported in runtime_imports(path) if imported != name}
        for name, path in MODULES.items()
    }


def layer_of(name: str) -> int:
    """The layer a module belongs to: the most specific (longest) pattern naming it decides."""
    matches = [
        (len(pattern), index)
        for index, (_, patterns) in enumerate(LAYERS)
        for pattern in patterns
        if fnmatch.fnmatchcase(name, pattern)
    ]
    assert matches, f"{name} is in no layer; add it to LAYERS"
    return max(matches)[1]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_the_layers(name: str) -> None:
    own = layer_of(name)
    upward = [
        f"{imported} ({LAYERS[layer_of(imported)][0]})"
        for imported in sorted(graph()[name])
        if imported in MODULES and layer_of(imported) < own
    ]
    assert not upward, f"{name} ({LAYERS[own][0]}) imports upward: {', '.join(upward)}"


def test_no_forbidden_imports() -> None:
    problems = [
        f"{name} imports {imported}"
        for name, imports in graph().items()
        for imported in sorted(imports)
        for importer, target in FORBIDDEN
        if fnmatch.fnmatchcase(name, importer) and fnmatch.fnmatchcase(imported, target)
    ]
    assert not problems


def test_no_import_loops() -> None:
    edges = {
        name: {imported for imported in imports if imported in MODULES} for name, imports in graph().items()
    }
    state: dict[str, int] = {}  # 1 visiting, 2 done
    loops: list[str] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for imported in sorted(edges[name]):
            if state.get(imported) == 1:
                loops.append(" -> ".join([*trail[trail.index(imported) :], imported]))
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not loops, "\n".join(loops)


def test_the_contract_can_fail() -> None:
    """A made-up upward import is caught: the test above is not vacuous."""
    assert layer_of("shlint.positions") > layer_of("shlint.findings") > layer_of("shlint.analyzer.engine")
    assert layer_of("shlint.rules.trust.trust_any_principal") < layer_of("shlint.rules.api")
