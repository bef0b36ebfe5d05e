"""No module of swr_tui imports another module's private name (``from x import _name``): what one
module needs from another is part of that module's public face, named as such."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "swr_tui"


def private_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{'.' * node.level}{node.module or ''}.{alias.name}")
    return found


def test_the_check_sees_a_private_import() -> None:
    assert private_imports("from .client import SwrClient, _decode\nfrom .. import __version__\n") == [
        ".client._decode"
    ]


def test_no_module_imports_a_private_name_of_another() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
