"""Retention verdicts over a tag list that arrives page by page, newest first (the TUI's Retention
screen): each page is evaluated as it comes in, its tags ranked by their place in the stream, while
the next pages are still on their way, so the count is ready when the last page is.

The result is always ``evaluate_tags``'s: the stream's order is checked against the evaluator's
(push time newest first, ties by tag name). Where it differs (ties the registry orders otherwise, a
push time that cannot be read) or the evaluation outruns its CPU budget, the whole list is
evaluated again with ``evaluate_tags`` (its own budget applies).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Optional

from .models import Tag
from .retention import (
    PER_TAG_BUDGET_S,
    RULE_TIME_BUDGET_S,
    RetentionPlan,
    TagVerdict,
    evaluate_tags,
    pushed_at,
    verdict_read,
)

_clock = time.thread_time  # CPU time, as evaluate_tags counts it


class StreamedVerdicts:
    """Feed it pages in order (``add``); ``reset`` when the read starts again; then ``result``."""

    def __init__(self, plan: RetentionPlan, now: datetime) -> None:
        self.plan = plan
        self.now = now
        self.reset()

    def reset(self) -> None:
        self.tags: list[Tag] = []
        self.verdicts: list[TagVerdict] = []
        self.in_order = True  # so far the stream is in the evaluator's order, and within budget
        self._last: Optional[tuple[float, str]] = None
        self._spent = 0.0

    def add(self, page: Sequence[Tag]) -> None:
        started = _clock()
        for tag in page:
            if self.in_order:
                moment = pushed_at(tag.updated)
                key = None if moment is None else (-moment.timestamp(), tag.name)
                if key is None or (self._last is not None and key < self._last):
                    self.in_order = False
                else:
                    self._last = key
                    rank = len(self.tags)
                    self.verdicts.append(
                        verdict_read(self.plan, tag.name, tag.updated, moment, rank, self.now)
                    )
            self.tags.append(tag)
        self._spent += _clock() - started
        if self._spent > RULE_TIME_BUDGET_S + PER_TAG_BUDGET_S * len(self.tags):
            self.in_order = False

    @property
    def needs_full_evaluation(self) -> bool:
        """The stream was not in the evaluator's order: ``result`` evaluates the whole list (CPU
        work: call it off the event loop)."""
        return not self.in_order

    def result(self) -> list[TagVerdict]:
        """Every tag's verdict, newest first: ``evaluate_tags(plan, tags, now)``."""
        if self.in_order:
            return self.verdicts
        return evaluate_tags(self.plan, self.tags, self.now)
