"""Every tag of a repository that points at one digest: pages through the whole list, with progress.

The table only knows the pages the user has looked at; this screen reads every page (the tag
filter is not applied: the question is about the repository), then lists the matching tags.
``escape`` cancels the read and closes; ``r`` tries again after an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Callable, ClassVar, Optional

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ...formatting import short_digest
from ...safe_text import scrub
from ...swr.bulk import fetch_all_tags
from ...swr.client import SwrClient
from ...swr.cosign import signature_kind
from ...swr.errors import SwrError
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures

LISTED_LIMIT = 500  # matches shown; a digest behind more tags than this is not something to read


class DigestSearchScreen(ReportsWorkerFailures, ModalScreen[None]):
    """Reads every tag of ``query``'s repository and lists those whose digest is ``digest``."""

    DEFAULT_CSS = """
    DigestSearchScreen {
        align: center middle;
    }
    #digest-search {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #digest-search-title {
        margin-bottom: 1;
    }
    #digest-search-progress {
        margin-bottom: 1;
    }
    #digest-search-status {
        color: $text-muted;
    }
    #digest-search-status.-error {
        color: $text-error;
    }
    #digest-search-results {
        height: auto;
        max-height: 20;
        margin-top: 1;
    }
    #digest-search-footer {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Cancel / close"),
        Binding("r", "retry", "Retry", show=False),
    ]

    def __init__(
        self,
        client: SwrClient,
        query: TagQuery,
        digest: str,
        tag_name: str = "",
        read: Optional[Callable[[], Awaitable[tuple[list[str], int]]]] = None,
    ) -> None:
        """``read``: the matching names and how many tags there are, where one request tells (the
        Enterprise Edition's artifact lists its tags); else every page of the tag list is read."""
        super().__init__()
        self.client = client
        self.read = read
        self.tag_query = query
        self.digest = digest
        self.tag_name = tag_name
        self.progress: tuple[int, Optional[int]] = (0, None)
        self.matches: Optional[list[str]] = None  # every matching tag name, once the read is done
        self.error: Optional[str] = None

    def compose(self) -> ComposeResult:
        with Vertical(id="digest-search"):
            title = Text("Tags with digest ", style="bold")
            title.append(scrub(short_digest(self.digest, 19)) or "(none)", style="bold")
            title.append(f" in {scrub(self.tag_query.full_name)}")
            if self.tag_name:
                title.append(f"\n(the digest of {scrub(self.tag_name)})", style="dim")
            yield Static(title, id="digest-search-title")
            yield ProgressBar(total=None, show_eta=False, id="digest-search-progress")
            yield Static(Text("Reading the tag list…"), id="digest-search-status")
            with VerticalScroll(id="digest-search-results"):
                yield Static("", id="digest-search-list")
            yield Static(Text("escape closes (and stops the search)"), id="digest-search-footer")

    def on_mount(self) -> None:
        self._search()

    # -- the search ---------------------------------------------------------------------------

    def _search(self) -> None:
        self.matches, self.error, self.progress = None, None, (0, None)
        self.query_one("#digest-search-progress", ProgressBar).update(total=None, progress=0)
        status = self.query_one("#digest-search-status", Static)
        status.remove_class("-error")
        status.update(Text("Reading the tag list…"))
        self.query_one("#digest-search-list", Static).update("")
        if not self.digest:
            self._fail("This tag has no digest recorded, so there is nothing to search for.")
            return
        self.run_worker(self._run(), group="digest-search", exclusive=True, exit_on_error=False)

    async def _run(self) -> None:
        try:
            if self.read is not None:
                self._done(*await self.read())
                return
            tags = await fetch_all_tags(
                self.client,
                self.tag_query.namespace,
                self.tag_query.repository,
                order=self.tag_query.order,
                on_progress=self._progressed,
            )
        except asyncio.CancelledError:
            raise
        except SwrError as error:
            self._fail(f"{str(error).rstrip('.')}. Press r to try again or escape to close.")
            return
        except Exception as error:  # a bug must not take the app down
            self._fail(f"Unexpected error: {type(error).__name__}. Press r to try again or escape to close.")
            return
        self._done([tag.name for tag in tags if tag.digest == self.digest], len(tags))

    def _progressed(self, done: int, total: Optional[int]) -> None:
        self.progress = (done, total)
        self.query_one("#digest-search-progress", ProgressBar).update(total=total, progress=done)
        of = f" of {total:,}" if total is not None else ""
        self.query_one("#digest-search-status", Static).update(Text(f"Read {done:,}{of} tags…"))

    def _done(self, matches: list[str], total: int) -> None:
        self.matches = matches
        bar = self.query_one("#digest-search-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=max(total, 1))
        found = "1 tag" if len(matches) == 1 else f"{len(matches):,} tags"
        self.query_one("#digest-search-status", Static).update(
            Text(f"{found} of {total:,} point at this digest.")
        )
        listing = Text()
        for name in matches[:LISTED_LIMIT]:
            signed = signature_kind(name)
            style = "dim" if signed is not None else ("bold" if name == self.tag_name else "")
            listing.append(f"{scrub(name)}", style=style)
            if name == self.tag_name:
                listing.append("  (this tag)", style="dim")
            elif signed is not None:
                listing.append(f"  ({signed[0]})", style="dim")
            listing.append("\n")
        if len(matches) > LISTED_LIMIT:
            listing.append(f"… {len(matches) - LISTED_LIMIT:,} more\n", style="dim")
        listing.rstrip()
        self.query_one("#digest-search-list", Static).update(listing)

    def _fail(self, message: str) -> None:
        self.error = message
        status = self.query_one("#digest-search-status", Static)
        status.add_class("-error")
        status.update(Text(scrub(message)))

    # -- keys ---------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.workers.cancel_group(self, "digest-search")
        self.dismiss(None)

    def action_retry(self) -> None:
        if self.error is not None:
            self._search()
