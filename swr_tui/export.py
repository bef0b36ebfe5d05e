"""Tags to a file or a stream: the one writer behind ``swr-tui tags --output`` and the TUI's export.

No Textual here: the headless command uses it too. Files are written next to their target, readable
by their owner only (tag lists of private repositories are sensitive), and renamed into place, so a
reader never sees half a file and an interrupted export leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Sequence
from contextlib import suppress
from typing import TextIO

from .output import TAG_COLUMNS, Column, write_delimited, write_json
from .swr.models import Tag

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


def write_tags(tags: Sequence[Tag], fmt: str, out: TextIO, with_manifest: bool = False) -> None:
    """``json`` (the design.md records, as ``Tag.to_output``), ``csv`` or ``tsv`` (TAG_COLUMNS)."""
    if fmt == "json":
        write_json([tag.to_output(with_manifest) for tag in tags], out)
    elif fmt in ("csv", "tsv"):
        write_delimited(tags, tag_columns(with_manifest), out, fmt)
    else:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FILE_FORMATS)}")


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


def write_tags_to_temp(tags: Sequence[Tag], fmt: str, temp: str, with_manifest: bool = False) -> None:
    """Fill the file ``create_private_temp`` made and flush it to disk (it may run in a thread)."""
    with open(temp, "w", encoding="utf-8", newline="") as out:
        write_tags(tags, fmt, out, with_manifest)
        out.flush()
        os.fsync(out.fileno())


def discard(temp: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(temp)


def write_tags_file(tags: Sequence[Tag], path: str, fmt: str, with_manifest: bool = False) -> None:
    """Write ``path`` atomically: a private temporary file, then a rename over the target."""
    temp = create_private_temp(path)
    try:
        write_tags_to_temp(tags, fmt, temp, with_manifest)
        os.replace(temp, path)
    except BaseException:
        discard(temp)
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
