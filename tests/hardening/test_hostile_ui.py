"""Hostile registry data in the TUI (issue #4): every corpus string renders literally and visibly,
as escapes where it holds controls, never as markup, and the app keeps running.

Each test drives SwrApp with Pilot on ``HostileRegistry`` and looks at what the widgets render
(``Widget.render_lines``: the strips the compositor would write): each corpus string's safe form
must be there, and no segment may hold ESC, a C0/C1 control, a bidi control, a line separator or a
lone surrogate, nor a live link or click action from the data.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import (
    BROKEN_NAMESPACE,
    BY_NAME,
    COMBINED_MESSAGE,
    CORPUS,
    DOT_REPOS,
    ERROR_CODE_REPO,
    ERRORS_NAMESPACE,
    FIELDS_REPO,
    HOSTILE_CODE,
    HOSTILE_NAMESPACE,
    MANIFEST_KINDS,
    NAMESPACE_REPO,
    TAGS_REPO,
    Hostile,
    error_repository,
)
from swr_tui.safe_text import scrub
from swr_tui.swr.manifest import KIND_LABELS
from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.catalog import ProblemEntry, RepositoryEntry, SharedEntry
from swr_tui.ui.widgets.json_view import ManifestView
from swr_tui.ui.widgets.tag_table import TagTable

from .hostile_kit import (
    HostileUI,
    Start,
    clip,
    find,
    json_shown,
    make_start,
    screen_strips,
    texts,
    unsafe_segments,
    view_strips,
    widget_strips,
)

# Repositories of the hostile namespace that are not named with a corpus string.
PLAIN_REPOS = {"big", "descriptions", FIELDS_REPO, TAGS_REPO, *DOT_REPOS}
# The fake's manifest kinds -> the summary's.
SUMMARY_KIND = {"docker": "docker-v2", "oci": "oci-manifest", "docker-list": "docker-manifest-list"}


@pytest.fixture
def start() -> Start:
    return make_start(HostileRegistry(seed=0))


def tree_lines(ui: HostileUI) -> list[str]:
    return texts(widget_strips(ui.app.catalog))


def table_lines(ui: HostileUI) -> list[str]:
    return texts(widget_strips(ui.app.table))


def manifest_view(ui: HostileUI) -> ManifestView:
    return ui.app.browser.query_one("#detail-manifest", ManifestView)


def tag_line(ui: HostileUI) -> str:
    """The table line under the cursor (the header is line 0)."""
    table = ui.app.table
    return table.render_line(table.cursor_row - int(table.scroll_offset.y) + 1).text


def clipboard_writes(ui: HostileUI) -> list[str]:
    """OSC 52 writes; anything else the app wrote (Textual's OSC 22 pointer shape) holds no data."""
    for data in ui.written:
        assert not any(raw.decode("utf-8", "replace") in data for entry in CORPUS for raw in entry.raw), data
    return [data for data in ui.written if data.startswith("\x1b]52;")]


def assert_shown(where: str, lines: list[str], needle: str) -> None:
    assert find(lines, needle) is not None, f"{needle!r} not rendered in the {where}"


# The longest walks over the corpus take 8-13 s alone and over 75 s on a loaded 2-core machine:
# past the suite's 60 s limit for a hang, which they are not.
LONG_WALK = pytest.mark.timeout(180)


def assert_listed(lines: list[str], shown: str) -> None:
    """A name too long for the sidebar is cut with '…' (its access kept): what is drawn of it must
    be its start, escaped the same way, and not a short one."""
    for line in lines:
        drawn = line.lstrip("▶▼ ").partition("…")[0]
        if shown in line or (len(drawn) >= 10 and shown.startswith(drawn)):
            return
    raise AssertionError(f"{shown!r} not rendered in the sidebar")


async def test_every_corpus_namespace_is_listed_literally(start: Start) -> None:
    async with start() as ui:
        assert set(ui.namespace_names()) >= {entry.text for entry in CORPUS}
        lines = tree_lines(ui)
        for entry in CORPUS:
            assert_listed(lines, entry.shown)
        ui.assert_screen_safe()


async def test_shared_repositories_from_a_hostile_account(start: Start) -> None:
    async with start() as ui:
        shared = next(node for node in ui.app.catalog.root.children if isinstance(node.data, SharedEntry))
        ui.app.catalog.move_cursor(shared)
        await ui.press("enter")
        labels = [str(child.label) for child in shared.children]
        expected = scrub(f"{BY_NAME['osc0-title'].text}/{BY_NAME['markup-click'].text}")
        assert any(label.startswith(expected) for label in labels), labels
        assert_shown("sidebar", tree_lines(ui), expected[:20])
        ui.assert_screen_safe()


@LONG_WALK
async def test_hostile_repositories_open_one_after_another(start: Start) -> None:
    """enter expands the namespace; each repository shows in the sidebar and opens (the first few
    with enter, shift+tab and down; the rest as choosing them does, to keep the test short)."""
    async with start() as ui:
        ui.app.catalog.move_cursor(ui.namespace_node(HOSTILE_NAMESPACE))
        await ui.press("enter")
        children = list(ui.namespace_node(HOSTILE_NAMESPACE).children)
        repos = [child.data.repository for child in children if isinstance(child.data, RepositoryEntry)]
        by_text = {entry.text: entry for entry in CORPUS}
        named = [repo for repo in repos if repo.name in by_text]
        assert {repo.name for repo in repos} - {repo.name for repo in named} == PLAIN_REPOS
        assert len(named) == sum(1 for entry in CORPUS if entry.in_url and entry.in_repo_name)

        await ui.press("down")
        for repo in repos[:3]:
            assert ui.app.catalog.cursor_node.data.repository == repo
            if repo.name in by_text:
                await ui.press("enter")
                assert isinstance(ui.app.focused, TagTable)
                assert ui.app.table.query.repository == repo.name
                await ui.press("shift+tab")
                assert ui.app.focused is ui.app.catalog
            await ui.press("down")

        for child in children:
            repo = child.data.repository
            if repo.name not in by_text:
                continue
            entry = by_text[repo.name]
            ui.app.catalog.move_cursor(child)
            ui.app.open_repository(HOSTILE_NAMESPACE, repo.name)
            await ui.settle()
            assert_shown("sidebar", tree_lines(ui), entry.shown)
            assert ui.app.table.total == 1, ui.status
            assert entry.shown in tag_line(ui)
            assert entry.shown in ui.facts_text()
            assert scrub(f"{HOSTILE_NAMESPACE}/{repo.name}") in ui.status
            ui.assert_screen_safe()
        assert ui.notes == []  # no repository failed to open


@LONG_WALK
async def test_every_corpus_namespace_opens_its_repository(start: Start) -> None:
    async with start() as ui:
        for entry in CORPUS:
            if not entry.in_url:
                continue
            ui.app.open_repository(entry.text, NAMESPACE_REPO)
            await ui.settle()
            assert ui.app.table.total == 1, (entry.name, ui.status)
            assert entry.shown in tag_line(ui)
            assert scrub(entry.text)[:20] in ui.status
            strips = ui.assert_screen_safe()
            assert_shown("detail pane", texts(strips), json_shown(entry.text)[:20])
        assert ui.notes == []


def detail_needles(entry: Hostile, kind: str) -> tuple[list[str], list[str]]:
    """What the summary and the manifest viewer must show of ``entry`` in a manifest of ``kind``."""
    summary = [] if kind in ("invalid", "empty") else [entry.shown]
    if kind == "invalid":
        # Not JSON: shown as raw text, so a newline in it starts a new line of the viewer.
        viewer = [scrub(entry.text.split("\n")[0])[:20]]
    elif kind == "empty":
        viewer = []
    else:
        viewer = [json_shown(entry.text)[:20]]
    return summary, viewer


@LONG_WALK
async def test_every_tag_renders_as_the_cursor_moves_over_it(start: Start) -> None:
    async with start(repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        table = ui.app.table
        total = table.total
        assert total == len(CORPUS) + len(MANIFEST_KINDS) + 1
        lines = table_lines(ui)
        for entry in CORPUS:
            assert_shown("tag table", lines, entry.shown)

        for row, entry in enumerate(CORPUS):
            if row:
                await ui.press("down")
            assert table.cursor_row == row
            tag = table.highlighted_tag
            assert tag is not None
            assert tag.name == entry.text
            kind = MANIFEST_KINDS[row % len(MANIFEST_KINDS)]
            summary = ui.app.detail.summary
            assert summary is not None
            assert summary.kind_label == KIND_LABELS[SUMMARY_KIND.get(kind, kind)]
            assert entry.shown in tag_line(ui)
            assert entry.shown in ui.facts_text()
            summary_needles, viewer_needles = detail_needles(entry, kind)
            summary_text = ui.summary_text()
            for needle in summary_needles:
                assert needle in summary_text, (entry.name, kind, needle)
            strips = view_strips(manifest_view(ui))
            assert unsafe_segments(strips) == [], entry.name
            for needle in viewer_needles:
                assert_shown(f"manifest viewer ({entry.name}, {kind})", texts(strips), needle)
            ui.assert_screen_safe()
        assert ui.notes == []


async def test_each_manifest_kind_carrying_every_corpus_string(start: Start) -> None:
    async with start(repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        rows = [ui.app.table.cache.row(index) for index in range(ui.app.table.total)]
        for kind in MANIFEST_KINDS:
            ui.app.table.cursor_row = next(i for i, tag in enumerate(rows) if tag.name == f"kind-{kind}")
            await ui.settle()
            summary = ui.app.detail.summary
            assert summary is not None
            label = KIND_LABELS[SUMMARY_KIND.get(kind, kind)]
            assert summary.kind_label == label
            summary_text = ui.summary_text()
            assert label in summary_text
            strips = view_strips(manifest_view(ui))
            assert unsafe_segments(strips) == [], kind
            viewer = texts(strips)
            for entry in CORPUS:
                _, viewer_needles = detail_needles(entry, kind)
                for needle in viewer_needles:
                    assert_shown(f"manifest viewer ({kind})", viewer, needle)
            for needle in kind_summary_needles(kind, summary_text):
                assert needle in summary_text, (kind, needle)
            ui.assert_screen_safe()
            if kind in ("docker", "invalid"):  # into the pane with enter, to its end, back with escape
                await ui.press("enter")
                assert ui.app.focused is manifest_view(ui)
                await ui.press("end", "pagedown")
                ui.assert_screen_safe()
                await ui.press("escape")
                assert isinstance(ui.app.focused, TagTable)


def kind_summary_needles(kind: str, summary_text: str) -> list[str]:
    """What the summary of a manifest carrying the whole corpus shows of it: every platform of a
    list; the first 20 annotations of an image; the first string in schema 1 and unknown fields."""
    if kind in ("docker-list", "oci-index"):
        return [entry.shown for entry in CORPUS]
    if kind in ("docker", "oci"):
        shown = [entry for entry in CORPUS if f"org.hostile.{entry.name}=" in summary_text]
        assert len(shown) >= 10, summary_text
        return [entry.shown for entry in shown]
    if kind in ("schema1", "unknown"):
        return [CORPUS[0].shown]
    return []


async def test_copy_menu_and_copy_keys_on_hostile_tags(start: Start) -> None:
    async with start(repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        osc52 = BY_NAME["osc52"]
        tag = ui.app.table.highlighted_tag
        assert tag is not None
        assert tag.name == osc52.text
        ui.written.clear()

        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        lines = texts(ui.assert_screen_safe())
        assert_shown("copy menu", lines, f"Copy from {osc52.shown}")
        assert_shown("copy menu", lines, scrub(tag.path)[:60])
        await ui.press("1")
        assert not isinstance(ui.app.screen, CopyMenu)
        # An escape sequence is no image reference: refused, said escaped, nothing reaches the
        # clipboard (tests/hardening/test_hostile_fields.py covers every copy key and entry).
        assert ui.app.clipboard == ""
        assert clipboard_writes(ui) == []
        assert ui.notes[-1].title == "Not copied"
        assert any(scrub(tag.path)[:60] in text for text in ui.toast_texts())
        ui.assert_screen_safe()

        # A tag whose digest is itself an escape sequence.
        rows = [ui.app.table.cache.row(index) for index in range(ui.app.table.total)]
        ui.app.table.cursor_row = next(i for i, row in enumerate(rows) if row.name == "hostile-digest")
        await ui.settle()
        ui.written.clear()
        await ui.press("d")
        digest = ui.app.table.highlighted_tag.digest
        assert osc52.text in digest
        assert clipboard_writes(ui) == []
        assert_shown("tag table", [tag_line(ui)], scrub(digest.partition(":")[2])[:10])  # short form
        assert any(scrub(digest)[:60] in text for text in ui.toast_texts())
        ui.assert_screen_safe()


async def test_help_and_palette_with_hostile_names(start: Start) -> None:
    async with start() as ui:
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        ui.assert_screen_safe()
        await ui.press("escape")

        await ui.press("ctrl+p")
        assert isinstance(ui.app.screen, CommandPalette)
        await ui.settle()  # the palette loads each namespace's first page of repositories
        link = BY_NAME["markup-link"].text
        await ui.pilot.press(*"PWNED-LINK")

        def hits() -> list[str]:
            return [str(option.prompt) for option in ui.app.screen.query_one("CommandList").options]

        await ui.wait_until(lambda: any(f"repository {HOSTILE_NAMESPACE}/{link}" in hit for hit in hits()))
        lines = texts(ui.assert_screen_safe())
        assert_shown("palette", lines, f"{HOSTILE_NAMESPACE}/{link}"[:40])
        # The best hit is the repository named with the markup string; enter opens it.
        for _ in range(len(hits())):
            highlighted = ui.app.screen.query_one("CommandList").highlighted_option
            if str(highlighted.prompt).startswith(f"repository {HOSTILE_NAMESPACE}/{link}"):
                break
            await ui.press("down")
        await ui.press("enter")
        assert not isinstance(ui.app.screen, CommandPalette)
        assert ui.app.table.query.repository == link
        assert ui.app.table.total == 1
        ui.assert_screen_safe()

        # A hostile query typed into the palette is no more markup than hostile data.
        await ui.press("ctrl+p")
        await ui.pilot.press(*"[/]$a[@")
        await ui.wait_until(lambda: len(hits()) > 0)
        ui.assert_screen_safe()
        await ui.press("escape")
        assert ui.app.is_running


async def test_hostile_error_messages_toast_literally(start: Start) -> None:
    async with start() as ui:
        for entry in CORPUS:
            ui.notes.clear()
            ui.app.clear_notifications()
            ui.app.open_repository(ERRORS_NAMESPACE, error_repository(entry))
            await ui.settle()
            needle = scrub(clip(entry.text))[:20]
            assert len(ui.notes) == 1, entry.name
            note = ui.notes[0]
            assert (note.title, note.severity) == ("Registry error", "error")
            assert needle in note.message
            assert any(needle in text for text in ui.toast_texts()), entry.name
            assert needle in ui.status
            assert_shown("tag table", table_lines(ui), needle)
            strips = screen_strips(ui.app)
            assert unsafe_segments(strips) == [], entry.name

        ui.notes.clear()
        ui.app.clear_notifications()
        ui.app.open_repository(ERRORS_NAMESPACE, ERROR_CODE_REPO)
        await ui.settle()
        text = ui.toast_texts()[-1]
        assert scrub(HOSTILE_CODE) in text
        assert scrub(clip(COMBINED_MESSAGE))[:60] in text
        ui.assert_screen_safe()


async def test_a_hostile_error_while_listing_repositories(start: Start) -> None:
    async with start() as ui:
        node = ui.namespace_node(BROKEN_NAMESPACE)
        ui.app.catalog.move_cursor(node)
        await ui.press("enter")
        problems = [child for child in node.children if isinstance(child.data, ProblemEntry)]
        assert len(problems) == 1
        label = str(problems[0].label)
        assert scrub(clip(COMBINED_MESSAGE)) in label
        assert scrub(HOSTILE_CODE) in label
        assert any(scrub(clip(COMBINED_MESSAGE))[:40] in text for text in ui.toast_texts())
        ui.assert_screen_safe()
        await ui.press("r")  # retry: fails the same way, still no crash
        ui.assert_screen_safe()


async def test_zero_width_characters_are_visible(start: Start) -> None:
    async with start(repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        entry = BY_NAME["zero-width"]
        ui.app.table.cursor_row = CORPUS.index(entry)
        await ui.settle()
        line = tag_line(ui)
        assert "PWNED" in line
        for char in "\u200b\u200d\u2060\ufeff":
            assert char not in line
            assert f"\\u{ord(char):04x}" in line


async def test_a_namespace_that_cannot_be_encoded_gets_a_clear_error(start: Start) -> None:
    async with start() as ui:
        node = ui.namespace_node(BY_NAME["lone-surrogate"].text)
        ui.app.catalog.move_cursor(node)
        await ui.press("enter")
        ui.assert_screen_safe()
        problems = [str(child.label) for child in node.children if isinstance(child.data, ProblemEntry)]
        assert len(problems) == 1
        assert "Unexpected error" not in problems[0], problems[0]


@pytest.mark.parametrize("name", DOT_REPOS)
async def test_dot_named_repositories_list_their_tags(start: Start, name: str) -> None:
    async with start() as ui:
        ui.app.open_repository(HOSTILE_NAMESPACE, name)
        await ui.settle()
        assert ui.notes == [], ui.notes
        assert ui.app.table.total == 1
        assert ui.app.table.highlighted_tag.name == f"dot-{len(name)}"
