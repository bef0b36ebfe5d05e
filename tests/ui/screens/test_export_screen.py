"""The export screen (ctrl+s): every tag of the listing to a private file, with progress and cancel.

The screen runs in a bare host app (the lead wires ctrl+s into SwrApp), with a client on the fake
registry in process.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from app_harness import client_for
from held_pages import HeldPages
from textual.app import App
from textual.widgets import Input, ProgressBar

from swr_tui import export, private_files
from swr_tui.export import write_tags
from swr_tui.fake import FakeRegistry
from swr_tui.swr.bulk import DEFAULT_PAGE_SIZE, fetch_all_tags
from swr_tui.swr.models import Tag
from swr_tui.ui.screens.export import ExportScreen
from swr_tui.ui.tag_pages import TagQuery

WEBAPP = TagQuery("acme", "webapp")
PAGE = DEFAULT_PAGE_SIZE
NIGHTLY = TagQuery("acme", "nightly")


class Host(App[None]):
    def __init__(self, screen: ExportScreen) -> None:
        super().__init__()
        self.export = screen
        self.results: list[Optional[str]] = []

    def on_mount(self) -> None:
        self.push_screen(self.export, self.results.append)


@dataclass
class Run:
    app: Host
    pilot: Any
    screen: ExportScreen
    registry: FakeRegistry
    polls: list[int] = field(default_factory=list)

    @property
    def path_input(self) -> Input:
        return self.screen.query_one("#export-path", Input)

    @property
    def bar(self) -> ProgressBar:
        return self.screen.query_one("#export-progress", ProgressBar)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"timed out; the screen says {self.screen.message!r}"
            await self.pilot.pause(0.02)

    async def submit(self, path: Optional[Path] = None) -> None:
        if path is not None:
            self.path_input.value = str(path)
        self.path_input.focus()
        await self.pilot.press("enter")
        await self.pilot.pause()

    async def export(self, path: Optional[Path] = None) -> str:
        """Submit and wait until the screen closes; the path it was dismissed with."""
        await self.submit(path)
        await self.wait_until(lambda: bool(self.app.results))
        result = self.app.results[-1]
        assert result is not None
        return result

    async def settled(self) -> None:
        """Until the screen has no unfinished work."""
        await self.wait_until(lambda: not self.screen.running)
        await self.pilot.pause()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to export into (tmp_path also holds the tests' isolated home)."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _no_last_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts a fresh session: no export has happened yet."""
    monkeypatch.setattr(ExportScreen, "last_folder", None)


@pytest.fixture
def running(folder: Path) -> Callable[..., Any]:
    @asynccontextmanager
    async def run(
        query: TagQuery = WEBAPP,
        *,
        latency_ms: float = 0.0,
        default_dir: Optional[Path] = None,
        faults: str = "",
        as_the_app_does: bool = False,
        **options: Any,
    ) -> AsyncIterator[Run]:
        registry = FakeRegistry(seed=0, latency_ms=latency_ms, faults=faults)
        client = client_for(registry)
        if as_the_app_does:  # no folder given: the last export's, else the working directory
            screen = ExportScreen(client, query, **options)
        else:
            screen = ExportScreen(client, query, folder if default_dir is None else default_dir, **options)
        app = Host(screen)
        async with client, app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            yield Run(app, pilot, screen, registry)

    return run


async def expected_tags(query: TagQuery) -> list[Tag]:
    async with client_for(FakeRegistry(seed=0)) as client:
        return await fetch_all_tags(
            client, query.namespace, query.repository, order=query.order, tag=query.tag_filter or None
        )


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- exporting --------------------------------------------------------------------------------


async def test_webapp_to_the_suggested_csv(running: Any, folder: Path) -> None:
    async with running(WEBAPP, total=32) as run:
        assert run.path_input.value == str(folder / "acme_webapp-tags.csv")
        what = str(run.screen.query_one("#export-what").render())
        assert what == "Every tag of acme/webapp, newest first (32 tags)"
        path = await run.export()
        assert path == str(folder / "acme_webapp-tags.csv")
        assert run.screen.exported_count == 32
    rows = read_csv(path)
    assert [row["tag"] for row in rows] == [tag.name for tag in await expected_tags(WEBAPP)]
    assert mode(path) == 0o600
    assert os.listdir(folder) == ["acme_webapp-tags.csv"]


