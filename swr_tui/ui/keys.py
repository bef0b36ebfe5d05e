"""Every key of the app in one table: the help screen shows it, a test checks it against the bindings."""

from __future__ import annotations

from typing import NamedTuple


class KeyHelp(NamedTuple):
    keys: str
    action: str
    where: str


KEYMAP: tuple[KeyHelp, ...] = (
    KeyHelp("tab / shift+tab", "next / previous pane", "everywhere"),
    KeyHelp("↑ ↓ / k j", "move", "lists"),
    KeyHelp("pageup / pagedown", "move a screen", "lists"),
    KeyHelp("home / end (g / G)", "first / last tag (end jumps straight to the oldest)", "tags"),
    KeyHelp("enter", "expand a namespace / open a repository / focus the manifest", "everywhere"),
    KeyHelp("/", "filter tags by name on the server; escape clears it", "tags"),
    KeyHelp("s", "sort by update time: newest / oldest first; the cursor stays on its tag", "tags"),
    KeyHelp("r", "reload the current view (retry after an error)", "everywhere"),
    KeyHelp("c", "copy the pull path of the highlighted tag", "everywhere"),
    KeyHelp("i", "copy the internal (in-VPC) pull path", "everywhere"),
    KeyHelp("d", "copy the digest", "everywhere"),
    KeyHelp(
        "y", "copy menu: path, internal path, digest, repo@digest, repo:tag@digest, docker pull", "everywhere"
    ),
    KeyHelp("t", "times in UTC / local time first", "everywhere"),
    KeyHelp("ctrl+s", "export this view's tags (sort and filter kept) to .csv, .tsv or .json", "tags"),
    KeyHelp(
        "space",
        "mark the highlighted tag for a diff, ⇄ on its row (again: unmark); another repository drops it",
        "tags",
    ),
    KeyHelp("=", "diff the highlighted tag with the marked one: layers, size, platforms, manifest", "tags"),
    KeyHelp("w", "watch: poll the newest tags; new ones appear at the top and flash (again: stop)", "tags"),
    KeyHelp(
        "p", "switch profile or region without restarting; the header shows the current one", "everywhere"
    ),
    KeyHelp(
        "your keys",
        "your commands from config.toml [commands.NAME], run on the tag; ctrl+p: Run NAME",
        "tags",
    ),
    KeyHelp("escape", "back to the tag list", "details"),
    KeyHelp(
        "◆ ● ▲", "marks tags that share a digest; the details list them; dim rows are signatures", "tags"
    ),
    KeyHelp("z", "zoom: the focused pane takes the whole screen (again: back)", "everywhere"),
    KeyHelp("?", "this help", "everywhere"),
    KeyHelp(
        "ctrl+p",
        "command palette: go to a namespace or repository, copy, sort, same digest…, export, theme",
        "everywhere",
    ),
    KeyHelp("q", "quit", "everywhere"),
    KeyHelp("ctrl+c ctrl+c", "quit (the first press asks); with text selected it copies that", "everywhere"),
)
