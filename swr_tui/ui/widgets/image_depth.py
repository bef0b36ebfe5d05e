"""The detail pane's depth: what the highlighted image runs (its config), how it was built (a line on
its history; ``h`` opens it), which platform of a list is shown, and who signed it.

Nothing is asked for while the cursor moves: a load starts once the highlight has rested
``REST_S``, in a worker keyed by (repository, digest, platform), and an answer for a key the user has
left is dropped. Loaded views are kept (``KEPT_VIEWS``), so going back is instant; the disk cache
below makes a digest seen in an earlier session cost no request either.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Optional, Union

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from ...formatting import human_size, short_digest
from ...inspection.model import SOURCE_ENTERPRISE, ImageView, Platform, Signature
from ...safe_text import scrub
from ...swr.errors import SwrError
from ...swr.image_config import ImageConfig, command_line
from ...swr.models import Tag
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures
from .drawn_sections import Same, SectionCache, show_section

REST_S = 0.15  # the highlight rests this long before the depth loads: rows only passed over cost nothing
KEPT_VIEWS = 64  # images and signature lists kept in memory for going back
VALUE_CHARS = 300  # one env value or label is cut here in the pane (the copy menu has it whole)
LIST_ROWS = 50  # env variables, labels, ports or volumes listed before "… N more"

ImageLoader = Callable[[TagQuery, Tag, Optional[Platform]], Awaitable[ImageView]]
SignatureLoader = Callable[[TagQuery, Tag], Awaitable[Sequence[Signature]]]


@dataclass(frozen=True)
class DepthKey:
    """What the pane shows the depth of: this listing's tag, at this platform of a list."""

    repository: str
    digest: str
    tag: str
    platform: str  # Platform.digest, "" for a single image


Loaded = Union[ImageView, SwrError]
PlatformList = tuple[tuple[Platform, ...], Optional[Platform]]  # a list's platforms, the one shown first


def _cut(text: str) -> str:
    return text if len(text) <= VALUE_CHARS else f"{text[:VALUE_CHARS]} … +{len(text) - VALUE_CHARS:,} chars"


def _grid() -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    return table


def _rows(table: Table, label: str, values: Collection[str], style: str = "") -> None:
    for index, value in enumerate(list(values)[:LIST_ROWS]):
        table.add_row(Text(label if index == 0 else ""), Text(scrub(_cut(value)), style=style))
    if len(values) > LIST_ROWS:
        table.add_row(Text(""), Text(f"… {len(values) - LIST_ROWS:,} more (y copies them all)", style="dim"))


def config_table(view: ImageView, platforms: Sequence[Platform]) -> Table:
    """Config in the order a person reads it: platform, the command, user, working dir, ports,
    volumes, env, labels; then one line on the history. All registry text is scrubbed."""
    if view.source == SOURCE_ENTERPRISE:
        return build_history_table(view)
    config: ImageConfig = view.config
    table = _grid()
    images = [platform for platform in platforms if not platform.attestation]
    if view.platform is not None and images:
        index = next((i for i, p in enumerate(images) if p.digest == view.platform.digest), 0)
        where = f"{view.platform.label}  ({index + 1} of {len(images)}; [ and ] step)"
        table.add_row(Text("Platform"), Text(scrub(where)))
    else:
        table.add_row(Text("Platform"), Text(scrub(config.platform or "-")))
    table.add_row(Text("Runs"), Text(scrub(_cut(command_line(config))) or "-", style="bold"))
    table.add_row(
        Text("User"), Text(scrub(config.user) or "root (default)", style="" if config.user else "dim")
    )
    table.add_row(
        Text("Workdir"), Text(scrub(config.working_dir) or "/", style="" if config.working_dir else "dim")
    )
    _rows(table, "Ports", config.exposed_ports)
    _rows(table, "Volumes", config.volumes)
    _rows(table, "Env", config.env)
    _rows(table, "Labels", [f"{name}={value}" for name, value in config.labels], style="dim")
    if config.labels_dropped:
        table.add_row(Text(""), Text(f"… {config.labels_dropped:,} labels too large to keep", style="dim"))
    history = view.history
    building = sum(1 for step in history.steps if not step.entry.empty_layer)
    line = f"{len(history.steps):,} steps, {building:,} with a layer · h opens it"
    table.add_row(Text("History"), Text(line))
    if history.mismatch:
        table.add_row(Text(""), Text(scrub(history.mismatch), style="italic"))
    if config.error:
        table.add_row(Text("Note"), Text(scrub(_cut(config.error)), style="italic"))
    return table


