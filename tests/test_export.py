"""The tag writer shared by ``swr-tui tags --output`` and the TUI's export (ctrl+s)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from tag_output import TAG_OUTPUT_KEYS

from swr_tui.cli import clients, main
from swr_tui.export import (
    TagFile,
    TagWriter,
    export_format,
    export_tags_file,
    write_tags,
    write_tags_file,
)
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.private_files import check_destination, describe_os_error
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.bulk import DEFAULT_PAGE_SIZE, fetch_all_tags
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import NotFoundError
from swr_tui.swr.models import Tag

ENDPOINT = "https://swr-api.export-tests.invalid"


def client_on(registry: FakeRegistry) -> SwrClient:
    return SwrClient(ENDPOINT, TokenAuth(DEMO_TOKEN), transport=registry.transport())


def all_tags(registry: FakeRegistry, repository: str = "webapp", **options: Any) -> list[Tag]:
    """Sync, as the command line runs its own event loop."""

    async def fetch() -> list[Tag]:
        async with client_on(registry) as client:
            return await fetch_all_tags(client, "acme", repository, **options)

    return asyncio.run(fetch())


def cli_output(monkeypatch: pytest.MonkeyPatch, registry: FakeRegistry, *argv: str) -> str:
    """``swr-tui --demo ARGV`` on ``registry`` (the demo's data set is anchored at the current hour)."""
    monkeypatch.setattr(clients, "demo_client", lambda timeout=20.0, latency_ms=0.0: client_on(registry))
    out, err = io.StringIO(), io.StringIO()
    assert main(["--demo", *argv], out=out, err=err) == 0, err.getvalue()
    return out.getvalue()


def written(tags: list[Tag], fmt: str, with_manifest: bool = False) -> str:
    out = io.StringIO()
    write_tags(tags, fmt, out, with_manifest)
    return out.getvalue()


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("tags.csv", "csv"),
        ("tags.json", "json"),
        ("tags.tsv", "tsv"),
        ("/tmp/out/ACME.JSON", "json"),
        ("~/reports/web.app.v1.Csv", "csv"),
    ],
)
def test_the_extension_picks_the_format(path: str, fmt: str) -> None:
    assert export_format(path) == fmt


@pytest.mark.parametrize(
    ("path", "found"), [("tags.txt", "'.txt'"), ("tags", "no extension"), ("dir.csv/x", "no")]
)
def test_an_unknown_extension_names_the_choices(path: str, found: str) -> None:
    with pytest.raises(ValueError, match="end the file name with") as caught:
        export_format(path)
    message = str(caught.value)
    assert found in message
    for choice in (".csv", ".json", ".tsv"):
        assert choice in message


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown format 'xml'"):
        write_tags([], "xml", io.StringIO())


# -- same bytes as the command line -------------------------------------------------------------


