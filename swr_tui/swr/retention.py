"""What a repository's retention rules would delete: a pure evaluator. SWR is the authority.

Semantics (README, "Governance"): ``tag_rule`` keeps the ``num`` most recently pushed tags (by
``updated``, newest first, ties broken by tag name, every tag counted, exceptions included) and
marks the rest; ``date_rule`` marks tags pushed more than ``days`` days ago (a tag exactly ``days``
old is kept); a tag an exception (``tag_selectors``) names is never marked by that rule: ``label``
is an exact tag name, ``regexp`` a regular expression searched for in the tag name. With
``algorithm: "or"`` a tag any rule marks is deleted.

A rule this module cannot read (an unknown template or exception kind, a missing or non-positive
parameter, a regular expression that does not compile or could take exponential time) is not
evaluable: it says why, and the tags it could have marked are "unknown", never guessed.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from .governance_models import DATE_RULE, LABEL, REGEXP, TAG_RULE, Retention, RetentionRule
from .models import Tag, field_int

ALGORITHM_OR = "or"
# Longer exception patterns are refused: SWR's console caps what it accepts far below this, and a
# short pattern keeps the structural check below cheap.
MAX_PATTERN_LENGTH = 256
# SWR tag names are at most 128 characters; a longer name is not matched against a pattern (its
# verdict is "unknown"), which bounds the work one match can do.
MAX_MATCHED_NAME = 128
# Python's ``re`` backtracks: quantifiers one inside another ("(a+)+$") take exponential time, and
# each unbounded quantifier in a row multiplies the work by the name's length. Patterns with nested
# quantifiers, repeated alternatives or back-references are refused, and at most this many
# unbounded quantifiers are accepted (128**3 steps at worst per name).
MAX_UNBOUNDED_REPEATS = 3
# CPU budget for evaluating a whole tag list: this much, plus PER_TAG_BUDGET_S a tag (100,000 tags
# take about 1 s; the allowance is 22 s). Past it the remaining tags are "not evaluated" rather
# than left to run: the safety net should a pattern that passed the checks above still be slow.
RULE_TIME_BUDGET_S = 2.0
PER_TAG_BUDGET_S = 0.0002
# This thread's CPU time: a loaded machine, or the UI's other threads, do not eat the budget.
_clock = time.thread_time
# Push times outside these years are placeholders or junk (SWR has sent "0001-01-01T00:00:00+14:00"):
# a tag with one has no age and no rank, rather than a guessed one. Registries postdate 1970.
PLAUSIBLE_YEARS = (1970, 2200)
# An exception is shown (in the rule in words) cut to this many characters: a 10,000-character
# label must not fill a status line or an error message.
MAX_SHOWN_PATTERN = 60
# sre's "no upper bound" for a repeat.
_MAXREPEAT = 4294967295
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")

_sre_parse: Any
try:  # Python 3.11+ keeps the parser in re._parser; sre_parse warns there.
    _sre_parse = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.9/3.10
    _sre_parse = importlib.import_module("sre_parse")


class UnsafePattern(ValueError):
    pass


@dataclass(frozen=True)
class TagVerdict:
    """``deleted`` is meaningful only when ``known``; ``reason`` says why, in words."""

    tag: str
    deleted: bool
    reason: str
    known: bool = True


@dataclass(frozen=True)
class RulePlan:
    template: str
    amount: int  # num for tag_rule, days for date_rule
    labels: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    words: str
    problem: str = ""  # why the rule is not evaluable; "" when it is

    @property
    def evaluable(self) -> bool:
        return not self.problem

    def exception_for(self, name: str) -> Optional[str]:
        """The exception that keeps ``name``, in words; None when none does. UnsafePattern when the
        name is too long to match safely."""
        if name in self.labels:
            return f"exception {_shorten(name)!r}"
        if self.patterns and len(name) > MAX_MATCHED_NAME:
            raise UnsafePattern(f"tag name over {MAX_MATCHED_NAME} characters")
        for source, compiled in self.patterns:
            if compiled.search(name):
                return f"exception /{_shorten(source)}/"
        return None


@dataclass(frozen=True)
class RetentionPlan:
    """Every rule of a repository's retentions, read and checked once."""

    rules: tuple[RulePlan, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def words(self) -> str:
        """The rules in words, e.g. ``keep 20 newest, except /^release-/``; "" without rules."""
        return "; or ".join(rule.words for rule in self.rules)

    @property
    def evaluable(self) -> bool:
        return bool(self.rules) and all(rule.evaluable for rule in self.rules) and not self.problems


def plan_retentions(retentions: Iterable[Retention]) -> RetentionPlan:
    rules: list[RulePlan] = []
    problems: list[str] = []
    for retention in retentions:
        if retention.algorithm and retention.algorithm != ALGORITHM_OR:
            problems.append(f"algorithm {retention.algorithm!r} is not one swr-tui knows (only 'or')")
        rules.extend(plan_rule(rule) for rule in retention.rules)
    return RetentionPlan(tuple(rules), tuple(problems))


def plan_rule(rule: RetentionRule) -> RulePlan:
    labels: set[str] = set()
    patterns: list[tuple[str, re.Pattern[str]]] = []
    problems: list[str] = []
    shown: list[str] = []
    for selector in rule.tag_selectors:
        if selector.kind == LABEL:
            labels.add(selector.pattern)
            shown.append(repr(_shorten(selector.pattern)))
        elif selector.kind == REGEXP:
            shown.append(f"/{_shorten(selector.pattern)}/")
            try:
                patterns.append((selector.pattern, compile_safely(selector.pattern)))
            except UnsafePattern as exc:
                problems.append(f"the exception /{_shorten(selector.pattern)}/ {exc}")
        else:
            shown.append(f"{_shorten(selector.kind)}:{_shorten(selector.pattern)}")
            problems.append(f"exception kind {_shorten(selector.kind)!r} is unknown (label or regexp)")
    template = rule.template
    if template == TAG_RULE:
        amount, key, words = _param(rule, "num"), "num", "keep {} newest"
    elif template == DATE_RULE:
        amount, key, words = _param(rule, "days"), "days", "keep {} days"
    else:
        amount, key, words = 0, "", f"rule {_shorten(template)!r}"
        problems.insert(0, f"template {_shorten(template)!r} is unknown (tag_rule or date_rule)")
    if key and amount < 1:
        problems.insert(0, f"{template} needs params.{key}, a whole number of at least 1")
    text = words.format(amount if amount >= 1 else "?")
    if shown:
        text += ", except " + ", ".join(shown)
    return RulePlan(template, amount, frozenset(labels), tuple(patterns), text, "; ".join(problems))


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_PATTERN else text[: MAX_SHOWN_PATTERN - 1] + "…"


def _param(rule: RetentionRule, key: str) -> int:
    value = rule.params.get(key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, float) and not value.is_integer():
        return 0
    return field_int(rule.params, key)


def compile_safely(pattern: str) -> re.Pattern[str]:
    """The pattern compiled; UnsafePattern (a reason in words) when it does not compile or could
    backtrack for exponential or long polynomial time."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"is over {MAX_PATTERN_LENGTH} characters")
    try:
        compiled = re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePattern(f"does not compile ({exc})") from None
    if _count_unbounded(parsed, inside_repeat=False) > MAX_UNBOUNDED_REPEATS:
        raise UnsafePattern(
            f"has more than {MAX_UNBOUNDED_REPEATS} unbounded quantifiers: matching could take very long"
        )
    return compiled


def _count_unbounded(items: Iterable[Any], inside_repeat: bool) -> int:
    """Unbounded repeats in a parsed pattern; UnsafePattern on a repeat inside a repeat or a
    back-reference (either can make backtracking exponential)."""
    count = 0
    for op, value in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, body = value
            if inside_repeat and high > 1:
                raise UnsafePattern(
                    "repeats inside a repeat (e.g. (a+)+): matching could take exponential time"
                )
            count += high == _MAXREPEAT
            count += _count_unbounded(body, inside_repeat or high > 1)
        elif name.startswith("GROUPREF"):
            raise UnsafePattern("uses a back-reference: matching could take exponential time")
        elif name == "SUBPATTERN":
            count += _count_unbounded(value[-1], inside_repeat)
        elif name == "BRANCH":
            if inside_repeat:
                raise UnsafePattern("repeats a choice (e.g. (a|aa)*): matching could take exponential time")
            count += sum(_count_unbounded(branch, inside_repeat) for branch in value[1])
        elif name in ("ASSERT", "ASSERT_NOT"):
            count += _count_unbounded(value[1], inside_repeat)
        elif name == "ATOMIC_GROUP":
            count += _count_unbounded(value, inside_repeat)
    return count


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def pushed_at(text: str) -> Optional[datetime]:
    """An SWR time ('2026-10-30T10:00:00Z', fraction or offset optional) in UTC; None when it cannot
    be read or is not a plausible push time (``PLAUSIBLE_YEARS``)."""
    value = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if " " in value and "T" not in value:
        value = value.replace(" ", "T", 1)
    if "." in value:
        head, _, tail = value.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        value = f"{head}.{digits[:6].ljust(6, '0')}{tail[len(digits) :]}"
    try:
        moment = datetime.fromisoformat(value)
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    except (ValueError, OverflowError):  # OverflowError: year 1 at +14:00 is before datetime.min in UTC
        return None
    return moment if PLAUSIBLE_YEARS[0] <= moment.year <= PLAUSIBLE_YEARS[1] else None


RANK_UNKNOWN_WITH_A_FILTER = "unknown with a filter"
RANK_UNKNOWN_WITHOUT_A_TIME = "no rank: its push time cannot be read"


def verdict_for_rank(
    plan: RetentionPlan,
    name: str,
    updated: str,
    rank: Optional[int],
    now: datetime,
    no_rank: str = RANK_UNKNOWN_WITH_A_FILTER,
) -> TagVerdict:
    """One tag's verdict; ``rank`` is its 0-based row in newest-first push order over every tag of
    the repository (no filter), or None when unknown (``no_rank`` says why: a filter is on)."""
    return _verdict(plan, name, updated, pushed_at(updated), rank, now, no_rank)


def verdict_read(
    plan: RetentionPlan,
    name: str,
    updated: str,
    moment: Optional[datetime],
    rank: Optional[int],
    now: datetime,
) -> TagVerdict:
    """``verdict_for_rank`` with the push time already read (``moment = pushed_at(updated)``)."""
    return _verdict(plan, name, updated, moment, rank, now, RANK_UNKNOWN_WITH_A_FILTER)


def _verdict(
    plan: RetentionPlan,
    name: str,
    updated: str,
    moment: Optional[datetime],
    rank: Optional[int],
    now: datetime,
    no_rank: str,
) -> TagVerdict:
    if plan.problems:  # e.g. an algorithm other than "or": no rule alone decides
        return TagVerdict(name, False, "; ".join(plan.problems), known=False)
    unknown: list[str] = []
    kept: list[str] = []
    for rule in plan.rules:
        if not rule.evaluable:
            unknown.append(f"rule not evaluable: {rule.problem}")
            continue
        try:
            exception = rule.exception_for(name)
        except UnsafePattern as exc:
            unknown.append(f"cannot match the exceptions: {exc}")
            continue
        if exception is not None:
            kept.append(f"kept by {exception}")
            continue
        if rule.template == TAG_RULE:
            if rank is None:
                unknown.append(no_rank)
            elif rank >= rule.amount:
                return TagVerdict(name, True, f"{ordinal(rank + 1)} newest; rule keeps {rule.amount}")
            else:
                kept.append(f"{ordinal(rank + 1)} newest; rule keeps {rule.amount}")
        else:
            if moment is None:
                unknown.append(f"push time {updated!r} unreadable")
                continue
            age = now - moment
            if age > timedelta(days=rule.amount):
                days = age.days
                return TagVerdict(name, True, f"pushed {days} days ago; rule keeps {rule.amount} days")
            kept.append(f"pushed {max(age.days, 0)} days ago; rule keeps {rule.amount} days")
    if unknown:
        return TagVerdict(name, False, "; ".join(unknown), known=False)
    return TagVerdict(name, False, "; ".join(kept))


def newest_first(tags: Sequence[Tag]) -> list[Tag]:
    """Push order, newest first, ties broken by tag name; unreadable times last, by name."""
    return [tag for tag, _ in _dated_newest_first(tags)]


def _dated_newest_first(tags: Sequence[Tag]) -> list[tuple[Tag, Optional[datetime]]]:
    """Each tag with its push time (parsed once), in push order; undated ones last, by name."""
    dated: list[tuple[float, str, Tag, datetime]] = []
    undated: list[tuple[str, Tag]] = []
    for tag in tags:
        moment = pushed_at(tag.updated)
        if moment is None:
            undated.append((tag.name, tag))
        else:
            dated.append((-moment.timestamp(), tag.name, tag, moment))
    dated.sort(key=lambda item: (item[0], item[1]))
    undated.sort(key=lambda item: item[0])
    return [(tag, moment) for _, _, tag, moment in dated] + [(tag, None) for _, tag in undated]


def evaluate_tags(plan: RetentionPlan, tags: Sequence[Tag], now: datetime) -> list[TagVerdict]:
    """Every tag's verdict, newest first. A tag whose push time is unreadable has no rank: its
    ``tag_rule`` verdict is unknown. Evaluation that outruns its CPU budget (``RULE_TIME_BUDGET_S``
    plus ``PER_TAG_BUDGET_S`` a tag) stops, and the remaining verdicts say so."""
    ordered = _dated_newest_first(tags)
    budget = RULE_TIME_BUDGET_S + PER_TAG_BUDGET_S * len(ordered)
    verdicts: list[TagVerdict] = []
    started = _clock()
    for rank, (tag, moment) in enumerate(ordered):
        if _clock() - started > budget:
            reason = f"not evaluated: matching the exceptions took over {budget:g} s"
            verdicts.extend(TagVerdict(rest.name, False, reason, known=False) for rest, _ in ordered[rank:])
            break
        known_rank = rank if moment is not None else None
        no_rank = RANK_UNKNOWN_WITHOUT_A_TIME
        verdicts.append(_verdict(plan, tag.name, tag.updated, moment, known_rank, now, no_rank))
    return verdicts
