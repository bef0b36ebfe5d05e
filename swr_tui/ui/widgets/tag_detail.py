"""The detail pane: facts of the highlighted tag at once, then its manifest summary and JSON."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timezone
from functools import partial
from typing import Callable, ClassVar, Optional

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from ...formatting import human_size, short_digest
from ...safe_text import scrub
from ...swr.manifest import ManifestSummary, parse_manifest, parse_manifest_streaming, with_pretty
from ...swr.models import Tag
from ..digests import DigestIndex
from ..tag_facts import digest_facts, tag_facts
from ..worker_errors import ReportsWorkerFailures
from .drawn_sections import SectionCache, show_section
from .json_view import ManifestView

Clock = Callable[[], datetime]

INLINE_PARSE_LIMIT = 64 * 1024  # smaller manifests parse in well under a millisecond: no thread needed
FIRST_SCREEN_LINES = 400  # pretty-printed before the first paint of a big manifest
SUMMARY_ROWS = 50  # layers or platforms listed in the summary; the JSON below has them all
ANNOTATION_ROWS = 20
ANNOTATION_CHARS = 300  # one 5 MB annotation would otherwise wrap into 100,000 summary lines
SUMMARY_CACHE_SIZE = 64


def _read_lines(chunks: Iterator[str], count: int) -> Optional[str]:
    """The first ``count`` lines' worth of chunks (None if the document cannot be pretty-printed)."""
    taken: list[str] = []
    lines = 0
    try:
        for chunk in chunks:
            taken.append(chunk)
            lines += chunk.count("\n")
            if lines >= count:
                break
    except (RecursionError, ValueError):
        return None
    return "".join(taken)


def _read_rest(chunks: Iterator[str]) -> Optional[str]:
    try:
        return "".join(chunks)
    except (RecursionError, ValueError):
        return None


def _cut(text: str, limit: int = ANNOTATION_CHARS) -> str:
    return text if len(text) <= limit else f"{text[:limit]} … +{len(text) - limit:,} chars"


def _safe(text: str, style: str = "") -> Text:
    return Text(scrub(text), style=style, no_wrap=False)


def facts_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), _safe(value))
    return table


