"""The sidebar: namespaces (with the user's access) whose repositories load on expand, page by page,
the repositories shared with this account, and the Enterprise Edition's instances
(``catalog_enterprise.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, Union

from rich.style import Style
from rich.text import Text, TextType
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...safe_text import scrub
from ...swr.errors import ResponseFormatError, SwrError
from ...swr.models import Namespace, Repository
from ...swr.paging import Page, short_of_total
from ..worker_errors import ReportsWorkerFailures
from . import catalog_enterprise as ee
from .catalog_enterprise import InstanceEntry, InstanceNamespaceEntry, InstancesEntry
from .catalog_listed import EMPTY_LABEL, CompactTree, RepositoryEntry, SharedEntry, in_shared

if TYPE_CHECKING:
    from ...swr.enterprise.models import EnterpriseNamespace, Instance
    from ..table_state import TableStatus

REPO_PAGE_SIZE = 100
LOADING_MORE = "Loading…"  # the label of a folder's "N more" row while its next page is on its way


def fit_name(label: Text, start: int, end: int, width: int) -> Text:
    """``label`` in ``width`` cells by cutting its name (``label[start:end]``) and ending it with '…';
    what comes before and after the name is kept whole."""
    name = label[start:end]
    name.truncate(max(1, name.cell_len - (label.cell_len - width)), overflow="ellipsis")
    return Text.assemble(label[:start], name, label[end:])


def as_swr_error(exc: Exception) -> SwrError:
    if isinstance(exc, SwrError):
        return exc
    return SwrError(f"Unexpected error: {type(exc).__name__}")


@dataclass(frozen=True)
class NamespaceEntry:
    namespace: Namespace


@dataclass(frozen=True)
class MoreEntry:
    """'N more…': the next page of a folder's repositories."""

    folder: Folder
    offset: int


@dataclass(frozen=True)
class ProblemEntry:
    folder: Optional[Union[Folder, InstancesEntry]]
    error: SwrError


Folder = Union[NamespaceEntry, SharedEntry, InstanceEntry, InstanceNamespaceEntry]
FOLDERS = (NamespaceEntry, SharedEntry, InstanceEntry, InstanceNamespaceEntry)
Entry = Union[
    NamespaceEntry,
    SharedEntry,
    RepositoryEntry,
    MoreEntry,
    ProblemEntry,
    InstancesEntry,
    InstanceEntry,
    InstanceNamespaceEntry,
]


NamespacePages = Callable[["Instance", int, int], Awaitable[Page["EnterpriseNamespace"]]]
RepositoryPages = Callable[["Instance", str, int, int], Awaitable[Page[Repository]]]


class CatalogSource:
    """What the tree needs from the registry (the app adapts its SwrClient to this). Without
    ``instances`` there is no Enterprise Edition folder."""

    def __init__(
        self,
        namespaces: Callable[[], Awaitable[list[Namespace]]],
        repositories: Callable[[str, int, int], Awaitable[Page[Repository]]],
        shared: Callable[[int, int], Awaitable[Page[Repository]]],
        instances: Optional[Callable[[], Awaitable[tuple[Instance, ...]]]] = None,
        instance_namespaces: Optional[NamespacePages] = None,
        instance_repositories: Optional[RepositoryPages] = None,
    ) -> None:
        self.namespaces = namespaces
        self.repositories = repositories
        self.shared = shared
        self.instances = instances
        self.instance_namespaces = instance_namespaces
        self.instance_repositories = instance_repositories


