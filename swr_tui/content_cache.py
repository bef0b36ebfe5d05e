"""A content-addressed cache on disk for what never changes once it has a digest: manifests,
image configs, and lists keyed by a digest (the accessories of a tag digest).

Items live under the user cache dir (platformdirs), one file each, 0600 in a 0700 folder, written
atomically (``private_files``): a crash mid-write leaves a temporary file that is never read as an
entry and is swept later. Every read is checked: a content item against its own digest, a keyed
item against the checksum stored with it; a corrupted entry is deleted and reported as a miss,
never returned. The cache is bounded: past ``max_bytes`` the least recently used entries go (a
read marks an entry used). Failures of the disk (full, read-only, permissions) never reach the
caller as errors: a write that fails is simply not cached, and ``problem`` says why.

No Textual here: the headless commands use it too. Thread-safe: workers may share one instance.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from platformdirs import user_cache_dir

from .private_files import PRIVATE_FILE_MODE, create_private_temp, describe_os_error, discard
from .swr.errors import ConfigurationError

MEGABYTE = 1024 * 1024
# The default: a few thousand manifests and configs, far more than a session visits.
DEFAULT_MAX_BYTES = 200 * MEGABYTE
# A [cache] max_mb past this is a typo (a terabyte of manifests is not a cache anyone wants).
MAX_MAX_MB = 1024 * 1024
FOLDER_MODE = 0o700
# A temporary file older than this is left over from a crash (a write takes milliseconds).
STALE_TEMP_S = 3600.0

_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")
_KIND = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_CONTENT = "sha256"  # the folder of content items: sha256/<hex>
_KEYED = "keyed"  # the folder of keyed items: keyed/<kind>/<hex of sha256(kind:digest)>
_CHECKSUM_BYTES = 64  # a keyed file starts with the hex sha256 of the rest, then a newline

PathLike = Union[str, Path]


def default_cache_dir() -> Path:
    """``swr-tui/content`` in the platform's user cache dir (``~/.cache`` on Linux)."""
    return Path(user_cache_dir("swr-tui", appauthor=False)) / "content"


def max_bytes_from_mb(max_mb: object) -> int:
    """``[cache] max_mb`` as bytes; ConfigurationError for anything but a whole number 0..MAX_MAX_MB
    (0 turns the cache off)."""
    if isinstance(max_mb, bool) or not isinstance(max_mb, int) or not 0 <= max_mb <= MAX_MAX_MB:
        raise ConfigurationError(
            f"[cache] max_mb must be a whole number of megabytes from 0 (no cache) to {MAX_MAX_MB:,}, "
            f"not {max_mb!r}"
        )
    return max_mb * MEGABYTE


@dataclass(frozen=True)
class CacheInfo:
    entries: int
    bytes: int
    path: str
    max_bytes: int


