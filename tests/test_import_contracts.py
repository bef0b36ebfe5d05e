"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and they are not vacuous:
a Textual import added to the registry client breaks them. Both runs check a copy of the package in
a temporary folder, so the real tree is never edited and no cache lands in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")  # installed with the test extra from Python 3.11 on

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "swr_tui", tmp_path / "swr_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=folder,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_contracts_hold_on_this_tree(package_copy: Path) -> None:
    result = lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_textual_import_in_the_client_breaks_them(package_copy: Path) -> None:
    client = package_copy / "swr_tui" / "swr" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "\nimport textual  # noqa\n", encoding="utf-8")

    result = lint_imports(package_copy)

    assert result.returncode != 0
    assert "swr_tui.swr.client -> textual" in result.stdout


LAYERS_CONTRACT = "Layers run one way, cli on top, safe_text at the bottom"


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("output.py", "swr_tui.settings.model"),  # output sits below settings
        ("settings/model.py", "swr_tui.export"),  # settings and export import nothing from each other
        ("swr/paging.py", "swr_tui.fake.wire"),  # the fake registry is above swr, never under it
        ("safe_text.py", "swr_tui.formatting"),  # safe_text is the bottom layer
    ],
)
def test_an_import_against_the_layers_breaks_them(package_copy: Path, importer: str, imported: str) -> None:
    module = package_copy / "swr_tui" / importer
    module.write_text(module.read_text(encoding="utf-8") + f"\nimport {imported}  # noqa\n", encoding="utf-8")

    result = lint_imports(package_copy)

    assert result.returncode != 0
    assert f"{LAYERS_CONTRACT} BROKEN" in result.stdout
