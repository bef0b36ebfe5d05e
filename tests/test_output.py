"""The headless writers on hostile data: terminal escapes, C1 controls and bidi overrides in names come
out as visible escapes in table/tsv/csv and as \\u escapes in JSON (which stays valid and round-trips);
the table fits a width in terminal cells, double-width characters included."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from swr_tui import output
from swr_tui.output import (
    NAMESPACE_COLUMNS,
    REPOSITORY_COLUMNS,
    TAG_COLUMNS,
    namespace_record,
    repository_record,
    spreadsheet_safe,
    write_items,
    write_table,
)
from swr_tui.safe_text import scrub
from swr_tui.swr.models import Namespace, Repository, Tag

# Anything a terminal could act on or that could reorder text; newlines are checked separately.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]"
)

HOSTILE = {
    "csi-colour": ("red\x1b[31mALERT\x1b[0m", "red\\x1b[31mALERT\\x1b[0m"),
    "osc52-clipboard": ("v1\x1b]52;c;ZWNobyBwd25lZA==\x07", "v1\\x1b]52;c;ZWNobyBwd25lZA==\\x07"),
    "c1-csi": ("v2\x9b2J", "v2\\x9b2J"),
    "c1-osc-st": ("\x9d0;title\x9c", "\\x9d0;title\\x9c"),
    "bidi-override": ("v3\u202egnp.exe", "v3\\u202egnp.exe"),
    "bidi-isolate": ("\u2067evil\u2069", "\\u2067evil\\u2069"),
    "newline": ("v4\nFAKE ROW", "v4\\nFAKE ROW"),
    "carriage-return": ("v5\rOVER", "v5\\rOVER"),
    "tab": ("v6\tcol", "v6\\tcol"),
    "nul-del": ("v7\x00\x7f", "v7\\x00\\x7f"),
    "line-separator": ("v8\u2028x", "v8\\u2028x"),
    "lone-surrogate": ("v9\ud800", "v9\\ud800"),
}
CASES = [pytest.param(name, shown, id=key) for key, (name, shown) in HOSTILE.items()]


def tag(name: str, **fields: Any) -> Tag:
    values: dict[str, Any] = {
        "digest": "sha256:" + "ab" * 32,
        "size": 1536,
        "created": "2026-10-01T00:00:00Z",
        "updated": "2026-10-02T03:04:05Z",
        "path": f"swr.cn-north-4.myhuaweicloud.com/acme/webapp:{name}",
        "internal_path": f"100.125.0.198:20202/acme/webapp:{name}",
        "image_id": "cd" * 32,
        "schema": 2,
        "tag_type": 0,
        "manifest": '{"schemaVersion":2}',
    }
    values.update(fields)
    return Tag(name=name, **values)


def render(items: Sequence[Any], fmt: str, columns: Sequence[Any] = TAG_COLUMNS, record: Any = None) -> str:
    out = io.StringIO()
    write_items(items, columns, record or (lambda item: item.to_output(True)), fmt, out)
    text = out.getvalue()
    text.encode("utf-8")  # whatever came in, the output can be written to a UTF-8 stream
    return text


def assert_terminal_safe(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"raw control characters in the output: {found!r}"


# -- each hostile name in each format ------------------------------------------------------------


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_table_escapes(name: str, shown: str) -> None:
    text = render([tag(name), tag("plain")], "table")
    assert_terminal_safe(text)
    lines = text.splitlines()
    assert len(lines) == 3  # header and two rows: no injected line
    assert lines[1].startswith(shown + " ")
    assert lines[2].startswith("plain ")


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_tsv_escapes(name: str, shown: str) -> None:
    text = render([tag(name)], "tsv")
    assert_terminal_safe(text.replace("\t", " "))  # the separators are the only tabs (5 fields a row)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 2
    assert rows[0] == ["tag", "updated", "size", "digest", "type"]
    assert rows[1] == [shown, "2026-10-02T03:04:05Z", "1536", "sha256:" + "ab" * 32, "image"]


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_csv_escapes_and_parses(name: str, shown: str) -> None:
    text = render([tag(name), tag("plain")], "csv")
    # csv quotes newlines and tabs instead of escaping them; everything else is escaped.
    assert_terminal_safe(text.replace("\t", " "))
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert rows[1][0] == scrub(name, keep_newlines=True)
    assert rows[1][1:] == ["2026-10-02T03:04:05Z", "1536", "sha256:" + "ab" * 32, "image"]
    assert rows[2][0] == "plain"
    if "\n" not in name and "\t" not in name:
        assert rows[1][0] == shown


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_json_stays_valid_and_round_trips(name: str, shown: str) -> None:
    text = render([tag(name)], "json")
    assert_terminal_safe(text.replace("\n", " "))
    records = json.loads(text)
    assert records == [tag(name).to_output(True)]
    assert records[0]["tag"] == name  # exactly the registry's value, not the escaped form


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        ("\x9b", "\\u009b"),
        ("\x85", "\\u0085"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u061c", "\\u061c"),
    ],
)
def test_json_writes_c1_and_bidi_as_u_escapes(char: str, escape: str) -> None:
    text = render([tag(f"a{char}b")], "json")
    assert f'"tag": "a{escape}b"' in text
    assert char not in text


def test_json_writes_del_as_a_u_escape_though_it_is_ascii() -> None:
    text = render([tag("a\x7fb")], "json")
    assert '"tag": "a\\u007fb"' in text
    assert "\x7f" not in text


def test_plain_ascii_json_is_written_without_the_escaping_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: nothing to escape in ASCII but DEL, so 10,000 tags' 4 MB are not scanned (~30 ms)."""

    class NoScan:
        def sub(self, *args: Any) -> str:
            raise AssertionError("ASCII output was scanned")

    monkeypatch.setattr(output, "_JSON_UNSAFE", NoScan())
    text = render([tag("v1.0"), tag("latest")], "json")
    assert [record["tag"] for record in json.loads(text)] == ["v1.0", "latest"]


