"""The detail pane: facts from the page data (no request), UTC/local times, manifest summaries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from textual.widgets import Static

from swr_tui.fake.faults import FaultPlan
from swr_tui.ui.widgets import image_depth, tag_governance
from swr_tui.ui.widgets.json_view import ManifestView
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start, set_time_zone

V241_DIGEST = "sha256:fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96"


def summary_lines(ui: UI) -> list[str]:
    """The manifest summary, one entry a line, runs of spaces collapsed."""
    return [" ".join(line.split()) for line in ui.detail_text("detail-summary").splitlines() if line.strip()]


def manifest_view(ui: UI) -> ManifestView:
    return ui.app.browser.query_one("#detail-manifest", ManifestView)


async def test_facts_of_the_highlighted_tag_come_without_a_request(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sections that load once the cursor rests (Config, Synced to) ask for their own data: on
    # a loaded machine two key presses can be that far apart, and this test is about the facts.
    for module in (image_depth, tag_governance):
        monkeypatch.setattr(module, "REST_S", 30.0)
    async with start(repository="acme/webapp") as ui:
        before = len(ui.registry.requests)
        await ui.press("down", "down")

        assert ui.app.table.highlighted_tag.name == "v2.4.1"
        assert len(ui.registry.requests) == before
        assert ui.facts() == {
            "Tag": "v2.4.1",
            "Digest": V241_DIGEST,
            "Image ID": V241_DIGEST.partition(":")[2],
            "Size": "71,889,518 bytes (68.6 MiB)",
            "Created": "2026-10-07 22:58:06 UTC · 25d ago",
            "Updated": "2026-10-07 22:58:06 UTC · 25d ago",
            "Pull": "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v2.4.1",
            "Internal": "100.125.0.198:20202/acme/webapp:v2.4.1",
            "Schema": "2",
            "Type": "manifest list",
            "Trusted": "no",
        }
        assert ui.status == "acme/webapp · row 3 of 32 · newest first"

        await ui.press("up")
        assert ui.facts()["Tag"] == "latest"
        assert ui.facts()["Digest"] == V241_DIGEST  # the same manifest as v2.4.1
        assert len(ui.registry.requests) == before


async def test_t_toggles_utc_and_local_time_first(start: Start) -> None:
    set_time_zone("CST-8")  # POSIX rule, no tz database needed: UTC+8 (as Asia/Shanghai), named CST
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
        utc_first = "2026-10-07 22:58:06 UTC · 25d ago · 2026-10-08 06:58:06 CST"
        local_first = "2026-10-08 06:58:06 CST · 25d ago · 2026-10-07 22:58:06 UTC"
        assert ui.facts()["Created"] == utc_first
        assert ui.app.detail.utc_first

        await ui.press("t")
        assert ui.facts()["Created"] == local_first
        assert ui.facts()["Updated"] == local_first
        assert not ui.app.detail.utc_first
        assert ui.notes[-1].message == "Times in local time first"

        await ui.highlight("v2.4.0")  # the choice holds for the next tag
        assert ui.facts()["Created"].split(" · ")[0].endswith(" CST")

        await ui.press("t")
        assert ui.facts()["Created"].split(" · ")[0].endswith(" UTC")
        assert ui.notes[-1].message == "Times in UTC first"


# tag -> (summary lines that must be there, first lines of the manifest document)
KINDS = {
    "docker-v2": (
        "v1.0.0",
        [
            "Manifest Docker image manifest v2",
            "Media type application/vnd.docker.distribution.manifest.v2+json",
            "Config sha256:4910956f3d41d6e37b511fdd7b49e289bd4211f854e456c64460bae69cf2cc5b 11.1 KiB",
            "Layers 4, 27.2 MiB in all",
            "1 6d2bc2287f89 21.2 MiB",
            "4 8f4c5ecb03cb 1.7 KiB",
        ],
        [
            "{",
            '  "schemaVersion": 2,',
            '  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",',
        ],
    ),
    "oci-manifest": (
        "v1.2.0",
        [
            "Manifest OCI image manifest",
            "Media type application/vnd.oci.image.manifest.v1+json",
            "Layers 6, 17.1 MiB in all",
            "1 f8cd58c71bb5 16.4 MiB",
        ],
        ["{", '  "schemaVersion": 2,', '  "mediaType": "application/vnd.oci.image.manifest.v1+json",'],
    ),
    "docker-manifest-list": (
        "v1.3.0",
        [
            "Manifest Docker manifest list",
            "Media type application/vnd.docker.distribution.manifest.list.v2+json",
            "Platforms 3",
        ],
        [
            "{",
            '  "schemaVersion": 2,',
            '  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",',
        ],
    ),
    "oci-index": (
        "v1.4.0",
        ["Manifest OCI image index", "Media type application/vnd.oci.image.index.v1+json", "Platforms 3"],
        ["{", '  "schemaVersion": 2,', '  "mediaType": "application/vnd.oci.image.index.v1+json",'],
    ),
    "oci-index-attestations": (
        "v2.4.1",
        ["Manifest OCI image index", "Platforms 3"],
        ["{", '  "schemaVersion": 2,', '  "mediaType": "application/vnd.oci.image.index.v1+json",'],
    ),
    "schema1": (
        "v0.9.0",
        [
            "Manifest Docker schema 1 (deprecated)",
            "Name acme/webapp:v0.9.0",
            "Arch amd64",
            "History 4 entries",
            "Layers 4, sizes not recorded in schema 1",
            "1 776b9c482a91 size unknown",
        ],
        ["{", '  "schemaVersion": 1,', '  "name": "acme/webapp",', '  "tag": "v0.9.0",'],
    ),
}

PLATFORM_LINES = {
    "docker-manifest-list": [
        "linux/amd64 01cd379e7275 1.1 KiB",
        "linux/arm64 8408396cae85 1.1 KiB",
        "linux/arm/v7 e53939c29a58 919 B",
    ],
    "oci-index": [
        "linux/amd64 b106ec329dd4 1.3 KiB",
        "linux/arm64 52e7bf74c8a2 1.2 KiB",
        "linux/arm/v7 b6b884d81d01 883 B",
    ],
    "oci-index-attestations": [
        "linux/amd64 454b72b12317 1.0 KiB",
        "linux/arm64 398785937127 1.3 KiB",
        "linux/arm/v7 c537b8b4e066 875 B",
        "attestation for 454b72b12317 2536d40b8dfd 679 B",
        "attestation for 398785937127 752868a22944 680 B",
        "attestation for c537b8b4e066 66d3eb4aedc8 680 B",
    ],
}


async def test_manifest_summary_of_each_kind(start: Start) -> None:
    # One app for every kind: moving between tags is what a user does, and it keeps the run short.
    async with start(repository="acme/webapp") as ui:
        for kind, (name, expected_lines, first_lines) in KINDS.items():
            tag = await ui.highlight(name)
            lines = summary_lines(ui)
            for expected in expected_lines:
                assert expected in lines, f"{kind}: {expected!r} not in {lines}"
            for expected in PLATFORM_LINES.get(kind, []):
                assert any(line.endswith(expected) for line in lines), f"{kind}: {expected!r} not in {lines}"
            if kind == "oci-index-attestations":  # attestations are marked, and not counted as platforms
                assert sum("attestation" in line for line in lines) == 3
                assert not any("unknown/unknown" in line for line in lines)

            view = manifest_view(ui)
            assert view.highlight, kind
            assert view.document.splitlines()[: len(first_lines)] == first_lines, kind
            assert ui.manifest_lines(2) == first_lines[:2], kind  # what the viewer draws at its top
            assert view.line_count == len(view.document.splitlines()), kind
            assert view.document != tag.manifest, kind  # pretty-printed...
            assert json.loads(view.document) == json.loads(tag.manifest), kind  # ...from the same JSON
        assert len(ui.tag_requests()) == 1


async def test_an_invalid_manifest_shows_its_raw_text_with_a_note(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        tag = await ui.highlight("v1.4.1")
        assert summary_lines(ui) == [
            "Manifest Invalid JSON",
            "Note Expecting ',' delimiter at line 1 column 505",
        ]
        view = manifest_view(ui)
        assert not view.highlight
        assert view.document == tag.manifest
        assert view.line_count == 1
        first = ui.manifest_lines(1)[0]
        assert len(first) > 40
        assert first == tag.manifest[: len(first)]  # the raw text, as it came
        assert first.startswith('{"schemaVersion":2,"mediaType":"application/vnd.docker.')
        assert ui.facts()["Type"] == "image"


async def test_enter_focuses_the_manifest_and_escape_goes_back(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v1.0.0")
        await ui.press("enter", "down", "down")
        view = manifest_view(ui)
        assert ui.app.focused is view
        assert view.scroll_offset.y == 2  # arrows scroll the manifest now, not the tag list
        assert ui.app.table.highlighted_tag.name == "v1.0.0"
        await ui.press("escape")
        assert isinstance(ui.app.focused, TagTable)
        assert ui.app.table.query.tag_filter == ""


async def test_moving_among_rows_not_loaded_redraws_nothing_and_the_status_needs_no_layout(
    start: Start,
) -> None:
    async with start(repository="acme/ci-builds") as ui:
        table = ui.app.table
        facts = ui.app.browser.query_one("#detail-facts", Static)
        status = ui.app.browser.query_one("#status", Static)
        facts_updates: list[object] = []
        layouts: list[bool] = []
        update_facts, update_status = facts.update, status.update

        def counting_facts(content: Any = "", **options: Any) -> None:
            facts_updates.append(content)
            update_facts(content, **options)

        def counting_status(content: Any = "", *, layout: bool = True) -> None:
            layouts.append(layout)
            update_status(content, layout=layout)

        facts.update = counting_facts  # type: ignore[method-assign]
        status.update = counting_status  # type: ignore[method-assign]
        ui.registry.faults = FaultPlan.parse("tags:slow=3000", seed=0)  # slow, even for a loaded machine
        table.cursor_row = 50_000
        await ui.pilot.pause()
        assert table.highlighted_tag is None
        assert ui.detail_text("detail-facts").strip() == "Loading…"
        assert len(facts_updates) == 1
        for row in (50_001, 50_002, 50_003):
            table.cursor_row = row
            await ui.pilot.pause()
        assert len(facts_updates) == 1  # still "Loading…": nothing redrawn, no layout redone
        assert layouts
        assert not any(layouts[1:])  # one line all along: the status line needs no layout
        await ui.settle()
        await ui.wait_until(lambda: table.highlighted_tag is not None)
        assert ui.facts()["Tag"] == table.highlighted_tag.name
