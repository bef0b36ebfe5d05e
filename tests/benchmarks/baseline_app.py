"""The cold-start baseline: a minimal Textual app with swr-tui's first-screen widgets (Header, Tree,
a hidden filter Input, a DataTable with the same 5 columns and 32 static rows, a status line, a
detail pane of a scrolling facts area over a line-based viewer, Footer) and static data.

Run as a script; it imports nothing but Textual, so it is the floor swr-tui's start is compared to.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Log, Static, Tree

TAGS = (
    "sha256-5f0c.sig", "latest", "v2.4.1", "v2.4.0", "v2.3.1", "dev-3f9c2ab", "v2.3.0", "v2.2.0",
    "v2.1.0", "v2.0.0", "v2.0.0-rc.1", "v1.6.1", "v1.6.0", "v1.5.1", "v1.5.0", "v1.4.2", "v1.4.1",
    "v1.4.0", "v1.3.2", "v1.3.1", "v1.3.0", "v1.2.2", "v1.2.1", "v1.2.0", "v1.1.2", "v1.1.1",
    "v1.1.0", "v1.0.2", "v1.0.1", "v1.0.0", "v0.9.1", "v0.9.0",
)  # fmt: skip
COLUMNS = ("Tag", "Updated", "Size", "Digest", "Type")


class BaselineApp(App[None]):
    CSS = """
    #tree { width: 30; }
    #detail { width: 40; }
    #filter { display: none; }
    #status { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            tree: Tree[str] = Tree("registry", id="tree")
            tree.root.expand()
            for name in ("acme", "acme-dev", "partners", "sandbox"):
                tree.root.add(name)
            yield tree
            with Vertical():
                yield Input(id="filter")
                yield DataTable(id="table", cursor_type="row")
                yield Static("acme/webapp · row 1 of 32 · newest first", id="status")
            with Vertical(id="detail"):
                with VerticalScroll():
                    yield Static("Tag  sha256-5f0c.sig", id="facts")
                    yield Static("Manifest  OCI image manifest", id="summary")
                yield Log(id="manifest")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for index, tag in enumerate(TAGS):
            table.add_row(tag, f"{index + 2}d ago", f"{40 + index}.2 MB", f"sha256:{index:05x}ab", "image")
        table.focus()
        self.query_one(Log).write_lines(["{", '  "schemaVersion": 2,', "}"])


if __name__ == "__main__":
    BaselineApp().run()
