"""The footer at 80 columns: the most used keys first, no label cut in half (issue 16.11)."""

from __future__ import annotations

import pytest
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from swr_tui.ui.footer import FittingFooter

from .conftest import UI, Start

SMALL = (80, 24)


async def shown_keys(ui: UI) -> list[str]:
    """The footer's keys as drawn, left to right, each checked to be whole and clear of the palette
    key on the right; the palette key itself is left out."""
    footer = ui.app.browser.query_one(Footer)
    # The footer recomposes after a focus change or a resize: wait for its keys to be back.
    await ui.wait_until(lambda: bool(footer.query(".-command-palette")))
    palette = footer.query_one(".-command-palette", FooterKey)
    keys = [key for key in footer.query(FooterKey) if key is not palette and key.display]
    labels = []
    for key in sorted(keys, key=lambda key: key.region.x):
        label = f"{key.key_display} {key.description}"
        assert key.region.width >= len(label), f"{label!r} is cut to {key.region.width} cells"
        assert key.region.right <= palette.region.x, f"{label!r} runs under the palette key"
        assert key.region.y == footer.region.y
        labels.append(label)
    return labels


async def test_the_tags_footer_at_80_columns_starts_with_the_most_used_keys(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        labels = await shown_keys(ui)
        assert labels[:6] == ["? Keys", "q Quit", "/ Filter", "c Copy pull", "y Copy…", "z Zoom"]


async def test_no_footer_label_is_cut_whatever_has_the_focus_or_the_size(start: Start) -> None:
    async with start(repository="acme/webapp", size=(200, 30)) as ui:
        wide = await shown_keys(ui)
        await ui.pilot.resize_terminal(*SMALL)
        await ui.settle()
        narrow = await shown_keys(ui)
        assert narrow == wide[: len(narrow)]
        assert len(narrow) < len(wide)

        await ui.press("shift+tab")  # the sidebar
        assert ui.app.focused is ui.app.catalog
        assert (await shown_keys(ui))[:3] == ["? Keys", "q Quit", "⏎ Open"]
        await ui.press("tab", "enter")  # the manifest
        assert (await shown_keys(ui))[:2] == ["? Keys", "q Quit"]


async def test_the_keys_are_made_again_only_when_they_change(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    compose = FittingFooter.compose

    def counted(self: FittingFooter) -> ComposeResult:
        made.append(type(self.app.focused).__name__)
        return compose(self)

    monkeypatch.setattr(FittingFooter, "compose", counted)
    async with start() as ui:
        ui.app.catalog.focus()
        await ui.settle()
        made.clear()
        ui.app.open_repository("acme", "webapp")  # the focus moves to the tags: told twice
        await ui.settle()
        assert made == ["TagTable"]
        assert "/ Filter" in await shown_keys(ui)
        await ui.press("shift+tab")  # the sidebar's keys are others: made again
        await ui.settle()
        assert made == ["TagTable", "CatalogTree"]
        assert "⏎ Open" in await shown_keys(ui)
