"""Fault injection: which requests go wrong, how, and how often. Seeded, so a run repeats.

Spec grammar (``swr-tui fake-registry --faults SPEC``, ``FaultPlan.parse``)::

    SPEC  := RULE ("," RULE)*
    RULE  := ROUTE ":" KIND ["=" ARG] ["@" PROB] ["x" TIMES] ["+" AFTER]   (the last three in any order)

ROUTE is one of namespaces, namespace, repos, repo, shared, tags, tag, config (ShowRepoTagConfig),
accessories (ListRepoAccessories), iam, the governance routes (retentions, retention-log, quotas,
overview, sync-repos, sync-jobs, triggers, namespace-access, repo-access, shares, and projects: IAM's
project lookup), the Enterprise Edition's (instances, instance, instance-statistics,
instance-namespaces, instance-repos, artifacts, artifact, vulnerabilities, build-history,
instance-accessories, instance-tags: on their lists the Content-Range kinds bend the body's
``total``), or ``*`` for any (unknown paths included). PROB is a
probability in (0, 1] (default 1), TIMES how many times the rule fires at most (default: every
time), AFTER how many matching requests pass untouched first.

KIND and its ARG:

    NNN                  a bare HTTP status (tags:503): SWR error body; 502/503/504 get a gateway's HTML
    status=NNN           the same, spelled out
    429[=SECONDS]        throttled by the gateway; with SECONDS a Retry-After header
    slow=MS              answer MS milliseconds later (slow rules add up)
    timeout[=SECONDS]    never answer within the client's timeout (hang up to SECONDS, default 30)
    drop                 close the connection without a response
    reset                send the headers and part of the body, then reset the connection
    malformed            200 with a body that is not JSON (the real body cut short)
    wrong-shape[=HOW]    200 JSON of the wrong shape; HOW is container (default: an object where an
                         array belongs, or the reverse), strings (numbers as strings) or nulls
    no-content-range     list answers without Content-Range
    bad-content-range    Content-Range: items 0-9/abc (unparseable)
    empty-page           200 [] while Content-Range still claims a non-zero total
    total-drift[=N]      Content-Range total off by N more on every firing (default 5; may be negative)
    huge-total[=N]       Content-Range total replaced by N (default 1000000000000); huge-total=long
                         sends a 5,000-digit total
    ignore-offset        the list is served from offset 0 whatever offset was asked for (a server
                         that ignores it: every page is the first); combine with no-content-range
                         for one that also sends no total
    deep-json[=DEPTH]    the answer's body replaced by JSON arrays nested DEPTH deep (default 100000),
                         status and headers kept (iam:deep-json is a 201 with a token)
    deep-error[=NNN]     HTTP NNN (default 500) whose body is JSON nested 100000 deep
    gzip-bomb            the answer's body replaced by about 3 MB of gzip that unpacks to 3 GB
    bad-gzip             Content-Encoding: gzip on a body that is not gzip (a proxy that mislabels)
    trickle=MS           the answer's headers at once, then its body one byte every MS milliseconds
    redirect[=NNN]       HTTP NNN (300-399, default 302) to https://sso.example.invalid/login?next=
                         <path>&ticket=<the caller's secret, URL-encoded>
    bad-utf8             one byte that is not UTF-8 (0xff) after the first name in a 200 JSON answer
    echo-token[=NNN]     a second X-Request-Id: rid-<the caller's secret>; with NNN (400-599) the
                         answer is also that error. The secret is the X-Auth-Token, the Authorization
                         header (AK/SK) or, on iam, the password in the login body
    config-missing       404 from the API gateway (APIGW.0101, "the API does not exist"), as a region
                         without ShowRepoTagConfig answers; config:config-missing
    odd-config[=HOW]     a 200 config answer (the JSON string) bent; HOW is text (the string's content
                         cut short: not JSON), list (default: a string holding a list), object (the
                         config as a plain object, the other form clients accept), history (empty
                         steps added up to 10,000), longer or shorter (one layer step more or fewer
                         than the manifest has layers), labels (2 MB more labels)

The registry data plane's kinds (routes registry, token, manifest, blob, referrers, secret):

    bearer-expired[=N]   401 on a bearer token once it has been used N times (default 1)
    blob-mismatch        a blob whose bytes do not match its digest
    blob-redirect[=HOST] 302 to object storage on another loopback host (default 127.0.0.2),
                         which records whether an Authorization header reached it
    no-www-authenticate  GET /v2/ answers 401 without a WWW-Authenticate header
    bad-www-authenticate GET /v2/ answers 401 with a challenge that cannot be parsed
    realm-elsewhere      the challenge's realm is on another host, over plain http
    no-token             the token realm answers 200 without a token

Examples: ``tags:500x2``, ``repos:429=3``, ``*:slow=200@0.5``, ``tags:empty-page+1x1``.

Rules are tried in the order given. ``slow`` rules add their delays; of the rules that decide the
answer, the first that fires wins and the rest are not consulted for that request. Rules that bend
a real answer (reset, malformed, wrong-shape and the Content-Range kinds) only count requests they
apply to: wrong-shape and bad-utf8 need a 200 JSON answer, the Content-Range kinds a paged list answer.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional, Union

from swr_tui.fake.data_plane_faults import BEARER_EXPIRED, BLOB_REDIRECT, DATA_PLANE_KINDS
from swr_tui.fake.routes import ALL_ROUTES

STATUS = "status"
THROTTLE = "429"
SLOW = "slow"
TIMEOUT = "timeout"
DROP = "drop"
RESET = "reset"
MALFORMED = "malformed"
WRONG_SHAPE = "wrong-shape"
NO_CONTENT_RANGE = "no-content-range"
BAD_CONTENT_RANGE = "bad-content-range"
EMPTY_PAGE = "empty-page"
TOTAL_DRIFT = "total-drift"
HUGE_TOTAL = "huge-total"
IGNORE_OFFSET = "ignore-offset"
LONG_TOTAL = "long"  # huge-total's argument for a 5,000-digit total
DEEP_JSON = "deep-json"
DEEP_ERROR = "deep-error"
GZIP_BOMB = "gzip-bomb"
BAD_GZIP = "bad-gzip"
TRICKLE = "trickle"
REDIRECT = "redirect"
BAD_UTF8 = "bad-utf8"
ECHO_TOKEN = "echo-token"  # noqa: S105 (a fault kind, not a secret)
CONFIG_MISSING = "config-missing"
ODD_CONFIG = "odd-config"
ODD_CONFIGS = ("text", "list", "object", "history", "longer", "shorter", "labels")

# Decided before the registry answers; the others bend the answer it gave.
BEFORE_KINDS = (STATUS, THROTTLE, SLOW, TIMEOUT, DROP, DEEP_ERROR, CONFIG_MISSING)
AFTER_KINDS = (
    RESET,
    MALFORMED,
    WRONG_SHAPE,
    NO_CONTENT_RANGE,
    BAD_CONTENT_RANGE,
    EMPTY_PAGE,
    TOTAL_DRIFT,
    HUGE_TOTAL,
    DEEP_JSON,
    GZIP_BOMB,
    BAD_GZIP,
    TRICKLE,
    REDIRECT,
    BAD_UTF8,
    ECHO_TOKEN,
    ODD_CONFIG,
)
# Change the query the registry answers (the request log keeps what was sent).
QUERY_KINDS = (IGNORE_OFFSET,)
KINDS = BEFORE_KINDS + AFTER_KINDS + QUERY_KINDS + DATA_PLANE_KINDS
PAGE_KINDS = (NO_CONTENT_RANGE, BAD_CONTENT_RANGE, EMPTY_PAGE, TOTAL_DRIFT, HUGE_TOTAL)
SHAPES = ("container", "strings", "nulls")
ANY_ROUTE = "*"

Arg = Union[int, float, str, None]


@dataclass(frozen=True)
class FaultRule:
    route: str
    kind: str
    arg: Arg = None
    probability: float = 1.0
    times: Optional[int] = None
    after: int = 0

    def __post_init__(self) -> None:
        if self.route != ANY_ROUTE and self.route not in ALL_ROUTES:
            raise ValueError(f"unknown route {self.route!r}; use one of {', '.join(ALL_ROUTES)} or *")
        if self.kind not in KINDS:
            raise ValueError(
                f"unknown fault kind {self.kind!r}; use one of {', '.join(KINDS)} or a status code"
            )
        if not 0.0 < self.probability <= 1.0:
            raise ValueError(f"probability must be in (0, 1], got {self.probability}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1, got {self.times}")
        if self.after < 0:
            raise ValueError(f"after must not be negative, got {self.after}")
        _check_arg(self.kind, self.arg)

    def matches(self, route: str) -> bool:
        return self.route in (ANY_ROUTE, route)

    def __str__(self) -> str:
        """The rule in spec grammar; ``parse_spec(str(rule))`` gives the rule back."""
        text = f"{self.route}:{self.arg}" if self.kind == STATUS else f"{self.route}:{self.kind}"
        if self.kind != STATUS and self.arg is not None:
            text += f"={self.arg}"
        if self.probability != 1.0:
            text += f"@{self.probability:g}"
        if self.times is not None:
            text += f"x{self.times}"
        if self.after:
            text += f"+{self.after}"
        return text


def _check_arg(kind: str, arg: Arg) -> None:
    def number(allow_none: bool, minimum: float, integer: bool) -> None:
        if arg is None and allow_none:
            return
        if (
            isinstance(arg, bool)
            or not isinstance(arg, (int, float))
            or (integer and not isinstance(arg, int))
        ):
            raise ValueError(f"{kind} needs {'an integer' if integer else 'a number'} argument, got {arg!r}")
        if arg < minimum:
            raise ValueError(f"{kind} argument must be at least {minimum}, got {arg}")

    if kind == STATUS:
        number(False, 0, True)
        if isinstance(arg, int) and not 400 <= arg <= 599:
            raise ValueError(f"status must be an HTTP error code (400-599), got {arg}")
    elif kind == THROTTLE:
        number(True, 0, True)
    elif kind == SLOW:
        number(False, 0, False)
    elif kind == TIMEOUT:
        number(True, 0, False)
    elif kind == TOTAL_DRIFT:
        if arg is not None and (isinstance(arg, bool) or not isinstance(arg, int) or arg == 0):
            raise ValueError(f"total-drift needs a non-zero integer, got {arg!r}")
    elif kind == HUGE_TOTAL:
        if (
            arg is not None
            and arg != LONG_TOTAL
            and (isinstance(arg, bool) or not isinstance(arg, int) or arg < 0)
        ):
            raise ValueError(f"huge-total needs a non-negative integer or {LONG_TOTAL}, got {arg!r}")
    elif kind == DEEP_JSON:
        number(True, 1, True)
    elif kind == TRICKLE:
        number(False, 1, False)
    elif kind in (DEEP_ERROR, ECHO_TOKEN):
        number(True, 0, True)
        if arg is not None and not 400 <= int(arg) <= 599:
            raise ValueError(f"{kind} takes an HTTP error code (400-599), got {arg}")
    elif kind == REDIRECT:
        number(True, 0, True)
        if arg is not None and not 300 <= int(arg) <= 399:
            raise ValueError(f"redirect takes a redirect status (300-399), got {arg}")
    elif kind == BEARER_EXPIRED:
        number(True, 0, True)
    elif kind == BLOB_REDIRECT:
        if arg is not None and not isinstance(arg, str):
            raise ValueError(f"blob-redirect takes a loopback host name or address, got {arg!r}")
    elif kind == WRONG_SHAPE:
        if arg is not None and arg not in SHAPES:
            raise ValueError(f"wrong-shape takes one of {', '.join(SHAPES)}, got {arg!r}")
    elif kind == ODD_CONFIG:
        if arg is not None and arg not in ODD_CONFIGS:
            raise ValueError(f"odd-config takes one of {', '.join(ODD_CONFIGS)}, got {arg!r}")
    elif arg is not None:
        raise ValueError(f"{kind} takes no argument, got {arg!r}")


@dataclass(frozen=True)
class Firing:
    rule: FaultRule
    number: int  # 1 for the rule's first firing, 2 for its second...


class _RuleState:
    def __init__(self, rule: FaultRule, generator: random.Random) -> None:
        self.rule = rule
        self.generator = generator
        self.seen = 0
        self.fired = 0

    def fire(self) -> Optional[Firing]:
        self.seen += 1
        if self.seen <= self.rule.after:
            return None
        if self.rule.times is not None and self.fired >= self.rule.times:
            return None
        if self.rule.probability < 1.0 and self.generator.random() >= self.rule.probability:
            return None
        self.fired += 1
        return Firing(self.rule, self.fired)


@dataclass(frozen=True)
class BeforeDecision:
    extra_delay_ms: float
    decisive: Optional[Firing]


class FaultPlan:
    """An ordered, thread-safe list of rules with their counters."""

    def __init__(self, rules: Iterable[FaultRule] = (), seed: int = 0) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._states: list[_RuleState] = []
        for rule in rules:
            self.add(rule)

    @classmethod
    def parse(cls, spec: Optional[str], seed: int = 0) -> FaultPlan:
        return cls(parse_spec(spec or ""), seed=seed)

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [state.rule for state in self._states]

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            # Each rule draws from its own stream, so adding a rule never changes another's luck.
            generator = random.Random(f"{self.seed}/fault/{len(self._states)}")
            self._states.append(_RuleState(rule, generator))
        return rule

    def clear(self) -> None:
        with self._lock:
            self._states.clear()

    def fired(self, rule: FaultRule) -> int:
        with self._lock:
            return sum(state.fired for state in self._states if state.rule is rule)

    def before(self, route: str) -> BeforeDecision:
        delay = 0.0
        with self._lock:
            for state in self._states:
                if state.rule.kind not in BEFORE_KINDS or not state.rule.matches(route):
                    continue
                firing = state.fire()
                if firing is None:
                    continue
                if firing.rule.kind == SLOW:
                    delay += float(firing.rule.arg or 0)
                else:
                    return BeforeDecision(delay, firing)
        return BeforeDecision(delay, None)

    def fire(self, route: str, kind: str) -> Optional[Firing]:
        """The first rule of ``kind`` for ``route`` that fires now (the data plane's kinds)."""
        with self._lock:
            for state in self._states:
                if state.rule.kind == kind and state.rule.matches(route):
                    firing = state.fire()
                    if firing is not None:
                        return firing
        return None

    def has(self, route: str, kind: str) -> Optional[FaultRule]:
        """The first rule of ``kind`` for ``route``, whether or not it would fire now."""
        with self._lock:
            return next(
                (
                    state.rule
                    for state in self._states
                    if state.rule.kind == kind and state.rule.matches(route)
                ),
                None,
            )

    def query(self, route: str, params: dict[str, str]) -> list[Firing]:
        """The query kinds that fire for a list request that names an offset."""
        firings = []
        with self._lock:
            for state in self._states:
                if (
                    state.rule.kind not in QUERY_KINDS
                    or not state.rule.matches(route)
                    or "offset" not in params
                ):
                    continue
                firing = state.fire()
                if firing is not None:
                    firings.append(firing)
        return firings

    def after(self, route: str, is_json_200: bool, is_page: bool) -> list[Firing]:
        firings = []
        with self._lock:
            for state in self._states:
                kind = state.rule.kind
                if kind not in AFTER_KINDS or not state.rule.matches(route):
                    continue
                if (kind in (WRONG_SHAPE, BAD_UTF8, ODD_CONFIG) and not is_json_200) or (
                    kind in PAGE_KINDS and not is_page
                ):
                    continue
                firing = state.fire()
                if firing is not None:
                    firings.append(firing)
        return firings


_RULE = re.compile(
    r"(?P<route>[^:]+):(?P<kind>[a-z0-9-]+?)(?:=(?P<arg>-?[A-Za-z0-9.]+?))?(?P<mods>(?:[@x+][0-9.]+)*)"
)
_MODIFIER = re.compile(r"([@x+])([0-9.]+)")


def parse_spec(spec: str) -> list[FaultRule]:
    if not spec.strip():
        return []
    return [_parse_rule(part.strip(), spec) for part in spec.split(",")]


def _parse_rule(text: str, spec: str) -> FaultRule:
    match = _RULE.fullmatch(text)
    if not match:
        raise ValueError(
            f"bad fault rule {text!r} in {spec!r}: expected ROUTE:KIND[=ARG][@PROB][xTIMES][+AFTER], "
            "e.g. tags:503x2 or repos:429=3"
        )
    kind = match["kind"]
    arg: Arg = _number_or_word(match["arg"])
    if kind.isdigit() and kind != THROTTLE:
        if arg is not None:
            raise ValueError(f"bad fault rule {text!r}: a bare status takes no argument")
        kind, arg = STATUS, int(kind)
    modifiers: dict[str, str] = {}
    for sign, value in _MODIFIER.findall(match["mods"]):
        if sign in modifiers:
            raise ValueError(f"bad fault rule {text!r}: {sign} given twice")
        modifiers[sign] = value
    try:
        return FaultRule(
            route=match["route"],
            kind=kind,
            arg=arg,
            probability=float(modifiers.get("@", "1")),
            times=int(modifiers["x"]) if "x" in modifiers else None,
            after=int(modifiers.get("+", "0")),
        )
    except ValueError as error:
        raise ValueError(f"bad fault rule {text!r}: {error}") from None


def _number_or_word(text: Optional[str]) -> Arg:
    if text is None:
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text
