"""Words the user reads twice: the README and ? agree, the status line quotes as the README does,
the header says each thing once and cuts with '…'."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets._header import HeaderTitle

from swr_tui.ui.actions import FIXED_HELP_BEFORE

from .conftest import NARROW, Start
from .readme_keys import readme_key_rows

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keys() -> dict[str, str]:
    """The README's Keys table: key cell -> action cell."""
    return {row.keys: row.action for row in readme_key_rows()}


def test_enter_is_described_the_same_in_the_readme_and_the_help_screen() -> None:
    [enter] = [entry for entry in FIXED_HELP_BEFORE if entry.keys == "enter"]
    assert readme_keys()["`enter`"] == enter.action


async def test_the_status_line_quotes_the_filter_as_the_readme_does(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.pilot.press("slash")
        ui.app.filter_input.value = "v2.4"
        await ui.press("enter")
        assert ui.status.endswith(' · filter "v2.4"')
        assert 'filter "rc"' in README.read_text(encoding="utf-8")


async def test_a_long_header_is_cut_with_an_ellipsis(start: Start) -> None:
    label = "profile login · registry.example.test:8443 · IAM login as 'demo-user' of account 'acme-corp'"
    async with start(label=label, size=NARROW) as ui:
        title = ui.app.browser.query_one(HeaderTitle)
        [line] = title.render_lines(Region(0, 0, title.size.width, 1))
        text = line.text.rstrip()
        assert text.endswith("…")
        assert text.startswith("swr-tui — profile login · registry.example.test:8443")
        assert line.cell_length <= title.size.width
