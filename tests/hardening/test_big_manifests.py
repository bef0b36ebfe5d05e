"""5 MB and deeply nested manifests (issue #4): the detail pane summarises them without crashing
and the app keeps handling keys while a big manifest is parsed in its worker.

The parse of a big manifest is held on a gate (the loop's default executor holds any job handed a
manifest-sized string), so "the key press was handled while the parse ran" is a fact the test
arranges, not a race against the clock.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Optional

import pytest
from rich.text import Text
from textual.worker import Worker, WorkerState

from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import (
    BIG_MANIFEST_BYTES,
    BIG_REPO,
    BIG_TAGS,
    HOSTILE_NAMESPACE,
    NESTED_DEPTH,
    SHALLOW_NESTED_DEPTH,
)
from swr_tui.formatting import human_size
from swr_tui.swr.manifest import parse_manifest
from swr_tui.ui.widgets.json_view import DEFAULT_MAX_LINE_LENGTH, ManifestView, marker_text
from swr_tui.ui.widgets.tag_detail import INLINE_PARSE_LIMIT, summary_table

from .hostile_kit import HostileUI, Start, make_start, texts, unsafe_segments, widget_strips

REPOSITORY = f"{HOSTILE_NAMESPACE}/{BIG_REPO}"
GATE_TIMEOUT_S = 30.0
SUMMARY_ROW_LIMIT = 100  # what a summary of one tag could sensibly hold
SUMMARY_CELL_LIMIT = 4_000  # characters in one cell of it


@pytest.fixture(scope="module")
def registry() -> HostileRegistry:
    return HostileRegistry(seed=0)


@pytest.fixture
def start(registry: HostileRegistry) -> Start:
    return make_start(registry)


def _big_text(args: tuple[Any, ...]) -> Optional[str]:
    for arg in args:
        if isinstance(arg, functools.partial):
            found = _big_text(arg.args)
            if found is not None:
                return found
        elif isinstance(arg, str) and len(arg) > INLINE_PARSE_LIMIT:
            return arg
    return None


class Gate(ThreadPoolExecutor):
    """A default executor that holds every job handed a manifest-sized string until ``opened``."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="gated")
        self.opened = threading.Event()
        self.started: list[int] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        text = _big_text((fn, *args))
        if text is None:
            return super().submit(fn, *args, **kwargs)
        self.started.append(len(text))

        def held() -> Any:
            self.opened.wait(GATE_TIMEOUT_S)
            return fn(*args, **kwargs)

        return super().submit(held)


@pytest.fixture
def gate() -> Iterator[Gate]:
    held = Gate()
    try:
        yield held
    finally:
        held.opened.set()  # never leave a worker thread waiting
        held.shutdown(wait=False)


def manifest_of(registry: HostileRegistry, name: str) -> str:
    record = registry.dataset.tag(HOSTILE_NAMESPACE, BIG_REPO, name)
    assert record is not None
    return record.manifest


def summary_static_text(ui: HostileUI) -> str:
    return "\n".join(texts(widget_strips(ui.app.browser.query_one("#detail-summary"))))


def manifest_workers(ui: HostileUI) -> list[Worker[Any]]:
    return [worker for worker in ui.app.detail.workers if worker.group == "manifest"]


def manifest_worker_states(ui: HostileUI) -> list[WorkerState]:
    return [worker.state for worker in manifest_workers(ui)]


def test_the_big_manifests_are_big(registry: HostileRegistry) -> None:
    for name in ("big-layers", "big-line"):
        size = len(manifest_of(registry, name).encode("utf-8"))
        assert BIG_MANIFEST_BYTES <= size < BIG_MANIFEST_BYTES * 1.1, name
    assert manifest_of(registry, "nested-50000").count("[") == NESTED_DEPTH