async def test_ten_thousand_tags_with_progress(running: Any, folder: Path) -> None:
    async with running(NIGHTLY) as run:
        bar = run.bar  # the screen is gone once it has written the file
        seen: list[tuple[float, Optional[float]]] = []
        original = run.screen._progress

        def progress(done: int, total: Optional[int]) -> None:
            original(done, total)
            seen.append((bar.progress, bar.total))

        run.screen._progress = progress  # type: ignore[method-assign]
        path = await run.export()
        assert bar.total == 10_000
        assert bar.progress == 10_000
        assert seen[0] == (PAGE, 10_000)  # the total is known from the first page
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
        tag_requests = [request for request in run.registry.requests if request.route == "tags"]
        assert len(tag_requests) == 10_000 // PAGE
    rows = read_csv(path)
    assert len(rows) == 10_000
    assert [row["tag"] for row in rows] == [tag.name for tag in await expected_tags(NIGHTLY)]
    assert mode(path) == 0o600


async def test_filter_and_oldest_first_to_json(running: Any, folder: Path) -> None:
    query = TagQuery("acme", "webapp", order="asc", tag_filter="v1")
    async with running(query) as run:
        what = str(run.screen.query_one("#export-what").render())
        assert what == "Every tag of acme/webapp, oldest first, names containing v1"
        path = await run.export(folder / "filtered.json")
    tags = await expected_tags(query)
    assert 0 < len(tags) < 32
    assert all("v1" in tag.name for tag in tags)
    text = read_text(path)
    assert [record["tag"] for record in json.loads(text)] == [tag.name for tag in tags]
    expected = io.StringIO()
    write_tags(tags, "json", expected)
    assert text == expected.getvalue()  # what `swr-tui tags --all -o json` prints for this query
    requests = [request.params for request in run.registry.requests if request.route == "tags"]
    assert requests == [
        {"offset": "0", "limit": str(PAGE), "order_column": "updated_at", "order_type": "asc", "tag": "v1"}
    ]


async def test_a_relative_path_is_in_the_default_folder(running: Any, folder: Path) -> None:
    async with running() as run:
        path = await run.export(Path("sub.tsv"))
    assert path == str(folder / "sub.tsv")
    assert read_text(path).startswith("tag\tupdated\tsize\tdigest\ttype\n")


# -- cancelling -------------------------------------------------------------------------------


async def test_escape_before_starting_closes(running: Any, folder: Path) -> None:
    async with running() as run:
        await run.pilot.press("escape")
        await run.wait_until(lambda: bool(run.app.results))
        assert run.app.results == [None]
        assert not any(request.route == "tags" for request in run.registry.requests)
    assert os.listdir(folder) == []


async def test_escape_while_fetching_cancels(running: Any, folder: Path) -> None:
    async with running(NIGHTLY, concurrency=2) as run:
        pages = HeldPages(run.registry, answered=3)  # 1,500 of the 10,000 tags
        try:
            await run.submit()
            assert run.screen.running
            await run.wait_until(lambda: (run.bar.progress or 0) >= 1000)
            await run.pilot.press("escape")
            await run.settled()
            assert run.screen.message == "Export cancelled"
            assert (run.bar.progress or 0) <= 1_500
            assert run.app.results == []  # still open: the path can be changed and enter pressed again
            assert not run.path_input.disabled
        finally:
            pages.release()
        await run.wait_until(lambda: pages.held == 0)  # the held answers are in, to a cancelled export
        requests = len(run.registry.requests)
        await run.pilot.pause(0.3)
        assert len(run.registry.requests) == requests  # nothing more was fetched
        await run.pilot.press("escape")
        await run.wait_until(lambda: bool(run.app.results))
        assert run.app.results == [None]
    assert os.listdir(folder) == []


