"""Tags that appear, move and disappear while a registry runs: pushes, deletes and the background
activity of ``FakeRegistry(activity_s=...)``.

The shared data set is never changed: a change makes a new ``Dataset`` for one registry, in which
the touched repository carries an ``OverlayTags`` over its original tag source.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from swr_tui.fake import manifests
from swr_tui.fake.dataset import BIG_REPO, MAIN_NAMESPACE, SHOWCASE_REPO, Dataset, Repository
from swr_tui.fake.entropy import rng
from swr_tui.fake.tags import OverlayTags, TagRecord

# A pushed time that is not newer than the repository's newest tag moves to just after it.
MIN_STEP = timedelta(seconds=1)
# Background activity: a build every interval, a release every this many intervals.
RELEASE_EVERY = 5
_SEMVER = re.compile(r"v(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Push:
    name: str
    like: Optional[str]
    at: Optional[datetime]  # None: the registry's clock
    strict: bool = True  # an ``at`` not newer than the newest tag is an error, else moves past it


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


class LiveTags:
    """One registry's run-time changes: turns pushes and deletes into new data sets, thread safe."""

    def __init__(self, seed: int, clock: Callable[[], datetime]) -> None:
        self.seed = seed
        self._clock = clock
        self.lock = threading.RLock()
        self._next_id: dict[tuple[str, str], int] = {}
        self._generation: dict[tuple[str, str, str], int] = {}

    def push(self, dataset: Dataset, namespace: str, repository: str, pushes: list[Push]) -> Dataset:
        """``dataset`` with ``pushes`` applied in order, each one the repository's newest tag."""
        if not pushes:
            return dataset
        repo = _repository(dataset, namespace, repository)
        tags = _overlay(repo)
        by_name: dict[str, TagRecord] = {}
        records: list[TagRecord] = []
        newest = tags.times(tags.count - 1)[1] if tags.count else None
        size = repo.size

        def existing(name: str) -> Optional[TagRecord]:
            if name in by_name:
                return by_name[name]
            index = tags.index_of(name)
            return tags.record(index) if index is not None else None

        for push in pushes:
            if not push.name or "/" in push.name:
                raise ValueError(f"invalid tag name {push.name!r}")
            if push.at is not None and push.strict:
                at = _utc(push.at)
                if newest is not None and at <= newest:
                    raise ValueError(
                        f"cannot push {namespace}/{repository}:{push.name} at {at.isoformat()}: "
                        f"not newer than its newest tag ({newest.isoformat()})"
                    )
            else:
                at = _utc(push.at if push.at is not None else self._clock())
                if newest is not None and at <= newest:
                    at = newest + MIN_STEP
            old = existing(push.name)
            if push.like is not None:
                model = existing(push.like)
                if model is None:
                    raise ValueError(
                        f"cannot push {namespace}/{repository}:{push.name} like {push.like!r}: "
                        "no such tag in that repository"
                    )
                built, scanned = model.built, model.scanned
            else:
                built, scanned = self._fresh_image(namespace, repository, push.name), False
            record = TagRecord(
                index=-1,  # the overlay answers with the real index
                id=old.id if old is not None else self._new_id(repo, tags),
                name=push.name,
                built=built,
                created=old.created if old is not None else at,
                updated=at,
                scanned=scanned,
            )
            size += record.size - (old.size if old is not None else 0)
            by_name[push.name] = record
            records.append(record)
            newest = at
        assert newest is not None
        return _replace(dataset, repo, tags.changed(pushed=records), max(repo.updated, newest), size)

    def delete(self, dataset: Dataset, namespace: str, repository: str, tag: str) -> Dataset:
        repo = _repository(dataset, namespace, repository)
        tags = _overlay(repo)
        index = tags.index_of(tag)
        if index is None:
            raise ValueError(f"cannot delete {namespace}/{repository}:{tag}: no such tag")
        size = max(0, repo.size - tags.record(index).size)
        updated = max(repo.updated, _utc(self._clock()))
        return _replace(dataset, repo, tags.changed(deleted=[tag]), updated, size)

    def _fresh_image(self, namespace: str, repository: str, tag: str) -> manifests.Built:
        # Deterministic from the seed and the name; a name pushed again gets a new image.
        key = (namespace, repository, tag)
        generation = self._generation.get(key, 0)
        self._generation[key] = generation + 1
        generator = rng(self.seed, "push", namespace, repository, tag, generation)
        return manifests.random_image(generator, oci=generator.random() < 0.3)

    def _new_id(self, repo: Repository, tags: OverlayTags) -> int:
        key = (repo.namespace, repo.name)
        if key not in self._next_id:
            base = tags.base
            ids = [record.id for record in tags.added]
            if base.count:
                ids.append(base.record(base.count - 1).id)
            self._next_id[key] = max(ids) + 1 if ids else 500_000_000 + repo.id * 1_000
        self._next_id[key] += 1
        return self._next_id[key] - 1


def _repository(dataset: Dataset, namespace: str, repository: str) -> Repository:
    repo = dataset.repository(namespace, repository)
    if repo is None:
        raise ValueError(f"no repository {namespace}/{repository} in the fake registry")
    return repo


def _overlay(repo: Repository) -> OverlayTags:
    return repo.tags if isinstance(repo.tags, OverlayTags) else OverlayTags(repo.tags)


def _replace(dataset: Dataset, old: Repository, tags: OverlayTags, updated: datetime, size: int) -> Dataset:
    new = replace(old, tags=tags, updated=updated, size=size)
    return replace(
        dataset,
        repositories=tuple(new if repo is old else repo for repo in dataset.repositories),
        shared=tuple(
            replace(share, repository=new) if share.repository is old else share for share in dataset.shared
        ),
    )


class Activity:
    """Background pushes, caught up from the clock rather than run by a thread: interval ``k``
    (1, 2, ...) pushes build ``k`` after the last one of acme/ci-builds, and every fifth interval
    also a new release ``v…`` in acme/webapp, each at ``start + k * interval_s``."""

    def __init__(self, dataset: Dataset, interval_s: float, start: datetime) -> None:
        if not interval_s > 0:
            raise ValueError(f"activity_s must be positive, got {interval_s!r}")
        self.interval_s = interval_s
        self.start = _utc(start)
        self.done = 0
        builds = dataset.repository(MAIN_NAMESPACE, BIG_REPO)
        self.first_build = _overlay(builds).base.count + 1 if builds is not None else 1
        webapp = dataset.repository(MAIN_NAMESPACE, SHOWCASE_REPO)
        versions = [
            tuple(int(part) for part in match.groups())
            for match in (_SEMVER.fullmatch(name) for name in (webapp.tags.names() if webapp else ()))
            if match
        ]
        self.last_release = max(versions, default=(0, 0, 0))

    def due(self, now: datetime) -> tuple[list[Push], list[Push]]:
        """(builds, releases) to push to catch up with ``now``; they count as done."""
        target = int((_utc(now) - self.start).total_seconds() // self.interval_s)
        builds: list[Push] = []
        releases: list[Push] = []
        for step in range(self.done + 1, target + 1):
            at = self.start + timedelta(seconds=step * self.interval_s)
            builds.append(Push(f"build-{self.first_build + step - 1:06d}", None, at, strict=False))
            if step % RELEASE_EVERY == 0:
                major, minor, patch = self.last_release
                name = f"v{major}.{minor}.{patch + step // RELEASE_EVERY}"
                releases.append(Push(name, None, at, strict=False))
        self.done = max(self.done, target)
        return builds, releases