def test_json_is_what_tags_all_output_json_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry(seed=0)
    tags = all_tags(registry)
    text = written(tags, "json")
    records = json.loads(text)
    assert len(records) == 32
    assert all(list(record) == TAG_OUTPUT_KEYS for record in records)
    assert text == cli_output(monkeypatch, registry, "tags", "acme/webapp", "--all", "--output", "json")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_is_what_tags_all_prints(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    registry = FakeRegistry(seed=0)
    tags = all_tags(registry, order="asc", tag="v1")
    argv = ("tags", "acme/webapp", "--all", "--order", "asc", "--filter", "v1", "-o", fmt)
    assert written(tags, fmt) == cli_output(monkeypatch, registry, *argv)


def test_with_manifest_adds_the_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry(seed=0)
    tags = all_tags(registry)
    records = json.loads(written(tags, "json", with_manifest=True))
    assert list(records[0]) == [*TAG_OUTPUT_KEYS, "manifest"]
    rows = list(csv.reader(io.StringIO(written(tags, "csv", with_manifest=True))))
    assert rows[0][-1] == "manifest"
    argv = ("tags", "acme/webapp", "--all", "--with-manifest", "-o", "csv")
    assert written(tags, "csv", with_manifest=True) == cli_output(monkeypatch, registry, *argv)


def test_csv_parses_back_to_the_tags() -> None:
    tags = all_tags(FakeRegistry(seed=0))
    rows = list(csv.DictReader(io.StringIO(written(tags, "csv"))))
    assert list(rows[0]) == ["tag", "updated", "size", "digest", "type"]
    assert [row["tag"] for row in rows] == [tag.name for tag in tags]
    assert [row["digest"] for row in rows] == [tag.digest for tag in tags]
    assert [int(row["size"]) for row in rows] == [tag.size for tag in tags]


def test_no_tags_is_an_empty_list_or_just_the_header() -> None:
    assert written([], "json") == "[]\n"
    assert written([], "csv") == "tag,updated,size,digest,type\n"
    assert written([], "tsv") == "tag\tupdated\tsize\tdigest\ttype\n"


# -- files ------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder (tmp_path also holds the isolated home directory)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def test_a_file_is_private_and_complete(folder: Path) -> None:
    tags = all_tags(FakeRegistry(seed=0))
    target = folder / "tags.json"
    target.write_text("old")
    target.chmod(0o644)
    write_tags_file(tags, str(target), "json")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == written(tags, "json")
    assert os.listdir(folder) == ["tags.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    target = folder / "tags.csv"
    target.write_text("old")
    with pytest.raises(ValueError, match="Unknown format"):
        write_tags_file([], str(target), "xml")
    assert target.read_text() == "old"
    assert os.listdir(folder) == ["tags.csv"]


# -- streaming ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
@pytest.mark.parametrize("with_manifest", [False, True])
def test_pages_written_one_by_one_are_the_whole_document(fmt: str, with_manifest: bool) -> None:
    tags = all_tags(FakeRegistry(seed=0))
    out = io.StringIO()
    writer = TagWriter(fmt, out, with_manifest)
    for start, end in ((0, 0), (0, 5), (5, 5), (5, 20), (20, 32)):  # empty pages included
        writer.write(tags[start:end])
    writer.finish()
    assert out.getvalue() == written(tags, fmt, with_manifest)
    assert writer.count == 32


def test_an_unfinished_json_stream_does_not_parse() -> None:
    tags = all_tags(FakeRegistry(seed=0))
    out = io.StringIO()
    writer = TagWriter("json", out)
    writer.write(tags[:10])
    with pytest.raises(json.JSONDecodeError):
        json.loads(out.getvalue())


def export_file(registry: FakeRegistry, path: Path, fmt: str, **options: Any) -> int:
    async def run() -> int:
        async with client_on(registry) as client:
            return await export_tags_file(client, "acme", "nightly", str(path), fmt, **options)

    return asyncio.run(run())


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_streamed_export_is_the_same_file(folder: Path, in_thread: bool) -> None:
    registry = FakeRegistry(seed=0)
    target = folder / "nightly.json"
    assert export_file(registry, target, "json", in_thread=in_thread) == 10_000
    text = target.read_text(encoding="utf-8")
    assert text == written(all_tags(registry, "nightly"), "json")
    assert len(json.loads(text)) == 10_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(folder) == ["nightly.json"]


def test_an_export_failing_midway_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    registry = FakeRegistry(seed=0, faults="tags:404+4x1")
    target = folder / "nightly.csv"
    target.write_text("old")
    with pytest.raises(NotFoundError):
        export_file(registry, target, "csv")
    assert registry.count(route="tags") >= 5  # pages were written before the failure
    assert target.read_text() == "old"
    assert os.listdir(folder) == ["nightly.csv"]


def test_an_export_whose_list_moves_is_written_again_from_the_start(folder: Path) -> None:
    # The ninth request sees the list move: with 4 pages in flight it is sent only once the fifth
    # page is written, so pages were surely written before the export starts again.
    registry = FakeRegistry(seed=0, faults="tags:total-drift+8x1")
    target = folder / "nightly.tsv"
    progress: list[int] = []
    count = export_file(registry, target, "tsv", on_progress=lambda done, total: progress.append(done))
    assert count == 10_000
    assert target.read_text(encoding="utf-8") == written(all_tags(FakeRegistry(seed=0), "nightly"), "tsv")
    assert registry.count(route="tags", offset=0) == 2
    # Some pages were written, then the file was emptied and written again from the first page.
    assert progress[-1] == 10_000
    assert any(later < earlier for earlier, later in zip(progress, progress[1:]))


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
@pytest.mark.skipif(os.geteuid() != 0, reason="for other users /proc is refused earlier, as not writable")
def test_a_folder_that_takes_no_files_is_named_as_such() -> None:
    path = "/proc/x.csv"
    check_destination(path)  # the folder is there and looks writable...
    with pytest.raises(FileNotFoundError) as caught:
        TagFile(path, "csv")  # ...but takes no new files
    message = describe_os_error(caught.value, path)
    assert message == "Cannot create a file in /proc (No such file or directory): choose another folder"


# -- the command line ---------------------------------------------------------------------------


def cli_run(monkeypatch: pytest.MonkeyPatch, registry: FakeRegistry, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(clients, "demo_client", lambda timeout=20.0, latency_ms=0.0: client_on(registry))
    out, err = io.StringIO(), io.StringIO()
    code = main(["--demo", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("window", [["--limit", "5"], ["--offset", "5"], ["--limit", "100", "--offset", "0"]])
def test_all_with_a_page_window_is_refused(monkeypatch: pytest.MonkeyPatch, window: list[str]) -> None:
    registry = FakeRegistry(seed=0)
    code, out, err = cli_run(monkeypatch, registry, "tags", "acme/webapp", "--all", *window)
    assert code == 2
    assert out == ""
    assert err == (
        "swr-tui: --all prints every tag, and --limit/--offset choose one page: use one or the other\n"
    )
    assert registry.count(route="tags") == 0


def test_all_as_a_table_has_one_header(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry(seed=0)
    code, out, err = cli_run(monkeypatch, registry, "tags", "acme/ci-builds", "--all", "--filter", "build-09")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["TAG", "UPDATED", "SIZE", "DIGEST", "TYPE"]
    assert sum(line.startswith("TAG ") for line in lines) == 1
    assert len(lines) == 1 + 10_000
    assert lines[1].startswith("build-099999 ")
    assert registry.count(route="tags") == 10_000 // DEFAULT_PAGE_SIZE


def test_all_failing_midway_says_the_output_is_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sixth request to arrive is sent only once the first two pages were printed.
    registry = FakeRegistry(seed=0, faults="tags:404+5x1")
    argv = ("tags", "acme/ci-builds", "--all", "--filter", "build-09", "-o", "json")
    code, out, err = cli_run(monkeypatch, registry, *argv)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("swr-tui: Not found")
    assert err.endswith("; the output stopped part way and is incomplete\n")
    assert out.startswith("[\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)  # an unfinished array: never mistaken for the whole list


@pytest.mark.parametrize("spec", ["tags:ignore-offset", "tags:ignore-offset,tags:no-content-range"])
def test_all_stops_on_a_server_that_ignores_offset(monkeypatch: pytest.MonkeyPatch, spec: str) -> None:
    """It used to page for ever (no Content-Range) or print every tag three times (with it)."""
    registry = FakeRegistry(seed=0, faults=spec)
    code, out, err = cli_run(monkeypatch, registry, "tags", "acme/ci-builds", "--all", "-o", "json")
    assert code == 1
    assert out == ""  # the first page waits for the second, which repeated it
    assert err.count("\n") == 1
    assert "ignores the offset" in err
    assert registry.count(route="tags") <= 1 + 4


def test_all_refuses_a_huge_total(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry(seed=0, faults="tags:huge-total=long")
    code, out, err = cli_run(monkeypatch, registry, "tags", "acme/webapp", "--all")
    assert (code, out) == (1, "")
    assert err.startswith("swr-tui: The registry says the list holds a 5,000-digit number of items")
    assert registry.count(route="tags") == 1