async def test_escape_while_writing_removes_the_temporary_file(
    running: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = export.TagFile.write
    writing = threading.Event()

    def slow_write(self: export.TagFile, tags: Any) -> None:
        writing.set()
        time.sleep(0.4)
        real_write(self, tags)

    monkeypatch.setattr(export.TagFile, "write", slow_write)
    async with running() as run:
        await run.submit()
        # The temporary file is there while pages are written (a loaded machine may see the write
        # begin a moment before this export's own file shows in the folder listing).
        await run.wait_until(
            lambda: writing.is_set() and any(name.endswith(".tmp") for name in os.listdir(folder))
        )
        await run.pilot.press("escape")
        await run.settled()
        assert run.screen.message == "Export cancelled"
        await run.pilot.pause(0.6)  # the writing thread has finished
    assert os.listdir(folder) == []


# -- errors and retry -------------------------------------------------------------------------


async def test_a_missing_folder_is_reported_then_fixed(running: Any, folder: Path) -> None:
    missing = folder / "no-such-dir"
    async with running(default_dir=missing) as run:
        await run.submit()
        assert run.screen.message == f"The folder {missing} does not exist: create it, or choose another path"
        assert not run.screen.running
        assert not any(request.route == "tags" for request in run.registry.requests)  # checked first
        path = await run.export(folder / "fixed.csv")
    assert len(read_csv(path)) == 32


async def test_an_unknown_extension_is_reported(running: Any, folder: Path) -> None:
    async with running() as run:
        await run.submit(folder / "tags.txt")
        assert run.screen.message == "Unknown file type ('.txt'): end the file name with .csv, .json, .tsv"
        await run.submit(folder / "tags.json")
        await run.wait_until(lambda: bool(run.app.results))
    assert os.listdir(folder) == ["tags.json"]


async def test_a_folder_as_the_path_is_reported(running: Any, folder: Path) -> None:
    (folder / "a.csv").mkdir()
    async with running() as run:
        await run.submit(folder / "a.csv")
        assert run.screen.message == f"{folder / 'a.csv'} is a folder: add a file name such as tags.csv"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
async def test_a_read_only_folder_is_reported(running: Any, folder: Path) -> None:
    locked = folder / "locked"
    locked.mkdir(mode=0o500)
    try:
        async with running(default_dir=locked) as run:
            await run.submit()
            assert run.screen.message.startswith(f"Permission denied writing in {locked}:")
    finally:
        locked.chmod(0o700)


async def test_a_write_refused_is_inline_then_retried(
    running: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = private_files.create_private_temp
    refusals = [PermissionError(13, "Permission denied")]

    def create(path: str) -> str:
        if refusals:
            raise refusals.pop()
        return real_create(path)

    monkeypatch.setattr(private_files, "create_private_temp", create)
    async with running() as run:
        await run.submit()
        await run.settled()
        assert (
            run.screen.message == f"Permission denied writing in {folder}: choose a folder you can write to"
        )
        assert run.app.results == []
        path = await run.export()
    assert len(read_csv(path)) == 32


async def test_a_registry_error_is_inline_and_nothing_is_written(running: Any, folder: Path) -> None:
    async with running(TagQuery("acme", "no-such-repo")) as run:
        await run.submit()
        await run.settled()
        assert run.screen.message.startswith("Not found")
        assert run.screen.message.endswith("(nothing was written)")
        assert run.screen.query_one("#export-message").has_class("-error")
        assert run.app.results == []
        assert not run.path_input.disabled
    assert os.listdir(folder) == []


async def test_hostile_names_are_shown_as_text(running: Any, folder: Path) -> None:
    query = TagQuery("acme", "[b]x[/]\x1b]52;c;AAAA\x07", tag_filter="[@click=quit]")
    async with running(query) as run:
        what = str(run.screen.query_one("#export-what").render())
        assert "[@click=quit]" in what
        assert "\x1b" not in what
        assert "\\x1b" in what
        assert os.path.basename(run.path_input.value) == "acme_b_x_52_c_AAAA_-tags.csv"


# -- overwriting ------------------------------------------------------------------------------


async def test_an_existing_file_needs_a_second_enter(running: Any, folder: Path) -> None:
    target = folder / "acme_webapp-tags.csv"
    target.write_text("old")
    target.chmod(0o644)
    async with running() as run:
        await run.submit()
        assert (
            run.screen.message
            == f"{target} already exists: press enter again to replace it, or change the name"
        )
        assert target.read_text() == "old"
        assert not any(request.route == "tags" for request in run.registry.requests)
        path = await run.export()
    assert path == str(target)
    assert len(read_csv(path)) == 32
    assert mode(path) == 0o600
    assert os.listdir(folder) == ["acme_webapp-tags.csv"]


async def test_changing_the_path_asks_again(running: Any, folder: Path) -> None:
    (folder / "a.csv").write_text("a")
    (folder / "b.csv").write_text("b")
    async with running() as run:
        await run.submit(folder / "a.csv")
        assert "already exists" in run.screen.message
        await run.submit(folder / "b.csv")  # another existing file: its own confirmation
        assert run.screen.message.startswith(f"{folder / 'b.csv'} already exists")
        assert run.app.results == []
        await run.export()
    assert (folder / "a.csv").read_text() == "a"
    assert len(read_csv(str(folder / "b.csv"))) == 32


# -- progress, memory of the folder, every failure reported -----------------------------------------


async def test_the_count_is_shown_as_it_is_written(running: Any) -> None:
    async with running(NIGHTLY) as run:
        said: list[str] = []
        original = run.screen.say

        def say(message: str, kind: str = "") -> None:
            said.append(message)
            original(message, kind)

        run.screen.say = say  # type: ignore[method-assign]
        await run.export()
    counts = [message for message in said if message.startswith("Exporting the tags of acme/nightly: ")]
    assert counts[0] == f"Exporting the tags of acme/nightly: {PAGE:,} of 10,000 written…"
    assert counts[-1] == "Exporting the tags of acme/nightly: 10,000 of 10,000 written…"
    assert len(counts) == 10_000 // PAGE


async def test_the_last_folder_is_offered_again(
    running: Any, folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    async with running(as_the_app_does=True) as run:
        assert run.path_input.value == str(elsewhere / "acme_webapp-tags.csv")  # nothing exported yet
        (folder / "reports").mkdir()
        await run.export(folder / "reports" / "first.json")
    async with running(NIGHTLY, as_the_app_does=True) as run:
        assert run.path_input.value == str(folder / "reports" / "acme_nightly-tags.csv")


async def test_an_unexpected_failure_is_reported_and_nothing_is_left(
    running: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = export.TagWriter.write

    def failing(self: export.TagWriter, tags: Any) -> None:
        if self.count >= 2 * PAGE:
            raise RuntimeError("the writer broke")
        real_write(self, tags)

    monkeypatch.setattr(export.TagWriter, "write", failing)
    async with running(NIGHTLY) as run:
        await run.submit()
        await run.settled()
        assert run.screen.message == "The export failed: the writer broke (nothing was written)"
        assert run.screen.query_one("#export-message").has_class("-error")
        assert run.app.results == []
        assert not run.path_input.disabled
    assert os.listdir(folder) == []


async def test_a_bad_filter_is_reported_not_spun_on(running: Any, folder: Path) -> None:
    async with running(TagQuery("acme", "webapp", tag_filter="a|b")) as run:
        await run.submit()
        await run.settled()
        assert "contains '|'" in run.screen.message
        assert run.screen.message.endswith("(nothing was written)")
        assert not any(request.route == "tags" for request in run.registry.requests)
    assert os.listdir(folder) == []


@pytest.mark.parametrize("spec", ["tags:huge-total", "tags:huge-total=long"])
async def test_a_huge_total_is_reported_at_once(running: Any, folder: Path, spec: str) -> None:
    async with running(faults=spec) as run:
        await run.submit()
        await run.settled()
        assert "Content-Range header looks broken" in run.screen.message
        assert [request.route for request in run.registry.requests] == ["tags"]
    assert os.listdir(folder) == []


async def test_a_server_ignoring_offset_is_reported(running: Any, folder: Path) -> None:
    async with running(NIGHTLY, faults="tags:ignore-offset") as run:
        await run.submit()
        await run.settled()
        assert "ignores the offset" in run.screen.message
    assert os.listdir(folder) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
@pytest.mark.skipif(os.geteuid() != 0, reason="for other users /proc is refused earlier, as not writable")
async def test_proc_is_not_called_missing(running: Any) -> None:
    async with running() as run:
        await run.submit(Path("/proc/x.csv"))
        await run.settled()
        assert run.screen.message == (
            "Cannot create a file in /proc (No such file or directory): choose another folder"
        )
