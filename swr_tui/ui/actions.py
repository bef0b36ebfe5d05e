"""Every action of the app, declared once: its id, default keys, footer label, help row and palette entry.

The bindings of the app and of the browser screen, the ``?`` help table, the palette's browsing
commands and the keys a user command may not take are all made from ``ACTIONS``; a test holds the
README's key table to it. ``[keys]`` in config.toml rebinds an action by its id (``copy_path = "x"``),
through Textual's keymap: ``resolve_keymap`` checks what the user wrote first, so that a clash is
refused with a message naming both sides rather than one binding silently shadowing the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Optional

from textual.binding import Binding

from ..commands import key_label, normalize_key
from ..safe_text import scrub

APP = "app"  # bound on the app: every screen (help, diff, menus) has them
BROWSER = "browser"  # bound on the browser screen: over help or a diff they would act unseen


@dataclass(frozen=True)
class Action:
    id: str  # the Binding id and the name in config.toml's [keys]
    keys: str  # default keys, Textual names, comma-separated; "" for the palette only
    action: str  # what runs (a Textual action string)
    help: str  # the ? row
    where: str  # the ? row's "where"
    label: str = ""  # the footer's label
    show: bool = False  # in the footer
    scope: str = BROWSER
    palette: str = ""  # the palette's title ("" for none)
    palette_help: str = ""


ACTIONS: tuple[Action, ...] = (
    Action(
        "filter",
        "slash",
        "filter",
        "filter tags by name on the server",
        "tags",
        "Filter",
        True,
        palette="Filter tags",
        palette_help="Filter tags by name on the server",
    ),
    Action(
        "clear_filter",
        "escape",
        "clear_filter",
        "clear the filter; back to the tag list",
        "tags",
        "Clear filter",
    ),
    Action(
        "sort",
        "s",
        "sort",
        "sort by update time: newest / oldest first; the cursor stays on its tag",
        "tags",
        "Sort",
        True,
        palette="Sort",
        palette_help="Newest first / oldest first",
    ),
    Action(
        "reload",
        "r",
        "reload",
        "reload the current view (retry after an error)",
        "everywhere",
        "Reload",
        True,
        palette="Reload",
        palette_help="Reload the current view",
    ),
    Action(
        "copy_path",
        "c",
        "copy('path')",
        "copy the pull path of the highlighted tag",
        "everywhere",
        "Copy pull",
        True,
        palette="Copy pull path",
        palette_help="Copy the highlighted tag's pull path",
    ),
    Action(
        "copy_internal",
        "i",
        "copy('internal')",
        "copy the internal (in-VPC) pull path",
        "everywhere",
        "Copy internal",
        palette="Copy internal pull path",
        palette_help="Copy the in-VPC pull path",
    ),
    Action(
        "copy_digest",
        "d",
        "copy('digest')",
        "copy the digest",
        "everywhere",
        "Copy digest",
        palette="Copy digest",
        palette_help="Copy the highlighted tag's digest",
    ),
    Action(
        "copy_menu",
        "y",
        "copy_menu",
        "copy menu: path, internal path, digest, repo@digest, repo:tag@digest, docker pull",
        "everywhere",
        "Copy…",
        True,
        palette="Copy…",
        palette_help="Choose what to copy (repo@digest, docker pull…)",
    ),
    Action(
        "toggle_time",
        "t",
        "toggle_time",
        "times in UTC / local time first",
        "everywhere",
        "UTC/local",
        palette="Time zone",
        palette_help="Show times in UTC or local time first",
    ),
    Action(
        "history",
        "h",
        "history",
        "how the image was built: each step with its layer, like a Dockerfile",
        "tags",
        "History",
        palette="Image history",
        palette_help="How the highlighted image was built, step by step, with each step's layer",
    ),
    Action(
        "previous_platform",
        "left_square_bracket",
        "platform(-1)",
        "a manifest list: the previous platform's config and history",
        "tags",
        "Previous platform",
        palette="Previous platform",
        palette_help="Show the previous platform of the highlighted manifest list",
    ),
    Action(
        "next_platform",
        "right_square_bracket",
        "platform(1)",
        "a manifest list: the next platform's config and history",
        "tags",
        "Next platform",
        palette="Next platform",
        palette_help="Show the next platform of the highlighted manifest list",
    ),
    Action(
        "retention",
        "R",
        "retention",
        "retention: the rule, what it would delete in the whole repository, and its log",
        "tags",
        "Retention",
        palette="Retention…",
        palette_help="The retention rule, every tag it would delete, and the log of what it deleted",
    ),
    Action(
        "vulnerabilities",
        "v",
        "vulnerabilities",
        "Enterprise Edition: the highlighted tag's vulnerabilities, most severe first (/ filters, c copies)",
        "tags",
        "CVEs",
        palette="Vulnerabilities…",
        palette_help="The scan report of the highlighted Enterprise Edition tag: CVE, package, fix, severity",
    ),
    Action(
        "toggle_pulled",
        "P",
        "toggle_pulled",
        "the Pulled column: when each tag was last pulled (Enterprise Edition)",
        "tags",
        "Pulled",
        palette="Pulled column",
        palette_help="Show or hide when each tag was last pulled (Enterprise Edition)",
    ),
    Action(
        "toggle_artifacts",
        "A",
        "toggle_artifacts",
        "list an instance's repositories by artifact, untagged ones included, or by tag (Enterprise Edition)",
        "tags",
        "Artifacts",
        palette="Artifacts or tags",
        palette_help="One row per artifact, untagged ones included, or one row per tag (Enterprise Edition)",
    ),
    Action(
        "digest_search",
        "",
        "digest_search",
        "every tag with the highlighted tag's digest (all pages)",
        "tags",
        palette="Same digest…",
        palette_help="Find every tag with the highlighted tag's digest, across the whole repository",
    ),
    Action(
        "export",
        "ctrl+s",
        "export",
        "export this view's tags (sort and filter kept) to .csv, .tsv or .json",
        "tags",
        "Export",
        palette="Export tags",
        palette_help="Write this view's tags to CSV, TSV or JSON",
    ),
    Action(
        "mark",
        "space",
        "mark",
        "mark the highlighted tag for a diff, ⇄ on its row (again: unmark); another repository drops it",
        "tags",
        "Mark for diff",
        palette="Mark for diff",
        palette_help="Mark the highlighted tag",
    ),
    Action(
        "mark_across",
        "",
        "mark(True)",
        "mark for a diff, kept when you open another repository",
        "tags",
        palette="Mark for diff across repositories",
        palette_help="Mark the highlighted tag and keep the mark when you open another repository",
    ),
    Action(
        "diff",
        "equals_sign",
        "diff",
        "diff the highlighted tag with the marked one: layers, size, platforms, manifest",
        "tags",
        "Diff with mark",
        palette="Diff with marked tag",
        palette_help="Compare the highlighted tag with the marked one",
    ),
    Action(
        "watch",
        "w",
        "toggle_watch",
        "watch: poll the newest tags; new ones appear at the top and flash (again: stop)",
        "tags",
        "Watch",
        palette="Watch",
        palette_help="Poll this repository's newest tags now and then, or stop",
    ),
    Action(
        "switch_profile",
        "p",
        "switch_profile",
        "switch profile or region without restarting; the header shows the current one",
        "everywhere",
        "Profile",
        palette="Switch profile or region",
        palette_help="Connect to another config.toml profile or region without restarting",
    ),
    Action(
        "zoom",
        "z",
        "zoom",
        "zoom: the focused pane takes the whole screen (again: back)",
        "everywhere",
        "Zoom",
        True,
    ),
    Action("help", "question_mark", "help", "this help", "everywhere", "Keys", True, APP),
    Action("quit", "q", "quit", "quit", "everywhere", "Quit", True, APP),
)

BY_ID: Mapping[str, Action] = {action.id: action for action in ACTIONS}


class KeyHelp(NamedTuple):
    keys: str
    action: str
    where: str


# Keys the widgets and Textual own: documented on the ? screen, never rebound.
FIXED_HELP_BEFORE: tuple[KeyHelp, ...] = (
    KeyHelp("tab / shift+tab", "next / previous pane", "everywhere"),
    KeyHelp("↑ ↓ / k j", "move", "lists"),
    KeyHelp("pageup / pagedown", "move a screen", "lists"),
    KeyHelp("home / end (g / G)", "first / last tag (end jumps straight to the oldest)", "tags"),
    KeyHelp(
        "enter",
        "expand a namespace / open a repository / focus the manifest (a list: choose its platform first)",
        "everywhere",
    ),
    KeyHelp("escape", "back to the tag list", "details"),
)
FIXED_HELP_AFTER: tuple[KeyHelp, ...] = (
    KeyHelp(
        "your keys",
        "your commands from config.toml [commands.NAME], run on the tag; ctrl+p: Run NAME",
        "tags",
    ),
    KeyHelp(
        "◆ ● ▲", "marks tags that share a digest; the details list them; dim rows are signatures", "tags"
    ),
    KeyHelp(
        "ctrl+p",
        "command palette: go to a namespace or repository, copy, sort, same digest…, export, theme",
        "everywhere",
    ),
    KeyHelp("ctrl+c ctrl+c", "quit (the first press asks); with text selected it copies that", "everywhere"),
    KeyHelp("ctrl+q", "quit at once", "everywhere"),
)
# The keys behind those rows (Textual's names) and what they do: a rebinding may not take one.
FIXED_KEY_NAMES: Mapping[str, str] = {
    "tab": "next pane",
    "shift+tab": "previous pane",
    "enter": "open / select",
    "up": "move up",
    "k": "move up",
    "down": "move down",
    "j": "move down",
    "home": "first tag",
    "g": "first tag",
    "end": "last tag",
    "G": "last tag",
    "pageup": "page up",
    "pagedown": "page down",
    "ctrl+p": "command palette",
    "ctrl+q": "quit at once",
    "ctrl+c": "copy / quit",
    "super+c": "copy",  # Textual's copy, like ctrl+c
}
FIXED_KEYS: frozenset[str] = frozenset(FIXED_KEY_NAMES)
# A fixed key that already does what the action does: taking it too changes nothing ("q,ctrl+q").
SAME_AS_FIXED = {("quit", "ctrl+q")}


def split_keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def default_keys() -> frozenset[str]:
    """Every key an action has by default: with the fixed keys, what a user command may not take."""
    return frozenset(key for action in ACTIONS for key in split_keys(action.keys))


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, each with its action's id (the keymap's handle)."""
    return [
        Binding(action.keys, action.action, action.label or action.help, show=action.show, id=action.id)
        for action in ACTIONS
        if action.scope == scope and action.keys
    ]


