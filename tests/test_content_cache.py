"""The content-addressed disk cache: keys, checks on read, permissions, atomic writes, eviction."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from swr_tui import content_cache
from swr_tui.content_cache import (
    DEFAULT_MAX_BYTES,
    ContentCache,
    default_cache_dir,
    max_bytes_from_mb,
)
from swr_tui.swr.errors import ConfigurationError

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes")


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def cache(tmp_path: Path) -> ContentCache:
    return ContentCache(tmp_path / "cache")


MANIFEST = b'{"schemaVersion":2,"layers":[]}'


def test_a_content_item_comes_back_by_its_digest(cache: ContentCache) -> None:
    assert cache.get(digest_of(MANIFEST)) is None
    assert cache.put(digest_of(MANIFEST), MANIFEST)
    assert cache.get(digest_of(MANIFEST)) == MANIFEST
    assert (cache.hits, cache.misses) == (1, 1)
    info = cache.info()
    assert (info.entries, info.bytes, info.path) == (1, len(MANIFEST), str(cache.path))
    assert info.max_bytes == DEFAULT_MAX_BYTES


@pytest.mark.parametrize(
    "digest",
    [
        "sha256:" + "0" * 64,  # not the hash of the bytes
        "sha512:" + "0" * 128,
        "sha256:" + "A" * 64,
        "sha256:../../etc/passwd",
        "",
    ],
)
def test_bytes_that_are_not_their_digest_are_never_stored(cache: ContentCache, digest: str) -> None:
    assert not cache.put(digest, MANIFEST)
    assert cache.get(digest) is None
    assert cache.info().entries == 0


def test_files_are_private_in_a_private_folder(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        cache = ContentCache(tmp_path / "deep" / "cache")
        cache.put(digest_of(MANIFEST), MANIFEST)
        cache.put_keyed("accessories", digest_of(MANIFEST), b"[]")
    finally:
        os.umask(old_umask)
    folders = [cache.path, *(path for path in cache.path.rglob("*") if path.is_dir())]
    assert len(folders) >= 3
    assert all(stat.S_IMODE(folder.stat().st_mode) == 0o700 for folder in folders)
    files = files_under(cache.path)
    assert len(files) == 2
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)


def test_a_looser_existing_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    ContentCache(folder).put(digest_of(MANIFEST), MANIFEST)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_corrupted_entry_is_deleted_and_a_miss(cache: ContentCache) -> None:
    cache.put(digest_of(MANIFEST), MANIFEST)
    (entry,) = files_under(cache.path)
    entry.write_bytes(MANIFEST.replace(b"2", b"3"))
    assert cache.get(digest_of(MANIFEST)) is None
    assert not entry.exists()
    assert cache.corrupt_dropped == 1
    assert cache.put(digest_of(MANIFEST), MANIFEST)
    assert cache.get(digest_of(MANIFEST)) == MANIFEST


def test_a_keyed_item_is_checked_against_its_stored_checksum(cache: ContentCache) -> None:
    tag_digest = digest_of(b"the tag's manifest")
    listing = b'{"total":1,"accessories":[{"sig_tag":"sha256-x.sig"}]}'
    assert cache.get_keyed("accessories", tag_digest) is None
    assert cache.put_keyed("accessories", tag_digest, listing)
    assert cache.get_keyed("accessories", tag_digest) == listing
    assert cache.get_keyed("referrers", tag_digest) is None  # another kind, another key
    (entry,) = files_under(cache.path)
    assert tag_digest[7:] not in entry.name  # derived from the digest, not the digest itself
    entry.write_bytes(entry.read_bytes()[:-3] + b"]}}")
    assert cache.get_keyed("accessories", tag_digest) is None
    assert not entry.exists()
    assert cache.corrupt_dropped == 1


@pytest.mark.parametrize(("kind", "digest"), [("../x", "sha256:" + "a" * 64), ("accessories", "latest")])
def test_bad_keys_are_not_stored(cache: ContentCache, kind: str, digest: str) -> None:
    assert not cache.put_keyed(kind, digest, b"[]")
    assert cache.get_keyed(kind, digest) is None
    assert not cache.path.exists()


def test_a_crash_mid_write_leaves_no_entry(cache: ContentCache, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(content_cache.os, "fsync", crash)
    assert not cache.put(digest_of(MANIFEST), MANIFEST)
    assert files_under(cache.path) == []
    assert cache.get(digest_of(MANIFEST)) is None
    assert "No space left on the disk" in cache.problem
    monkeypatch.undo()
    assert cache.put(digest_of(MANIFEST), MANIFEST)
    assert cache.problem == ""


def test_a_killed_writers_temporary_file_is_no_entry_and_is_swept(cache: ContentCache) -> None:
    cache.put(digest_of(b"first"), b"first")
    hex_digest = digest_of(MANIFEST)[7:]
    leftover = cache.path / "sha256" / f".{hex_digest}.1a2b3c4d.tmp"
    leftover.write_bytes(MANIFEST[:5])
    assert cache.get(digest_of(MANIFEST)) is None
    assert cache.info().entries == 1
    old = time.time() - content_cache.STALE_TEMP_S - 10
    os.utime(leftover, (old, old))
    cache.put(digest_of(b"second"), b"second")
    assert not leftover.exists()


def test_least_recently_used_entries_are_evicted_past_the_bound(tmp_path: Path) -> None:
    items = [bytes([index]) * 400 for index in range(4)]
    cache = ContentCache(tmp_path / "cache", max_bytes=1_000)
    for age, item in enumerate(items[:2]):
        cache.put(digest_of(item), item)
        moment = time.time() - 100 + age
        os.utime(next(p for p in files_under(cache.path) if p.name == digest_of(item)[7:]), (moment, moment))
    assert cache.get(digest_of(items[0])) == items[0]  # read: now the most recently used
    cache.put(digest_of(items[2]), items[2])
    assert cache.get(digest_of(items[1])) is None  # the least recently used went
    assert cache.get(digest_of(items[0])) == items[0]
    assert cache.get(digest_of(items[2])) == items[2]
    assert cache.info().bytes <= 1_000
    assert not cache.put(digest_of(b"x" * 1_001), b"x" * 1_001)  # bigger than the whole cache


def test_clear_empties_it(cache: ContentCache) -> None:
    cache.put(digest_of(MANIFEST), MANIFEST)
    cache.put_keyed("accessories", digest_of(MANIFEST), b"[]")
    assert cache.clear() == 2
    assert cache.info().entries == 0
    assert cache.get(digest_of(MANIFEST)) is None


def test_disabled_or_zero_sized_it_stores_nothing(tmp_path: Path) -> None:
    for cache in (ContentCache(tmp_path / "a", enabled=False), ContentCache(tmp_path / "b", max_bytes=0)):
        assert not cache.put(digest_of(MANIFEST), MANIFEST)
        assert cache.get(digest_of(MANIFEST)) is None
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()


def test_an_unwritable_folder_is_a_problem_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ContentCache(blocker / "cache")
    assert not cache.put(digest_of(MANIFEST), MANIFEST)
    assert cache.problem.startswith("Not cached: ")
    assert "\n" not in cache.problem
    assert cache.get(digest_of(MANIFEST)) is None


def test_the_default_folder_is_in_the_user_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "swr-tui" / "content"
    assert ContentCache().path == default_cache_dir()


@pytest.mark.parametrize(("max_mb", "expected"), [(0, 0), (200, DEFAULT_MAX_BYTES), (1, 1024 * 1024)])
def test_max_mb_setting(max_mb: int, expected: int) -> None:
    assert max_bytes_from_mb(max_mb) == expected


@pytest.mark.parametrize("max_mb", [-1, 1.5, "200", True, None, 10**9])
def test_a_bad_max_mb_is_one_clear_message(max_mb: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        max_bytes_from_mb(max_mb)
    assert "[cache] max_mb must be a whole number" in str(caught.value)


def test_workers_may_share_one_cache(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache", max_bytes=20_000)
    items = [f"item {index}".encode() * 50 for index in range(60)]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for item in items[offset::4]:
                cache.put(digest_of(item), item)
                found = cache.get(digest_of(item))
                assert found in (None, item)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.info().bytes <= 20_000
    assert all(cache.get(digest_of(path.read_bytes())) is not None for path in files_under(cache.path))
