"""What the detail pane redraws as the cursor moves (issue 14): a tag read before is shown from the
sections drawn for it (no table built, nothing rendered), a section as tall as the one it replaces
needs no layout of the screen, and the retention line under the status line never asks for one."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from textual.widgets import Static

from swr_tui.ui.widgets import image_depth, tag_detail
from swr_tui.ui.widgets.drawn_sections import DrawnSection

from .conftest import UI, Start
from .test_image_depth import config_shown

SECTIONS = ("detail-facts", "detail-summary", "detail-depth")


def counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    """Replace ``module.name`` by a wrapper that records each call."""
    calls: list[object] = []
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def layouts_of(widget: Static) -> list[bool]:
    """The ``layout`` flag of each ``update`` of ``widget`` from now on."""
    flags: list[bool] = []
    update = widget.update

    def recording(content: Any = "", *, layout: bool = True) -> None:
        flags.append(layout)
        update(content, layout=layout)

    widget.update = recording  # type: ignore[method-assign]
    return flags


def section(ui: UI, widget_id: str) -> DrawnSection:
    content = ui.app.browser.query_one(f"#{widget_id}", Static).content
    assert isinstance(content, DrawnSection), f"#{widget_id} holds {content!r}"
    return content


async def test_going_back_to_a_tag_draws_none_of_its_sections_again(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await config_shown(ui)
        first = {widget_id: section(ui, widget_id) for widget_id in SECTIONS}
        texts = (ui.facts_text(), ui.summary_text(), ui.drawn_text("detail-depth"))
        renders = {widget_id: drawn.renders for widget_id, drawn in first.items()}
        await ui.highlight("v1.0.0")
        await config_shown(ui)
        assert "v1.0.0" in ui.facts_text()
        built = [
            counted(monkeypatch, tag_detail, "facts_table"),
            counted(monkeypatch, tag_detail, "summary_table"),
            counted(monkeypatch, image_depth, "config_section"),
        ]

        await ui.highlight("v2.1.0")

        assert ui.app.browser.depth.view is not None  # drawn at once: no rest, no load
        assert built == [[], [], []]
        for widget_id, drawn in first.items():
            assert section(ui, widget_id) is drawn
            assert drawn.renders == renders[widget_id] == 1  # rendered once, for height and drawing
        assert (ui.facts_text(), ui.summary_text(), ui.drawn_text("detail-depth")) == texts


async def test_a_section_as_tall_as_the_one_it_replaces_needs_no_layout(start: Start) -> None:
    async with start(repository="acme/ci-builds") as ui:
        await ui.highlight("build-099999")
        facts = ui.app.browser.query_one("#detail-facts", Static)
        layouts = layouts_of(facts)

        await ui.highlight("build-099998")  # the same facts, another tag: as many lines

        assert layouts == [False]
        assert ui.facts()["Tag"] == "build-099998"
        assert "build-099998" in ui.facts_text()  # drawn, not only held


async def test_a_taller_section_lays_the_pane_out_again(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        facts = ui.app.browser.query_one("#detail-facts", Static)
        layouts = layouts_of(facts)
        lines = len(ui.facts_text().splitlines())

        await ui.highlight("latest")  # shares v2.4.1's digest and signature: more lines

        assert layouts == [True]
        drawn = [" ".join(line.split()) for line in ui.facts_text().splitlines()]
        assert "Same digest v2.4.1" in drawn
        assert len(drawn) > lines


async def test_the_retention_line_asks_for_no_layout_as_the_cursor_moves(start: Start) -> None:
    async with start(repository="acme/ci-builds") as ui:
        line = ui.app.browser.query_one("#retention-line", Static)
        layouts = layouts_of(line)

        for _ in range(3):
            await ui.press("down")

        assert len(layouts) >= 3  # one update per status change at least
        assert not any(layouts)
        assert ui.status.startswith("acme/ci-builds · row 4 of 100,000")
        assert str(line.content).startswith("retention: keep 50 newest")