def test_json_keeps_ordinary_unicode_readable() -> None:
    text = render([tag("版本-ü-😀")], "json")
    assert '"tag": "版本-ü-😀"' in text


def test_escapes_in_every_column_not_just_the_name() -> None:
    evil = "\x1b]52;c;cHduZWQ=\x07"
    hostile = tag("ok", digest=f"sha256:{evil}", updated=f"2026{evil}", manifest=f'{{"x":"{evil}"}}')
    for fmt in ("table", "tsv", "csv"):
        assert_terminal_safe(render([hostile], fmt, (*TAG_COLUMNS,)).replace("\t", " "))
    repo = Repository(namespace="acme", name=f"app{evil}", description=f"desc\u202e{evil}", category=evil)
    for fmt in ("table", "tsv", "csv"):
        text = render([repo], fmt, REPOSITORY_COLUMNS, repository_record)
        assert_terminal_safe(text.replace("\t", " "))
    assert (
        json.loads(render([repo], "json", REPOSITORY_COLUMNS, repository_record))[0]["name"] == f"app{evil}"
    )


# -- table layout --------------------------------------------------------------------------------


def cells(line: str) -> list[str]:
    """A line as terminal cells: a double-width character takes its cell and an empty one."""
    grid: list[str] = []
    for char in line:
        grid.append(char)
        grid.extend([""] * (cell_len(char) - 1))
    return grid


def column_starts(header: str) -> list[int]:
    return [match.start() for match in re.finditer(r"\S+", header)]


def test_table_columns_line_up_with_double_width_names() -> None:
    items = [tag("v1"), tag("版本一"), tag("リリース候補-2"), tag("v2.0.0-rc.1")]
    lines = render(items, "table").splitlines()
    starts = column_starts(lines[0])
    assert len(starts) == 5
    for line in lines[1:]:
        grid = cells(line)
        # TYPE is left-aligned: every row's value begins exactly under its header, in cells.
        assert grid[starts[4]] == "i"
        assert grid[starts[4] - 1] == " "
        # DIGEST (left-aligned, 12 hex digits) likewise.
        assert "".join(grid[starts[3] : starts[3] + 12]) == "ab" * 6


