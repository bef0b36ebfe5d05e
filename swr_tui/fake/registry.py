"""FakeRegistry: one request in, one outcome out, whatever carries the bytes.

The loopback server and the in-process transport both call ``handle``; this is where routing,
authentication, SWR semantics, faults, latency and the request log meet.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Optional, Union

from swr_tui.fake import api, effects, iam, routes
from swr_tui.fake.auth import TokenStore, authenticate
from swr_tui.fake.dataset import Dataset, build_dataset
from swr_tui.fake.faults import FaultPlan, FaultRule
from swr_tui.fake.query import QueryError, parse_query
from swr_tui.fake.replies import JSON_TYPE, Reply, finish, gateway_error, invalid_param, swr_error
from swr_tui.fake.wire import FakeRequest, FakeResponse

if TYPE_CHECKING:
    import httpx

    from swr_tui.fake.server import RunningServer


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as on the wire, still percent-encoded
    route: str
    params: dict[str, str]  # plain and filter params merged (filter wins), decoded
    status: int  # 0 when no response was sent (drop, timeout)
    headers: dict[str, str]  # lower-cased names
    path_params: dict[str, str] = field(default_factory=dict)
    request_id: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the carrier does: wait ``delay_s``, then respond, hang, drop or reset."""

    action: str
    response: Optional[FakeResponse]
    delay_s: float = 0.0
    hang_s: float = 0.0


Latency = Union[float, Callable[[RecordedRequest], float]]
Faults = Union[FaultPlan, str, Iterable[FaultRule], None]


@lru_cache(maxsize=4)
def _shared_dataset(seed: int, now: Optional[datetime]) -> Dataset:
    # A data set is immutable, so registries built with the same seed and anchor can share one.
    return build_dataset(seed, now)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class FakeRegistry:
    def __init__(
        self,
        seed: int = 0,
        latency_ms: Latency = 0.0,
        faults: Faults = None,
        now: Optional[datetime] = None,
        token_ttl_s: float = 86_400,
        clock: Optional[Callable[[], datetime]] = None,
    ) -> None:
        """``now`` anchors the data set's times; ``clock`` is the wall clock used for tokens,
        X-Sdk-Date checks and Date headers (tests pass one to move time forward)."""
        self.seed = seed
        self.latency_ms = latency_ms
        self.dataset: Dataset = _shared_dataset(seed, now)
        if isinstance(faults, FaultPlan):
            self.faults = faults
        elif isinstance(faults, str):
            self.faults = FaultPlan.parse(faults, seed=seed)
        else:
            self.faults = FaultPlan(faults or (), seed=seed)
        self.tokens = TokenStore(token_ttl_s)
        self._clock = clock or _utc_now
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []

    # -- the request log ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def count(self, route: Optional[str] = None, **param_equals: object) -> int:
        wanted = {key: str(value) for key, value in param_equals.items()}
        return sum(
            1
            for request in self.requests
            if (route is None or request.route == route)
            and all(request.params.get(key) == value for key, value in wanted.items())
        )

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def expire_tokens(self) -> None:
        """Every token issued so far, DEMO_TOKEN included, now gets 401 "token expires"."""
        self.tokens.expire_all()

    # -- carriers --------------------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        from swr_tui.fake.transport import FakeTransport

        return FakeTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
        from swr_tui.fake.server import RunningServer

        return RunningServer(self, host, port)

    # -- the core --------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Outcome:
        request_id = uuid.uuid4().hex
        now = self._clock()
        route = routes.match(request.raw_path)
        try:
            query = parse_query(request.raw_query)
            params, merged, query_error = query.params, query.merged, None
        except QueryError as error:
            params, merged, query_error = {}, {}, error

        before = self.faults.before(route.name)
        action, hang_s = effects.RESPOND, 0.0
        reply: Optional[Reply]
        if before.decisive is not None:
            decided = effects.decide(before.decisive, route.name, request_id)
            action, reply, hang_s = decided.action, decided.reply, decided.hang_s
        else:
            reply = self._answer(request, route, params, query_error, now, request_id)
            is_json_200 = reply.status == 200 and reply.raw is None and reply.content_type == JSON_TYPE
            for firing in self.faults.after(route.name, is_json_200, reply.page is not None):
                if effects.bend(reply, firing) == effects.RESET:
                    action = effects.RESET

        response = finish(reply, request_id, now) if reply is not None else None
        record = RecordedRequest(
            method=request.method,
            path=request.raw_path,
            route=route.name,
            params=merged,
            status=response.status if response is not None else 0,
            headers=request.header_map(),
            path_params=dict(route.params),
            request_id=request_id,
        )
        with self._lock:
            self._requests.append(record)
        latency = self.latency_ms(record) if callable(self.latency_ms) else self.latency_ms
        return Outcome(action, response, (latency + before.extra_delay_ms) / 1000.0, hang_s)

    def _answer(
        self,
        request: FakeRequest,
        route: routes.Route,
        params: dict[str, str],
        query_error: Optional[QueryError],
        now: datetime,
        request_id: str,
    ) -> Reply:
        if route.name == routes.UNKNOWN:
            return gateway_error(
                404,
                "APIGW.0101",
                "The API does not exist or has not been published in the environment",
                request_id,
            )
        if route.name == routes.IAM:
            return iam.login(request, self.tokens, now)
        denied = authenticate(request, self.tokens, now, request_id)
        if denied is not None:
            return denied
        if request.method != "GET":
            reply = swr_error(
                405, "SVCSTG.SWR.4050000", f"Method {request.method} not allowed: this registry is read-only"
            )
            reply.headers["Allow"] = "GET"
            return reply
        if query_error is not None:
            return invalid_param(str(query_error))
        return api.respond(self.dataset, route, params)
