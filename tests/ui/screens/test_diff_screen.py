"""DiffScreen: the summary, the line diff, escape back, and hostile strings shown escaped."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app_harness import plain
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from swr_tui.fake import FakeRegistry
from swr_tui.swr.diff import TagDiff, diff_tags
from swr_tui.swr.manifest import parse_manifest
from swr_tui.swr.models import Tag
from swr_tui.ui.screens.diff import DiffScreen, DiffView, signed_size

from ..conftest import Start

HOSTILE_NAME = "x\x1b]52;c;SGk=\x07[/]"


def webapp_tag(registry: FakeRegistry, name: str) -> Tag:
    record = registry.dataset.tag("acme", "webapp", name)
    assert record is not None
    return Tag(name=record.name, digest=record.digest, size=record.size, manifest=record.manifest)


def diff_of(left: Tag, right: Tag) -> TagDiff:
    return diff_tags(left, parse_manifest(left.manifest), right, parse_manifest(right.manifest))


class Host(App[None]):
    """A bare app: the diff screen goes on top of its default screen."""


@asynccontextmanager
async def shown(
    diff: TagDiff, size: tuple[int, int] = (80, 24), repository: str = "acme/webapp"
) -> AsyncIterator[tuple[Host, Pilot[None], DiffScreen]]:
    """A running bare app with the diff screen of ``diff`` pushed on it."""
    app = Host()
    async with app.run_test(size=size) as pilot:
        screen = DiffScreen(repository, diff)
        await app.push_screen(screen)
        await pilot.pause()
        yield app, pilot, screen


def title_of(screen: DiffScreen) -> str:
    return plain(screen.query_one("#diff-title", Static).content)


def summary_of(screen: DiffScreen) -> str:
    return plain(screen.query_one("#diff-summary-text", Static).content)


def diff_lines(screen: DiffScreen, count: int) -> list[str]:
    view = screen.query_one("#diff-manifest", DiffView)
    return [view.render_line(y).text.rstrip() for y in range(count)]


def test_signed_size() -> None:
    assert signed_size(1536) == "+1.5 KiB"
    assert signed_size(-1536) == "-1.5 KiB"
    assert signed_size(0) == "0 B"


async def test_summary_and_line_diff(registry: FakeRegistry) -> None:
    left, right = webapp_tag(registry, "v1.0.0"), webapp_tag(registry, "v1.0.1")
    diff = diff_of(left, right)
    async with shown(diff, size=(120, 50)) as (app, pilot, screen):
        assert len(app.screen_stack) == 2
        assert title_of(screen) == "acme/webapp: v1.0.0 → v1.0.1"

        summary = summary_of(screen)
        assert "Kind       Docker image manifest v2" in summary
        assert f"({signed_size(right.size - left.size)})" in summary
        assert signed_size(right.size - left.size).startswith("+")
        assert f"{len(diff.layers_added)} added" in summary
        assert f"{len(diff.layers_removed)} removed" in summary
        assert "0 shared" in summary
        assert "Config     changed" in summary
        assert f"Compressed {signed_size(diff.layer_size_delta)} in layers" in summary
        first_added = diff.layers_added[0].digest[len("sha256:") :][:12]
        assert f"+ {first_added}" in summary

        # the manifest diff is focused and starts with the unified diff header
        assert isinstance(app.focused, DiffView)
        assert diff_lines(screen, 3) == ["--- v1.0.0", "+++ v1.0.1", diff.manifest_diff[2]]
        # added lines are coloured apart from context lines
        view = screen.query_one(DiffView)
        added_row = next(index for index, line in enumerate(diff.manifest_diff) if line.startswith("+ "))
        context_row = next(index for index, line in enumerate(diff.manifest_diff) if line.startswith(" "))
        added_colour = {seg.style.color for seg in view.render_line(added_row) if seg.style}
        context_colour = {seg.style.color for seg in view.render_line(context_row) if seg.style}
        assert added_colour != context_colour

        await pilot.press("escape")
        assert len(app.screen_stack) == 1
        assert app.screen is not screen


async def test_q_closes_too(registry: FakeRegistry) -> None:
    side = webapp_tag(registry, "v2.4.1")
    async with shown(diff_of(side, webapp_tag(registry, "latest"))) as (app, pilot, screen):
        summary = summary_of(screen)
        assert summary.startswith("Identical")
        assert "6 shared" in summary
        assert diff_lines(screen, 1) == ["(the manifests are the same)"]
        await pilot.press("q")
        assert len(app.screen_stack) == 1
        assert app.is_running


async def test_lists_and_invalid_manifest(registry: FakeRegistry) -> None:
    lists_diff = diff_of(webapp_tag(registry, "v1.4.0"), webapp_tag(registry, "v1.4.2"))
    async with shown(lists_diff, size=(140, 60)) as (app, pilot, lists):
        summary = summary_of(lists)
        assert "Platforms  3 added, 0 removed, 3 shared (3 changed)" in summary
        assert "attests" in summary
        assert "Config     none on either side" in summary

        broken = DiffScreen(
            "acme/webapp", diff_of(webapp_tag(registry, "v1.2.0"), webapp_tag(registry, "v1.4.1"))
        )
        await app.push_screen(broken)
        await pilot.pause()
        summary = summary_of(broken)
        assert "OCI image manifest → Invalid JSON" in summary
        assert "Note       v1.4.1: the manifest could not be read" in summary
        assert diff_lines(broken, 2) == ["--- v1.2.0", "+++ v1.4.1"]
        await pilot.press("escape")
        assert app.screen is lists


async def test_two_releases_show_each_platform_once_with_what_changed(registry: FakeRegistry) -> None:
    """Two releases of the same three platforms, each with its attestation: was "Platforms 6 added,
    6 removed, 0 shared"; now each platform once, its digest and size before and after."""
    left, right = webapp_tag(registry, "v2.3.0"), webapp_tag(registry, "v2.4.0")
    diff = diff_of(left, right)
    async with shown(diff, size=(160, 60)) as (_, _, screen):
        summary = summary_of(screen)
        assert "Platforms  0 added, 0 removed, 6 shared (6 changed)" in summary
        rows = [line.strip() for line in summary.splitlines() if line.startswith("  ~ ")]
        labels = [change.label for change in diff.platforms_shared]
        assert labels == [
            "linux/amd64",
            "linux/arm64",
            "linux/arm/v7",
            "attestation of linux/amd64",
            "attestation of linux/arm64",
            "attestation of linux/arm/v7",
        ]
        for row, change in zip(rows, diff.platforms_shared):
            old, new = change.left, change.right
            assert row.split("  ")[0] == f"~ {change.label}"
            assert f"{old.digest[7:19]} → {new.digest[7:19]}" in row
            assert f"({signed_size(new.size - old.size)})" in row
        assert len(rows) == 6


