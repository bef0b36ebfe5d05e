"""Command palette: go to a namespace or repository by fuzzy name (the app adds copy, sort, time, theme)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..safe_text import scrub

if TYPE_CHECKING:
    from .app import SwrApp


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
        self.swr_app.preload_catalog()

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
                    f"{repo.num_images} tags",
                    partial(self.swr_app.open_repository, repo.namespace, repo.name),
                )
            )
        return targets

    async def discover(self) -> Hits:
        for title, help_text, action in self._targets()[:40]:
            yield DiscoveryHit(Text(title), action, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._targets():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlight(matcher, query, title), action, text=title, help=help_text)  # type: ignore[arg-type]
