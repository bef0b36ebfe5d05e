"""Tags to a file or a stream: the one writer behind ``swr-tui tags --output`` and the TUI's export.

No Textual here: the headless command uses it too. Tags are written page by page as they arrive
(``TagWriter``: a JSON array stays one valid array, CSV/TSV get one header), so an export's memory does
not grow with the repository. Files are written next to their target, readable by their owner only
(tag lists of private repositories are sensitive), and renamed into place only once complete, so a
reader never sees half a file and a failed or interrupted export leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import errno
import os
import secrets
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, Callable, Optional, TextIO, TypeVar

from .output import TAG_COLUMNS, Column, json_lines, write_delimited
from .swr.bulk import DEFAULT_CONCURRENCY, Progress, stream_tags
from .swr.client import SwrClient
from .swr.models import Tag

R = TypeVar("R")

EXTENSIONS = {".csv": "csv", ".json": "json", ".tsv": "tsv"}
FILE_FORMATS = tuple(EXTENSIONS.values())
PRIVATE_FILE_MODE = 0o600

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


def create_private_temp(path: str) -> str:
    """An empty new file beside ``path`` (same directory, so the final rename is atomic), mode 0600."""
    directory, name = os.path.split(os.path.abspath(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, flags, PRIVATE_FILE_MODE)
        except FileExistsError:
            continue
        os.close(fd)
        return temp


def discard(temp: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(temp)


class TagFile:
    """``path`` written page by page into a private temporary file beside it, which ``commit``
    renames over ``path`` once complete; ``discard`` removes it (a failed export leaves nothing)."""

    def __init__(self, path: str, fmt: str, with_manifest: bool = False) -> None:
        self.path = path
        self.fmt = fmt
        self.with_manifest = with_manifest
        self.temp = create_private_temp(path)
        try:
            self._out = open(self.temp, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by commit/discard)
            self._writer = TagWriter(fmt, self._out, with_manifest)
        except BaseException:
            discard(self.temp)
            raise

    @property
    def count(self) -> int:
        return self._writer.count

    def write(self, tags: Sequence[Tag]) -> None:
        self._writer.write(tags)

    def restart(self) -> None:
        """Empty again, for a list read again from its start."""
        self._out.seek(0)
        self._out.truncate()
        self._writer = TagWriter(self.fmt, self._out, self.with_manifest)

    def commit(self) -> None:
        """Finish the document, flush it to disk and rename it into place."""
        self._writer.finish()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self.temp, self.path)

    def discard(self) -> None:
        with suppress(OSError):
            self._out.close()
        discard(self.temp)


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
) -> int:
    """Every tag of the listing into ``path``, streamed: each page is written as it arrives (in a
    worker thread with ``in_thread``, to keep an event loop that draws a UI free), a list that moves
    meanwhile is read again into an emptied file, and ``path`` appears only once complete. Returns
    how many tags were written."""
    run: Callable[..., Any] = _in_thread if in_thread else _inline
    file = TagFile(path, fmt, with_manifest)
    try:

        async def write(tags: Sequence[Tag]) -> None:
            await run(file.write, tags)

        async def restart() -> None:
            await run(file.restart)

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


def check_destination(path: str) -> None:
    """Raise the OSError a write would meet, before minutes are spent fetching: the folder must exist
    and be writable, and the path must not name a folder."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(directory):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), directory)
    if not os.path.isdir(directory):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), directory)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), directory)


def describe_os_error(error: OSError, path: str) -> str:
    """A file-system error in words a person can act on (no errno numbers, no traceback)."""
    folder = os.path.dirname(os.path.abspath(path))
    if isinstance(error, FileNotFoundError):
        if os.path.isdir(folder):
            # /proc, for one: the folder is there but takes no new files.
            reason = error.strerror or str(error)
            return f"Cannot create a file in {folder} ({reason}): choose another folder"
        return f"The folder {folder} does not exist: create it, or choose another path"
    if isinstance(error, NotADirectoryError):
        return f"{folder} is not a folder: choose a path inside a folder"
    if isinstance(error, IsADirectoryError):
        return f"{path} is a folder: add a file name such as tags.csv"
    if isinstance(error, PermissionError):
        return f"Permission denied writing in {folder}: choose a folder you can write to"
    where = folder
    if error.errno == errno.ENOSPC:
        return f"No space left on the disk that holds {where}: free some space or choose another disk"
    if error.errno == errno.EROFS:
        return f"{where} is on a read-only file system: choose another folder"
    reason = error.strerror or str(error)
    return f"Cannot write {path}: {reason}"
