"""The tag detail pane's *Scan* and *Artifact* rows for an Enterprise Edition tag.

As the Config section does: nothing is asked for while the cursor moves; once the highlight has
rested ``REST_S`` one worker (group ``artifact``) reads the artifact with its scan overview
(ShowInstanceArtifact), kept per digest for the session (``KEPT_ARTIFACTS``), and an answer for a
tag the user has left is not drawn. It shows the severity counts as badges, the scanner and the
scan's state, and every tag of the artifact (a filtered table names an artifact by one of them).
``r`` reads it again; a failure is one dim line.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable
from functools import partial
from typing import TYPE_CHECKING, Callable, ClassVar, Optional, Union

from rich.table import Table
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from ...safe_text import scrub
from ...swr.errors import SwrError
from ...swr.models import Tag
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures
from .image_depth import REST_S

if TYPE_CHECKING:
    from ...swr.enterprise.models import Artifact

ArtifactLoader = Callable[[TagQuery, Tag], Awaitable["Artifact"]]
KEPT_ARTIFACTS = 64  # artifacts kept with their scan overview: a session's worth of going back and forth
TAGS_SHOWN = 20  # an artifact's tags listed; the rest counted


class ArtifactSection(ReportsWorkerFailures, Static):
    DEFAULT_CSS: ClassVar[str] = """
    ArtifactSection {
        margin-top: 1;
        height: auto;
    }
    """

    def __init__(self, load: ArtifactLoader, *, id: Optional[str] = None) -> None:
        super().__init__("", id=id)
        self._load_artifact = load
        self.key: Optional[tuple[str, str, str, str]] = None  # (instance, namespace, repository, digest)
        self._showing: Optional[tuple[TagQuery, Tag]] = None
        self._kept: OrderedDict[tuple[str, str, str, str], Union[Artifact, SwrError]] = OrderedDict()
        self._timer: Optional[Timer] = None
        self._worker: Optional[Worker[None]] = None  # the read in flight, if any
        self.display = False

    def show(self, query: Optional[TagQuery], tag: Optional[Tag]) -> None:
        """Follow the highlighted tag; only an Enterprise Edition tag with a digest has a section."""
        self._stop()
        if query is None or tag is None or not query.instance or not tag.digest:
            self.key = None
            self.display = False
            return
        self.key = (query.instance, query.namespace, query.repository, tag.digest)
        self._showing = (query, tag)
        kept = self._kept.get(self.key)
        if kept is not None:
            self._kept.move_to_end(self.key)
            self._draw(kept)
            return
        self.display = False  # the pane does not jump by a line at every row passed over
        self._timer = self.set_timer(REST_S, self._rested)

    def forget(self) -> None:
        """``r``: the highlighted tag's artifact is read again (what is shown stays meanwhile)."""
        if self.key is not None:
            self._kept.pop(self.key, None)
            self._stop()
            self._rested()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.workers.cancel_group(self, "artifact")

    def _rested(self) -> None:
        self._timer = None
        if self.key is not None and self._showing is not None:
            # A callable, not a coroutine: a worker cancelled before it starts leaves nothing unawaited.
            load = partial(self._load, self.key, *self._showing)
            worker: Worker[None] = self.run_worker(
                load, group="artifact", exclusive=True, exit_on_error=False
            )
            self._worker = worker

    async def _load(self, key: tuple[str, str, str, str], query: TagQuery, tag: Tag) -> None:
        outcome: Union[Artifact, SwrError]
        try:
            outcome = await self._load_artifact(query, tag)
        except SwrError as error:
            outcome = error
        self._kept[key] = outcome
        while len(self._kept) > KEPT_ARTIFACTS:
            self._kept.popitem(last=False)
        if key == self.key:
            self._draw(outcome)

    def _draw(self, outcome: Union[Artifact, SwrError]) -> None:
        self.update(artifact_rows(outcome))
        self.display = True


def artifact_rows(outcome: Union[Artifact, SwrError]) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    if isinstance(outcome, SwrError):
        why = Text(f"could not be read: {scrub(str(outcome))} (r retries)", style="dim")
        table.add_row(Text("Scan"), why)
        return table
    from .scan_badges import scan_lines  # with the first enterprise tag: start-up time counts

    table.add_row(Text("Scan"), scan_lines(outcome.scan_overview))
    names = [scrub(item.name) for item in outcome.tags]
    listed = ", ".join(names[:TAGS_SHOWN]) or "none (untagged)"
    if len(names) > TAGS_SHOWN:
        listed += f" … {len(names) - TAGS_SHOWN:,} more"
    table.add_row(Text("Tags"), Text(listed))
    return table