def test_table_fits_the_width_by_cutting_the_shrinkable_column() -> None:
    description = "東京リージョンの本番環境で使う社内向けベースイメージ、毎週パッチ適用済み" * 2
    repos = [
        Repository(namespace="acme", name="基盤/ベース", description=description, num_images=3, size=10),
        Repository(namespace="acme", name="webapp", description="short", num_images=32, size=2048),
    ]
    natural = io.StringIO()
    write_table(repos, REPOSITORY_COLUMNS, natural)
    natural_width = max(cell_len(line) for line in natural.getvalue().splitlines())
    for width in (natural_width - 41, natural_width - 40, natural_width - 10):
        out = io.StringIO()
        write_table(repos, REPOSITORY_COLUMNS, out, width=width)
        lines = out.getvalue().splitlines()
        assert len(lines) == 3
        assert all(cell_len(line) <= width for line in lines), (width, [cell_len(line) for line in lines])
        assert lines[1].endswith("…")  # the long description was cut, visibly
        assert lines[2].endswith("short")
        kept = lines[1].split("  ")[-1].rstrip("…")
        assert description.startswith(kept)  # cut on a character boundary, never half a character
        starts = column_starts(lines[0])
        assert cells(lines[1])[starts[-1]] == description[0]


def test_table_without_width_never_cuts() -> None:
    long = "x" * 300
    out = io.StringIO()
    write_items([Namespace("acme", 1, long, 7)], NAMESPACE_COLUMNS, namespace_record, "table", out)
    assert long in out.getvalue()


# -- properties ----------------------------------------------------------------------------------

# Any code point (lone surrogates included), with the dangerous ones drawn often.
DANGEROUS = (
    "\x00\x07\t\n\r\x1b\x7f\x85\x9b\x9c\x9d\u061c\u200e\u202e\u2028\u2029\u2066\u2069\ud800\udfff\u3000"
)
any_text = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(DANGEROUS)),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(name=any_text, description=any_text)
def test_any_text_is_safe_in_every_format(name: str, description: str) -> None:
    items = [tag(name), tag("after")]
    table = render(items, "table")
    assert_terminal_safe(table)
    assert len(table.splitlines()) == 3
    tsv = render(items, "tsv")
    assert_terminal_safe(tsv.replace("\t", " "))
    assert [len(row) for row in csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)] == [
        5
    ] * 3
    rows = list(csv.reader(io.StringIO(render(items, "csv"))))
    assert [row[0] for row in rows] == ["tag", scrub(spreadsheet_safe(name), keep_newlines=True), "after"]
    assert json.loads(render(items, "json")) == [item.to_output(True) for item in items]
    repo = Repository(namespace="acme", name=name, description=description)
    out = io.StringIO()
    write_table([repo], REPOSITORY_COLUMNS, out, width=60)
    assert_terminal_safe(out.getvalue())
    assert len(out.getvalue().splitlines()) == 2


# -- spreadsheet formulas (CSV injection) ---------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","click")', "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_is_prefixed_in_csv_and_tsv(fmt: str, formula: str) -> None:
    text = render([tag(formula, digest=formula), tag("plain-1")], fmt)
    delimiter = "," if fmt == "csv" else "\t"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    keep = fmt == "csv"
    assert rows[1][0] == "'" + scrub(formula, keep_newlines=keep)
    assert rows[1][3] == "'" + scrub(formula, keep_newlines=keep)
    assert rows[2][0] == "plain-1"  # a '-' inside a name is no formula
    assert rows[1][2] == "1536"


def test_a_negative_number_stays_a_number_and_json_is_untouched() -> None:
    text = render([tag("-1+1", size=-1)], "csv")
    assert list(csv.reader(io.StringIO(text)))[1][:3] == ["'-1+1", "2026-10-02T03:04:05Z", "-1"]
    assert json.loads(render([tag("=1+1")], "json"))[0]["tag"] == "=1+1"


def test_the_export_file_prefixes_formulas_too(tmp_path: Any) -> None:
    from swr_tui.export import write_tags_file

    target = tmp_path / "tags.csv"
    write_tags_file([tag("@SUM(1)"), tag("v1")], str(target), "csv")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [row[0] for row in rows] == ["tag", "'@SUM(1)", "v1"]
