"""The retention rule in the browser: the rule's line under the status line, the ⌫ marks on exactly
the rows the rule would delete (from the row number, no extra request), the reason in the detail
pane, "unknown with a filter", and the rules' API failing (403, 404, HTML) without breaking the rest.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Optional

import pytest
from app_harness import ANCHOR, client_for, launch, plain
from fault_rules import arm
from textual.widgets import Static

from swr_tui.fake import FakeRegistry
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.swr.retention import pushed_at
from swr_tui.ui.screens import browser as browser_module

from .conftest import UI, Start

CI_RULE = r"retention: keep 50 newest, except /^build-\d{3}000$/"
WEBAPP_RULE = "retention: keep 90 days, except 'v1.0.0'"


def retention_line(ui: UI) -> Optional[str]:
    """The rule's line under the status line, or None while it is hidden."""
    line = ui.app.browser.query_one("#retention-line", Static)
    return str(line.content) if line.has_class("-shown") else None


def marked_rows(ui: UI) -> dict[str, bool]:
    """Each drawn tag row's name -> whether it carries the ⌫ mark (and is drawn dim)."""
    table = ui.app.table
    found = {}
    for y in range(1, table.size.height):
        strip = table.render_line(y)
        text = strip.text
        if not text.strip() or "·····" in text:
            continue
        name = text[4:].split()[0]
        marked = text[2] == "⌫"
        dim = all(
            segment.style is not None and segment.style.dim for segment in strip if segment.text.strip()
        )
        assert marked == dim, f"{name}: the mark and the dim text disagree"
        found[name] = marked
    return found


async def show_row(ui: UI, row: int) -> None:
    ui.app.table.cursor_row = row
    await ui.settle()


def retention_fact(ui: UI) -> str:
    facts = " ".join(ui.detail_text("detail-facts").split())
    assert "Retention " in facts, facts
    return facts.split("Retention ", 1)[1]


async def test_ci_builds_shows_its_rule_and_marks_the_51st_newest(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/ci-builds") as ui:
        assert retention_line(ui) == CI_RULE
        assert ui.status == "acme/ci-builds · row 1 of 100,000 · newest first"  # its own line is kept
        assert registry.count("retentions") == 1
        await show_row(ui, 50)
        marks = marked_rows(ui)
        assert marks["build-099951"] is False  # the 50th newest: kept
        assert marks["build-099950"] is True  # the 51st newest: deleted
        newest_50 = {f"build-{100_000 - row:06d}" for row in range(50)}
        assert not any(marked for name, marked in marks.items() if name in newest_50)
        assert retention_fact(ui) == "would be deleted: 51st newest; rule keeps 50"
        await show_row(ui, 49)
        assert retention_fact(ui) == "kept: 50th newest; rule keeps 50"


async def test_the_exception_is_not_marked_and_says_which_exception_keeps_it(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/ci-builds") as ui:
        await show_row(ui, 1000)  # build-099000 matches ^build-\d{3}000$
        marks = marked_rows(ui)
        assert marks["build-099000"] is False
        assert marks["build-099001"] is True
        assert retention_fact(ui) == r"kept by exception /^build-\d{3}000$/"
        assert registry.count("retentions") == 1  # read once, whatever pages are fetched


async def test_webapp_date_rule_marks_tags_older_than_90_days(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        assert retention_line(ui) == WEBAPP_RULE
        table = ui.app.table
        tags = [table.cache.row(row) for row in range(table.total)]
        old = {
            tag.name
            for tag in tags
            if ANCHOR - pushed_at(tag.updated) > timedelta(days=90) and tag.name != "v1.0.0"
        }
        assert old, "the demo has tags older than the rule keeps"
        assert any(tag.name == "v1.0.0" for tag in tags)
        marks = marked_rows(ui)
        assert {name for name, marked in marks.items() if marked} == old
        await ui.highlight("v1.0.0")
        assert retention_fact(ui) == "kept by exception 'v1.0.0'"
        oldest = next(tag for tag in reversed(tags) if tag.name in old)
        await ui.highlight(oldest.name)
        days = (ANCHOR - pushed_at(oldest.updated)).days
        assert retention_fact(ui) == f"would be deleted: pushed {days} days ago; rule keeps 90 days"


async def test_with_a_filter_the_rank_is_unknown_and_nothing_is_marked_by_a_tag_rule(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_module, "FILTER_DEBOUNCE_S", 30.0)
    async with start(repository="acme/ci-builds") as ui:
        await ui.press("slash")
        ui.app.browser.filter_input.value = "build-0000"  # typed at once: the debounce waits 30 s
        await ui.press("enter")
        assert ui.app.table.query.tag_filter == "build-0000"
        assert ui.rows()
        assert not any(marked_rows(ui).values())
        assert retention_fact(ui) == "unknown with a filter"


async def test_a_date_rule_still_marks_under_a_filter(start: Start, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_module, "FILTER_DEBOUNCE_S", 30.0)
    async with start(repository="acme/webapp") as ui:
        before = {name for name, marked in marked_rows(ui).items() if marked}
        await ui.press("slash")
        ui.app.browser.filter_input.value = "v1"
        await ui.press("enter")
        after = marked_rows(ui)
        assert {name for name, marked in after.items() if marked} == {n for n in before if "v1" in n}
        assert after.get("v1.0.0") is False


async def test_r_reads_the_rules_again(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("r")
        assert registry.count("retentions") == 2
        assert retention_line(ui) == WEBAPP_RULE


async def test_a_repository_without_a_rule_shows_no_line_and_no_column(start: Start) -> None:
    async with start(repository="acme/team/app") as ui:
        assert ui.rows()
        assert retention_line(ui) is None
        assert "⌫" not in ui.table_lines()[0]
        assert "Retention" not in ui.detail_text("detail-facts")


@pytest.mark.parametrize(
    ("fault", "note"),
    [
        ("403", "retention rules no permission to read them"),
        ("config-missing", "retention rules not offered in this region"),
        ("malformed", "retention rules could not be read"),
        ("503", "retention rules could not be read"),
    ],
)
async def test_the_rules_failing_leave_one_dim_note_and_the_rest_works(
    start: Start, registry: FakeRegistry, fault: str, note: str
) -> None:
    arm(registry, f"retentions:{fault}")
    with registry.serve() as server:
        client = client_for(registry, server.url, over_loopback=True)
        async with start(repository="acme/webapp", client=client) as ui:
            assert retention_line(ui) == note
            line = ui.app.browser.query_one("#retention-line", Static)
            assert line.content.style == "dim" or all(span.style == "dim" for span in line.content.spans)
            assert len(ui.rows()) == 32
            assert "⌫" not in "\n".join(ui.table_lines())
            assert ui.status == "acme/webapp · row 1 of 32 · newest first"
            assert not [n for n in ui.notes if n.severity == "error"]
            assert ui.facts()["Tag"] == ui.rows()[0]


async def test_hostile_exception_text_is_scrubbed() -> None:
    hostile = HostileRegistry(seed=0)
    async with launch(client_for(hostile), repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        text = retention_line(ui)
        assert text is not None
        assert text.startswith("retention: keep 3 newest, except ")
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\\x1b" in text  # the escape shown, not sent
        assert not any("\x1b]0;" in data for data in ui.written)
        assert "\x1b" not in plain(ui.app.browser.query_one("#retention-line", Static).content)