class CatalogTree(ReportsWorkerFailures, CompactTree[Entry]):
    """Namespaces and repositories; ``enter`` expands a namespace or opens a repository."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=True),
        Binding("r", "reload", "Reload", show=True),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
    ]

    class RepositoryChosen(Message):
        def __init__(self, repository: Repository, instance: str = "") -> None:
            super().__init__()
            self.repository, self.instance = repository, instance

    class ReloadAsked(Message):
        """``r`` here: what shows beside the sidebar (the repository summary) is read again too."""

    class LoadFailed(Message):
        def __init__(self, what: str, error: SwrError) -> None:
            super().__init__()
            self.what, self.error = what, error

    def __init__(
        self,
        source: CatalogSource,
        *,
        id: Optional[str] = None,
        instances_later: Callable[[Callable[[], None]], None] = lambda load: load(),
    ) -> None:
        """``instances_later``: when the Enterprise folder is looked for after the namespaces."""
        super().__init__("Registry", id=id)
        self._instances_later = instances_later
        self.show_root = False
        self.guide_depth = 2
        self._source = source
        self._loaded: set[TreeNode[Entry]] = set()
        self.namespaces: list[Namespace] = []
        self.namespaces_loaded = asyncio.Event()
        self.instances_loaded = asyncio.Event()  # set once the Enterprise folder is there (or not)
        self._learned: Optional[tuple[str, int]] = None  # the last tag count the table told
        self.version = 0  # moves whenever a folder's repositories or the namespaces change (palette)

    def process_label(self, label: TextType) -> Text:
        """Labels are never markup: registry names may contain '[', '$' or escape sequences."""
        text = Text(scrub(label)) if isinstance(label, str) else label
        return text.split()[0] if text.plain else text

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        """A label too wide for the sidebar has its name cut with '…': its count or access stays."""
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self._guide_width(node)
        if label.cell_len <= room:
            return label
        name_end = len(label) - len(node.label) + self._name_length(node)
        return fit_name(label, len(label) - len(node.label), name_end, room)

    def watch_show_vertical_scrollbar(self) -> None:
        # The tree caches lines by the widget's size alone: the scrollbar coming or going changes
        # the room for labels without changing that size.
        self._invalidate()

    @staticmethod
    def _name_length(node: TreeNode[Entry]) -> int:
        """Characters of the label that name the node (the rest, a count or an access, is kept)."""
        entry = node.data
        if isinstance(entry, NamespaceEntry):
            return len(scrub(entry.namespace.name))
        if isinstance(entry, RepositoryEntry):
            return len(entry.shown_name(in_shared(node)))
        if isinstance(entry, (InstancesEntry, InstanceEntry, InstanceNamespaceEntry)):
            return ee.name_length(entry)
        return len(node.label)

    # -- loading ------------------------------------------------------------------------------

    def load_namespaces(self) -> None:
        self.clear_children(self.root)
        self._loaded.clear()
        self.namespaces_loaded.clear()
        self.root.add_leaf(Text("Loading namespaces…", style="dim"))
        self.run_worker(self._load_namespaces(), group="catalog-root", exclusive=True, exit_on_error=False)

    async def _load_namespaces(self) -> None:
        try:
            namespaces = await self._source.namespaces()
        except Exception as exc:
            error = as_swr_error(exc)
            self.clear_children(self.root)
            self.root.add_leaf(self._problem_label(error), ProblemEntry(None, error))
            self.cursor_line = 0  # so enter on the problem retries, like r
            self.post_message(self.LoadFailed("namespaces", error))
            return
        self.namespaces = sorted(namespaces, key=lambda ns: ns.name)
        self.version += 1
        self.clear_children(self.root)
        if not self.namespaces:
            self.root.add_leaf(Text("No namespaces visible to these credentials", style="dim"))
        for namespace in self.namespaces:
            self.root.add(self._namespace_label(namespace), NamespaceEntry(namespace))
        self.root.add(Text("Shared with me", style="italic"), SharedEntry())
        if self.cursor_line < 0:
            self.cursor_line = 0
        self.namespaces_loaded.set()
        self._instances_later(self.load_instances)

    def load_instances(self) -> None:
        self.instances_loaded.clear()
        for node in list(self.root.children):
            if isinstance(node.data, InstancesEntry):
                node.remove()
        if self._source.instances is None:
            self.instances_loaded.set()
            return
        load = self._load_instances()
        self.run_worker(load, group="catalog-instances", exclusive=True, exit_on_error=False)

    async def _load_instances(self) -> None:
        """The Enterprise folder, when the account has instances; a failure other than "none, or
        not allowed" is a problem row in the folder (r retries), not a toast at every start."""
        assert self._source.instances is not None
        try:
            instances = await self._source.instances()
        except Exception as exc:
            folder = self.root.add(Text(ee.INSTANCES_LABEL, style="italic"), InstancesEntry(), expand=True)
            error = as_swr_error(exc)
            folder.add_leaf(self._problem_label(error), ProblemEntry(InstancesEntry(), error))
            self.instances_loaded.set()
            return
        if instances:
            folder = self.root.add(Text(ee.INSTANCES_LABEL, style="italic"), InstancesEntry(), expand=True)
            for instance in instances:
                folder.add(ee.instance_label(instance), InstanceEntry(instance))
        self.instances_loaded.set()

    def load_folder(self, node: TreeNode[Entry], offset: int = 0) -> None:
        entry = node.data
        if not isinstance(entry, FOLDERS):
            return
        if isinstance(entry, InstanceEntry) and not entry.instance.running:
            self.clear_children(node)  # nothing to ask for: the API refuses an instance not Running
            node.add_leaf(ee.not_running_label(entry.instance))
            self._loaded.add(node)
            return
        if offset == 0 and not self._holds_repositories(node):
            self.clear_children(node)
            what = "namespaces" if isinstance(entry, InstanceEntry) else "repositories"
            node.add_leaf(Text(f"Loading {what}…", style="dim"))
        elif offset == 0:
            # A reload: the list on screen stays until the new one arrives (or fails to).
            self._drop_transient_children(node)
            node.add_leaf(Text("Reloading…", style="dim"))
        self._loaded.add(node)
        self.run_worker(
            self._load_folder(node, entry, offset),
            group=f"catalog-{id(node)}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _fetch(self, entry: Folder, offset: int) -> Page[Any]:
        source = self._source
        if isinstance(entry, NamespaceEntry):
            return await source.repositories(entry.namespace.name, offset, REPO_PAGE_SIZE)
        if isinstance(entry, InstanceEntry) and source.instance_namespaces is not None:
            return await source.instance_namespaces(entry.instance, offset, REPO_PAGE_SIZE)
        if isinstance(entry, InstanceNamespaceEntry) and source.instance_repositories is not None:
            return await source.instance_repositories(
                entry.instance, entry.namespace.name, offset, REPO_PAGE_SIZE
            )
        return await source.shared(offset, REPO_PAGE_SIZE)

    def _add_listed(self, node: TreeNode[Entry], entry: Folder, item: object) -> None:
        if isinstance(entry, InstanceEntry):
            namespace: EnterpriseNamespace = item  # type: ignore[assignment]
            node.add(ee.namespace_label(namespace), InstanceNamespaceEntry(entry.instance, namespace))
            return
        repo: Repository = item  # type: ignore[assignment]
        instance = entry.instance.id if isinstance(entry, InstanceNamespaceEntry) else ""
        node.add_leaf(EMPTY_LABEL, RepositoryEntry(repo, instance))

    async def _load_folder(self, node: TreeNode[Entry], entry: Folder, offset: int) -> Optional[Page[Any]]:
        try:
            page = await self._fetch(entry, offset)
            if short_of_total(page):
                raise ResponseFormatError(
                    f"The registry sent no repositories at offset {offset} though it reported "
                    f"{page.total}. The list may be changing: press r to reload"
                )
        except Exception as exc:
            error = as_swr_error(exc)
            self._drop_transient_children(node)
            node.add_leaf(self._problem_label(error), ProblemEntry(entry, error))
            self._loaded.discard(node)
            self.post_message(self.LoadFailed(folder_what(entry), error))
            return None
        if offset == 0:
            self.clear_children(node)  # the old list, on a reload, goes in the same step
        else:
            self._drop_transient_children(node)
        if offset == 0 and not page.items:
            empty = "No namespaces" if isinstance(entry, InstanceEntry) else "No repositories"
            node.add_leaf(Text(empty, style="dim"))
        for item in page.items:
            self._add_listed(node, entry, item)
        self._learned = None  # the list's counts may be older than what the table has read since
        self.version += 1
        if not page.is_last:
            remaining = f"{page.total - page.end} more" if page.total is not None else "more"
            node.add_leaf(Text(f"… {remaining}", style="dim italic"), MoreEntry(entry, page.end))
        return page

    @staticmethod
    def _holds_repositories(node: TreeNode[Entry]) -> bool:
        listed = (RepositoryEntry, InstanceNamespaceEntry)
        return any(isinstance(child.data, listed) for child in node.children)

    def _drop_transient_children(self, node: TreeNode[Entry]) -> None:
        for child in list(node.children):
            if child.data is None or isinstance(child.data, (MoreEntry, ProblemEntry)):
                child.remove()

    def preload(self) -> None:
        """Load each namespace's first page of repositories, expanding none: the palette matches
        names the tree holds, and opening it must not change what the sidebar shows."""
        self.run_worker(self._preload(), group="catalog-preload", exclusive=True, exit_on_error=False)

    async def _preload(self) -> None:
        await self.namespaces_loaded.wait()
        for namespace in list(self.namespaces):
            await self.ensure_repositories(namespace.name, expand=False)

    async def ensure_repositories(self, namespace: str, *, expand: bool = True) -> list[Repository]:
        """Wait for a namespace's first page, and expand it unless told not to (for --repo, --namespace
        and the palette)."""
        await self.namespaces_loaded.wait()
        node = self.namespace_node(namespace)
        if node is None:
            return []
        await self.ensure_loaded(node)
        if expand:
            node.expand()
        return [child.data.repository for child in node.children if isinstance(child.data, RepositoryEntry)]

    async def ensure_loaded(self, node: TreeNode[Entry]) -> None:
        """Wait for a folder's first page (read now unless it was read or is on its way)."""
        entry = node.data
        if node not in self._loaded and isinstance(entry, FOLDERS):
            self._loaded.add(node)
            self.clear_children(node)
            node.add_leaf(Text("Loading…", style="dim"))
            await self._load_folder(node, entry, 0)

    def namespace_node(self, namespace: str) -> Optional[TreeNode[Entry]]:
        for node in self.root.children:
            if isinstance(node.data, NamespaceEntry) and node.data.namespace.name == namespace:
                return node
        return None

    def select_repository(self, namespace: str, repository: str) -> bool:
        node = self.namespace_node(namespace)
        for child in node.children if node else ():
            if isinstance(child.data, RepositoryEntry) and child.data.repository.name == repository:
                # The tree lays out newly expanded nodes on the next refresh; move once it has.
                self.call_after_refresh(self.move_cursor, child)
                return True
        return False

    def learn_tag_count(self, status: TableStatus) -> None:
        """The tag table knows a repository's exact tag count (a page, a reload or a watch's poll
        told it): the repository's rows here show that count rather than the one listed earlier."""
        query = status.query
        if query is None or query.tag_filter or status.total is None or not status.total_is_exact:
            return
        if query.instance:  # an instance's repository: its rows are not the basic edition's of that name
            return
        if self._learned == (query.full_name, status.total):
            return  # the status changes with every cursor move: most say nothing new
        self._learned = (query.full_name, status.total)
        for folder in self.root.children:
            for child in folder.children:
                entry = child.data
                if not isinstance(entry, RepositoryEntry) or entry.repository.num_images == status.total:
                    continue
                if (entry.repository.namespace, entry.repository.name) == (query.namespace, query.repository):
                    child.data = RepositoryEntry(
                        replace(entry.repository, num_images=status.total), entry.instance
                    )
                    child.set_label(EMPTY_LABEL)  # redrawn from the new entry
                    self.version += 1

    def loaded_repositories(self) -> list[Repository]:
        return [entry.repository for entry in self.loaded_entries()]

    def loaded_entries(self) -> list[RepositoryEntry]:
        """The listed repositories' entries (the palette's names: no Repository made for each)."""
        return [
            child.data
            for folder in self.root.children
            for child in folder.children
            if isinstance(child.data, RepositoryEntry)
        ]

    def instance_entries(self) -> list[tuple[InstanceEntry, RepositoryEntry]]:
        """The repositories listed under the Enterprise instances, each with its instance."""
        found: list[tuple[InstanceEntry, RepositoryEntry]] = []
        for folder in self.root.children:
            if not isinstance(folder.data, InstancesEntry):
                continue
            for instance in folder.children:
                if not isinstance(instance.data, InstanceEntry):
                    continue
                for namespace in instance.children:
                    found.extend(
                        (instance.data, child.data)
                        for child in namespace.children
                        if isinstance(child.data, RepositoryEntry)
                    )
        return found

    # -- events -------------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        event.stop()
        if event.node not in self._loaded:
            self.load_folder(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if isinstance(entry, RepositoryEntry):
            self.post_message(self.RepositoryChosen(entry.repository, entry.instance))
        elif isinstance(entry, MoreEntry):
            self._load_more(event.node, entry)
        elif isinstance(entry, ProblemEntry):
            self.action_reload()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        entry = event.node.data
        if isinstance(entry, MoreEntry):  # the list goes on as the cursor reaches its end
            self._load_more(event.node, entry)

    def _load_more(self, node: TreeNode[Entry], entry: MoreEntry) -> None:
        parent = node.parent
        if parent is not None and str(node.label) != LOADING_MORE:
            node.set_label(Text(LOADING_MORE, style="dim"))
            self.load_folder(parent, entry.offset)

    def action_reload(self) -> None:
        self.post_message(self.ReloadAsked())
        node = self.cursor_node
        if node is None or (isinstance(node.data, ProblemEntry) and node.data.folder is None):
            self.load_namespaces()
            return
        entry = node.data
        if isinstance(entry, InstancesEntry) or (
            isinstance(entry, ProblemEntry) and isinstance(entry.folder, InstancesEntry)
        ):
            self.load_instances()
            return
        folder = node if isinstance(node.data, FOLDERS) else node.parent
        if folder is not None and isinstance(folder.data, InstancesEntry):
            self.load_instances()
        elif folder is None or folder is self.root:
            self.load_namespaces()
        else:
            self.load_folder(folder)
            folder.expand()

    # -- labels -------------------------------------------------------------------------------

    @staticmethod
    def _namespace_label(namespace: Namespace) -> Text:
        label = Text(scrub(namespace.name))
        label.append(f"  {namespace.access}", style="dim")
        return label

    @staticmethod
    def _problem_label(error: SwrError) -> Text:
        return Text(f"⚠ {scrub(str(error))} (r to retry)", style="bold red")


def folder_what(entry: Folder) -> str:
    """The folder a failed load was for, in the error's toast."""
    if isinstance(entry, NamespaceEntry):
        return f"namespace {entry.namespace.name}"
    if isinstance(entry, InstanceEntry):
        return f"enterprise instance {entry.instance.name or entry.instance.id}"
    if isinstance(entry, InstanceNamespaceEntry):
        return f"namespace {entry.namespace.name} of {entry.instance.name or entry.instance.id}"
    return "shared repositories"