def keys_shown(keys: str) -> str:
    """``slash,ctrl+x`` -> ``/ ctrl+x``: how a person reads an action's keys."""
    return " ".join(key_label(key) for key in split_keys(keys))


class Keymap:
    """The keys in effect: the defaults, with what [keys] rebound and the resolver accepted."""

    def __init__(self, rebound: Optional[Mapping[str, str]] = None) -> None:
        self.rebound: dict[str, str] = dict(rebound or {})

    def keys(self, action_id: str) -> str:
        return self.rebound.get(action_id, BY_ID[action_id].keys)

    def shown(self, action_id: str) -> str:
        return keys_shown(self.keys(action_id))

    def help_rows(self) -> list[KeyHelp]:
        rows = list(FIXED_HELP_BEFORE)
        rows.extend(KeyHelp(self.shown(a.id), a.help, a.where) for a in ACTIONS if self.keys(a.id))
        rows.extend(FIXED_HELP_AFTER)
        return rows

    def palette_description(self, action: Action) -> str:
        keys = self.shown(action.id)
        return f"{action.palette_help} ({keys})" if keys else action.palette_help


def _spelled(action_id: str, keys: str) -> str:
    return f'{scrub(action_id)} = "{scrub(keys)}"'


def resolve_keymap(
    written: Mapping[str, str], command_keys: Optional[Mapping[str, str]] = None
) -> tuple[Keymap, list[str]]:
    """Check ``[keys]`` as written (action id -> keys) against the actions, the fixed keys and the
    user commands' keys (key -> command name). What is refused keeps its default keys; each refusal is
    a message naming both sides of the clash."""
    messages: list[str] = []
    wanted: dict[str, list[str]] = {}
    for action_id, spelled in written.items():
        if action_id not in BY_ID:
            close = difflib.get_close_matches(action_id, list(BY_ID), n=1)
            hint = f" (did you mean {close[0]}?)" if close else f"; the ids are: {', '.join(BY_ID)}"
            messages.append(f"[keys] {scrub(action_id)} is no action{hint}")
            continue
        keys, refusal = _checked_keys(action_id, spelled, command_keys or {})
        if refusal is not None:
            default = keys_shown(BY_ID[action_id].keys)
            messages.append(f"[keys] {_spelled(action_id, spelled)}: {refusal}; it keeps {default}")
            continue
        wanted[action_id] = keys
    messages.extend(_drop_clashes(wanted, written))
    return Keymap({action_id: ",".join(keys) for action_id, keys in wanted.items()}), messages


