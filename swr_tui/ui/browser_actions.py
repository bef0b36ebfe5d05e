"""What the browsing keys do to the highlighted tag: copy, copy menu, same digest, export, mark and diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..safe_text import scrub
from ..swr.models import Tag
from .tag_facts import CopyChoice, copy_choices, value_choice

if TYPE_CHECKING:
    from .app import SwrApp

COPIED_VALUES = {
    "path": "pull path",
    "internal": "internal pull path",
    "digest": "digest",
}


def highlighted_tag(app: SwrApp) -> Optional[Tag]:
    tag = app.table.highlighted_tag
    if tag is None:
        app.say("No tag highlighted: open a repository and pick a tag", severity="warning")
    return tag


def copy_value(app: SwrApp, which: str) -> None:
    tag = highlighted_tag(app)
    if tag is None:
        return
    what = COPIED_VALUES[which]
    value = {"path": tag.path, "internal": tag.internal_path, "digest": tag.digest}[which]
    if not value:
        app.say(f"The registry sent no {what} for this tag", severity="warning")
        return
    app.copy_choice(value_choice(which, what, what, value, is_digest=which == "digest"))


def copy_menu(app: SwrApp) -> None:
    tag = highlighted_tag(app)
    if tag is None:
        return
    choices = copy_choices(tag)
    if not choices:
        app.say("Nothing to copy for this tag", severity="warning")
        return

    def chosen(choice: Optional[CopyChoice]) -> None:
        if choice is not None:
            app.copy_choice(choice)

    from .screens.copy_menu import CopyMenu  # screens load when first opened: a faster start

    app.push_screen(CopyMenu(tag.name, choices), chosen)


def digest_search(app: SwrApp) -> None:
    tag, query = highlighted_tag(app), app.table.query
    if tag is None or query is None:
        return
    from .screens.digest_search import DigestSearchScreen

    app.push_screen(DigestSearchScreen(app.client, query, tag.digest, tag.name))


def export(app: SwrApp) -> None:
    query = app.table.query
    if query is None:
        app.say("Open a repository first", severity="warning")
        return
    from .screens.export import ExportScreen

    screen = ExportScreen(app.client, query, total=app.table.total)

    def exported(path: Optional[str]) -> None:
        if path is not None:
            count = screen.exported_count or 0
            app.say(
                f"Exported {count:,} tag{'' if count == 1 else 's'} to {scrub(path)}",
                title="Export",
                timeout=6,
            )

    app.push_screen(screen, exported)


def mark(app: SwrApp, across_repositories: bool) -> None:
    tag, query = highlighted_tag(app), app.table.query
    if tag is None or query is None:
        return
    if app.table.toggle_diff_mark(across_repositories) is None:
        app.say(f"Unmarked {scrub(tag.name)}", timeout=2)
    else:
        kept = " (kept when you open another repository)" if across_repositories else ""
        app.say(f"Marked {scrub(tag.name)}: press = on another tag to compare{kept}", timeout=3)
    app.refresh_status()


def diff(app: SwrApp) -> None:
    tag, query = highlighted_tag(app), app.table.query
    if tag is None or query is None:
        return
    marked = app.marked
    if marked is None:
        app.say("Mark a tag with space first, then press = on another", severity="warning")
        return
    marked_query = marked.query
    title = (
        query.full_name
        if marked_query.full_name == query.full_name
        else f"{marked_query.full_name} → {query.full_name}"
    )
    app.open_diff(title, marked.tag, tag)
