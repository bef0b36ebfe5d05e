"""The v2 ``filter`` string, ``Content-Range`` parsing and page arithmetic (swr-api.md 1.1)."""

from __future__ import annotations

from typing import Optional

import pytest

from swr_tui.swr.errors import InvalidFilterValue
from swr_tui.swr.paging import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_LIST_TOTAL,
    ContentRange,
    ImplausibleTotalError,
    Page,
    check_limit,
    filter_string,
    page_total,
    parse_content_range,
    short_of_total,
)

# -- filter_string ----------------------------------------------------------------------------------


def test_filter_string_keeps_argument_order() -> None:
    text = filter_string(offset=0, limit=100, order_column="updated_at", order_type="desc")
    assert text == "offset::0|limit::100|order_column::updated_at|order_type::desc"
    assert filter_string(order_type="asc", offset=200) == "order_type::asc|offset::200"


def test_filter_string_leaves_out_none() -> None:
    assert filter_string(namespace=None, offset=0, tag=None, limit=5) == "offset::0|limit::5"
    assert filter_string(namespace=None) == ""
    assert filter_string() == ""


def test_filter_string_keeps_empty_string_and_zero() -> None:
    assert filter_string(name="", offset=0) == "name::|offset::0"


def test_filter_string_lowercases_bools() -> None:
    assert filter_string(is_public=True, status=False) == "is_public::true|status::false"


def test_filter_string_values_pass_through() -> None:
    assert filter_string(name="team$app", tag="v1.0 rc:1/ü") == "name::team$app|tag::v1.0 rc:1/ü"


@pytest.mark.parametrize("value", ["a|b", "|", "tail|"])
def test_filter_string_rejects_pipe(value: str) -> None:
    with pytest.raises(InvalidFilterValue, match=r"tag filter '.*' contains '\|'"):
        filter_string(offset=0, tag=value)


# -- check_limit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, DEFAULT_LIMIT, 999, MAX_LIMIT])
def test_check_limit_accepts_bounds(limit: int) -> None:
    assert check_limit(limit) == limit


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1, 10_000])
def test_check_limit_rejects_out_of_range(limit: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 1000"):
        check_limit(limit)


def test_limit_constants() -> None:
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (100, 1000)


# -- parse_content_range ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # The docs' "start-count/total" reading and the "inclusive end" reading: the total is the same.
        ("0-99/1000", ContentRange(0, 99, 1000)),
        ("0-100/1000", ContentRange(0, 100, 1000)),
        ("items 0-9/20", ContentRange(0, 9, 20)),
        ("bytes 100-199/250", ContentRange(100, 199, 250)),
        ("0-0/0", ContentRange(0, 0, 0)),
        ("0-9/*", ContentRange(0, 9, None)),
        (" 10 - 19 / 30 ", ContentRange(10, 19, 30)),
        ("5-/7", ContentRange(5, None, 7)),
    ],
)
def test_parse_content_range(header: str, expected: ContentRange) -> None:
    assert parse_content_range(header) == expected


@pytest.mark.parametrize(
    "header", [None, "", "abc", "0-9/x", "0-9", "/100", "-1-9/10", "0-9/10/11", "1.5-2/3"]
)
def test_parse_content_range_unreadable_is_none(header: Optional[str]) -> None:
    assert parse_content_range(header) is None


def test_both_readings_of_the_middle_number_give_the_same_total() -> None:
    as_count = parse_content_range("0-100/1000")
    as_end = parse_content_range("0-99/1000")
    assert as_count is not None
    assert as_end is not None
    assert as_count.total == as_end.total == 1000
    assert page_total(as_count, 0, 100, 100) == page_total(as_end, 0, 100, 100) == 1000


# -- page_total -------------------------------------------------------------------------------------


def test_page_total_from_header() -> None:
    assert page_total(ContentRange(0, 99, 1000), offset=0, count=100, limit=100) == 1000
    assert page_total(ContentRange(900, 99, 1000), offset=900, count=100, limit=100) == 1000


