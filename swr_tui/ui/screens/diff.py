"""The tag diff screen (issue #6): what changes from one tag to another, then the manifest line diff.

Everything shown comes from the registry, so it is scrubbed and only ever becomes ``rich.text.Text``
or plain Segments, never markup.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...formatting import human_size, short_digest
from ...safe_text import scrub
from ...swr.diff import PlatformChange, TagDiff, diff_tags
from ...swr.manifest import KIND_LABELS, Descriptor, PlatformEntry, parse_manifest
from ...swr.models import Tag
from ..widgets.json_view import ManifestView

MAX_ROWS = 50  # per list of layers or platforms; the rest become "… N more"
LABEL_WIDTH = 40  # a shared platform's label, cut: a hostile os.version must not push the digests away


def signed_size(delta: int) -> str:
    """+1.5 MiB, -1.5 MiB, or 0 B."""
    if delta == 0:
        return "0 B"
    return ("+" if delta > 0 else "-") + human_size(abs(delta))


def _kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, scrub(kind))


def _heading(text: Text, label: str) -> None:
    text.append(f"{label:<11}", style="bold")


def _layer_rows(text: Text, mark: str, layers: tuple[Descriptor, ...], style: str) -> None:
    for layer in layers[:MAX_ROWS]:
        text.append(f"\n  {mark} ", style=style)
        text.append(f"{scrub(short_digest(layer.digest)) or '(no digest)':<12}  ")
        text.append(human_size(layer.size), style="dim")
    if len(layers) > MAX_ROWS:
        text.append(f"\n    … {len(layers) - MAX_ROWS:,} more", style="dim italic")


def _platform_rows(text: Text, mark: str, entries: tuple[PlatformEntry, ...], style: str) -> None:
    for entry in entries[:MAX_ROWS]:
        text.append(f"\n  {mark} ", style=style)
        text.append(f"{scrub(entry.label):<20}  {scrub(short_digest(entry.digest))}  ")
        if entry.is_attestation:
            text.append(f"attests {scrub(short_digest(entry.attests)) or '?'}  ", style="italic")
        text.append(human_size(entry.size), style="dim")
    if len(entries) > MAX_ROWS:
        text.append(f"\n    … {len(entries) - MAX_ROWS:,} more", style="dim italic")


def _shared_platform_rows(text: Text, changes: tuple[PlatformChange, ...]) -> None:
    """``~ linux/amd64  1a2b… → 3c4d…  +1.5 KiB`` when its image changed, ``= linux/amd64  1a2b…``
    when it is the same one."""
    labels = [scrub(change.label)[:LABEL_WIDTH] for change in changes[:MAX_ROWS]]
    width = max((len(label) for label in labels), default=0)
    for change, label in zip(changes, labels):
        left, right = change.left, change.right
        changed = change.digest_changed
        text.append(f"\n  {'~' if changed else '='} ", style="yellow" if changed else "dim")
        text.append(f"{label:<{width}}  {scrub(short_digest(left.digest))}")
        if changed:
            text.append(" → ", style="bold")
            text.append(scrub(short_digest(right.digest)))
            text.append(f"  {human_size(left.size)} → {human_size(right.size)} ", style="dim")
            text.append(f"({signed_size(change.size_delta)})", style="dim")
        else:
            text.append("  same image", style="dim")
    if len(changes) > MAX_ROWS:
        text.append(f"\n    … {len(changes) - MAX_ROWS:,} more", style="dim italic")


def summary_text(diff: TagDiff) -> Text:
    """The block above the line diff, as plain ``Text`` (never markup)."""
    text = Text()
    if diff.identical:
        text.append("Identical: same manifest and size\n", style="bold")

    _heading(text, "Kind")
    left_kind, right_kind = (_kind_label(kind) for kind in diff.kinds)
    text.append(left_kind if left_kind == right_kind else f"{left_kind} → {right_kind}")

    text.append("\n")
    _heading(text, "Size")
    text.append(f"{human_size(diff.left_size)} → {human_size(diff.right_size)}  ")
    delta_style = "red" if diff.size_delta > 0 else "green" if diff.size_delta < 0 else "dim"
    text.append(f"({signed_size(diff.size_delta)})", style=delta_style)

    text.append("\n")
    _heading(text, "Config")
    left_config, right_config = scrub(short_digest(diff.left_config)), scrub(short_digest(diff.right_config))
    if not diff.config_changed:
        text.append(f"same {left_config}" if left_config else "none on either side", style="dim")
    else:
        text.append("changed ", style="bold yellow")
        text.append(f"{left_config or 'none'} → {right_config or 'none'}")

    if diff.layers_added or diff.layers_removed or diff.layers_shared:
        text.append("\n")
        _heading(text, "Layers")
        text.append(
            f"{len(diff.layers_added)} added ({human_size(diff.added_size)}), "
            f"{len(diff.layers_removed)} removed ({human_size(diff.removed_size)}), "
            f"{len(diff.layers_shared)} shared ({human_size(diff.shared_size)})"
        )
        text.append("\n")
        _heading(text, "Compressed")
        text.append(f"{signed_size(diff.layer_size_delta)} in layers")
        _layer_rows(text, "+", diff.layers_added, "green")
        _layer_rows(text, "-", diff.layers_removed, "red")
        _layer_rows(text, "=", diff.layers_shared, "dim")

    if diff.platforms_added or diff.platforms_removed or diff.platforms_shared:
        text.append("\n")
        _heading(text, "Platforms")
        text.append(
            f"{len(diff.platforms_added)} added, {len(diff.platforms_removed)} removed, "
            f"{len(diff.platforms_shared)} shared ({len(diff.platforms_changed)} changed)"
        )
        _platform_rows(text, "+", diff.platforms_added, "green")
        _platform_rows(text, "-", diff.platforms_removed, "red")
        _shared_platform_rows(text, diff.platforms_shared)

    for note in diff.notes:
        text.append("\n")
        _heading(text, "Note")
        text.append(scrub(note), style="italic")
    return text


def diff_document(diff: TagDiff) -> str:
    if diff.same_manifest:
        return "(the manifests are the same)"
    return "\n".join(diff.manifest_diff)


class DiffView(ManifestView):
    """A ManifestView that colours unified diff lines: ``+`` added, ``-`` removed, ``@@`` hunks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *ManifestView.COMPONENT_CLASSES,
        "diff-view--added",
        "diff-view--removed",
        "diff-view--hunk",
    }

    DEFAULT_CSS = """
    DiffView {
        & > .diff-view--added {
            color: $text-success;
        }
        & > .diff-view--removed {
            color: $text-error;
        }
        & > .diff-view--hunk {
            color: $text-accent;
            text-style: bold;
        }
    }
    """

    _diff_styles: Optional[dict[str, Style]] = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._diff_styles = None

    def _line_style(self, line: str) -> Optional[Style]:
        if line.startswith("@@"):
            name = "hunk"
        elif line.startswith("+"):
            name = "added"
        elif line.startswith("-"):
            name = "removed"
        else:
            return None
        if self._diff_styles is None:
            styles = {}
            for key in ("added", "removed", "hunk"):
                full = self.get_component_rich_style(f"diff-view--{key}")
                styles[key] = full.without_color + Style(color=full.color)
            self._diff_styles = styles
        return self._diff_styles[name]

    def _build_line(self, line: str) -> Strip:
        strip = super()._build_line(line)
        style = self._line_style(line)
        if style is None:
            return strip
        # post_style: over the view's base colour (Strip.apply_style would put it underneath)
        return Strip(Segment.apply_style(strip, post_style=style), strip.cell_length)


