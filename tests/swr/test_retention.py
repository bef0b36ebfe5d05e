"""The retention evaluator (swr/retention.py), table-tested at its boundaries: exactly N tags,
exactly ``days`` old, ties, exceptions, unreadable rules and patterns that could run for ever."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import pytest

from swr_tui.swr import retention
from swr_tui.swr.governance_models import Retention
from swr_tui.swr.models import Tag
from swr_tui.swr.retention import (
    MAX_MATCHED_NAME,
    UnsafePattern,
    compile_safely,
    evaluate_tags,
    plan_retentions,
    verdict_for_rank,
)

NOW = datetime(2026, 11, 1, 12, 0, 0, tzinfo=timezone.utc)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rule(template: str, params: Any, selectors: Optional[list[dict[str, str]]] = None, **extra: Any) -> Any:
    return plan_retentions(
        [
            Retention.from_api(
                {"id": 1, "algorithm": extra.get("algorithm", "or"), "scope": "", "rules": [
                    {"template": template, "params": params, "tag_selectors": selectors or []}
                ]}
            )
        ]
    )  # fmt: skip


def tags_hours_apart(count: int) -> list[Tag]:
    """t0 newest ... t{count-1} oldest, an hour apart."""
    return [Tag(name=f"t{i}", updated=stamp(NOW - timedelta(hours=i))) for i in range(count)]


def deleted(plan: Any, tags: list[Tag]) -> list[str]:
    return [v.tag for v in evaluate_tags(plan, tags, NOW) if v.deleted]


# -- tag_rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("num", "count", "expected"),
    [
        (3, 3, []),  # exactly N tags: nothing to delete
        (3, 2, []),
        (3, 4, ["t3"]),
        ("3", 5, ["t3", "t4"]),  # params arrive as strings
        (" 2 ", 3, ["t2"]),
        (1, 2, ["t1"]),
    ],
)
def test_tag_rule_keeps_the_num_newest(num: Any, count: int, expected: list[str]) -> None:
    assert deleted(rule("tag_rule", {"num": num}), tags_hours_apart(count)) == expected


def test_tag_rule_reason_names_the_rank_and_the_rule() -> None:
    verdicts = evaluate_tags(rule("tag_rule", {"num": 20}), tags_hours_apart(22), NOW)
    assert verdicts[19].deleted is False
    assert verdicts[19].reason == "20th newest; rule keeps 20"
    assert (verdicts[20].tag, verdicts[20].deleted, verdicts[20].reason) == (
        "t20",
        True,
        "21st newest; rule keeps 20",
    )
    assert verdicts[21].reason == "22nd newest; rule keeps 20"


def test_ties_in_push_time_are_broken_by_tag_name() -> None:
    same = stamp(NOW)
    tags = [Tag(name="b", updated=same), Tag(name="c", updated=same), Tag(name="a", updated=same)]
    verdicts = evaluate_tags(rule("tag_rule", {"num": 2}), tags, NOW)
    assert [(v.tag, v.deleted) for v in verdicts] == [("a", False), ("b", False), ("c", True)]


def test_rank_known_case_uses_the_row_and_says_unknown_with_a_filter() -> None:
    plan = rule("tag_rule", {"num": 20})
    assert verdict_for_rank(plan, "x", stamp(NOW), 20, NOW).reason == "21st newest; rule keeps 20"
    assert verdict_for_rank(plan, "x", stamp(NOW), 20, NOW).deleted is True
    assert verdict_for_rank(plan, "x", stamp(NOW), 19, NOW).deleted is False
    filtered = verdict_for_rank(plan, "x", stamp(NOW), None, NOW)
    assert (filtered.known, filtered.deleted, filtered.reason) == (False, False, "unknown with a filter")


# -- date_rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "is_deleted", "reason"),
    [
        (timedelta(days=90), False, "pushed 90 days ago; rule keeps 90 days"),  # exactly 90 days: kept
        (timedelta(days=90, seconds=1), True, "pushed 90 days ago; rule keeps 90 days"),
        (timedelta(days=89, hours=23), False, "pushed 89 days ago; rule keeps 90 days"),
        (timedelta(days=120), True, "pushed 120 days ago; rule keeps 90 days"),
        (timedelta(days=-1), False, "pushed 0 days ago; rule keeps 90 days"),  # a clock ahead of ours
    ],
)
def test_date_rule_marks_tags_pushed_more_than_days_ago(
    age: timedelta, is_deleted: bool, reason: str
) -> None:
    verdict = verdict_for_rank(rule("date_rule", {"days": "90"}), "v1", stamp(NOW - age), None, NOW)
    assert (verdict.known, verdict.deleted, verdict.reason) == (True, is_deleted, reason)


def test_date_rule_needs_no_rank_and_reads_fractions_and_offsets() -> None:
    plan = rule("date_rule", {"days": 1})
    assert verdict_for_rank(plan, "a", "2026-10-30T12:00:00.123456789+00:00", None, NOW).deleted is True
    assert verdict_for_rank(plan, "a", "2026-11-01 08:00:00", None, NOW).deleted is False


def test_an_unreadable_push_time_is_unknown_not_guessed() -> None:
    verdict = verdict_for_rank(rule("date_rule", {"days": 1}), "a", "yesterday", None, NOW)
    assert (verdict.known, verdict.deleted) == (False, False)
    assert "push time 'yesterday' unreadable" in verdict.reason
    tags = [*tags_hours_apart(2), Tag(name="odd", updated="")]
    verdicts = evaluate_tags(rule("tag_rule", {"num": 1}), tags, NOW)
    assert [(v.tag, v.deleted, v.known) for v in verdicts] == [
        ("t0", False, True),
        ("t1", True, True),
        ("odd", False, False),
    ]
    assert verdicts[2].reason == "no rank: its push time cannot be read"


# -- exceptions ----------------------------------------------------------------------------------


def test_label_is_an_exact_tag_name() -> None:
    plan = rule(
        "tag_rule", {"num": 1}, [{"kind": "label", "pattern": "t2"}, {"kind": "label", "pattern": "t"}]
    )
    verdicts = evaluate_tags(plan, tags_hours_apart(4), NOW)
    assert [(v.tag, v.deleted) for v in verdicts] == [
        ("t0", False),
        ("t1", True),
        ("t2", False),
        ("t3", True),
    ]
    assert verdicts[2].reason == "kept by exception 't2'"


def test_regexp_is_searched_in_the_tag_name() -> None:
    plan = rule("tag_rule", {"num": 1}, [{"kind": "regexp", "pattern": "^release-"}])
    tags = [Tag(name=name, updated=stamp(NOW - timedelta(hours=i))) for i, name in enumerate(
        ["main", "release-1", "pre-release-2", "release-3"])]  # fmt: skip
    verdicts = evaluate_tags(plan, tags, NOW)
    assert [(v.tag, v.deleted) for v in verdicts] == [
        ("main", False),
        ("release-1", False),
        ("pre-release-2", True),
        ("release-3", False),
    ]
    assert verdicts[1].reason == "kept by exception /^release-/"
    assert verdicts[2].reason == "3rd newest; rule keeps 1"


def test_rules_in_words() -> None:
    assert rule("tag_rule", {"num": 20}, [{"kind": "regexp", "pattern": "^release-"}]).words == (
        "keep 20 newest, except /^release-/"
    )
    assert rule("date_rule", {"days": 90}, [{"kind": "label", "pattern": "v1.0.0"}]).words == (
        "keep 90 days, except 'v1.0.0'"
    )
    assert plan_retentions([]).words == ""


def test_algorithm_or_marks_a_tag_either_rule_marks() -> None:
    plan = plan_retentions(
        [
            Retention.from_api(
                {
                    "algorithm": "or",
                    "rules": [
                        {"template": "tag_rule", "params": {"num": 3}},
                        {"template": "date_rule", "params": {"days": 1}},
                    ],
                }
            )
        ]
    )
    tags = [Tag(name=f"d{i}", updated=stamp(NOW - timedelta(hours=20 * i))) for i in range(5)]
    assert plan.words == "keep 3 newest; or keep 1 days"
    assert deleted(plan, tags) == ["d2", "d3", "d4"]  # d2 is 40 hours old: the date rule marks it


# -- rules that cannot be evaluated -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "params", "selectors", "problem"),
    [
        ("size_rule", {"num": 3}, [], "template 'size_rule' is unknown (tag_rule or date_rule)"),
        ("tag_rule", {}, [], "tag_rule needs params.num, a whole number of at least 1"),
        ("tag_rule", {"num": "twenty"}, [], "tag_rule needs params.num, a whole number of at least 1"),
        ("tag_rule", {"num": 0}, [], "tag_rule needs params.num, a whole number of at least 1"),
        ("tag_rule", {"num": 2.5}, [], "tag_rule needs params.num, a whole number of at least 1"),
        ("date_rule", {"num": 3}, [], "date_rule needs params.days, a whole number of at least 1"),
        ("date_rule", None, [], "date_rule needs params.days, a whole number of at least 1"),
        ("tag_rule", {"num": 1}, [{"kind": "glob", "pattern": "*"}], "exception kind 'glob' is unknown"),
        (
            "tag_rule",
            {"num": 1},
            [{"kind": "regexp", "pattern": "(["}],
            "the exception /([/ does not compile",
        ),
    ],
)
def test_a_rule_it_cannot_read_is_not_evaluable_and_decides_nothing(
    template: str, params: Any, selectors: list[dict[str, str]], problem: str
) -> None:
    plan = rule(template, params, selectors)
    assert not plan.evaluable
    assert problem in plan.rules[0].problem
    verdicts = evaluate_tags(plan, tags_hours_apart(3), NOW)
    assert all(not v.known and not v.deleted for v in verdicts)
    assert all("rule not evaluable: " + problem in v.reason for v in verdicts)


def test_an_unknown_algorithm_is_a_problem() -> None:
    plan = rule("tag_rule", {"num": 1}, algorithm="and")
    assert plan.problems == ("algorithm 'and' is not one swr-tui knows (only 'or')",)
    assert not plan.evaluable
    assert not evaluate_tags(plan, tags_hours_apart(2), NOW)[1].known


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(a+)+$", "repeats inside a repeat"),  # the classic catastrophic pattern
        ("^(a|aa)*$", "repeats a choice"),
        ("(x+x+)+y", "repeats inside a repeat"),
        (r"(a)\1", "back-reference"),
        (".*.*.*.*=", "more than 3 unbounded quantifiers"),
        ("a" * 300, "over 256 characters"),
    ],
)
def test_patterns_that_could_run_for_ever_are_refused(pattern: str, says: str) -> None:
    with pytest.raises(UnsafePattern, match=says.replace("(", r"\(")):
        compile_safely(pattern)


def test_a_catastrophic_exception_leaves_evaluation_bounded() -> None:
    plan = rule("tag_rule", {"num": 1}, [{"kind": "regexp", "pattern": "^(a+)+$"}])
    tags = [Tag(name="a" * 40 + "!", updated=stamp(NOW - timedelta(hours=i))) for i in range(3)]
    started = time.monotonic()
    verdicts = evaluate_tags(plan, tags, NOW)
    assert time.monotonic() - started < 1.0
    assert not plan.evaluable
    assert all(not v.known for v in verdicts)
    assert "matching could take exponential time" in verdicts[0].reason


@pytest.mark.parametrize(
    "pattern", ["^release-", r"^v\d+\.\d+\.\d+$", "^(release|hotfix)-.*", "(a|b)*c", "x{2,5}"]
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert compile_safely(pattern).pattern == pattern


def test_a_name_longer_than_swr_allows_is_not_matched() -> None:
    plan = rule("tag_rule", {"num": 1}, [{"kind": "regexp", "pattern": "^keep"}])
    verdict = verdict_for_rank(plan, "keep" + "x" * MAX_MATCHED_NAME, stamp(NOW), 5, NOW)
    assert (verdict.known, verdict.deleted) == (False, False)
    assert f"tag name over {MAX_MATCHED_NAME} characters" in verdict.reason


def test_matching_past_the_time_budget_stops_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(1000))
    monkeypatch.setattr(retention, "_clock", lambda: float(next(ticks)))
    monkeypatch.setattr(retention, "RULE_TIME_BUDGET_S", 1.5)
    monkeypatch.setattr(retention, "PER_TAG_BUDGET_S", 0.25)  # 1.5 + 6 x 0.25 = 3 s
    verdicts = evaluate_tags(rule("tag_rule", {"num": 1}), tags_hours_apart(6), NOW)
    assert [v.known for v in verdicts] == [True, True, True, False, False, False]
    assert verdicts[3].reason == "not evaluated: matching the exceptions took over 3 s"


def test_a_hundred_thousand_tags_fit_the_budget() -> None:
    tags = [
        Tag(name=f"build-{i:06d}", updated=stamp(NOW - timedelta(minutes=15 * i))) for i in range(100_000)
    ]
    plan = rule("tag_rule", {"num": "50"}, [{"kind": "regexp", "pattern": r"^build-\d{3}000$"}])
    verdicts = evaluate_tags(plan, tags, NOW)
    assert all(v.known for v in verdicts)
    assert sum(v.deleted for v in verdicts) == 100_000 - 50 - 99  # build-001000 ... build-099000 kept


def test_hostile_names_are_kept_as_data() -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07rm -rf"
    plan = rule("tag_rule", {"num": 1}, [{"kind": "label", "pattern": hostile}])
    tags = [Tag(name=hostile, updated=stamp(NOW - timedelta(hours=5))), *tags_hours_apart(2)]
    verdicts = evaluate_tags(plan, tags, NOW)
    assert verdicts[-1].tag == hostile
    assert verdicts[-1].deleted is False
    assert verdicts[-1].reason == f"kept by exception {hostile!r}"


def test_long_exceptions_are_shown_cut() -> None:
    plan = rule("tag_rule", {"num": 1}, [{"kind": "label", "pattern": "x" * 10_000 + "-TAIL"}])
    assert plan.words == "keep 1 newest, except '" + "x" * (retention.MAX_SHOWN_PATTERN - 1) + "…'"
    assert "x" * 10_000 + "-TAIL" in plan.rules[0].labels  # matched in full


@pytest.mark.parametrize(
    "placeholder", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1969-12-31T23:59:59Z"]
)
def test_placeholder_push_times_have_no_age_and_no_rank(placeholder: str) -> None:
    tags = [Tag(name="odd", updated=placeholder), *tags_hours_apart(2)]
    by_date = evaluate_tags(rule("date_rule", {"days": 1}), tags, NOW)
    assert [(v.tag, v.deleted, v.known) for v in by_date] == [
        ("t0", False, True),
        ("t1", False, True),
        ("odd", False, False),
    ]
    by_rank = evaluate_tags(rule("tag_rule", {"num": 1}), tags, NOW)
    assert [(v.tag, v.deleted, v.known) for v in by_rank] == [
        ("t0", False, True),
        ("t1", True, True),
        ("odd", False, False),
    ]
