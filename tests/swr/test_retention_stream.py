"""Verdicts over pages as they arrive: the same as ``evaluate_tags`` over the whole list, evaluated
page by page when the stream is in the evaluator's order, and again as a whole when it is not."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from swr_tui.swr import retention_stream
from swr_tui.swr.governance_models import Retention
from swr_tui.swr.models import Tag
from swr_tui.swr.retention import evaluate_tags, plan_retentions
from swr_tui.swr.retention_stream import StreamedVerdicts

NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
EXCEPTIONS = [{"kind": "regexp", "pattern": "^keep"}]
PLAN = plan_retentions(
    [
        Retention.from_api(
            {
                "id": 1,
                "algorithm": "or",
                "rules": [
                    {"template": "tag_rule", "params": {"num": "3"}, "tag_selectors": EXCEPTIONS},
                    {"template": "date_rule", "params": {"days": 30}, "tag_selectors": []},
                ],
            }
        )
    ]
)  # fmt: skip


def tag(name: str, days_ago: float) -> Tag:
    moment = NOW - timedelta(days=days_ago)
    return Tag(name=name, updated=moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def streamed(tags: list[Tag], page: int = 2) -> StreamedVerdicts:
    verdicts = StreamedVerdicts(PLAN, NOW)
    for start in range(0, len(tags), page):
        verdicts.add(tags[start : start + page])
    return verdicts


NEWEST_FIRST = [tag("a", 1), tag("keep-1", 2), tag("b", 3), tag("c", 4), tag("d", 40), tag("e", 50)]


def test_a_stream_in_push_order_is_evaluated_page_by_page() -> None:
    verdicts = streamed(NEWEST_FIRST)
    assert not verdicts.needs_full_evaluation
    assert len(verdicts.verdicts) == len(NEWEST_FIRST)  # evaluated as the pages came
    assert verdicts.result() == evaluate_tags(PLAN, NEWEST_FIRST, NOW)
    assert [v.tag for v in verdicts.result() if v.deleted] == ["c", "d", "e"]


@pytest.mark.parametrize(
    "tags",
    [
        [tag("b", 1), tag("a", 1), tag("c", 2), tag("d", 3), tag("e", 4)],  # a tie ordered by name descending
        [tag("a", 1), tag("c", 3), tag("b", 2), tag("d", 4)],  # out of push order
        [tag("a", 1), Tag(name="x", updated="0001-01-01T00:00:00Z"), tag("b", 2), tag("c", 3), tag("d", 4)],
    ],
    ids=["tie-by-name", "unsorted", "unreadable-time"],
)
def test_a_stream_in_another_order_is_evaluated_again_as_a_whole(tags: list[Tag]) -> None:
    verdicts = streamed(tags)
    assert verdicts.needs_full_evaluation
    assert verdicts.result() == evaluate_tags(PLAN, tags, NOW)


def test_reset_forgets_a_read_that_started_again() -> None:
    verdicts = streamed(NEWEST_FIRST[:3])
    verdicts.reset()
    for start in range(0, len(NEWEST_FIRST), 4):
        verdicts.add(NEWEST_FIRST[start : start + 4])
    assert verdicts.result() == evaluate_tags(PLAN, NEWEST_FIRST, NOW)


def test_past_the_cpu_budget_the_whole_list_is_evaluated_with_its_own_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticks = iter(range(0, 10_000, 5))  # each reading of the clock 5 s later
    monkeypatch.setattr(retention_stream, "_clock", lambda: float(next(ticks)))
    verdicts = streamed(NEWEST_FIRST)
    assert verdicts.needs_full_evaluation
    assert verdicts.result() == evaluate_tags(PLAN, NEWEST_FIRST, NOW)
