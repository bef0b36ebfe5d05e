"""swr_tui.swr is the UI-free layer: importing it must never pull in Textual."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import swr_tui.swr

PACKAGE_DIR = Path(swr_tui.swr.__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent

PROBE = """
import importlib, json, pkgutil, sys
import swr_tui.swr as package
names = sorted(m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"modules": names, "textual": loaded}))
"""


def _module_files() -> list[Path]:
    return sorted(path for path in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in path.parts)


def test_importing_every_swr_module_does_not_import_textual() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {
        "swr_tui.swr." + str(path.relative_to(PACKAGE_DIR).with_suffix("")).replace(os.sep, ".")
        for path in _module_files()
        if path.name != "__init__.py"
    }
    assert expected <= set(report["modules"])
    for core in ("signer", "paging", "models", "errors", "retry", "auth", "client", "regions"):
        assert f"swr_tui.swr.{core}" in report["modules"]
    assert report["textual"] == []


TEXTUAL_IMPORT = re.compile(r"^\s*(?:import\s+textual\b|from\s+textual\b)", re.MULTILINE)


def test_no_swr_file_mentions_importing_textual() -> None:
    files = _module_files()
    assert len(files) >= 9
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "import textual" in text or TEXTUAL_IMPORT.search(text):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == []
