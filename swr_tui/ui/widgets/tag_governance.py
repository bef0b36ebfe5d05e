"""The tag detail pane's *Synced to* and *Deployed by*, under the Config section.

As the Config section does: nothing is asked for while the cursor moves; once the highlight has
rested ``REST_S`` one worker (group ``governance``) reads the repository's sync rules, its newest
sync jobs and its triggers, once per repository for the session (the reads object keeps them),
and an answer for a tag the user has left is not drawn. ``r`` reads them again.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from typing import Any, Callable, ClassVar, Optional, Protocol

from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from ...swr.models import Tag
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures
from .governance_text import TAG_READS, tag_sections
from .image_depth import REST_S


class GovernanceReads(Protocol):
    """What the governance widgets read through (``ui/governance_cache.py``'s ``GovernanceCache``)."""

    def cached(self, kind: str, namespace: str, repository: str) -> Any: ...

    async def load(self, kind: str, namespace: str, repository: str) -> Any: ...

    def forget(self, namespace: str, repository: str) -> None: ...


class TagGovernance(ReportsWorkerFailures, Static):
    DEFAULT_CSS: ClassVar[str] = """
    TagGovernance {
        margin-top: 1;
        height: auto;
    }
    """

    def __init__(
        self, reads: GovernanceReads, clock: Callable[[], datetime], *, id: Optional[str] = None
    ) -> None:
        super().__init__("", id=id)
        self._reads = reads
        self._clock = clock
        self.key: Optional[tuple[str, str, str]] = None  # (namespace, repository, tag) shown
        self._timer: Optional[Timer] = None
        self._worker: Optional[Worker[None]] = None  # the reads in flight, if any

    def show(self, query: Optional[TagQuery], tag: Optional[Tag]) -> None:
        """Follow the highlighted tag (None: nothing); the reads wait for the cursor to rest."""
        self._stop()
        if query is None or tag is None:
            self.key = None
            self.display = False
            return
        self.key = (query.namespace, query.repository, tag.name)
        held = [self._reads.cached(kind, query.namespace, query.repository) for kind in TAG_READS]
        if all(outcome is not None for outcome in held):
            self._draw(held)
            return
        self._wait()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.workers.cancel_group(self, "governance")

    def _wait(self) -> None:
        """Nothing shows while waiting: the pane does not jump by a line at every row passed over."""
        self.display = False
        self._timer = self.set_timer(REST_S, self._rested)

    def _rested(self) -> None:
        self._timer = None
        if self.key is not None:
            # A callable, not a coroutine: a worker cancelled before it starts leaves nothing unawaited.
            load = partial(self._load, self.key)
            worker: Worker[None] = self.run_worker(
                load, group="governance", exclusive=True, exit_on_error=False
            )
            self._worker = worker

    async def _load(self, key: tuple[str, str, str]) -> None:
        namespace, repository, _ = key
        held = await asyncio.gather(*(self._reads.load(kind, namespace, repository) for kind in TAG_READS))
        if key == self.key:
            self._draw(list(held))

    def _draw(self, held: list[Any]) -> None:
        assert self.key is not None
        self.update(tag_sections(held, self.key[2], self._clock()))
        self.display = True

    def forget(self) -> None:
        """``r``: the highlighted tag's repository is read again."""
        if self.key is not None:
            self._reads.forget(self.key[0], self.key[1])
            self._stop()
            self._wait()