class DiffScreen(Screen[None]):
    """Full screen: ``left → right`` title, the summary, then the unified diff of the manifests."""

    # The project keeps styles in app.tcss; this screen keeps its own here instead, so the feature
    # lands without edits to a file others change at the same time.
    DEFAULT_CSS = """
    DiffScreen {
        layout: vertical;
    }
    DiffScreen > #diff-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    DiffScreen > #diff-summary {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        border-bottom: solid $primary-muted;
    }
    DiffScreen > #diff-manifest {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back"),
    ]

    def __init__(self, namespace_repo: str, diff: TagDiff) -> None:
        super().__init__()
        self.namespace_repo = namespace_repo
        self.diff = diff

    def title_text(self) -> Text:
        text = Text()
        if self.namespace_repo:
            text.append(f"{scrub(self.namespace_repo)}: ", style="dim")
        text.append(scrub(self.diff.left))
        text.append(" → ", style="bold")
        text.append(scrub(self.diff.right))
        return text

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="diff-title")
        with VerticalScroll(id="diff-summary"):
            yield Static(summary_text(self.diff), id="diff-summary-text")
        yield DiffView(id="diff-manifest")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one("#diff-manifest", DiffView)
        view.load(diff_document(self.diff), highlight=False)
        view.focus()

    def action_close(self) -> None:
        self.app.pop_screen()


def diff_in_background(screen: Screen[Any], title: str, left: Tag, right: Tag) -> None:
    """Parse the two manifests and diff them on a thread (big manifests are CPU work), then show the
    diff over ``screen`` unless it has gone (switched away) or another diff came first."""

    def work() -> None:
        result = diff_tags(left, parse_manifest(left.manifest), right, parse_manifest(right.manifest))
        if not get_current_worker().is_cancelled:
            screen.app.call_from_thread(show, result)

    def show(result: TagDiff) -> None:
        if screen.is_attached:
            screen.app.push_screen(DiffScreen(title, result))

    screen.run_worker(work, thread=True, group="tag-diff", exclusive=True, exit_on_error=False)
