"""No module in swr_tui over MAX_MODULE_LINES lines: a longer one holds more than one job."""

from __future__ import annotations

from pathlib import Path

import swr_tui

MAX_MODULE_LINES = 500  # past this a module does more than one job (issue 10): split it
PACKAGE = Path(swr_tui.__file__).parent
# None: a module that must be longer for a while goes here, with the reason.
ALLOWED_LONGER: set[str] = set()


def modules_over(root: Path, limit: int) -> dict[str, int]:
    """The .py files under ``root`` longer than ``limit`` lines, by their path from ``root``."""
    over = {}
    for path in sorted(root.rglob("*.py")):
        with path.open(encoding="utf-8") as source:
            lines = sum(1 for _ in source)
        if lines > limit:
            over[path.relative_to(root).as_posix()] = lines
    return over


def test_no_module_is_over_the_limit() -> None:
    over = modules_over(PACKAGE, MAX_MODULE_LINES)

    assert {name: lines for name, lines in over.items() if name not in ALLOWED_LONGER} == {}


def test_the_allowed_modules_exist() -> None:
    assert all((PACKAGE / name).is_file() for name in ALLOWED_LONGER)


def test_a_long_module_is_found(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * 501, encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * 500, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x\n" * 900, encoding="utf-8")

    assert modules_over(tmp_path, 500) == {"sub/long.py": 501}
