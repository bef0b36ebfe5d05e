"""The fake registry plus ``acme/million``, a 1,000,000-tag repository, and the namespace ``bulk``
of 10,000 repositories, served over loopback HTTP: for the export memory benchmark
(``export_memory.py``) and the scale rows (``scale_bench.py``).

    python tests/benchmarks/big_registry.py [LATENCY_MS]     prints "listening on URL", serves until killed

Its tags are generated lazily by index like ``acme/ci-builds``'s, but only POOL_SIZE distinct images
are ever built (a tag's manifest costs ~70 us to generate; 1,000,000 of them would make the
registry, not the client, the thing measured): tag i gets image i % POOL_SIZE with its own name,
id and times. Digests repeat every POOL_SIZE tags, which no export cares about.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from datetime import timedelta
from typing import Optional

from swr_tui.fake import FakeRegistry
from swr_tui.fake.dataset import AUTH_MANAGE, BIG_REPO, MAIN_NAMESPACE, SHOWCASE_REPO, Namespace
from swr_tui.fake.tags import BuildNumbers, GeneratedTags, TagRecord

MILLION_REPO = "million"
MILLION_TAGS = 1_000_000
POOL_SIZE = 512
MANY_NAMESPACE = "bulk"
MANY_REPOS = 10_000


class PooledTags(GeneratedTags):
    """GeneratedTags that build POOL_SIZE images and dress them as the other tags."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pool: dict[int, TagRecord] = {}
        self._pool_lock = threading.Lock()

    def _build(self, index: int) -> TagRecord:
        slot = index % POOL_SIZE
        with self._pool_lock:
            base = self._pool.get(slot)
        if base is None:
            base = super()._build(slot)
            with self._pool_lock:
                self._pool[slot] = base
        updated = self.newest - timedelta(seconds=(self.count - 1 - index) * self.step_s)
        return replace(
            base,
            index=index,
            id=self.id_base + index,
            name=self.name(index),
            created=updated,
            updated=updated,
        )


def big_registry(latency_ms: float = 0.0) -> FakeRegistry:
    registry = FakeRegistry(seed=0, latency_ms=latency_ms)
    dataset = registry.dataset
    template = dataset.repository(MAIN_NAMESPACE, BIG_REPO)
    assert template is not None
    newest = dataset.anchor - timedelta(minutes=3)
    key = f"{dataset.seed}/{MAIN_NAMESPACE}/{MILLION_REPO}"
    tags = PooledTags(key, MILLION_TAGS, newest, 60, BuildNumbers(width=7), 90_000_000, 0.1)
    million = replace(template, id=template.id + 999_999, name=MILLION_REPO, tags=tags, updated=newest)
    namespace = Namespace(template.ns_id + 7_777, MANY_NAMESPACE, "acme-admin", AUTH_MANAGE)
    small = dataset.repository(MAIN_NAMESPACE, SHOWCASE_REPO)
    assert small is not None
    many = tuple(
        replace(
            small,
            id=template.id + 1_000_000 + index,
            ns_id=namespace.id,
            namespace=MANY_NAMESPACE,
            name=f"service-{index:05d}",
            updated=small.updated - timedelta(minutes=index),  # newest first: service-00000 leads
        )
        for index in range(MANY_REPOS)
    )
    registry.dataset = replace(
        dataset,
        namespaces=(*dataset.namespaces, namespace),
        repositories=(*dataset.repositories, million, *many),
    )
    return registry


def main(argv: Optional[list[str]] = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    latency_ms = float(args[0]) if args else 0.0
    with big_registry(latency_ms).serve() as server:
        print(f"listening on {server.url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
