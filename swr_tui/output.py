"""Writers for the headless commands: ``table`` for people, ``json``/``tsv``/``csv`` for scripts."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, TextIO

from rich.cells import cell_len

from .formatting import age_text, human_size, short_digest
from .safe_text import scrub
from .swr.models import Namespace, Repository

FORMATS = ("table", "json", "tsv", "csv")

# json.dumps leaves these raw with ensure_ascii=False; a terminal may act on C1 (U+009B is CSI), and a
# lone surrogate (a registry may send "\\ud800") cannot be encoded as UTF-8 at all.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]  # the full value, for tsv/csv
    display: Callable[[Any], str]  # the value for people, in the table
    align_right: bool = False
    shrinkable: bool = False  # may be cut to fit the terminal


def record_column(record: Callable[[Any], dict[str, Any]], name: str, shrinkable: bool = False) -> Column:
    """A column showing field ``name`` of each row's ``record(row)``, headed by the name in capitals."""

    def value(row: Any) -> Any:
        return record(row)[name]

    return Column(name.upper(), value, lambda row: str(value(row)), shrinkable=shrinkable)


def _plain(attr: str) -> Callable[[Any], Any]:
    return lambda item: getattr(item, attr)


def _text(attr: str) -> Callable[[Any], str]:
    return lambda item: str(getattr(item, attr))


NAMESPACE_COLUMNS = (
    Column("NAME", _plain("name"), _text("name")),
    Column("ACCESS", lambda ns: ns.access, lambda ns: ns.access),
    Column("CREATOR", _plain("creator_name"), _text("creator_name"), shrinkable=True),
)

REPOSITORY_COLUMNS = (
    Column("NAME", lambda repo: repo.full_name, lambda repo: repo.full_name),
    Column("TAGS", _plain("num_images"), _text("num_images"), align_right=True),
    Column("SIZE", _plain("size"), lambda repo: human_size(repo.size), align_right=True),
    Column("UPDATED", _plain("updated"), lambda repo: age_text(repo.updated)),
    Column("PUBLIC", _plain("is_public"), lambda repo: "yes" if repo.is_public else "no"),
    Column("CATEGORY", _plain("category"), _text("category")),
    Column("DESCRIPTION", _plain("description"), _text("description"), shrinkable=True),
)

TAG_COLUMNS = (
    Column("TAG", _plain("name"), _text("name")),
    Column("UPDATED", _plain("updated"), lambda tag: age_text(tag.updated)),
    Column("SIZE", _plain("size"), lambda tag: human_size(tag.size), align_right=True),
    Column("DIGEST", _plain("digest"), lambda tag: short_digest(tag.digest)),
    Column("TYPE", lambda tag: tag.kind, lambda tag: tag.kind),
)


def namespace_record(namespace: Namespace) -> dict[str, Any]:
    return {
        "name": namespace.name,
        "id": namespace.id,
        "auth": namespace.auth,
        "access": namespace.access,
        "creator_name": namespace.creator_name,
    }


def repository_record(repo: Repository) -> dict[str, Any]:
    return {
        "namespace": repo.namespace,
        "name": repo.name,
        "category": repo.category,
        "description": repo.description,
        "size": repo.size,
        "is_public": repo.is_public,
        "num_images": repo.num_images,
        "num_download": repo.num_download,
        "created": repo.created,
        "updated": repo.updated,
        "path": repo.path,
        "internal_path": repo.internal_path,
    }


def write_json(records: Sequence[dict[str, Any]], out: TextIO) -> None:
    """A JSON array with one object per line: readable, greppable, and written by the C encoder
    (``indent=`` switches json to its pure-Python encoder, several times slower on 10,000 tags)."""
    body = json_lines(records)
    out.write(f"[\n{body}\n]\n" if body else "[]\n")


def json_lines(records: Sequence[dict[str, Any]]) -> str:
    """The records as ``write_json`` puts them between its brackets (a streamed array joins these
    with ``,\\n``)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    body = ",\n".join(f"  {encode(record)}" for record in records)
    if body.isascii() and "\x7f" not in body:  # the common case, in well under 1 ms: nothing to escape
        return body  # (the regex would scan 10,000 tags' 4 MB for ~30 ms to find nothing; issue 14)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def write_delimited(
    items: Sequence[Any], columns: Sequence[Column], out: TextIO, fmt: str, header: bool = True
) -> None:
    """TSV escapes tabs and newlines; CSV quotes them. Both make control characters visible, and
    neither lets a spreadsheet take a name for a formula (``spreadsheet_safe``).
    ``header=False``: rows only (the next page of a streamed file)."""
    rows = [[spreadsheet_safe(column.value(item)) for column in columns] for item in items]
    headers = [column.header.lower() for column in columns]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        if header:
            writer.writerow(headers)
        writer.writerows([[scrub(value, keep_newlines=True) for value in row] for row in rows])
        return
    if header:
        out.write("\t".join(headers) + "\n")
    for row in rows:
        out.write("\t".join(scrub(value) for value in row) + "\n")


# OWASP's CSV injection rule: a spreadsheet takes a cell that starts with one of these for a formula
# (=HYPERLINK(...) sends data away, @SUM(1) and -1+1 compute), so such text gets a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A csv/tsv cell: text that a spreadsheet would run as a formula is prefixed with ``'``.
    Numbers are left alone (-1 is a number, not a formula); json never goes through here."""
    text = _cell(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def write_table(
    items: Sequence[Any], columns: Sequence[Column], out: TextIO, width: int = 0, header: bool = True
) -> None:
    """Aligned columns; when ``width`` is set, shrinkable columns are cut with '…' to fit it.
    ``header=False`` leaves out the header line (the next page of a streamed table)."""
    headers = [column.header for column in columns]
    rows = [[scrub(column.display(item)) for column in columns] for item in items]
    widths = [max([cell_len(h)] + [cell_len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    if width > 0:
        widths = _fit(widths, columns, width)
    for row in [headers, *rows] if header else rows:
        cells = [
            _pad(_truncate(cell, widths[i]), widths[i], columns[i].align_right) for i, cell in enumerate(row)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def _fit(widths: list[int], columns: Sequence[Column], width: int) -> list[int]:
    overflow = sum(widths) + 2 * (len(widths) - 1) - width
    fitted = list(widths)
    for index in reversed(range(len(columns))):
        if overflow <= 0:
            break
        if columns[index].shrinkable:
            cut = min(overflow, max(0, fitted[index] - 12))
            fitted[index] -= cut
            overflow -= cut
    return fitted


def _truncate(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def terminal_width(out: TextIO) -> int:
    """The terminal's width when writing to one, else 0 (no cutting when piped)."""
    isatty = getattr(out, "isatty", None)
    if isatty is None or not isatty():
        return 0
    return shutil.get_terminal_size((120, 24)).columns


def write_items(
    items: Sequence[Any],
    columns: Sequence[Column],
    record: Callable[[Any], dict[str, Any]],
    fmt: str,
    out: TextIO,
) -> None:
    if fmt == "json":
        write_json([record(item) for item in items], out)
    elif fmt in ("tsv", "csv"):
        write_delimited(items, columns, out, fmt)
    else:
        write_table(items, columns, out, terminal_width(out))
