"""R: the Retention screen. Its count over the whole repository equals the evaluator's over every tag,
escape stops the read (no more requests), the log's filter finds a deleted tag and says when and by
which rule, and each part that fails says so in its own line while the others still show."""

from __future__ import annotations

import pytest
from app_harness import ANCHOR, client_for, launch, plain
from fault_rules import arm
from rich.text import Text
from textual.widgets import Static

from swr_tui.fake import FakeRegistry, governance_data
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.swr.bulk import fetch_all_tags
from swr_tui.swr.governance_api import list_retentions
from swr_tui.swr.retention import evaluate_tags, plan_retentions
from swr_tui.ui.screens import retention as retention_screen
from swr_tui.ui.screens.browser import BrowserScreen
from swr_tui.ui.screens.retention import RetentionScreen

from ..conftest import UI, Start


def text_of(ui: UI, widget_id: str) -> str:
    return plain(ui.app.screen.query_one(f"#{widget_id}", Static).content)


async def expected_deletions(registry: FakeRegistry, namespace: str, repository: str) -> list[str]:
    client = client_for(registry)
    try:
        plan = plan_retentions(await list_retentions(client, namespace, repository))
        tags = await fetch_all_tags(client, namespace, repository)
    finally:
        await client.aclose()
    return [verdict.tag for verdict in evaluate_tags(plan, tags, ANCHOR) if verdict.deleted]


async def test_the_count_is_the_evaluators_over_every_tag(start: Start, registry: FakeRegistry) -> None:
    expected = await expected_deletions(registry, "acme", "webapp")
    assert expected
    asked = registry.count("retentions")
    async with start(repository="acme/webapp") as ui:
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.counted == (len(expected), 32)
        assert [verdict.tag for verdict in screen.doomed] == expected
        assert text_of(ui, "retention-rule") == "retention: keep 90 days, except 'v1.0.0'"
        assert (
            text_of(ui, "retention-status")
            == f"Would delete {len(expected)} of 32 tags (SWR is the authority)."
        )
        listing = text_of(ui, "retention-list")
        first = screen.doomed[0]
        assert f"{first.tag}  {first.reason}" in listing
        assert "pushed " in first.reason
        assert registry.count("retentions") == asked + 1  # the browser's reading is reused


async def test_escape_cancels_the_read_and_no_more_requests_go_out(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention_screen, "COUNT_PAGE_SIZE", 100)  # in-flight pages end sooner
    async with start(repository="acme/ci-builds") as ui:
        before = registry.count("tags")
        await ui.pilot.press("R")  # no settle: the 100,000-tag read is under way
        assert isinstance(ui.app.screen, RetentionScreen)
        await ui.pilot.press("escape")
        await ui.settle()
        assert isinstance(ui.app.screen, BrowserScreen)
        read = registry.count("tags") - before
        assert read < 100_000 // 100  # stopped well before the last of 1,000 pages
        await ui.pilot.pause(0.05)
        await ui.settle()
        assert registry.count("tags") - before == read


async def test_the_log_filter_finds_a_deleted_tag_and_says_when_and_by_which_rule(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert text_of(ui, "retention-log-status") == "6 tags deleted, newest first"
        await ui.press("slash", *"V0.8.3")  # case does not matter
        assert [entry.tag for entry in screen.log_shown] == ["v0.8.3"]
        entry = screen.log_shown[0]
        assert text_of(ui, "retention-log-status") == '1 deleted tag matches "V0.8.3"'
        line = text_of(ui, "retention-log")
        assert line == f"v0.8.3  deleted {entry.created_at} by date_rule #102 (keep 90 days, except 'v1.0.0')"
        await ui.press(*"x")
        assert screen.log_shown == []
        assert text_of(ui, "retention-log-status") == 'No deleted tag matches "V0.8.3x".'


async def test_the_log_filter_reads_every_page_of_the_log_once(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention_screen, "LOG_PAGE_SIZE", 2)  # webapp's 6 rows in 3 pages
    async with start(repository="acme/webapp") as ui:
        await ui.press("R")
        assert registry.count("retention-log") == 1
        assert text_of(ui, "retention-log-status") == "6 tags deleted, newest first"
        await ui.press("slash", *"v0.8.")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert [entry.tag for entry in screen.log_shown] == [f"v0.8.{n}" for n in range(6, 0, -1)]
        assert registry.count("retention-log") == 1 + 3  # the first page, then the whole log once
        await ui.press("1")
        assert [entry.tag for entry in screen.log_shown] == ["v0.8.1"]
        assert registry.count("retention-log") == 4  # filtered in memory from then on


async def test_a_failing_log_says_so_and_the_count_still_shows(start: Start, registry: FakeRegistry) -> None:
    arm(registry, "retention-log:404")
    async with start(repository="acme/webapp") as ui:
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.counted is not None
        status = ui.app.screen.query_one("#retention-log-status", Static)
        assert status.has_class("-error")
        assert plain(status.content).startswith("The retention log could not be read: ")
        assert text_of(ui, "retention-log") == ""


async def test_failing_rules_say_so_and_the_log_still_shows(start: Start, registry: FakeRegistry) -> None:
    arm(registry, "retentions:502")  # a gateway's HTML page
    with registry.serve() as server:
        client = client_for(registry, server.url, over_loopback=True)
        async with start(repository="acme/webapp", client=client) as ui:
            await ui.press("R")
            screen = ui.app.screen
            assert isinstance(screen, RetentionScreen)
            assert text_of(ui, "retention-rule") == "The rule could not be read."
            status = screen.query_one("#retention-status", Static)
            assert status.has_class("-error")
            assert "Press r to try again." in plain(status.content)
            assert registry.count("tags", limit=500) == 0  # no rule known: no tag is read
            assert text_of(ui, "retention-log-status") == "6 tags deleted, newest first"
            registry.faults.clear()
            await ui.press("r")
            assert screen.counted is not None
            assert text_of(ui, "retention-rule") == "retention: keep 90 days, except 'v1.0.0'"


async def test_a_rule_that_cannot_be_evaluated_is_said_and_no_tag_is_read(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = [{"id": 7, "algorithm": "or", "rules": [{"template": "tag_rule", "params": {"num": "x"}}]}]
    monkeypatch.setitem(governance_data.RETENTIONS, ("acme", "team/app"), broken)
    async with start(repository="acme/team/app") as ui:
        assert "(cannot be evaluated; R says why)" in str(
            ui.app.browser.query_one("#retention-line", Static).content
        )
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.counted is None
        assert text_of(ui, "retention-status").startswith(
            "The rule cannot be evaluated: tag_rule needs params.num"
        )
        assert registry.count("tags", limit=500) == 0


async def test_hostile_rule_and_log_text_is_shown_escaped() -> None:
    hostile = HostileRegistry(seed=0)
    async with launch(client_for(hostile), repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        written = len(ui.written)
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.log_shown  # every hostile string as a deleted tag
        shown = "\n".join(
            plain(widget.content) for widget in screen.query(Static) if isinstance(widget.content, Text)
        )
        assert "PWNED-TITLE" in shown
        assert "\\x1b]0;PWNED-TITLE" in shown  # the escape shown, not sent
        assert "\x1b" not in shown
        assert "\x07" not in shown
        assert not any("\x1b]0;PWNED" in data or "\x1b]52;" in data for data in ui.written[written:])