def build_history_table(view: ImageView) -> Table:
    """An Enterprise Edition artifact: its build history, each step with its own layer; the config
    (command, user, env, labels) is not in what the Enterprise Edition serves, so none is claimed."""
    table = _grid()
    building = sum(1 for step in view.history.steps if not step.entry.empty_layer)
    line = f"{len(view.history.steps):,} steps, {building:,} with a layer · h opens it"
    table.add_row(Text("History"), Text(line))
    table.add_row(Text("Layers"), Text(f"{len(view.layers):,} · {human_size(view.total_layer_size)}"))
    return table


def add_signatures(table: Table, signatures: Sequence[Signature]) -> None:
    if not signatures:
        table.add_row(Text("Signed by"), Text("no signature found", style="dim"))
    for index, signature in enumerate(signatures[:LIST_ROWS]):
        text = (
            f"{signature.tag or short_digest(signature.digest)}  ({signature.kind}, from {signature.source})"
        )
        table.add_row(Text("Signed by" if index == 0 else ""), Text(scrub(text)))


def config_section(
    view: ImageView,
    platforms: Sequence[Platform],
    signatures: Union[tuple[Signature, ...], SwrError, None],
) -> Group:
    """The Config section: its title, the config table and who signed the image."""
    table = config_table(view, platforms)
    if isinstance(signatures, SwrError):
        table.add_row(Text("Signed by"), Text(f"could not be read. {scrub(str(signatures))}", style="italic"))
    elif signatures is not None:
        add_signatures(table, signatures)
    return Group(Text("Config", style="bold underline"), table)


