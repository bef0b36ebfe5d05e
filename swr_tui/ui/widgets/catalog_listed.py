"""The sidebar's repositories, kept small: a namespace may list 10,000 of them (issue 14).

Each listed repository costs one ``RepositoryEntry`` (its values in one tuple, the strings that many
repositories share kept once) and one ``ListedNode`` (a tree node whose label is made from its entry
when drawn or asked for, not kept as a ``Text`` with its spans, and no list of children). The tree
(``CompactTree``) keeps its lines as the nodes in display order and makes a line's path when it is
drawn, where Textual's ``Tree`` keeps a line object and a path list per line and rebuilds them all
at every page. What the user sees, and the ``Repository`` every consumer gets, are unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, NoReturn, Optional, TypeVar, Union, overload

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...formatting import human_size
from ...safe_text import scrub
from ...swr.models import Repository

FIELD_NAMES = tuple(field.name for field in fields(Repository))
# Fields with few distinct values over a namespace's repositories (the same namespace and account,
# a handful of categories, descriptions often empty or copied): one string each, not one per repository.
SHARED_FIELDS = frozenset({"namespace", "category", "description", "domain_name"})
# Fields that are "<registry>/<namespace>/<name>": the part before the name is kept once.
NAME_SUFFIXED_FIELDS = ("path", "internal_path")
NAME, NAMESPACE, SIZE, TAGS = (
    FIELD_NAMES.index(name) for name in ("name", "namespace", "size", "num_images")
)
SUFFIXED_INDEXES = tuple(map(FIELD_NAMES.index, NAME_SUFFIXED_FIELDS))
NO_CHILDREN = ()
EMPTY_LABEL = Text()  # every listed node's stored label: the drawn one is made from its entry


@dataclass(frozen=True)
class SharedEntry:
    """The 'Shared with me' folder."""


class RepositoryEntry:
    """A listed repository (``instance``: the Enterprise Edition instance's id; "" for the basic
    edition). ``repository`` is rebuilt on each access, equal to the one listed."""

    __slots__ = ("_suffixed", "_values", "instance")
    _values: tuple[Any, ...]
    _suffixed: int  # a bit per field stored without its name at the end
    instance: str

    def __init__(self, repository: Repository, instance: str = "") -> None:
        values: list[Any] = []
        suffixed = 0  # a small int (cached by Python), not one more object per repository
        for name in FIELD_NAMES:
            value = getattr(repository, name)
            if name in SHARED_FIELDS and isinstance(value, str):
                value = sys.intern(value)
            elif name in NAME_SUFFIXED_FIELDS and repository.name and value.endswith(f"/{repository.name}"):
                value = sys.intern(value[: -len(repository.name)])
                suffixed |= 1 << NAME_SUFFIXED_FIELDS.index(name)
            values.append(value)
        object.__setattr__(self, "_values", tuple(values))
        object.__setattr__(self, "_suffixed", suffixed)
        object.__setattr__(self, "instance", instance)

    @property
    def repository(self) -> Repository:
        values = list(self._values)
        for bit, index in enumerate(SUFFIXED_INDEXES):
            if self._suffixed >> bit & 1:
                values[index] += values[NAME]
        return Repository(*values)

    @property
    def namespace(self) -> str:
        return str(self._values[NAMESPACE])

    @property
    def name(self) -> str:
        return str(self._values[NAME])

    @property
    def num_images(self) -> int:
        return int(self._values[TAGS])

    def shown_name(self, shared: bool) -> str:
        """The name as the sidebar shows it (scrubbed): with its namespace in *Shared with me*."""
        name = self._values[NAME]
        return scrub(f"{self._values[NAMESPACE]}/{name}" if shared else name)

    def counts(self, shared: bool) -> str:
        """What follows the name: the tag count, and the size in *Shared with me*."""
        size = self._values[SIZE]
        return f"  {self._values[TAGS]}" + (f" · {human_size(size)}" if size and shared else "")

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"RepositoryEntry is read-only ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RepositoryEntry):
            return NotImplemented
        return (self.repository, self.instance) == (other.repository, other.instance)

    def __hash__(self) -> int:
        return hash((self.repository, self.instance))

    def __repr__(self) -> str:
        return f"RepositoryEntry({self.repository!r}, instance={self.instance!r})"


def repository_label(entry: RepositoryEntry, shared: bool) -> Text:
    label = Text(entry.shown_name(shared))
    label.append(entry.counts(shared), style="dim")
    return label


def label_width(entry: RepositoryEntry, shared: bool) -> int:
    """The label's cells, without making it: the tree measures every line at each page."""
    plain = entry.shown_name(shared) + entry.counts(shared)
    return len(plain) if plain.isascii() else cell_len(plain)  # scrubbed ASCII: a cell a character


class ListedNode(TreeNode[Any]):
    """A repository's node: its label is made from its entry (``data``) when asked for."""

    data: RepositoryEntry

    @property
    def _label(self) -> Text:
        return repository_label(self.data, in_shared(self))

    @_label.setter
    def _label(self, label: Text) -> None:
        """Set by TreeNode (``EMPTY_LABEL``): the label follows the entry, so nothing is kept."""

    @property
    def _children(self) -> list[TreeNode[Any]]:
        """A leaf: one empty tuple for all, where TreeNode gives each node a list of its own."""
        return NO_CHILDREN  # type: ignore[return-value]

    @_children.setter
    def _children(self, children: list[TreeNode[Any]]) -> None:
        """Set by TreeNode (an empty list): a repository's node never has children."""


