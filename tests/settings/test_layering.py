"""What the settings and commands packages leave unloaded: no Textual anywhere in them, and saving
a profile needs neither the export nor the output code (nor rich). Checked in a fresh interpreter,
since this test session has long imported all of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import swr_tui

PACKAGE = Path(swr_tui.__file__).resolve().parent


def _modules(package: str) -> list[str]:
    folder = PACKAGE / package
    names = [f"swr_tui.{package}"]
    names += [
        f"swr_tui.{package}.{path.stem}" for path in sorted(folder.glob("*.py")) if path.stem != "__init__"
    ]
    return names


def _loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_settings_and_commands_import_no_textual() -> None:
    imports = "\n".join(f"import {name}" for name in [*_modules("settings"), *_modules("commands")])
    loaded = _loaded_after(imports + "\nimport swr_tui.private_files")
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_saving_a_profile_loads_no_export_output_or_rich(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    code = (
        # httpx imports its command line (click, rich, pygments) whenever click is installed, and
        # the test extra brings click (import-linter): hide it, as a user's install may not have it.
        "import sys\n"
        "sys.modules['click'] = None\n"
        "from pathlib import Path\n"
        "from swr_tui.settings.config_writer import save_profile\n"
        f"save_profile(Path({str(target)!r}), 'prod', {{'region': 'cn-north-4'}})\n"
    )
    loaded = _loaded_after(code)
    assert target.is_file()
    unwanted = {"swr_tui.export", "swr_tui.output", "rich"}
    assert not {name for name in loaded if name in unwanted or name.startswith("rich.")}