async def test_keys_are_handled_while_a_5mb_manifest_is_parsed(start: Start, gate: Gate) -> None:
    async with start(repository=REPOSITORY) as ui:
        asyncio.get_running_loop().set_default_executor(gate)
        table, detail = ui.app.table, ui.app.detail
        assert [table.cache.row(row).name for row in range(table.total)] == list(BIG_TAGS)
        assert detail.tag.name == "small-top"

        await ui.pilot.press("down")
        await ui.settle(unawaited=("manifest",))
        assert detail.tag.name == "big-layers"
        size = human_size(len(manifest_of(ui.registry, "big-layers")))
        assert f"Parsing the manifest ({size})…" in summary_static_text(ui)
        assert gate.started == [len(manifest_of(ui.registry, "big-layers"))]
        assert manifest_worker_states(ui) == [WorkerState.RUNNING]
        workers = manifest_workers(ui)

        # The parse is held: the next key is handled all the same, and the pane follows the cursor.
        await ui.pilot.press("down")
        await ui.settle(unawaited=("manifest",))
        assert table.cursor_row == 2
        assert detail.tag.name == "small-1"
        assert detail.summary is not None
        assert detail.summary.kind == "docker-v2"
        assert "Docker image manifest v2" in summary_static_text(ui)
        assert WorkerState.RUNNING in manifest_worker_states(ui)

        # The single 5 MB line: its parse replaces the held one (exclusive), the cursor moves on.
        await ui.pilot.press("down", "down")
        await ui.settle(unawaited=("manifest",))
        assert table.cursor_row == 4
        assert detail.tag.name == "small-2"
        assert len(gate.started) == 2
        assert "Docker image manifest v2" in summary_static_text(ui)
        workers += [worker for worker in manifest_workers(ui) if worker not in workers]
        assert len(workers) == 2

        gate.opened.set()
        await ui.wait_until(lambda: all(worker.is_finished for worker in ui.app.workers))
        # The first parse was superseded (one manifest worker at a time); the second completed.
        assert [worker.state for worker in workers] == [WorkerState.CANCELLED, WorkerState.SUCCESS]
        # The late results were kept for later, not painted over the tag now highlighted.
        assert detail.tag.name == "small-2"
        assert detail.summary.kind == "docker-v2"
        assert ui.notes == []
        ui.assert_alive()
        ui.assert_screen_safe()


async def test_a_manifest_nested_50000_levels_deep_gets_a_note(start: Start) -> None:
    async with start(repository=REPOSITORY) as ui:
        table = ui.app.table
        table.cursor_row = BIG_TAGS.index("nested-50000")
        await ui.settle()
        summary = ui.app.detail.summary
        assert summary is not None
        assert summary.kind == "invalid"
        assert summary.error == "the JSON is nested too deeply to read"
        text = summary_static_text(ui)
        assert "Invalid JSON" in text
        assert "the JSON is nested too deeply to read" in text
        # The raw text is shown, its one 100 KB line cut with a marker.
        view = ui.app.browser.query_one("#detail-manifest", ManifestView)
        assert view.line_count == 1
        hidden = len(manifest_of(ui.registry, "nested-50000")) - DEFAULT_MAX_LINE_LENGTH
        view.scroll_to(DEFAULT_MAX_LINE_LENGTH - 10, 0, animate=False, immediate=True)
        assert marker_text(hidden).strip() in view.render_line(0).text
        assert ui.notes == []

        table.cursor_row = BIG_TAGS.index(f"nested-{SHALLOW_NESTED_DEPTH}")
        await ui.settle()
        summary = ui.app.detail.summary
        assert summary.kind == "docker-v2"
        assert 'annotations["org.hostile.deep"] is a list, not a string' in (summary.error or "")
        assert view.line_count == 2 * SHALLOW_NESTED_DEPTH + 7
        assert unsafe_segments(widget_strips(view)) == []
        ui.assert_alive()


def cell_lengths(table: Any) -> list[int]:
    return [len(cell.plain) for column in table.columns for cell in column.cells if isinstance(cell, Text)]


async def test_the_5mb_layer_list_shows_as_a_short_summary(start: Start) -> None:
    async with start(repository=REPOSITORY) as ui:
        table, detail = ui.app.table, ui.app.detail
        await ui.press("down")
        assert detail.tag.name == "big-layers"
        summary = detail.summary
        assert summary is not None
        assert summary.kind == "oci-manifest"
        layers = len(summary.layers)
        assert layers > 30_000
        text = summary_static_text(ui)
        assert "OCI image manifest" in text
        assert f"{layers}, " in text  # "Layers  34122, 1.6 GiB in all"
        assert len(text.splitlines()) <= SUMMARY_ROW_LIMIT
        view = ui.app.browser.query_one("#detail-manifest", ManifestView)
        assert view.line_count == summary.line_count > 100_000
        await ui.press("down")
        assert table.cursor_row == 2
        assert detail.tag.name == "small-1"
        assert ui.notes == []
        ui.assert_screen_safe()


def test_the_summary_of_the_5mb_layer_list_is_short(registry: HostileRegistry) -> None:
    table = summary_table(parse_manifest(manifest_of(registry, "big-layers")))
    assert table.row_count <= SUMMARY_ROW_LIMIT
    assert max(cell_lengths(table)) <= SUMMARY_CELL_LIMIT


def test_the_summary_of_a_5mb_annotation_is_short(registry: HostileRegistry) -> None:
    table = summary_table(parse_manifest(manifest_of(registry, "big-line")))
    assert table.row_count <= SUMMARY_ROW_LIMIT
    assert max(cell_lengths(table)) <= SUMMARY_CELL_LIMIT
