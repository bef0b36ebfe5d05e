"""Tags that share a digest, and signature/attestation/SBOM tags, among the loaded rows (no widgets).

``DigestIndex`` follows a ``PageCache``'s pages incrementally: ``sync`` re-indexes only the pages
that changed (a page is a tuple, replaced on every store), so it stays cheap on big listings.

Group marks are chosen from the digest itself (a hash, not the order rows arrive in), so a group
keeps its glyph and colour while more pages load; only digests held by two or more loaded tags
get one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..swr.cosign import signature_kind
from ..swr.models import Tag

GLYPHS = "◆●▲■★✚"
COLOURS = 6  # component classes tag-table--group-0 .. tag-table--group-5


Entry = tuple[int, str]  # (row, tag name)


@dataclass(frozen=True)
class GroupMark:
    glyph: str
    colour: int  # 0 .. COLOURS-1

    @property
    def component(self) -> str:
        return f"tag-table--group-{self.colour}"


def group_mark_for(digest: str) -> GroupMark:
    """The mark of ``digest``'s group: the same on every run and whatever else is loaded."""
    number = int.from_bytes(hashlib.sha256(digest.encode("utf-8", "replace")).digest()[:8], "big")
    return GroupMark(GLYPHS[number % len(GLYPHS)], (number // len(GLYPHS)) % COLOURS)


@dataclass(frozen=True)
class _Indexed:
    tags: tuple[Tag, ...]  # the very tuple indexed: a new tuple means a new page
    first_row: int


class DigestIndex:
    """Digest -> loaded (row, tag name) entries, and target digest -> signature tags."""

    def __init__(self) -> None:
        self._pages: dict[int, _Indexed] = {}
        self._by_digest: dict[str, dict[int, str]] = {}
        self._by_target: dict[str, dict[int, tuple[str, str]]] = {}  # digest -> row -> (name, kind)
        self._marks: dict[str, GroupMark] = {}
        self.version = 0  # bumped on every change: a cheap "did anything move" check

    # -- building -----------------------------------------------------------------------------

    def add_page(self, page: int, first_row: int, tags: Sequence[Tag]) -> None:
        """Index ``tags`` as rows ``first_row``...; a page indexed before is replaced."""
        self.remove_page(page)
        self._pages[page] = _Indexed(tuple(tags), first_row)
        for offset, tag in enumerate(tags):
            row = first_row + offset
            if tag.digest:
                self._by_digest.setdefault(tag.digest, {})[row] = tag.name
            signed = signature_kind(tag.name)
            if signed is not None:
                kind, target = signed
                self._by_target.setdefault(target, {})[row] = (tag.name, kind)
        self.version += 1

    def remove_page(self, page: int) -> None:
        indexed = self._pages.pop(page, None)
        if indexed is None:
            return
        for offset, tag in enumerate(indexed.tags):
            row = indexed.first_row + offset
            self._discard(self._by_digest, tag.digest, row)
            signed = signature_kind(tag.name)
            if signed is not None:
                self._discard(self._by_target, signed[1], row)
        self.version += 1

    @staticmethod
    def _discard(index: dict[str, dict[int, Any]], key: str, row: int) -> None:
        entries = index.get(key)
        if entries is not None:
            entries.pop(row, None)
            if not entries:
                del index[key]

    def sync(self, pages: Mapping[int, Sequence[Tag]], page_size: int) -> bool:
        """Follow a page cache: index new or replaced pages, drop gone ones. True if anything moved."""
        before = self.version
        for page in [page for page in self._pages if page not in pages]:
            self.remove_page(page)
        for page, tags in pages.items():
            indexed = self._pages.get(page)
            if indexed is None or indexed.tags is not tags or indexed.first_row != page * page_size:
                self.add_page(page, page * page_size, tags)
        return self.version != before

    def clear(self) -> None:
        if self._pages:
            self.version += 1
        self._pages.clear()
        self._by_digest.clear()
        self._by_target.clear()

    # -- asking -------------------------------------------------------------------------------

    def tags_with(self, digest: str) -> list[Entry]:
        """Every loaded (row, name) whose digest is ``digest``, in row order."""
        return sorted(self._by_digest.get(digest, {}).items()) if digest else []

    def others(self, tag: Tag, row: Optional[int] = None) -> list[Entry]:
        """The loaded tags sharing ``tag``'s digest, ``tag`` itself left out (by row, else by name)."""
        return [
            (other_row, name)
            for other_row, name in self.tags_with(tag.digest)
            if (other_row != row if row is not None else name != tag.name)
        ]

    def mark(self, digest: str) -> Optional[GroupMark]:
        """The group's mark when two or more loaded tags share ``digest``; else None."""
        if not digest or len(self._by_digest.get(digest, ())) < 2:
            return None
        mark = self._marks.get(digest)
        if mark is None:
            mark = self._marks[digest] = group_mark_for(digest)
        return mark

    def signers(self, digest: str) -> list[tuple[int, str, str]]:
        """Loaded signature/attestation/SBOM tags that name ``digest``: (row, name, kind)."""
        if not digest:
            return []
        return [(row, name, kind) for row, (name, kind) in sorted(self._by_target.get(digest, {}).items())]

    def __len__(self) -> int:
        return sum(len(indexed.tags) for indexed in self._pages.values())


def names(entries: Iterable[Entry]) -> list[str]:
    return [name for _, name in entries]
