"""A package's names imported from their modules when first used (PEP 562), so that importing one
module of the package does not import them all (issue 14: the browser's start needs a few).

A package assigns the two functions inside ``if not TYPE_CHECKING:`` and imports the same names
under ``if TYPE_CHECKING:``, so that mypy still checks every name imported from it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Callable


def lazy_names(
    package: str, module_of: Mapping[str, str], exported: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's ``__getattr__`` and ``__dir__``: ``module_of`` maps each name to its module,
    relative to ``package``; ``exported`` (its ``__all__``) is listed by ``dir()`` before use."""
    listed = frozenset(exported)

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f".{module}", package), name)

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *listed})

    return __getattr__, __dir__