class ContentCache:
    """``get``/``put`` for content items (the key is the sha256 of the bytes), ``get_keyed``/
    ``put_keyed`` for items filed under a digest they are not the hash of."""

    def __init__(
        self,
        directory: Optional[PathLike] = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        enabled: bool = True,
    ) -> None:
        if max_bytes < 0:
            raise ConfigurationError(f"The cache size must not be negative, not {max_bytes}")
        self.path = Path(directory) if directory is not None else default_cache_dir()
        self.max_bytes = max_bytes
        self.enabled = enabled and max_bytes > 0
        self.hits = 0
        self.misses = 0
        self.corrupt_dropped = 0
        self.problem = ""  # the last disk error, in words; empty while all is well
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ContentCache(path={str(self.path)!r}, max_bytes={self.max_bytes}, enabled={self.enabled})"

    # -- content items ------------------------------------------------------------------------

    def get(self, digest: str) -> Optional[bytes]:
        """The bytes whose sha256 is ``digest``, or None (absent, corrupted, or not a sha256 digest)."""
        hex_digest = _hex_of(digest)
        if not self.enabled or hex_digest is None:
            return self._miss()
        path = self.path / _CONTENT / hex_digest
        data = self._read(path)
        if data is None:
            return self._miss()
        if hashlib.sha256(data).hexdigest() != hex_digest:
            return self._drop_corrupt(path)
        return self._hit(path, data)

    def put(self, digest: str, data: bytes) -> bool:
        """Store ``data`` under ``digest`` if it is its sha256; False when nothing was stored
        (a mismatch, a digest that is not sha256, too big, disabled, or the disk failed)."""
        hex_digest = _hex_of(digest)
        if not self.enabled or hex_digest is None or hashlib.sha256(data).hexdigest() != hex_digest:
            return False
        return self._write(self.path / _CONTENT / hex_digest, data)

    # -- keyed items --------------------------------------------------------------------------

    def get_keyed(self, kind: str, digest: str) -> Optional[bytes]:
        """What ``put_keyed(kind, digest, ...)`` stored, checked against its stored checksum."""
        path = self._keyed_path(kind, digest)
        if not self.enabled or path is None:
            return self._miss()
        stored = self._read(path)
        if stored is None:
            return self._miss()
        checksum, newline, data = (
            stored[:_CHECKSUM_BYTES],
            stored[_CHECKSUM_BYTES : _CHECKSUM_BYTES + 1],
            stored[_CHECKSUM_BYTES + 1 :],
        )
        if newline != b"\n" or hashlib.sha256(data).hexdigest().encode("ascii") != checksum:
            return self._drop_corrupt(path)
        return self._hit(path, data)

    def put_keyed(self, kind: str, digest: str, data: bytes) -> bool:
        """Store ``data`` (e.g. an accessory list) for ``digest``; ``kind`` names what it is."""
        path = self._keyed_path(kind, digest)
        if not self.enabled or path is None:
            return False
        checksum = hashlib.sha256(data).hexdigest().encode("ascii")
        return self._write(path, checksum + b"\n" + data)

    def _keyed_path(self, kind: str, digest: str) -> Optional[Path]:
        if not _KIND.match(kind) or _hex_of(digest) is None:
            return None
        name = hashlib.sha256(f"{kind}:{digest}".encode("ascii")).hexdigest()
        return self.path / _KEYED / kind / name

    # -- the whole cache ----------------------------------------------------------------------

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(len(entries), sum(size for _, size, _ in entries), str(self.path), self.max_bytes)

    def clear(self) -> int:
        """Delete every entry (and leftover temporary file); how many entries there were."""
        with self._lock:
            entries = self._entries(include_temp=True)
            for path, _, _ in entries:
                with suppress(FileNotFoundError):
                    path.unlink()
            return sum(1 for path, _, _ in entries if not _is_temp(path))

    # -- plumbing -----------------------------------------------------------------------------

    def _hit(self, path: Path, data: bytes) -> bytes:
        self.hits += 1
        with suppress(OSError):
            os.utime(path)  # the access time the eviction goes by (atime is often not kept)
        return data

    def _miss(self) -> Optional[bytes]:
        self.misses += 1
        return None

    def _drop_corrupt(self, path: Path) -> Optional[bytes]:
        self.corrupt_dropped += 1
        with suppress(OSError):
            path.unlink()
        return self._miss()

    def _read(self, path: Path) -> Optional[bytes]:
        try:
            with open(path, "rb") as file:
                return file.read()
        except OSError:  # absent, evicted meanwhile, or unreadable: all a miss
            return None

    def _write(self, path: Path, data: bytes) -> bool:
        if len(data) > self.max_bytes:
            return False
        with self._lock:
            try:
                self._ensure_folder(path.parent)
                _write_atomically(path, data)
                self._evict(keep=path)
            except OSError as error:
                self.problem = f"Not cached: {describe_os_error(error, str(path))}"
                return False
        self.problem = ""
        return True

    def _ensure_folder(self, folder: Path) -> None:
        """``folder`` and its parents up to the cache root, each 0700 (tightened if looser)."""
        chain = [folder, *folder.parents]
        below_root = chain[: chain.index(self.path) + 1] if self.path in chain else [folder]
        for part in reversed(below_root):
            part.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            if os.name != "nt" and stat.S_IMODE(part.stat().st_mode) != FOLDER_MODE:
                part.chmod(FOLDER_MODE)

    def _evict(self, keep: Path) -> None:
        entries = self._entries(include_temp=True)
        now = time.time()
        total = 0
        live = []
        for path, size, used in entries:
            if _is_temp(path):
                if now - used > STALE_TEMP_S:
                    with suppress(OSError):
                        path.unlink()
                continue
            total += size
            live.append((used, path, size))
        live.sort()  # least recently used first
        for _, path, size in live:
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            with suppress(FileNotFoundError):
                path.unlink()
            total -= size

    def _entries(self, include_temp: bool = False) -> list[tuple[Path, int, float]]:
        """(path, size, last used) of every file under the cache folder."""
        found = []
        for folder, _, names in os.walk(self.path):
            for name in names:
                path = Path(folder) / name
                if _is_temp(path) and not include_temp:
                    continue
                try:
                    status = path.stat()
                except OSError:
                    continue
                found.append((path, status.st_size, status.st_mtime))
        return found


def _hex_of(digest: str) -> Optional[str]:
    match = _DIGEST.match(digest) if isinstance(digest, str) else None
    return match.group(1) if match else None


def _is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def _write_atomically(path: Path, data: bytes) -> None:
    """A private temporary file beside ``path``, flushed to disk, then renamed over it."""
    temp = create_private_temp(str(path))
    try:
        os.chmod(temp, PRIVATE_FILE_MODE)  # os.open's mode was filtered by the umask
        with open(temp, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        discard(temp)
        raise
