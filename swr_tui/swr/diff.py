"""Compare two tags: layers added, removed and shared, size delta, platforms, config, manifest lines.

Pure data, no Textual: ``diff_tags`` takes the tags and their ``parse_manifest`` summaries and never
raises on odd manifests (an invalid or empty one still diffs as text, with a note). Every string in a
``TagDiff`` (tag names, digests, platform labels, diff lines) is untrusted: scrub it before display.
Most of the cost is ``difflib`` on the pretty texts; the changed middle of each side is cut at
``MAX_DIFF_LINES`` lines, so the worst case stays well under a second. Run it in a thread worker
all the same: parsing two big manifests also takes a while.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from .manifest import Descriptor, ManifestSummary, PlatformEntry
from .models import Tag

# Lines of each side difflib may match once the common top and bottom are set aside. Matching is
# quadratic at worst (an index whose digest lines all differ and whose size lines do not): 5,000
# lines took ~0.3 s, 20,000 took 6-12 s on a 2-core machine.
MAX_DIFF_LINES = 5_000
CONTEXT_LINES = 3

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class PlatformChange:
    """One platform both lists hold (same os/architecture/variant): what became of it."""

    left: PlatformEntry
    right: PlatformEntry
    label: str  # "linux/arm/v7", "attestation of linux/arm/v7"

    @property
    def digest_changed(self) -> bool:
        return self.left.digest != self.right.digest

    @property
    def size_delta(self) -> int:
        return self.right.size - self.left.size


@dataclass(frozen=True)
class TagDiff:
    left: str
    right: str
    kinds: tuple[str, str]
    left_size: int
    right_size: int
    left_config: str  # the config digest, "" when the manifest has none (lists, schema 1, invalid)
    right_config: str
    layers_added: tuple[Descriptor, ...]
    layers_removed: tuple[Descriptor, ...]
    layers_shared: tuple[Descriptor, ...]
    platforms_added: tuple[PlatformEntry, ...]
    platforms_removed: tuple[PlatformEntry, ...]
    platforms_shared: tuple[PlatformChange, ...]  # matched by platform, in the left list's order
    # unified_diff lines, "---"/"+++" headers first; empty when the texts are the same.
    manifest_diff: list[str] = field(default_factory=list, hash=False)
    notes: tuple[str, ...] = ()
    left_digest: str = ""
    right_digest: str = ""
    same_manifest: bool = False

    @property
    def size_delta(self) -> int:
        return self.right_size - self.left_size

    @property
    def config_changed(self) -> bool:
        return self.left_config != self.right_config

    @property
    def added_size(self) -> int:
        return sum(layer.size for layer in self.layers_added)

    @property
    def removed_size(self) -> int:
        return sum(layer.size for layer in self.layers_removed)

    @property
    def shared_size(self) -> int:
        return sum(layer.size for layer in self.layers_shared)

    @property
    def layer_size_delta(self) -> int:
        """Compressed layer bytes the right side adds (negative when it is lighter)."""
        return self.added_size - self.removed_size

    @property
    def platforms_changed(self) -> tuple[PlatformChange, ...]:
        """Shared platforms whose image (digest) is a different one on the right."""
        return tuple(change for change in self.platforms_shared if change.digest_changed)

    @property
    def is_list_diff(self) -> bool:
        return any(kind in ("docker-manifest-list", "oci-index") for kind in self.kinds)

    @property
    def identical(self) -> bool:
        """Nothing to tell apart: same manifest text (e.g. ``latest`` and the tag it points at)."""
        return self.same_manifest and self.size_delta == 0


def diff_tags(
    left: Tag, left_summary: ManifestSummary, right: Tag, right_summary: ManifestSummary
) -> TagDiff:
    """What changes from ``left`` to ``right``. Never raises on odd manifests."""
    notes: list[str] = []
    for tag, summary in ((left, left_summary), (right, right_summary)):
        note = _summary_note(tag.name, summary)
        if note:
            notes.append(note)
    if left_summary.is_list != right_summary.is_list:
        notes.append(
            f"comparing {left_summary.kind_label} with {right_summary.kind_label}: "
            "layers are those of the image only, platforms those of the list"
        )

    layers_removed, layers_shared, layers_added = _split(
        left_summary.layers, right_summary.layers, lambda layer: layer.digest
    )
    platforms_removed, platforms_shared, platforms_added = _match_platforms(
        left_summary.platforms, right_summary.platforms
    )
    left_text, right_text = _document(left, left_summary), _document(right, right_summary)
    manifest_diff, diff_note = _manifest_diff(left.name, left_text, right.name, right_text)
    if diff_note:
        notes.append(diff_note)

    return TagDiff(
        left=left.name,
        right=right.name,
        kinds=(left_summary.kind, right_summary.kind),
        left_size=left.size,
        right_size=right.size,
        left_config=left_summary.config.digest if left_summary.config else "",
        right_config=right_summary.config.digest if right_summary.config else "",
        layers_added=layers_added,
        layers_removed=layers_removed,
        layers_shared=layers_shared,
        platforms_added=platforms_added,
        platforms_removed=platforms_removed,
        platforms_shared=platforms_shared,
        manifest_diff=manifest_diff,
        notes=tuple(notes),
        left_digest=left.digest,
        right_digest=right.digest,
        same_manifest=left_text == right_text,
    )


def _summary_note(name: str, summary: ManifestSummary) -> str:
    if summary.kind == "invalid":
        return f"{name}: the manifest could not be read ({summary.error}); its layers are unknown"
    if summary.kind == "empty":
        return f"{name}: the manifest is empty"
    if summary.error:
        return f"{name}: {summary.error}"
    return ""


def _split(
    left: tuple[_Item, ...], right: tuple[_Item, ...], key: Callable[[_Item], object]
) -> tuple[tuple[_Item, ...], tuple[_Item, ...], tuple[_Item, ...]]:
    """(only in left, in both, only in right), each in its side's order; shared in left's order.

    Matched as multisets: a digest listed twice on the left and once on the right is shared once
    and removed once.
    """
    right_counts = Counter(key(item) for item in right)
    left_only, shared = [], []
    for item in left:
        item_key = key(item)
        if right_counts[item_key] > 0:
            right_counts[item_key] -= 1
            shared.append(item)
        else:
            left_only.append(item)
    left_counts = Counter(key(item) for item in left)
    right_only = []
    for item in right:
        item_key = key(item)
        if left_counts[item_key] > 0:
            left_counts[item_key] -= 1
        else:
            right_only.append(item)
    return tuple(left_only), tuple(shared), tuple(right_only)


PlatformKey = tuple[str, ...]


def _platform_keys(entries: tuple[PlatformEntry, ...]) -> list[tuple[PlatformKey, str]]:
    """What makes an entry the same platform in another list, and its label: os/architecture/variant;
    for an attestation, the platform of the image it attests (its own is "unknown/unknown")."""

    def image_key(entry: PlatformEntry) -> PlatformKey:
        return ("image", entry.os, entry.architecture, entry.variant)

    images = {entry.digest: entry for entry in entries if not entry.is_attestation}
    keys = []
    for entry in entries:
        attested = images.get(entry.attests) if entry.is_attestation else None
        if attested is not None:
            keys.append((("attestation", *image_key(attested)[1:]), f"attestation of {attested.label}"))
        elif entry.is_attestation:
            keys.append((("attestation", entry.attests), entry.label))
        else:
            keys.append((image_key(entry), entry.label))
    return keys


def _match_platforms(
    left: tuple[PlatformEntry, ...], right: tuple[PlatformEntry, ...]
) -> tuple[tuple[PlatformEntry, ...], tuple[PlatformChange, ...], tuple[PlatformEntry, ...]]:
    """(only in left, in both, only in right), matched by platform, not digest: a release that
    rebuilds linux/amd64 changes that platform's image, it does not remove one platform and add
    another. A platform listed twice is matched in order, as a multiset."""
    waiting: dict[PlatformKey, list[int]] = {}  # indexes into right, per platform, in order
    right_keys = _platform_keys(right)
    for index, (key, _) in enumerate(right_keys):
        waiting.setdefault(key, []).append(index)
    left_only: list[PlatformEntry] = []
    shared: list[PlatformChange] = []
    matched: set[int] = set()
    for (key, _), entry in zip(_platform_keys(left), left):
        candidates = waiting.get(key)
        if candidates:
            index = candidates.pop(0)
            matched.add(index)
            shared.append(PlatformChange(entry, right[index], right_keys[index][1]))
        else:
            left_only.append(entry)
    right_only = tuple(entry for index, entry in enumerate(right) if index not in matched)
    return tuple(left_only), tuple(shared), right_only


def _document(tag: Tag, summary: ManifestSummary) -> str:
    """The text to compare: the pretty JSON, or the raw manifest when no pretty text was made."""
    if summary.pretty or summary.kind == "empty":
        return summary.pretty
    return tag.manifest


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").split("\n") if text else []


def _manifest_diff(left: str, left_text: str, right: str, right_text: str) -> tuple[list[str], str]:
    if left_text == right_text:
        return [], ""
    left_lines, right_lines = _lines(left_text), _lines(right_text)
    if len(left_lines) <= MAX_DIFF_LINES and len(right_lines) <= MAX_DIFF_LINES:
        return list(_unified(left, left_lines, right, right_lines)), ""
    # Big texts: lines both sides share at the top and bottom need no matching, so difflib only sees
    # the changed middle (and the context around it); hunk headers are shifted back afterwards.
    prefix = _common_prefix(left_lines, right_lines)
    suffix = _common_suffix(left_lines[prefix:], right_lines[prefix:])
    start = max(0, prefix - CONTEXT_LINES)
    tail = max(0, suffix - CONTEXT_LINES)
    left_part = left_lines[start : len(left_lines) - tail]
    right_part = right_lines[start : len(right_lines) - tail]
    note = ""
    if len(left_part) > MAX_DIFF_LINES or len(right_part) > MAX_DIFF_LINES:
        note = (
            f"manifest diff covers lines {start + 1:,} to {start + MAX_DIFF_LINES:,} only "
            f"(the texts differ over {max(len(left_part), len(right_part)):,} lines)"
        )
        left_part, right_part = left_part[:MAX_DIFF_LINES], right_part[:MAX_DIFF_LINES]
    lines = _unified(left, left_part, right, right_part)
    if not start:
        return list(lines), note
    return [_shift_hunk(line, start) if line.startswith("@@ ") else line for line in lines], note


def _unified(left: str, left_lines: list[str], right: str, right_lines: list[str]) -> Iterator[str]:
    return difflib.unified_diff(
        left_lines,
        right_lines,
        fromfile=_header(left),
        tofile=_header(right),
        n=CONTEXT_LINES,
        lineterm="",
    )


def _common_prefix(left: list[str], right: list[str]) -> int:
    count = 0
    for left_line, right_line in zip(left, right):
        if left_line != right_line:
            break
        count += 1
    return count


def _common_suffix(left: list[str], right: list[str]) -> int:
    count = 0
    for left_line, right_line in zip(reversed(left), reversed(right)):
        if left_line != right_line:
            break
        count += 1
    return count


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@$")


def _shift_hunk(line: str, offset: int) -> str:
    """``@@ -1,7 +1,8 @@`` of a slice starting ``offset`` lines in -> the whole text's numbers."""
    match = _HUNK.match(line)
    if match is None:
        return line
    left_start, left_length, right_start, right_length = match.groups()
    return (
        f"@@ -{int(left_start) + offset}{left_length or ''} "
        f"+{int(right_start) + offset}{right_length or ''} @@"
    )


def _header(name: str) -> str:
    # A name with a newline would otherwise split the header line in two.
    return name.replace("\r", "\\r").replace("\n", "\\n")