def _checked_keys(
    action_id: str, spelled: str, command_keys: Mapping[str, str]
) -> tuple[list[str], Optional[str]]:
    """The keys as Textual names them, or why they cannot be had."""
    try:
        keys = list(dict.fromkeys(normalize_key(key) for key in split_keys(spelled)))
    except ValueError as error:
        return [], str(error)
    if not keys:
        return [], "it names no key"
    taken = [key for key in keys if (action_id, key) not in SAME_AS_FIXED]
    return keys, _fixed_or_command(taken, command_keys)


def _fixed_or_command(keys: Sequence[str], command_keys: Mapping[str, str]) -> Optional[str]:
    for key in keys:
        if key in FIXED_KEYS:
            return f"{key_label(key)} is taken ({FIXED_KEY_NAMES[key]})"
        if key in command_keys:
            return f"{key_label(key)} is your command {scrub(command_keys[key])}'s key"
    return None


def _drop_clashes(wanted: dict[str, list[str]], written: Mapping[str, str]) -> Iterable[str]:
    """Two actions on one key (both scopes meet on the browser screen): the rebinding(s) involved
    go back to their defaults, until no key has two actions."""
    while True:
        holders: dict[str, list[str]] = {}
        for action in ACTIONS:
            for key in wanted.get(action.id, split_keys(action.keys)):
                holders.setdefault(key, []).append(action.id)
        clash = next(((key, ids) for key, ids in holders.items() if len(ids) > 1), None)
        if clash is None:
            return
        key, ids = clash
        rebound = [action_id for action_id in ids if action_id in wanted]
        if not rebound:  # the defaults never clash (a test holds them to it)
            return
        for action_id in rebound:
            others = " and ".join(other for other in ids if other != action_id)
            yield (
                f"[keys] {_spelled(action_id, written[action_id])}: {key_label(key)} is also {others}'s key; "
                f"{action_id} keeps {keys_shown(BY_ID[action_id].keys)}"
            )
            del wanted[action_id]
