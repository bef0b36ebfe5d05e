"""The cold-start baseline: a minimal Textual app shaped like swr-tui's first screen (Header, Tree,
a DataTable with the same 5 columns and 32 static rows, a Static detail pane, Footer).

Run as a script; it imports nothing but Textual, so it is the floor swr-tui's start is compared to.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static, Tree

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
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            tree: Tree[str] = Tree("registry", id="tree")
            tree.root.expand()
            for name in ("acme", "acme-dev", "partners", "sandbox"):
                tree.root.add(name)
            yield tree
            yield DataTable(id="table", cursor_type="row")
            yield Static("No tag highlighted.", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for index, tag in enumerate(TAGS):
            table.add_row(tag, f"{index + 2}d ago", f"{40 + index}.2 MB", f"sha256:{index:05x}ab", "image")
        table.focus()


if __name__ == "__main__":
    BaselineApp().run()
