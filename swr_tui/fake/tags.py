"""Tags of one repository: explicit lists for the showcase repositories, and tags generated on
demand from their index for the rest (the 100,000-tag repository never exists as a list).

Index 0 is the oldest tag; ``updated`` never decreases with the index, so "newest first" is simply
the indexes in reverse.
"""

from __future__ import annotations

import random
import re
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Optional

from swr_tui.fake import manifests
from swr_tui.fake.entropy import rng


def swr_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class TagRecord:
    index: int
    id: int
    name: str
    built: manifests.Built
    created: datetime
    updated: datetime
    scanned: bool
    is_trusted: bool = False
    # Fields the server sends as given instead of deriving them (path, internal_path, digest,
    # created, updated...): the hostile data set's malformed values. Sorting still uses the datetimes.
    wire: tuple[tuple[str, str], ...] = ()

    @property
    def digest(self) -> str:
        return self.built.digest

    @property
    def manifest(self) -> str:
        return self.built.text

    @property
    def size(self) -> int:
        return self.built.total_size


class Naming:
    """Maps a tag index to its name and back."""

    def name(self, index: int) -> str:
        raise NotImplementedError

    def index(self, name: str) -> Optional[int]:
        raise NotImplementedError


class BuildNumbers(Naming):
    """``build-000001``, ``build-000002``...: one tag per CI pipeline run."""

    def __init__(self, prefix: str = "build-", width: int = 6) -> None:
        self.prefix = prefix
        self.width = width

    def name(self, index: int) -> str:
        return f"{self.prefix}{index + 1:0{self.width}d}"

    def index(self, name: str) -> Optional[int]:
        digits = name[len(self.prefix) :]
        if not name.startswith(self.prefix) or not digits.isdigit():
            return None
        index = int(digits) - 1
        return index if index >= 0 and self.name(index) == name else None


_SEMVER = re.compile(r"v(\d+)\.(\d)\.(\d)")


class SemVer(Naming):
    """``v1.0.0``, ``v1.0.1``... ten patches a minor, ten minors a major."""

    def name(self, index: int) -> str:
        return f"v{1 + index // 100}.{(index // 10) % 10}.{index % 10}"

    def index(self, name: str) -> Optional[int]:
        match = _SEMVER.fullmatch(name)
        if not match:
            return None
        major, minor, patch = (int(part) for part in match.groups())
        index = (major - 1) * 100 + minor * 10 + patch
        return index if index >= 0 and self.name(index) == name else None


class TagSource:
    """The tags of one repository, addressed by index (0 = oldest)."""

    count: int

    def name(self, index: int) -> str:
        raise NotImplementedError

    def record(self, index: int) -> TagRecord:
        raise NotImplementedError

    def index_of(self, name: str) -> Optional[int]:
        raise NotImplementedError

    def times(self, index: int) -> tuple[datetime, datetime]:
        """(created, updated) of one tag; sources that can should answer without building it."""
        record = self.record(index)
        return record.created, record.updated

    def __len__(self) -> int:
        return self.count

    def names(self) -> Iterator[str]:
        return (self.name(index) for index in range(self.count))

    def matching(self, needle: str) -> Sequence[int]:
        """Indexes whose name contains ``needle`` (case-insensitive), oldest first."""
        if not needle:
            return range(self.count)
        return _scan(self, needle.lower())


@lru_cache(maxsize=32)
def _scan(source: TagSource, needle: str) -> tuple[int, ...]:
    # Cached because a filtered view is paged through one request at a time.
    return tuple(index for index in range(source.count) if needle in source.name(index).lower())


class ExplicitTags(TagSource):
    def __init__(self, records: Sequence[TagRecord]) -> None:
        self._records = tuple(records)
        self._by_name = {record.name: record.index for record in self._records}
        self.count = len(self._records)

    def name(self, index: int) -> str:
        return self._records[index].name

    def record(self, index: int) -> TagRecord:
        return self._records[index]

    def index_of(self, name: str) -> Optional[int]:
        return self._by_name.get(name)


RECENT_RECORDS = 12_000


