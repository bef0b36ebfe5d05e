"""What the browser screen offers the helpers that act on it (the watch, the browsing actions, the
external commands, the palette): they depend on this description, the screen implements it, so the
screen can import them without an import cycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol

from textual.app import App

from ..swr.image_config import ImageConfig
from ..swr.models import Tag
from .source import RegistrySource
from .table_state import DiffMark
from .tag_facts import CopyChoice

if TYPE_CHECKING:
    from ..commands import ExternalCommand
    from .widgets.catalog import CatalogTree
    from .widgets.tag_table import TagTable

# Runs a user command in the terminal: (argv, command) -> exit status, or None when it did not run.
CommandRunner = Callable[[Sequence[str], "ExternalCommand"], Optional[int]]


class Browser(Protocol):
    source: RegistrySource
    page_size: int
    watch_interval_s: float
    commands: tuple[ExternalCommand, ...]

    @property
    def app(self) -> App[Any]: ...

    @property
    def table(self) -> TagTable: ...

    @property
    def catalog(self) -> CatalogTree: ...

    @property
    def marked(self) -> Optional[DiffMark]: ...

    def clock(self) -> datetime: ...

    def say(self, message: str, **options: Any) -> None: ...

    def refresh_status(self) -> None: ...

    def copy_choice(self, choice: CopyChoice) -> None: ...

    def open_repository(self, namespace: str, repository: str, instance: str = "") -> None: ...

    def go_to_namespace(self, namespace: str) -> object: ...

    def open_diff(self, title: str, left: Tag, right: Tag) -> object: ...

    def run_command_line(self, argv: Sequence[str], command: ExternalCommand) -> Optional[int]: ...

    def image_config(self) -> Optional[ImageConfig]: ...
