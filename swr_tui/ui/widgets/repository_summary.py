"""The repository summary: what the detail pane shows while the sidebar has the focus on a
repository. Its facts come with the sidebar's page at once; retention, sync rules, triggers,
access and shares are read once the highlight has rested, each in a worker of its own, once per
repository for the session (``r`` reads them again). A read that fails is one dim line in its
section; the others still show.

It lives in the detail pane (``TagDetail``), hidden until the pane gets ``-repository``, which also
hides the tag's facts and manifest: moving the focus back to the tags brings them back as they were.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any, Callable, ClassVar, Optional

from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from ...swr.models import Repository
from ..worker_errors import ReportsWorkerFailures
from .governance_text import (
    ACCESS,
    NAMESPACE_ACCESS,
    RETENTION,
    SHARES,
    SYNC_RULES,
    TRIGGERS,
    repository_summary,
)
from .image_depth import REST_S
from .tag_governance import GovernanceReads

SUMMARY_READS = (RETENTION, SYNC_RULES, TRIGGERS, ACCESS, NAMESPACE_ACCESS, SHARES)
SHOWING = "-repository"  # the detail pane's class while the summary replaces the tag's details


class RepositorySummary(ReportsWorkerFailures, Static):
    SCOPED_CSS = False  # these rules are about the detail pane that holds the summary
    DEFAULT_CSS: ClassVar[str] = """
    TagDetail > RepositorySummary {
        display: none;
        height: 1fr;
        padding: 0 1;
        overflow-y: auto;
    }
    TagDetail.-repository > RepositorySummary {
        display: block;
    }
    TagDetail.-repository > #detail-info, TagDetail.-repository > #detail-manifest {
        display: none;
    }
    """

    def __init__(
        self, reads: GovernanceReads, clock: Callable[[], datetime], *, id: Optional[str] = None
    ) -> None:
        super().__init__("", id=id)
        self._reads = reads
        self._clock = clock
        self.repository: Optional[Repository] = None
        self._timer: Optional[Timer] = None
        self._workers: dict[str, Worker[None]] = {}  # each section's latest read

    def show(self, repository: Optional[Repository]) -> None:
        """Summarise ``repository`` (None: stop, the tag's details are back)."""
        if repository is not None and self.repository is not None and repository == self.repository:
            return
        self._stop()
        self.repository = repository
        if repository is None:
            return
        self._draw()
        if any(self._held(kind) is None for kind in SUMMARY_READS):
            self._timer = self.set_timer(REST_S, self._rested)

    def _held(self, kind: str) -> Any:
        assert self.repository is not None
        return self._reads.cached(kind, self.repository.namespace, self.repository.name)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for kind in SUMMARY_READS:
            self.workers.cancel_group(self, f"summary-{kind}")

    def _rested(self) -> None:
        self._timer = None
        repository = self.repository
        if repository is None:
            return
        for kind in SUMMARY_READS:
            if self._held(kind) is None:
                load = partial(self._load, kind, repository)
                worker: Worker[None] = self.run_worker(
                    load, group=f"summary-{kind}", exclusive=True, exit_on_error=False
                )
                self._workers[kind] = worker

    async def _load(self, kind: str, repository: Repository) -> None:
        await self._reads.load(kind, repository.namespace, repository.name)
        if repository == self.repository:
            self._draw()

    def _draw(self) -> None:
        repository = self.repository
        assert repository is not None
        reads = {kind: held for kind in SUMMARY_READS if (held := self._held(kind)) is not None}
        self.update(repository_summary(repository, reads, self._clock()))

    def forget(self) -> None:
        """``r``: this repository's sections are read again."""
        repository = self.repository
        if repository is not None:
            self._reads.forget(repository.namespace, repository.name)
            self.repository = None
            self.show(repository)