def in_shared(node: TreeNode[Any]) -> bool:
    """In *Shared with me*, a repository shows its namespace (and size)."""
    return isinstance(node.parent.data if node.parent else None, SharedEntry)


NodeT = TypeVar("NodeT")


class NodeLine:
    """What Textual's Tree reads of one of its lines (its ``_TreeLine``): the path of nodes from the
    top, and whether the node is its parent's last child."""

    __slots__ = ("last", "path")

    def __init__(self, path: list[TreeNode[Any]], last: bool) -> None:
        self.path, self.last = path, last

    @property
    def node(self) -> TreeNode[Any]:
        return self.path[-1]

    def _get_guide_width(self, guide_depth: int, show_root: bool) -> int:
        """As ``_TreeLine``'s: the path holds the root only when it is shown."""
        return max(0, len(self.path) - 1) * guide_depth


class NodeLines(Sequence[NodeLine]):
    """The tree's lines, as Textual's ``Tree`` reads them, made from the nodes in display order."""

    def __init__(self, nodes: list[TreeNode[Any]], hidden_root: Optional[TreeNode[Any]]) -> None:
        self._nodes, self._hidden_root = nodes, hidden_root

    def __len__(self) -> int:
        return len(self._nodes)

    @overload
    def __getitem__(self, index: int) -> NodeLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[NodeLine]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[NodeLine, list[NodeLine]]:
        if isinstance(index, slice):
            return [self._line(node) for node in self._nodes[index]]
        return self._line(self._nodes[index])

    def _line(self, node: TreeNode[Any]) -> NodeLine:
        path: list[TreeNode[Any]] = []
        step: Optional[TreeNode[Any]] = node
        while step is not None and step is not self._hidden_root:
            path.append(step)
            step = step.parent
        path.reverse()
        # Tree._build marks a line "last" when its node is its parent's last child (always for the
        # top level, where it is not read).
        return NodeLine(path, len(path) == 1 or node.is_last)


class CompactTree(Tree[NodeT]):
    """A Tree whose repository rows cost little (see the module's doc)."""

    def _add_node(
        self, parent: Optional[TreeNode[NodeT]], label: Text, data: Optional[NodeT], expand: bool = False
    ) -> TreeNode[NodeT]:
        """A repository's node is a ListedNode; the others are made as Textual's ``Tree._add_node``
        makes them."""
        if not isinstance(data, RepositoryEntry):
            return super()._add_node(parent, label, data, expand)
        node: TreeNode[NodeT] = ListedNode(self, parent, self._new_id(), label, data, expanded=expand)
        self._tree_nodes[node._id] = node
        self._updates += 1
        return node

    def _build(self) -> None:
        """Textual's ``Tree._build`` with the lines as ``NodeLines``: the same lines, widths and cursor."""
        nodes: list[TreeNode[NodeT]] = []
        width = 0
        # The room and each node's depth once, not per node: 10,000 lines asked the widget for its
        # region 10,000 times and walked each node's parents (160 ms to reload a namespace).
        room = self.scrollable_content_region.width
        guide = self.guide_depth
        top = [self.root] if self.show_root else self.root._children
        stack = [(node, 0) for node in reversed(top)]
        while stack:
            node, depth = stack.pop()
            node._line = len(nodes)
            nodes.append(node)
            indent = depth * guide
            if isinstance(node, ListedNode):
                label = min(room - indent, label_width(node.data, in_shared(node)))
            else:
                label = self.get_label_width(node)
            width = max(width, label + indent)
            if node._expanded:
                stack.extend((child, depth + 1) for child in reversed(node._children))
        hidden_root = None if self.show_root else self.root
        self._tree_lines_cached = NodeLines(nodes, hidden_root)  # type: ignore[assignment]
        self.virtual_size = Size(width if nodes else self.size.width, len(nodes))
        if self.cursor_line != -1:
            if self.cursor_node is not None:
                self.cursor_line = self.cursor_node._line
            if self.cursor_line >= len(nodes):
                self.cursor_line = -1

    def clear_children(self, node: TreeNode[NodeT]) -> None:
        """``node.remove_children()`` in one pass. Textual's removes the children one at a time,
        each found by a search of its parent's list: reloading a namespace of 10,000 repositories
        spent half a second there, with the keys waiting."""
        if isinstance(node, ListedNode):
            return  # a leaf
        stack = list(node._children)
        node._children.clear()
        while stack:
            child = stack.pop()
            # A folder taken out is emptied too: its own load may still end and clear it again.
            self._tree_nodes.pop(child._id, None)
            if not isinstance(child, ListedNode):
                stack.extend(child._children)
                child._children.clear()
        self._invalidate()

    def get_label_width(self, node: TreeNode[NodeT]) -> int:
        if isinstance(node, ListedNode):  # measured at every page: no label made
            room = self.scrollable_content_region.width - self._guide_width(node)
            return min(room, label_width(node.data, in_shared(node)))
        return super().get_label_width(node)

    def _guide_width(self, node: TreeNode[NodeT]) -> int:
        depth, parent = 0, node.parent
        while parent is not None and (self.show_root or parent is not self.root):
            depth, parent = depth + 1, parent.parent
        return depth * self.guide_depth
