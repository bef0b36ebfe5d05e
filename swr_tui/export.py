"""Tags to a file or a stream: the one writer behind ``swr-tui tags --output`` and the TUI's export.

No Textual here: the headless command uses it too. Tags are written page by page as they arrive
(``TagWriter``: a JSON array stays one valid array, CSV/TSV get one header), so an export's memory does
not grow with the repository. Files are written next to their target, readable by their owner only
(tag lists of private repositories are sensitive), and renamed into place only once complete, so a
reader never sees half a file and a failed or interrupted export leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, Callable, Optional, TextIO, TypeVar

from .output import TAG_COLUMNS, Column, json_lines, write_delimited
from .private_files import PrivateFile
from .swr.bulk import DEFAULT_CONCURRENCY, Fetch, Progress, stream_all_stable, stream_tags
from .swr.client import SwrClient
from .swr.models import Tag

R = TypeVar("R")

EXTENSIONS = {".csv": "csv", ".json": "json", ".tsv": "tsv"}
FILE_FORMATS = tuple(EXTENSIONS.values())

_MANIFEST = Column("MANIFEST", lambda tag: tag.manifest, lambda tag: tag.manifest)


def export_format(path: str) -> str:
    """The format a file name asks for, by its extension (any case)."""
    extension = os.path.splitext(path)[1].lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    found = f"'{extension}'" if extension else "no extension"
    choices = ", ".join(sorted(EXTENSIONS))
    raise ValueError(f"Unknown file type ({found}): end the file name with {choices}")


def tag_columns(with_manifest: bool = False) -> tuple[Column, ...]:
    return (*TAG_COLUMNS, _MANIFEST) if with_manifest else TAG_COLUMNS


class TagWriter:
    """Tags page by page: ``json`` (the design.md records, as ``Tag.to_output``), ``csv`` or ``tsv``
    (TAG_COLUMNS). ``finish`` ends the document; the bytes are the same however the tags are split
    into pages, and a JSON array left unfinished does not parse (it is not mistaken for complete)."""

    def __init__(self, fmt: str, out: TextIO, with_manifest: bool = False) -> None:
        if fmt not in FILE_FORMATS:
            raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FILE_FORMATS)}")
        self.fmt = fmt
        self.out = out
        self.with_manifest = with_manifest
        self.count = 0
        self._started = False

    def write(self, tags: Sequence[Tag]) -> None:
        if self.fmt == "json":
            body = json_lines([tag.to_output(self.with_manifest) for tag in tags])
            if body:
                self.out.write(",\n" if self._started else "[\n")
                self.out.write(body)
                self._started = True
        else:
            columns = tag_columns(self.with_manifest)
            write_delimited(tags, columns, self.out, self.fmt, header=not self._started)
            self._started = True
        self.count += len(tags)

    def finish(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self._started else "[]\n")
        elif not self._started:
            self.write(())


def write_tags(tags: Sequence[Tag], fmt: str, out: TextIO, with_manifest: bool = False) -> None:
    """All of ``tags`` at once: what ``TagWriter`` writes for them in any number of pages."""
    writer = TagWriter(fmt, out, with_manifest)
    writer.write(tags)
    writer.finish()


class TagFile:
    """``path`` written page by page into a private temporary file beside it, which ``commit``
    renames over ``path`` once complete; ``discard`` removes it (a failed export leaves nothing)."""

    def __init__(self, path: str, fmt: str, with_manifest: bool = False) -> None:
        self.path = path
        self.fmt = fmt
        self.with_manifest = with_manifest
        self._file = PrivateFile(path, newline="")
        try:
            self._writer = TagWriter(fmt, self._file.out, with_manifest)
        except BaseException:
            self._file.discard()
            raise

    @property
    def temp(self) -> str:
        return self._file.temp

    @property
    def count(self) -> int:
        return self._writer.count

    def write(self, tags: Sequence[Tag]) -> None:
        self._writer.write(tags)

    def restart(self) -> None:
        """Empty again, for a list read again from its start."""
        out = self._file.out
        out.seek(0)
        out.truncate()
        self._writer = TagWriter(self.fmt, out, self.with_manifest)

    def commit(self) -> None:
        """Finish the document, flush it to disk and rename it into place."""
        self._writer.finish()
        self._file.commit()

    def discard(self) -> None:
        self._file.discard()


def write_tags_file(tags: Sequence[Tag], path: str, fmt: str, with_manifest: bool = False) -> None:
    """Write ``path`` atomically: a private temporary file, then a rename over the target."""
    file = TagFile(path, fmt, with_manifest)
    try:
        file.write(tags)
        file.commit()
    except BaseException:
        file.discard()
        raise


async def export_tags_file(
    client: SwrClient,
    namespace: str,
    repository: str,
    path: str,
    fmt: str,
    *,
    order: str = "desc",
    tag: Optional[str] = None,
    with_manifest: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Optional[Progress] = None,
    in_thread: bool = False,
    pages: Optional[tuple[Fetch[Tag], int]] = None,
) -> int:
    """Every tag of the listing into ``path``, streamed: each page is written as it arrives (in a
    worker thread with ``in_thread``, to keep an event loop that draws a UI free), a list that moves
    meanwhile is read again into an emptied file, and ``path`` appears only once complete. Returns
    how many tags were written. ``pages``: the listing's own pages and their size, for a listing the
    basic edition's tag list does not serve (an Enterprise Edition instance's)."""
    run: Callable[..., Any] = _in_thread if in_thread else _inline
    file = TagFile(path, fmt, with_manifest)
    try:

        async def write(tags: Sequence[Tag]) -> None:
            await run(file.write, tags)

        async def restart() -> None:
            await run(file.restart)

        if pages is not None:
            fetch, page_size = pages
            count = await stream_all_stable(
                fetch,
                write,
                restart=restart,
                page_size=page_size,
                window=concurrency,
                what=f"the tags of {namespace}/{repository}",
                on_progress=on_progress,
            )
        else:
            count = await stream_tags(
                client,
                namespace,
                repository,
                write,
                restart=restart,
                order=order,
                tag=tag,
                concurrency=concurrency,
                on_progress=on_progress,
            )
        await run(file.commit)
    except BaseException:
        file.discard()
        raise
    finally:
        release_freed_memory()
    return count


def release_freed_memory() -> None:
    """Hand the heap pages an export freed back to the system. glibc keeps freed memory mapped when
    live objects sit between the holes, so after exporting 1,000,000 tags a long-running TUI stayed
    ~40 MB bigger than before it; ``malloc_trim`` returns them. A no-op where there is no glibc."""
    import ctypes  # only here: nothing else needs it

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # no glibc (macOS, musl); Windows
        return
    trim(0)


async def _inline(function: Callable[..., R], *args: Any) -> R:
    return function(*args)


async def _in_thread(function: Callable[..., R], *args: Any) -> R:
    """``function`` in a thread; when cancelled, it still waits for the thread (which cannot be
    stopped) to finish, so that nobody removes a file the thread is writing."""
    job = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        with suppress(Exception):
            await job
        raise
