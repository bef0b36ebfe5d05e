"""Command palette: go to a namespace or repository by fuzzy name (the app adds copy, sort, time, theme)."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Callable, Optional, cast

from rich.text import Text
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..formatting import counted
from ..safe_text import scrub
from .actions import ACTIONS, BROWSER, Keymap

if TYPE_CHECKING:
    from .browsing import Browser

# A name that fuzzily matches a query as well as a command does ("export": "Export tags" and the
# repository "acme-dev/catalog-exporter" score the same) ranks below it when the query starts a word
# of a command's title: the user typed a command's name.
NAME_WEIGHT_FOR_COMMAND_WORDS = 0.5
HELP_TITLE = "Keys and help"
# Textual's fuzzy matcher costs ~15 us a name: 10,000 repositories took 150 ms a keystroke. Over this
# many names a C-speed pass (substring, then the query's characters in order, as the matcher needs)
# shortlists the SHORTLIST best, and only those are scored fuzzily (and only those reach the list).
FUZZY_ALL_UP_TO = 1_000
SHORTLIST = 200

Target = tuple[str, str, object]  # (title, help, action)


def names_a_command(query: str, titles: Iterable[str]) -> bool:
    """True when ``query`` is the start of a word of one of the command ``titles``."""
    word = query.strip().lower()
    return (
        bool(word)
        and " " not in word
        and any(part.startswith(word) for title in titles for part in title.lower().split())
    )


def shortlist(query: str, targets: Sequence[Target], limit: int = SHORTLIST) -> list[Target]:
    """The ``limit`` targets most likely to match ``query`` best: titles holding it as a substring
    (earliest and shortest first), then titles holding its characters in order."""
    folded = query.casefold().strip()
    if not folded:
        return list(targets[:limit])
    in_order = re.compile(".*?".join(re.escape(char) for char in folded if not char.isspace()))
    ranked: list[tuple[int, int, int, int]] = []
    for index, (title, _help, _action) in enumerate(targets):
        name = title.casefold()
        at = name.find(folded)
        if at >= 0:
            ranked.append((0, at, len(name), index))
        elif in_order.search(name):
            ranked.append((1, 0, len(name), index))
    return [targets[index] for *_rank, index in heapq.nsmallest(limit, ranked)]


def with_our_help(
    commands: Iterable[SystemCommand], show_help: Callable[[], object]
) -> Iterator[SystemCommand]:
    """Textual's commands, but "Keys" (Textual's panel of the focused widget's bindings) gives way to
    the ? screen, under a title that "help" and "keys" both find."""
    for command in commands:
        if command.title != "Keys":
            yield command
    yield SystemCommand(HELP_TITLE, "Every key of swr-tui and what it does (?)", show_help)


def browser_commands(browser: Browser, keymap: Keymap) -> Iterator[SystemCommand]:
    """The palette's commands for the browsing actions (the action registry's), each with its keys."""
    for action in ACTIONS:
        if action.palette and action.scope == BROWSER:
            # Run as the key would (the action string, arguments and all), once the palette has closed.
            run = partial(browser.call_later, browser.run_action, action.action)  # type: ignore[attr-defined]
            yield SystemCommand(action.palette, keymap.palette_description(action), run)
    if browser.commands:
        from .external import palette_commands

        yield from palette_commands(browser)


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

    _built_for: Optional[int] = None  # the sidebar's version the names were built from
    _built: list[Target] = []  # noqa: RUF012 (replaced, never changed in place)

    async def startup(self) -> None:
        self.browser.catalog.preload()

    @property
    def browser(self) -> Browser:
        """The browser screen the palette was opened on (the provider is that screen's)."""
        return cast("Browser", self.screen)

    def _targets(self) -> list[Target]:
        """Built once per palette and again only when the sidebar has loaded more names."""
        version = self.browser.catalog.version
        if self._built_for != version:
            self._built_for, self._built = version, self._build_targets()
        return self._built

    def _build_targets(self) -> list[Target]:
        targets: list[Target] = []
        for namespace in self.browser.catalog.namespaces:
            name = scrub(namespace.name)
            targets.append(
                (
                    f"namespace {name}",
                    f"{namespace.access} access",
                    partial(self.browser.go_to_namespace, namespace.name),
                )
            )
        # 10,000 repositories: no Repository made for each, and a repository's action stays its
        # (namespace, name) until it is a hit (plain tuples the garbage collector soon stops tracking).
        for repo in self.browser.catalog.loaded_entries():
            title = f"repository {scrub(f'{repo.namespace}/{repo.name}')}"
            targets.append((title, counted(repo.num_images, "tag"), (repo.namespace, repo.name)))
        for instance, repo in self.browser.catalog.instance_entries():
            where = scrub(instance.instance.name or instance.instance.id)
            title = f"repository {scrub(f'{repo.namespace}/{repo.name}')} in {where}"
            action = (repo.namespace, repo.name, repo.instance)
            targets.append((title, f"{counted(repo.num_images, 'tag')}, Enterprise Edition", action))
        return targets

    def _action(self, action: object) -> object:
        if isinstance(action, tuple):
            return partial(self.browser.open_repository, *action)
        return action

    async def discover(self) -> Hits:
        for title, help_text, action in self._targets()[:40]:
            yield DiscoveryHit(Text(title), self._action(action), help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        commands = self.app.get_system_commands(self.screen)
        weight = NAME_WEIGHT_FOR_COMMAND_WORDS if names_a_command(query, (c.title for c in commands)) else 1.0
        targets = self._targets()
        if len(targets) > FUZZY_ALL_UP_TO:
            targets = shortlist(query, targets)
        for title, help_text, action in targets:
            score = matcher.match(title) * weight
            if score > 0:
                hit = highlight(matcher, query, title)
                yield Hit(score, hit, self._action(action), text=title, help=help_text)  # type: ignore[arg-type]