class ImageDepth(ReportsWorkerFailures, Static):
    """Config, history line, platform and signatures of the highlighted image."""

    def __init__(
        self,
        load_image: ImageLoader,
        load_signatures: SignatureLoader,
        platforms_of: Callable[[Tag], Sequence[Platform]],
        default_platform: Callable[[Sequence[Platform]], Optional[Platform]],
        *,
        id: Optional[str] = None,
    ) -> None:
        super().__init__("", id=id)
        self._load_image = load_image
        self._load_signatures = load_signatures
        self._platforms_of = platforms_of
        self._default_platform = default_platform
        self.tag: Optional[Tag] = None
        self.listing: Optional[TagQuery] = None
        self.platforms: tuple[Platform, ...] = ()
        self.platform: Optional[Platform] = None
        self.key: Optional[DepthKey] = None
        self.view: Optional[ImageView] = None  # the loaded image of ``key``, when it loaded
        self._images: OrderedDict[DepthKey, Loaded] = OrderedDict()
        self._signatures: OrderedDict[str, Union[tuple[Signature, ...], SwrError]] = OrderedDict()
        self._platform_lists: OrderedDict[str, PlatformList] = OrderedDict()  # by digest
        self._timer: Optional[Timer] = None
        self._worker: Optional[Worker[None]] = None  # the load in flight, if any
        self.sections = SectionCache()  # drawn Config sections: going back to a tag draws nothing anew

    # -- what to show ---------------------------------------------------------------------------

    def show(self, query: Optional[TagQuery], tag: Optional[Tag]) -> None:
        """Follow the highlighted tag (None: nothing to show); the load waits for the cursor to rest."""
        self._stop_timer()
        self.workers.cancel_group(self, "depth")
        shown_nothing = self.key is None and self.tag is None
        self.tag, self.listing, self.view = tag, query, None
        if query is None or tag is None or not tag.digest:
            if not (shown_nothing and tag is None):  # among rows not loaded: no layout to redo
                self.update("")
            self.key = None
            self.platforms, self.platform = (), None
            return
        # A list's platforms are read from its manifest by the load, in a thread (5 MB take ~100 ms).
        self.platforms, self.platform = self._platform_lists.get(tag.digest, ((), None))
        self._follow()

    def list_platforms(self) -> tuple[Platform, ...]:
        """The highlighted tag's platforms (empty when it is no list), read now if the load has not."""
        if self.tag is None:
            return ()
        if self.tag.digest not in self._platform_lists:  # asked for before the load read them
            self.platforms, self.platform = self._remember_platforms(
                self.tag, tuple(self._platforms_of(self.tag))
            )
        return self.platforms

    def step_platform(self, delta: int) -> Optional[Platform]:
        """``[`` / ``]``: the previous or next platform of a list (None when the tag is no list)."""
        images = [p for p in self.list_platforms() if not p.attestation]
        if not images:
            return None
        index = next(
            (i for i, p in enumerate(images) if self.platform and p.digest == self.platform.digest), 0
        )
        return self.choose_platform(images[(index + delta) % len(images)])

    def choose_platform(self, platform: Platform) -> Optional[Platform]:
        """Show this platform of the highlighted list (enter on its row); None if it is not one of them."""
        if platform.attestation or platform not in self.list_platforms():
            return None
        self.platform = platform
        self._stop_timer()
        self.workers.cancel_group(self, "depth")
        self.view = None
        self._follow()
        return platform

    def _follow(self) -> None:
        tag, query = self.tag, self.listing
        assert tag is not None
        assert query is not None
        self.key = DepthKey(
            query.full_name, tag.digest, tag.name, self.platform.digest if self.platform else ""
        )
        known = self._images.get(self.key)
        if known is not None:
            self._images.move_to_end(self.key)
            self._draw(known)
            return
        self.update(Text("Config: loading…", style="dim"))
        self._timer = self.set_timer(REST_S, self._rested)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _rested(self) -> None:
        self._timer = None
        key, tag, query = self.key, self.tag, self.listing
        if key is not None and tag is not None and query is not None:
            # A callable, not a coroutine: a worker cancelled before it starts leaves nothing unawaited.
            load = partial(self._load, key, query, tag, self.platform)
            worker: Worker[None] = self.run_worker(load, group="depth", exclusive=True, exit_on_error=False)
            self._worker = worker

    # -- loading --------------------------------------------------------------------------------

    def _remember_platforms(self, tag: Tag, platforms: tuple[Platform, ...]) -> PlatformList:
        known = (platforms, self._default_platform(platforms) if platforms else None)
        self._keep(self._platform_lists, tag.digest, known)
        return known

    async def _load(self, key: DepthKey, query: TagQuery, tag: Tag, platform: Optional[Platform]) -> None:
        if tag.digest not in self._platform_lists:
            read = tuple(await asyncio.to_thread(self._platforms_of, tag))
            platforms, platform = self._remember_platforms(tag, read)
            if key != self.key:
                return
            self.platforms, self.platform = platforms, platform
            if platform is not None:  # a list: the key names the platform shown first
                key = self.key = replace(key, platform=platform.digest)
        loaded: Loaded
        try:
            loaded = await self._load_image(query, tag, platform)
        except SwrError as error:
            loaded = error
        if key != self.key:
            return  # the user moved on: another tag or platform is wanted now
        self._keep(self._images, key, loaded)
        self._draw(loaded)
        if isinstance(loaded, ImageView) and tag.digest not in self._signatures:
            try:
                found: Union[tuple[Signature, ...], SwrError] = tuple(await self._load_signatures(query, tag))
            except SwrError as error:
                found = error
            self._keep(self._signatures, tag.digest, found)
            if key == self.key:
                self._draw(loaded)

    @staticmethod
    def _keep(store: OrderedDict[Any, Any], key: object, value: object) -> None:
        store[key] = value
        while len(store) > KEPT_VIEWS:
            store.popitem(last=False)

    def _draw(self, loaded: Loaded) -> None:
        if isinstance(loaded, SwrError):
            self.view = None
            why = scrub(str(loaded))
            self.update(Text(f"Config: could not be read. {why} Press r to retry.", style="italic"))
            return
        self.view = loaded
        signatures = self._signatures.get(loaded_digest(self.tag))
        # The kept image and signatures by identity: ``r`` reads new ones, drawn anew.
        key = (Same(loaded), Same(signatures), self.platforms)
        draw = partial(config_section, loaded, self.platforms, signatures)
        show_section(self, self.sections.get(key, self, draw))

    def forget(self) -> None:
        """``r``: the depth of the highlighted image is read again (a failed load above all)."""
        if self.key is not None:
            self._images.pop(self.key, None)
            if self.tag is not None:
                self._signatures.pop(self.tag.digest, None)
            self._follow()


def loaded_digest(tag: Optional[Tag]) -> str:
    return tag.digest if tag is not None else ""
