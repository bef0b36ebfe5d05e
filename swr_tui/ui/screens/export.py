"""``ctrl+s``: write every tag of the current listing (its sort and filter) to a CSV, JSON or TSV file.

The pages come through ``stream_tags`` and into the file through ``export.TagWriter`` as they arrive
(``export_tags_file``): the same code path as ``swr-tui tags --all --output FORMAT``, in constant
memory. The folder of the last export is offered again for the rest of the session.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import ClassVar, Optional

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker

from ...export import FILE_FORMATS, export_format, export_tags_file
from ...private_files import check_destination, describe_os_error
from ...safe_text import scrub
from ...swr.bulk import DEFAULT_CONCURRENCY, Fetch
from ...swr.client import SwrClient
from ...swr.errors import SwrError
from ...swr.models import Tag
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def default_file_name(query: TagQuery) -> str:
    """``acme/team/app`` -> ``acme_team_app-tags.csv`` (registry names are not trusted as paths)."""
    stem = _UNSAFE_FILE_CHARS.sub("_", query.full_name).lstrip(".") or "repository"
    return f"{stem}-tags.csv"


class ExportScreen(ReportsWorkerFailures, ModalScreen[Optional[str]]):
    """Dismissed with the path written, or None when closed without exporting.

    ``exported_count`` holds the number of tags written once it succeeded.
    """

    # Where the last export of this session went: offered again when no folder is given.
    last_folder: ClassVar[Optional[Path]] = None

    # Styled here rather than in app.tcss, which others are editing at the same time.
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    ExportScreen #export-dialog {
        width: 90;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: thick $accent;
        background: $surface;
    }
    ExportScreen #export-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ExportScreen #export-path {
        margin: 1 0 0 0;
    }
    ExportScreen #export-hint {
        color: $text-muted;
    }
    ExportScreen #export-progress {
        margin-top: 1;
        display: none;
    }
    ExportScreen #export-progress.-running {
        display: block;
    }
    ExportScreen #export-message {
        margin-top: 1;
        height: auto;
    }
    ExportScreen #export-message.-error {
        color: $error;
    }
    ExportScreen #export-message.-warning {
        color: $warning;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        client: SwrClient,
        query: TagQuery,
        default_dir: Optional[Path] = None,
        *,
        total: Optional[int] = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        pages: Optional[tuple[Fetch[Tag], int]] = None,
    ) -> None:
        """``pages``: the listing's own pages and their size, where the basic edition's tag list
        does not serve it (an Enterprise Edition instance's)."""
        super().__init__()
        self.client = client
        self.pages = pages
        self.tag_query = query  # not ``query``: Screen.query() finds widgets
        if default_dir is None:
            default_dir = ExportScreen.last_folder or Path.cwd()
        self.default_dir = default_dir
        self.total = total
        self.concurrency = concurrency
        self.exported_count: Optional[int] = None
        self.message = ""  # what the message line says, for people and tests
        self._worker: Optional[Worker[None]] = None
        self._confirmed_overwrite: Optional[str] = None

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(Text("Export tags"), id="export-title")
            yield Static(self.describe(), id="export-what")
            yield Input(str(self.default_dir / default_file_name(self.tag_query)), id="export-path")
            formats = ", ".join(f".{fmt}" for fmt in sorted(FILE_FORMATS))
            hint = f"enter export · escape cancel · the extension picks the format ({formats})"
            yield Static(Text(hint), id="export-hint")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static(id="export-message")

    def describe(self) -> Text:
        query = self.tag_query
        text = Text("Every tag of ")
        text.append(scrub(query.full_name), style="bold")
        text.append(f", {query.order_label}")
        if query.tag_filter:
            text.append(", names containing ")
            text.append(scrub(query.tag_filter), style="bold")
        if self.total is not None:
            text.append(f" ({self.total:,} tag{'' if self.total == 1 else 's'})")
        return text

    # -- state --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    @property
    def path(self) -> str:
        """The typed path: ``~`` expanded, relative to ``default_dir``."""
        typed = os.path.expanduser(self.query_one("#export-path", Input).value.strip())
        return str(self.default_dir / typed) if typed else ""

    def say(self, message: str, kind: str = "") -> None:
        self.message = message
        line = self.query_one("#export-message", Static)
        line.set_class(kind == "error", "-error")
        line.set_class(kind == "warning", "-warning")
        line.update(Text(scrub(message)))

    def _set_running(self, running: bool) -> None:
        path_input = self.query_one("#export-path", Input)
        path_input.disabled = running
        self.query_one("#export-progress", ProgressBar).set_class(running, "-running")
        if not running:
            path_input.focus()

    def _stopped(self, message: str, kind: str) -> None:
        self._set_running(False)
        self.say(message, kind)

    # -- events -------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._confirmed_overwrite is not None and self.path != self._confirmed_overwrite:
            self._confirmed_overwrite = None
            self.say("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running:
            return
        path = self.path
        if not path:
            self.say("Type the path of the file to write", "error")
            return
        try:
            fmt = export_format(path)
            check_destination(path)
        except ValueError as error:
            self.say(str(error), "error")
            return
        except OSError as error:
            self.say(describe_os_error(error, path), "error")
            return
        if os.path.lexists(path) and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            self.say(f"{path} already exists: press enter again to replace it, or change the name", "warning")
            return
        self._confirmed_overwrite = None
        self.start(path, fmt)

    def start(self, path: str, fmt: str) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self._set_running(True)
        self.say(f"Exporting the tags of {self.tag_query.full_name}…")
        self._worker = self.run_worker(
            self._export(path, fmt), group="export", exclusive=True, exit_on_error=False
        )

    def action_cancel(self) -> None:
        if self.running:
            assert self._worker is not None
            self._worker.cancel()  # _write removes its temporary file on the way out
            self._stopped("Export cancelled", "warning")
        else:
            self.dismiss(None)

    # -- work ---------------------------------------------------------------------------------

    def _progress(self, done: int, total: Optional[int]) -> None:
        """Tags written so far, as they are written (``12,000 of 100,000``)."""
        self.query_one("#export-progress", ProgressBar).update(total=total, progress=done)
        name = self.tag_query.full_name
        count = f"{done:,} of {total:,}" if total is not None else f"{done:,}"
        self.say(f"Exporting the tags of {name}: {count} written…")

    async def _export(self, path: str, fmt: str) -> None:
        query = self.tag_query
        try:
            count = await export_tags_file(
                self.client,
                query.namespace,
                query.repository,
                path,
                fmt,
                order=query.order,
                tag=query.tag_filter or None,
                concurrency=self.concurrency,
                on_progress=self._progress,
                in_thread=True,
                pages=self.pages,
            )
        except SwrError as error:
            self._stopped(f"{error} (nothing was written)", "error")
            return
        except OSError as error:
            self._stopped(describe_os_error(error, path), "error")
            return
        except Exception as error:  # the dialog reports every failure; the app stays up
            said = str(error) or type(error).__name__
            self._stopped(f"The export failed: {said} (nothing was written)", "error")
            return
        self.exported_count = count
        ExportScreen.last_folder = Path(path).parent
        self.dismiss(path)