def test_page_total_header_smaller_than_rows_held_trusts_rows() -> None:
    assert page_total(ContentRange(0, 9, 5), offset=0, count=10, limit=10) == 10
    assert page_total(ContentRange(200, 9, 3), offset=200, count=10, limit=100) == 210


def test_page_total_star_total_falls_back_to_page() -> None:
    assert page_total(ContentRange(0, 9, None), offset=0, count=7, limit=10) == 7
    assert page_total(ContentRange(0, 9, None), offset=0, count=10, limit=10) is None


def test_page_total_without_header_short_page_proves_total() -> None:
    assert page_total(None, offset=0, count=3, limit=100) == 3
    assert page_total(None, offset=300, count=42, limit=100) == 342
    assert page_total(None, offset=300, count=0, limit=100) == 300


def test_page_total_without_header_full_page_is_unknown() -> None:
    assert page_total(None, offset=0, count=100, limit=100) is None


def test_page_total_zero_header() -> None:
    assert page_total(ContentRange(0, 0, 0), offset=0, count=0, limit=100) == 0


# -- Page -------------------------------------------------------------------------------------------


def test_page_end_and_is_last_with_total() -> None:
    page = Page(items=(1, 2, 3), offset=10, limit=3, total=20)
    assert page.end == 13
    assert page.is_last is False
    last = Page(items=(1, 2), offset=18, limit=3, total=20)
    assert last.end == 20
    assert last.is_last is True


def test_page_is_last_when_total_exceeded() -> None:
    assert Page(items=(1,), offset=25, limit=10, total=20).is_last is True


def test_page_empty_is_last_even_with_bigger_total() -> None:
    page: Page[int] = Page(items=(), offset=40, limit=10, total=1000)
    assert page.end == 40
    assert page.is_last is True


def test_page_without_total_uses_page_size() -> None:
    assert Page(items=(1, 2, 3), offset=0, limit=3, total=None).is_last is False
    assert Page(items=(1, 2), offset=0, limit=3, total=None).is_last is True


def test_page_is_frozen() -> None:
    page = Page(items=(1,), offset=0, limit=1, total=1)
    with pytest.raises(AttributeError):
        page.offset = 5  # type: ignore[misc]
    assert page.offset == 0


# -- the total cap ----------------------------------------------------------------------------------


def test_a_total_at_the_cap_is_believed() -> None:
    assert parse_content_range(f"0-999/{MAX_LIST_TOTAL}") == ContentRange(0, 999, MAX_LIST_TOTAL)


@pytest.mark.parametrize(
    ("total", "said"),
    [
        (str(MAX_LIST_TOTAL + 1), "10,000,001 items"),
        ("1000000000000", "1,000,000,000,000 items"),
        ("1" + "0" * 4999, "a 5,000-digit number of items"),
    ],
)
def test_a_total_past_the_cap_is_refused_in_one_line(total: str, said: str) -> None:
    with pytest.raises(ImplausibleTotalError) as caught:
        parse_content_range(f"0-999/{total}")
    message = str(caught.value)
    assert said in message
    assert "Content-Range header looks broken" in message
    assert "\n" not in message
    assert len(message) < 300


def test_an_endless_start_is_unreadable_not_a_crash() -> None:
    assert parse_content_range(f"{'9' * 5000}-1/10") is None


# -- a short page that contradicts its total ---------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "offset", "total", "rows_wanted", "short"),
    [
        ((1, 2, 3), 0, 10, 3, False),  # a full page
        ((1, 2), 0, 10, 3, True),  # rows missing though the total says they exist
        ((1, 2), 8, 10, 3, False),  # the last page: only two rows are left
        ((1,), 8, 10, 3, True),
        ((), 40, 1000, 1, True),  # empty though the list goes on
        ((1,), 40, 1000, 1, False),  # a smaller page than asked for: a server's cap, not proof
        ((), 20, 20, 1, False),  # past the end: nothing to send
        ((), 0, None, 3, False),  # no total, nothing to contradict
    ],
)
def test_short_of_total(
    items: tuple[int, ...], offset: int, total: Optional[int], rows_wanted: int, short: bool
) -> None:
    assert short_of_total(Page(items, offset, rows_wanted, total), rows_wanted) is short
