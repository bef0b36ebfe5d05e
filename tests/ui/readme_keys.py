"""The README's Keys table, read as rows: key cell, action id cell, action cell."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

README = Path(__file__).resolve().parents[2] / "README.md"


class ReadmeKey(NamedTuple):
    keys: str
    id: str
    action: str


def readme_key_rows() -> list[ReadmeKey]:
    section = README.read_text(encoding="utf-8").split("### Keys\n", 1)[1].split("\n### ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| key |"):
            continue
        cells = [cell.strip() for cell in line.strip()[1:-1].split("|")]
        assert len(cells) == 3, f"a Keys row needs key | id | action: {line!r}"
        rows.append(ReadmeKey(cells[0], cells[1].strip("`"), cells[2]))
    return rows
