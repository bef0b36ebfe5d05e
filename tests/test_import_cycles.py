"""No import cycle among the modules of each package in ACYCLIC_PACKAGES, counting every import grimp
sees: at the top, inside functions and under TYPE_CHECKING."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from grimp import ImportGraph

grimp = pytest.importorskip("grimp")  # installed with the test extra from Python 3.11 on

ACYCLIC_PACKAGES = ["swr_tui"]


def import_cycles(graph: ImportGraph, package: str) -> list[list[str]]:
    """The strongly connected components (Tarjan) of more than one module inside ``package``."""
    modules = {name for name in graph.modules if name == package or name.startswith(package + ".")}
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return cycles


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    built: ImportGraph = grimp.build_graph("swr_tui", cache_dir=None)
    return built


@pytest.mark.parametrize("package", ACYCLIC_PACKAGES)
def test_no_import_cycle(graph: ImportGraph, package: str) -> None:
    assert import_cycles(graph, package) == []


def test_a_cycle_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "loop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "first.py").write_text("from loop import second\n", encoding="utf-8")
    (package / "second.py").write_text("def late():\n    from loop import first\n", encoding="utf-8")
    (package / "alone.py").write_text("from loop import first\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    found = import_cycles(grimp.build_graph("loop", cache_dir=None), "loop")

    assert found == [["loop.first", "loop.second"]]