class GeneratedTags(TagSource):
    """Tags built from (key, index) alone, so any page costs only its own tags."""

    def __init__(
        self,
        key: str,
        count: int,
        newest: datetime,
        step_s: int,
        naming: Naming,
        id_base: int,
        oci_share: float = 0.2,
        *,
        real_configs: bool = False,
    ) -> None:
        self.key = key
        self.real_configs = real_configs
        self.count = count
        self.newest = newest
        self.step_s = step_s
        self.naming = naming
        self.id_base = id_base
        self.oci_share = oci_share
        # Building a tag costs ~70 us (its manifest is generated); pages a client browses back and
        # forth over, or reads again, are served from here. Bounded, so 100,000 tags stay cheap.
        self._recent: OrderedDict[int, TagRecord] = OrderedDict()
        self._lock = threading.Lock()

    def name(self, index: int) -> str:
        return self.naming.name(index)

    def index_of(self, name: str) -> Optional[int]:
        index = self.naming.index(name)
        return index if index is not None and index < self.count else None

    def record(self, index: int) -> TagRecord:
        if not 0 <= index < self.count:
            raise IndexError(index)
        with self._lock:
            cached = self._recent.get(index)
            if cached is not None:
                self._recent.move_to_end(index)
                return cached
        record = self._build(index)
        with self._lock:
            self._recent[index] = record
            while len(self._recent) > RECENT_RECORDS:
                self._recent.popitem(last=False)
        return record

    def times(self, index: int) -> tuple[datetime, datetime]:
        # The data set asks for the oldest and newest tag of every repository when it is built:
        # the times come first in the tag's random stream, so its manifest need not be made.
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self._times(rng(self.key, index), index)

    def _times(self, generator: random.Random, index: int) -> tuple[datetime, datetime]:
        # Jitter stays under half a step, so times still strictly increase with the index.
        jitter = 0 if index == self.count - 1 else generator.randrange(max(1, self.step_s // 2))
        updated = self.newest - timedelta(seconds=(self.count - 1 - index) * self.step_s + jitter)
        repushed = generator.random() < 0.15
        created = updated - timedelta(seconds=generator.randint(60, 86_400) if repushed else 0)
        return created, updated

    def _build(self, index: int) -> TagRecord:
        generator = rng(self.key, index)
        created, updated = self._times(generator, index)
        real = manifests.LINUX_AMD64 if self.real_configs else None
        built = manifests.random_image(generator, oci=generator.random() < self.oci_share, real_config=real)
        return TagRecord(
            index=index,
            id=self.id_base + index,
            name=self.name(index),
            built=built,
            created=created,
            updated=updated,
            scanned=generator.random() < 0.6,
        )


class OverlayTags(TagSource):
    """A repository's tags after pushes and deletes at run time, without touching the base source
    (which registries with the same seed share): the base's tags minus ``dropped`` (sorted base
    indexes), then ``added``, oldest first. Immutable: every change makes a new overlay, so a
    request holding one sees one consistent listing, and 100,000 base tags are never materialised.
    """

    def __init__(
        self, base: TagSource, dropped: tuple[int, ...] = (), added: tuple[TagRecord, ...] = ()
    ) -> None:
        self.base = base
        self.dropped = dropped
        self.added = added
        self._dropped_set = frozenset(dropped)
        self._added_at = {record.name: position for position, record in enumerate(added)}
        self.survivors = base.count - len(dropped)
        self.count = self.survivors + len(added)

    def _base_index(self, index: int) -> int:
        # The smallest base index with ``index`` kept ones before it: never a dropped one.
        low, high = index, index + len(self.dropped)
        while low < high:
            middle = (low + high) // 2
            if middle - bisect_right(self.dropped, middle) >= index:
                high = middle
            else:
                low = middle + 1
        return low

    def _check(self, index: int) -> None:
        if not 0 <= index < self.count:
            raise IndexError(index)

    def name(self, index: int) -> str:
        self._check(index)
        if index < self.survivors:
            return self.base.name(self._base_index(index))
        return self.added[index - self.survivors].name

    def record(self, index: int) -> TagRecord:
        self._check(index)
        if index < self.survivors:
            record = self.base.record(self._base_index(index))
        else:
            record = self.added[index - self.survivors]
        return record if record.index == index else replace(record, index=index)

    def times(self, index: int) -> tuple[datetime, datetime]:
        self._check(index)
        if index < self.survivors:
            return self.base.times(self._base_index(index))
        record = self.added[index - self.survivors]
        return record.created, record.updated

    def index_of(self, name: str) -> Optional[int]:
        position = self._added_at.get(name)
        if position is not None:
            return self.survivors + position
        base_index = self.base.index_of(name)
        if base_index is None or base_index in self._dropped_set:
            return None
        return base_index - bisect_left(self.dropped, base_index)

    def matching(self, needle: str) -> Sequence[int]:
        if not needle:
            return range(self.count)
        return _overlay_scan(self, needle.lower())

    def changed(self, pushed: Sequence[TagRecord] = (), deleted: Iterable[str] = ()) -> OverlayTags:
        """A new overlay: ``deleted`` gone, and ``pushed`` appended as the newest tags, oldest
        first; a pushed name that exists already leaves its old place (a re-push moves a tag)."""
        newest: dict[str, TagRecord] = {}
        for record in pushed:  # the last push of a name wins, at its own place
            newest.pop(record.name, None)
            newest[record.name] = record
        gone = set(newest) | set(deleted)
        dropped = set(self.dropped)
        for name in gone:
            base_index = self.base.index_of(name)
            if base_index is not None:
                dropped.add(base_index)
        kept = tuple(record for record in self.added if record.name not in gone)
        return OverlayTags(self.base, tuple(sorted(dropped)), kept + tuple(newest.values()))


@lru_cache(maxsize=32)
def _overlay_scan(source: OverlayTags, needle: str) -> tuple[int, ...]:
    base_hits = source.base.matching(needle)
    if source.dropped:
        dropped, gone = source.dropped, source._dropped_set
        hits = [index - bisect_left(dropped, index) for index in base_hits if index not in gone]
    else:
        hits = list(base_hits)
    hits += [
        source.survivors + position
        for position, record in enumerate(source.added)
        if needle in record.name.lower()
    ]
    return tuple(hits)