def summary_table(summary: ManifestSummary) -> Table:
    """Media type, config, layers (with the total) or platforms, annotations; all untrusted text scrubbed."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row(Text("Manifest"), _safe(summary.kind_label))
    if summary.media_type:
        table.add_row(Text("Media type"), _safe(summary.media_type))
    if summary.error:
        table.add_row(Text("Note"), _safe(summary.error, "italic"))
    if summary.kind == "schema1":
        table.add_row(Text("Name"), _safe(f"{summary.schema1_name}:{summary.schema1_tag}"))
        table.add_row(Text("Arch"), _safe(summary.schema1_architecture or "-"))
        table.add_row(Text("History"), Text(f"{summary.history_count} entries"))
    if summary.config is not None:
        table.add_row(Text("Config"), _safe(f"{summary.config.digest}  {human_size(summary.config.size)}"))
    if summary.layers:
        total = (
            f"{human_size(summary.total_layer_size)} in all"
            if summary.total_layer_size
            else "sizes not recorded" + (" in schema 1" if summary.kind == "schema1" else "")
        )
        table.add_row(Text("Layers"), Text(f"{len(summary.layers)}, {total}"))
        for index, layer in enumerate(summary.layers[:SUMMARY_ROWS], start=1):
            size = human_size(layer.size) if layer.size else "size unknown"
            table.add_row(Text(f"{index:>3}"), _safe(f"{short_digest(layer.digest)}  {size}"))
        if len(summary.layers) > SUMMARY_ROWS:
            table.add_row(
                Text(""), Text(f"… {len(summary.layers) - SUMMARY_ROWS:,} more in the JSON below", "dim")
            )
    if summary.platforms:
        table.add_row(Text("Platforms"), Text(str(sum(1 for p in summary.platforms if not p.is_attestation))))
        for entry in summary.platforms[:SUMMARY_ROWS]:
            if entry.is_attestation:
                target = f" for {short_digest(entry.attests, 12)}" if entry.attests else ""
                label, style = f"attestation{target}", "dim"
            else:
                label, style = entry.label, ""
            table.add_row(
                Text(""), _safe(f"{label}  {short_digest(entry.digest)}  {human_size(entry.size)}", style)
            )
    if len(summary.platforms) > SUMMARY_ROWS:
        more = len(summary.platforms) - SUMMARY_ROWS
        table.add_row(Text(""), Text(f"… {more:,} more in the JSON below", "dim"))
    for key, value in summary.annotations[:ANNOTATION_ROWS]:
        table.add_row(Text("  note"), _safe(f"{_cut(key)}={_cut(value)}", "dim"))
    if len(summary.annotations) > ANNOTATION_ROWS:
        more = len(summary.annotations) - ANNOTATION_ROWS
        table.add_row(Text(""), Text(f"… {more:,} more annotations in the JSON below", "dim"))
    return table


class TagDetail(ReportsWorkerFailures, Vertical, can_focus=False):
    """Hosts the facts, the manifest summary, the image's depth (given) and the full manifest viewer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.focus('#tags')", "Back to tags", show=False)  # the screen's table
    ]

    def __init__(
        self,
        *,
        clock: Clock = lambda: datetime.now(timezone.utc),
        digests: Optional[DigestIndex] = None,
        depth: Optional[Widget] = None,
        name: Optional[str] = None,
        id: Optional[str] = None,
        classes: Optional[str] = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self._digests = digests
        self._digests_version: Optional[int] = None
        self._depth = depth  # the image's config, history line and signatures, under the summary
        self.utc_first = True
        self.tag: Optional[Tag] = None
        self._placeholder: Optional[str] = None  # what the pane says while no tag is shown
        self.summary: Optional[ManifestSummary] = None
        self._summaries: OrderedDict[str, ManifestSummary] = OrderedDict()
        # Facts by their rows, summaries by their manifest: going back to a tag draws nothing anew.
        self.facts_sections = SectionCache()
        self.summary_sections = SectionCache()
        # More facts of the highlighted tag from other parts of the app (e.g. its retention verdict).
        self.extra_facts: list[Callable[[Tag], list[tuple[str, str]]]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-info"):
            yield Static(Text("No tag highlighted.", style="dim"), id="detail-facts")
            yield Static("", id="detail-summary")
            if self._depth is not None:
                yield self._depth
        yield ManifestView(id="detail-manifest")

    def show_tag(
        self, tag: Optional[Tag], placeholder: str = "No tag highlighted.", unlisted: str = ""
    ) -> None:
        """Fill the facts at once from the page data; the manifest follows (a thread if it is big).
        ``unlisted``: why a tag without a manifest has none, where its listing carries none (an
        Enterprise Edition instance's): said instead of calling the manifest empty."""
        if tag is None and self.tag is None and placeholder == self._placeholder:
            return  # moving among rows not loaded yet: nothing to redraw, no layout to redo
        self.tag = tag
        self._placeholder = placeholder if tag is None else None
        facts = self.query_one("#detail-facts", Static)
        summary = self.query_one("#detail-summary", Static)
        viewer = self.query_one(ManifestView)
        if tag is None:
            self.summary = None
            facts.update(Text(placeholder, style="dim"))
            summary.update("")
            viewer.clear()
            self.workers.cancel_group(self, "manifest")
            return
        self.refresh_facts()
        if unlisted and not tag.manifest:
            self.summary = None
            summary.update(Text.assemble(("Manifest", "bold"), " ", (unlisted, "dim")))
            viewer.clear()
            self.workers.cancel_group(self, "manifest")
            return
        key = self._manifest_key(tag)
        cached = self._summaries.get(key)
        if cached is not None:
            self._summaries.move_to_end(key)
            self._show_summary(tag, cached)
        elif len(tag.manifest) <= INLINE_PARSE_LIMIT:
            self._remember(key, parse_manifest(tag.manifest))
            self._show_summary(tag, self._summaries[key])
        else:
            self.summary = None
            summary.update(Text(f"Parsing the manifest ({human_size(len(tag.manifest))})…", style="dim"))
            viewer.clear()
            self.run_worker(
                self._parse_in_thread(tag, key), group="manifest", exclusive=True, exit_on_error=False
            )

    def set_digests(self, index: Optional[DigestIndex]) -> None:
        """The loaded rows' digest index (the table's): the facts name tags sharing a digest."""
        self._digests = index
        self.refresh_facts()

    def digests_changed(self, index: DigestIndex) -> None:
        """Rows came or went (``TagTable.DigestsChanged``): the facts are redrawn only if the index moved."""
        self._digests = index
        if index.version != self._digests_version:
            self.refresh_facts()

    def refresh_facts(self) -> None:
        if self.tag is not None:
            index = self._digests
            self._digests_version = None if index is None else index.version
            rows = tag_facts(self.tag, self.utc_first, self._clock()) + digest_facts(self.tag, index)
            rows += [row for facts in self.extra_facts for row in facts(self.tag)]
            widget = self.query_one("#detail-facts", Static)
            show_section(widget, self.facts_sections.get(tuple(rows), widget, partial(facts_table, rows)))

    def toggle_time_zone(self) -> bool:
        self.utc_first = not self.utc_first
        self.refresh_facts()
        return self.utc_first

    async def _parse_in_thread(self, tag: Tag, key: str) -> None:
        """Summary and first screenful as soon as they are ready; the rest of the JSON after."""
        loop = asyncio.get_running_loop()
        summary, chunks = await loop.run_in_executor(None, parse_manifest_streaming, tag.manifest)
        if chunks is None:
            self._remember(key, summary)
            if self.tag is tag:
                self._show_summary(tag, summary)
            return
        head = await loop.run_in_executor(None, _read_lines, chunks, FIRST_SCREEN_LINES)
        if self.tag is tag and head is not None:
            self.summary = summary
            self._draw_summary(key, summary)
            self.query_one(ManifestView).load(head)
        rest = await loop.run_in_executor(None, _read_rest, chunks)
        if head is None or rest is None:  # nested too deeply for the pretty-printer
            full = with_pretty(summary, tag.manifest)
        else:
            full = with_pretty(summary, head + rest)
        self._remember(key, full)
        if self.tag is tag:
            self._show_summary(tag, full, keep_position=head is not None)

    def _show_summary(self, tag: Tag, summary: ManifestSummary, keep_position: bool = False) -> None:
        self.summary = summary
        self._draw_summary(self._manifest_key(tag), summary)
        self.query_one(ManifestView).load(
            summary.pretty, highlight=summary.kind != "invalid", keep_position=keep_position
        )

    def _draw_summary(self, key: str, summary: ManifestSummary) -> None:
        """By the manifest's key: every summary of one manifest has the same table (the pretty JSON
        that comes later is not in it)."""
        widget = self.query_one("#detail-summary", Static)
        show_section(widget, self.summary_sections.get(key, widget, partial(summary_table, summary)))

    def _remember(self, key: str, summary: ManifestSummary) -> None:
        self._summaries[key] = summary
        while len(self._summaries) > SUMMARY_CACHE_SIZE:
            self._summaries.popitem(last=False)

    @staticmethod
    def _manifest_key(tag: Tag) -> str:
        return f"{tag.digest}:{len(tag.manifest)}:{hash(tag.manifest)}"