async def test_an_unchanged_platform_says_same_image(registry: FakeRegistry) -> None:
    left = webapp_tag(registry, "v1.4.0")
    document = json.loads(left.manifest)
    document["manifests"][0]["digest"] = "sha256:" + "7" * 64  # only linux/amd64 rebuilt
    right = Tag(name="v1.4.0-amd64", manifest=json.dumps(document), size=left.size)
    async with shown(diff_of(left, right), size=(160, 60)) as (_, _, screen):
        summary = summary_of(screen)
        assert "Platforms  0 added, 0 removed, 3 shared (1 changed)" in summary
        assert "~ linux/amd64" in summary
        assert "777777777777" in summary
        same = [line.strip() for line in summary.splitlines() if line.startswith("  = ")]
        assert [line.split()[1] for line in same] == ["linux/arm64", "linux/arm/v7"]
        assert all(line.endswith("same image") for line in same)


async def test_many_layers_are_capped() -> None:
    layers = [
        {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": f"sha256:{n:064x}", "size": n}
        for n in range(1, 121)
    ]
    text = json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": layers}
    )
    big = Tag(name="big", manifest=text, size=10)
    diff = diff_tags(Tag(name="empty"), parse_manifest(""), big, parse_manifest(text))
    async with shown(diff) as (_, _, screen):
        summary = summary_of(screen)
        assert "120 added" in summary
        assert "… 70 more" in summary
        assert summary.count("\n  + ") == 50


async def test_hostile_strings_render_escaped() -> None:
    annotated = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "sha256:" + "1" * 64,
                "size": 10,
                "platform": {"os": "linux\x1b[31m", "architecture": "[bold]amd64[/]"},
                "annotations": {"org.opencontainers.image.title": "\u202eevil\x07 [@click=app.quit]"},
            }
        ],
    }
    text = json.dumps(annotated, ensure_ascii=False)
    left = Tag(name=HOSTILE_NAME, manifest='{"schemaVersion": 2, "manifests": []}')
    right = Tag(name="[link=https://evil.invalid]y[/link]", manifest=text)
    diff = diff_of(left, right)
    async with shown(diff, size=(160, 40), repository="acme/[/]webapp") as (app, pilot, screen):
        title = title_of(screen)
        assert "\\x1b]52;c;SGk=\\x07[/]" in title
        assert "[link=https://evil.invalid]y[/link]" in title
        assert "acme/[/]webapp" in title
        assert "\x1b" not in title
        summary = summary_of(screen)
        assert "linux\\x1b[31m/[bold]amd64[/]" in summary
        assert "\x1b" not in summary
        lines = diff_lines(screen, 40)
        assert lines[0] == "--- x\\x1b]52;c;SGk=\\x07[/]"
        assert lines[1] == "+++ [link=https://evil.invalid]y[/link]"
        joined = "\n".join(lines)
        assert "\\u202eevil\\u0007 [@click=app.quit]" in joined  # bidi scrubbed; BEL escaped by JSON
        assert "\x1b" not in joined
        assert "\u202e" not in joined
        await pilot.press("escape")
        assert app.is_running
        assert len(app.screen_stack) == 1


async def test_on_top_of_the_real_app(start: Start, registry: FakeRegistry) -> None:
    """Escape and q go back to the browser (not clear-filter or quit); the table is where it was."""
    async with start(repository="acme/webapp") as ui:
        before = ui.app.screen
        cursor = ui.app.table.cursor_row
        diff = diff_of(webapp_tag(registry, "v1.0.0"), webapp_tag(registry, "v1.1.0"))
        for key in ("escape", "q"):
            await ui.app.push_screen(DiffScreen("acme/webapp", diff))
            await ui.settle()
            assert isinstance(ui.app.screen, DiffScreen)
            await ui.press(key)
            assert ui.app.screen is before
            assert ui.app.is_running
        assert ui.app.table.cursor_row == cursor
        assert not [note for note in ui.notes if note.severity == "error"]
