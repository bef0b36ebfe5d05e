"""Files only their owner may read, written whole or not at all.

One way to write them for the tag export (CLI and TUI) and the config writer: a private (0600)
temporary file beside the target, flushed to disk, then renamed over it; on any error the temporary
file is removed, so a reader never sees half a file and a failure leaves nothing behind. Also the
checks and the wording around them: can the destination take a file, is a secrets file private,
and what an ``OSError`` means in words a person can act on.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path
from typing import Optional, TextIO, Union

PRIVATE_FILE_MODE = 0o600
# Bits that let group or others read a file (or list a folder).
READABLE_BY_OTHERS = 0o044
# Bits that let group or others change a file (or create, rename and delete the files in a folder).
WRITABLE_BY_OTHERS = 0o022

PathLike = Union[str, Path]


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
    """Remove a temporary file; one already gone is fine."""
    with suppress(FileNotFoundError):
        os.unlink(temp)


class PrivateFile:
    """Text for ``path``, written into a private temporary file beside it; ``commit`` flushes it to
    disk and renames it over ``path``, ``discard`` removes it. ``out`` is the open text stream."""

    def __init__(self, path: PathLike, *, newline: Optional[str] = None) -> None:
        self.path = str(path)
        self.temp = create_private_temp(self.path)
        try:
            os.chmod(self.temp, PRIVATE_FILE_MODE)  # os.open's mode was filtered by the umask
            self.out: TextIO = open(self.temp, "w", encoding="utf-8", newline=newline)  # noqa: SIM115 (closed by commit/discard)
        except BaseException:
            discard(self.temp)
            raise

    def commit(self) -> None:
        """Flush to disk and rename into place."""
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        os.replace(self.temp, self.path)

    def discard(self) -> None:
        with suppress(OSError):
            self.out.close()
        discard(self.temp)


def write_private_text(path: PathLike, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, readable by its owner only."""
    file = PrivateFile(path)
    try:
        file.out.write(text)
        file.commit()
    except BaseException:
        file.discard()
        raise


def open_to_others(path: PathLike, bits: int, *, folder: bool = False) -> Optional[int]:
    """The permission bits of ``path`` when group or others hold any of ``bits``
    (``READABLE_BY_OTHERS``, ``WRITABLE_BY_OTHERS``), else None: also when it cannot be examined,
    when ``folder`` is asked for and it is not one, and on Windows, where modes say nothing."""
    if os.name == "nt":
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if folder and not stat.S_ISDIR(mode):
        return None
    return stat.S_IMODE(mode) if mode & bits else None


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
    if error.errno == errno.ENOSPC:
        return f"No space left on the disk that holds {folder}: free some space or choose another disk"
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only file system: choose another folder"
    reason = error.strerror or str(error)
    return f"Cannot write {path}: {reason}"
