"""Command palette: go to a namespace or repository by fuzzy name (the app adds copy, sort, time, theme)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Callable, cast

from rich.text import Text
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..formatting import counted
from ..safe_text import scrub

if TYPE_CHECKING:
    from .app import SwrApp

# A name that fuzzily matches a query as well as a command does ("export": "Export tags" and the
# repository "acme-dev/catalog-exporter" score the same) ranks below it when the query starts a word
# of a command's title: the user typed a command's name.
NAME_WEIGHT_FOR_COMMAND_WORDS = 0.5
HELP_TITLE = "Keys and help"


def names_a_command(query: str, titles: Iterable[str]) -> bool:
    """True when ``query`` is the start of a word of one of the command ``titles``."""
    word = query.strip().lower()
    return (
        bool(word)
        and " " not in word
        and any(part.startswith(word) for title in titles for part in title.lower().split())
    )


def with_our_help(
    commands: Iterable[SystemCommand], show_help: Callable[[], object]
) -> Iterator[SystemCommand]:
    """Textual's commands, but "Keys" (Textual's panel of the focused widget's bindings) gives way to
    the ? screen, under a title that "help" and "keys" both find."""
    for command in commands:
        if command.title != "Keys":
            yield command
    yield SystemCommand(HELP_TITLE, "Every key of swr-tui and what it does (?)", show_help)


def browser_commands(app: SwrApp) -> Iterator[SystemCommand]:
    """The palette's commands for the browsing keys, each with its key in the description."""
    yield SystemCommand(
        "Copy pull path", "Copy the highlighted tag's pull path", partial(app.action_copy, "path")
    )
    yield SystemCommand(
        "Copy internal pull path", "Copy the in-VPC pull path", partial(app.action_copy, "internal")
    )
    yield SystemCommand(
        "Copy digest", "Copy the highlighted tag's digest", partial(app.action_copy, "digest")
    )
    yield SystemCommand("Copy…", "Choose what to copy (repo@digest, docker pull…)", app.action_copy_menu)
    yield SystemCommand("Sort", "Newest first / oldest first", app.action_sort)
    yield SystemCommand("Time zone", "Show times in UTC or local time first", app.action_toggle_time)
    yield SystemCommand("Reload", "Reload the current view", app.action_reload)
    yield SystemCommand("Filter tags", "Filter tags by name on the server", app.action_filter)
    yield SystemCommand(
        "Same digest…",
        "Find every tag with the highlighted tag's digest, across the whole repository",
        app.action_digest_search,
    )
    yield SystemCommand(
        "Export tags", "Write this view's tags to CSV, TSV or JSON (ctrl+s)", app.action_export
    )
    yield SystemCommand("Mark for diff", "Mark the highlighted tag (space)", app.action_mark)
    yield SystemCommand(
        "Mark for diff across repositories",
        "Mark the highlighted tag and keep the mark when you open another repository",
        partial(app.action_mark, True),
    )
    yield SystemCommand(
        "Diff with marked tag", "Compare the highlighted tag with the marked one (=)", app.action_diff
    )
    yield SystemCommand(
        "Watch", "Poll this repository's newest tags now and then, or stop (w)", app.action_toggle_watch
    )
    yield SystemCommand(
        "Switch profile or region",
        "Connect to another config.toml profile or region without restarting (p)",
        app.action_switch_profile,
    )
    if app.commands:
        from .external import palette_commands

        yield from palette_commands(app)


def highlight(matcher: Matcher, query: str, candidate: str) -> Content:
    """Like ``Matcher.highlight``, which parses the candidate as markup; registry names are not markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GoToProvider(Provider):
    """Namespaces and every repository the sidebar has loaded; opening the palette loads the first
    page of each namespace's repositories, so most names are there to match."""

    async def startup(self) -> None:
        self.swr_app.catalog.preload()

    @property
    def swr_app(self) -> SwrApp:
        return cast("SwrApp", self.app)

    def _targets(self) -> list[tuple[str, str, object]]:
        targets: list[tuple[str, str, object]] = []
        for namespace in self.swr_app.catalog.namespaces:
            name = scrub(namespace.name)
            targets.append(
                (
                    f"namespace {name}",
                    f"{namespace.access} access",
                    partial(self.swr_app.go_to_namespace, namespace.name),
                )
            )
        for repo in self.swr_app.catalog.loaded_repositories():
            targets.append(
                (
                    f"repository {scrub(repo.full_name)}",
                    counted(repo.num_images, "tag"),
                    partial(self.swr_app.open_repository, repo.namespace, repo.name),
                )
            )
        return targets

    async def discover(self) -> Hits:
        for title, help_text, action in self._targets()[:40]:
            yield DiscoveryHit(Text(title), action, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        commands = self.swr_app.get_system_commands(self.screen)
        weight = NAME_WEIGHT_FOR_COMMAND_WORDS if names_a_command(query, (c.title for c in commands)) else 1.0
        for title, help_text, action in self._targets():
            score = matcher.match(title) * weight
            if score > 0:
                yield Hit(score, highlight(matcher, query, title), action, text=title, help=help_text)  # type: ignore[arg-type]
