"""``lazy_names``: a package's names imported from their modules on first use, listed before it."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import pytest

import swr_tui.commands
import swr_tui.inspection


@pytest.mark.parametrize("package", [swr_tui.commands, swr_tui.inspection])
def test_every_exported_name_is_listed_and_resolves_to_its_module(package: Any) -> None:
    exported = package.__all__
    assert set(exported) <= set(dir(package))
    for name, module in package._MODULE_OF.items():
        assert name in exported
        assert getattr(package, name) is getattr(
            importlib.import_module(f"{package.__name__}.{module}"), name
        )
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        package.no_such_name  # noqa: B018


def test_one_name_imports_its_module_only() -> None:
    code = (
        "import sys\nfrom swr_tui.commands import key_label\n"
        "print(sorted(name for name in sys.modules if name.startswith('swr_tui.commands')))"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["['swr_tui.commands',", "'swr_tui.commands.keys']"]
