"""What the browsing keys do to the highlighted tag: copy, copy menu, same digest, export, mark and diff."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from ...safe_text import scrub
from ...swr.errors import NotFoundError, SwrError
from ...swr.models import Tag
from ...swr.paging import Page
from .. import toasts
from ..tag_facts import CopyChoice, config_choices, copy_choices, value_choice

if TYPE_CHECKING:
    from ..browsing import Browser

ENTERPRISE_PAGE = 100  # the Enterprise Edition's largest page (its lists refuse more)
COPIED_VALUES = {
    "path": "pull path",
    "internal": "internal pull path",
    "digest": "digest",
}


def highlighted_tag(browser: Browser) -> Optional[Tag]:
    tag = browser.table.highlighted_tag
    if tag is None:
        browser.say("No tag highlighted: open a repository and pick a tag", severity="warning")
    return tag


def copy_value(browser: Browser, which: str) -> None:
    tag = highlighted_tag(browser)
    if tag is None:
        return
    what = COPIED_VALUES[which]
    value = {"path": tag.path, "internal": tag.internal_path, "digest": tag.digest}[which]
    if not value:
        browser.say(f"The registry sent no {what} for this tag", severity="warning")
        return
    browser.copy_choice(value_choice(which, what, what, value, is_digest=which == "digest"))


def copy_menu(browser: Browser) -> None:
    tag = highlighted_tag(browser)
    if tag is None:
        return
    choices = copy_choices(tag) + config_choices(browser.image_config())
    if not choices:
        browser.say("Nothing to copy for this tag", severity="warning")
        return

    def chosen(choice: Optional[CopyChoice]) -> None:
        if choice is not None:
            browser.copy_choice(choice)

    from .copy_menu import CopyMenu  # screens load when first opened: a faster start

    browser.app.push_screen(CopyMenu(tag.name, choices), chosen)


def digest_search(browser: Browser) -> None:
    tag, query = highlighted_tag(browser), browser.table.query
    if tag is None or query is None:
        return
    from .digest_search import DigestSearchScreen

    read = None
    if query.instance:  # the artifact lists its tags: one request rather than every page

        async def read() -> tuple[list[str], int]:
            catalog = await browser.source.enterprise_catalog(query.instance)
            artifact = await catalog.client.show_artifact(
                catalog.instance.id, query.namespace, query.repository, tag.digest, with_scan_overview=False
            )
            names = [item.name for item in artifact.tags]
            return names, max(browser.table.total or 0, len(names))

    browser.app.push_screen(DigestSearchScreen(browser.source.client, query, tag.digest, tag.name, read))


def export(browser: Browser) -> None:
    query = browser.table.query
    if query is None:
        browser.say("Open a repository first", severity="warning")
        return
    from .export import ExportScreen

    pages = None
    total = browser.table.total
    if query.instance:  # the table's own pages (100 at most, the Enterprise Edition's cap)
        source = browser.source
        if query.artifacts:  # listed by artifact (A): the export is still every tag, one per row
            query, total = replace(query, artifacts=False), None
        tags = query

        async def fetch(offset: int, limit: int) -> Page[Tag]:
            return await source.fresh_tags(tags, offset, limit)

        pages = (fetch, browser.table.cache.page_size if browser.table.cache else ENTERPRISE_PAGE)
    screen = ExportScreen(browser.source.client, query, total=total, pages=pages)

    def exported(path: Optional[str]) -> None:
        if path is not None:
            count = screen.exported_count or 0
            browser.say(
                f"Exported {count:,} tag{'' if count == 1 else 's'} to {scrub(path)}",
                title="Export",
                timeout=6,
            )

    browser.app.push_screen(screen, exported)


def mark(browser: Browser, across_repositories: bool) -> None:
    tag, query = highlighted_tag(browser), browser.table.query
    if tag is None or query is None:
        return
    if browser.table.toggle_diff_mark(across_repositories) is None:
        browser.say(f"Unmarked {scrub(tag.name)}", timeout=2)
    else:
        kept = " (kept when you open another repository)" if across_repositories else ""
        browser.say(f"Marked {scrub(tag.name)}: press = on another tag to compare{kept}", timeout=3)
    browser.refresh_status()


def diff(browser: Browser) -> None:
    tag, query = highlighted_tag(browser), browser.table.query
    if tag is None or query is None:
        return
    marked = browser.marked
    if marked is None:
        browser.say("Mark a tag with space first, then press = on another", severity="warning")
        return
    marked_query = marked.query
    title = (
        query.full_name
        if marked_query.full_name == query.full_name
        else f"{marked_query.full_name} → {query.full_name}"
    )
    browser.open_diff(title, marked.tag, tag)


async def reopen_after_switch(browser: Browser, namespace: str, repository: str, label: str) -> None:
    """Comparing regions is the common case: stay on the same repository when it exists there
    (asked for by name: it may be beyond the first page of the namespace)."""
    try:
        found = await browser.source.client.list_repositories(namespace, name=repository)
        exists = any(repo.name == repository for repo in found.items)
    except NotFoundError:  # no such namespace there
        exists = False
    except SwrError as error:
        toasts.report_error(browser.app, error)
        browser.catalog.focus()
        return
    if exists:
        browser.open_repository(namespace, repository)
        await browser.catalog.ensure_repositories(namespace)
        browser.catalog.select_repository(namespace, repository)
    else:
        browser.catalog.focus()
        where = scrub(label)
        browser.say(f"{scrub(namespace)}/{scrub(repository)} is not in {where}", timeout=5)
