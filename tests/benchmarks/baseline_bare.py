"""Issue 14's bare baseline: the Textual app a user's first frame is compared to, exactly as the issue
describes it: a Header, a Tree of 5 namespaces, a DataTable of 50 rows x 5 columns, a static pane
and a Footer; static data, no I/O. Kept apart from baseline_app.py (which grew to carry swr-tui's
first-screen widgets) so that neither moves the other's row.

Run as a script; it imports nothing but Textual.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static, Tree

NAMESPACES = ("acme", "acme-dev", "partners", "sandbox", "tools")
COLUMNS = ("Tag", "Updated", "Size", "Digest", "Type")
ROWS = 50
MARKER_TAG = "v2.4.1"  # the row the benchmark waits for, as it waits for swr-tui's


class BareApp(App[None]):
    CSS = """
    #tree { width: 30; }
    #pane { width: 40; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            tree: Tree[str] = Tree("registry", id="tree")
            tree.root.expand()
            for name in NAMESPACES:
                tree.root.add(name)
            yield tree
            yield DataTable(id="table", cursor_type="row")
            yield Static("Tag  latest\nManifest  OCI image manifest", id="pane")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for index in range(ROWS):
            tag = MARKER_TAG if index == 1 else f"v1.{index}.0"
            table.add_row(tag, f"{index + 2}d ago", f"{40 + index}.2 MB", f"sha256:{index:05x}ab", "image")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
