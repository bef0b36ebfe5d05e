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

from swr_tui.fake import api, effects, governance, iam, routes
from swr_tui.fake.auth import TokenStore, authenticate
from swr_tui.fake.credentials import DEMO_REGION
from swr_tui.fake.data_plane import DataPlane
from swr_tui.fake.data_plane_routes import DATA_PLANE_ROUTES, SECRET
from swr_tui.fake.dataset import BIG_REPO, MAIN_NAMESPACE, SHOWCASE_REPO, Dataset, build_dataset
from swr_tui.fake.enterprise_routes import ENTERPRISE_ROUTES
from swr_tui.fake.faults import FaultPlan, FaultRule
from swr_tui.fake.governance_routes import GOVERNANCE_ROUTES
from swr_tui.fake.live import Activity, LiveTags, Push
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.query import QueryError, parse_query
from swr_tui.fake.replies import JSON_TYPE, Reply, finish, gateway_error, invalid_param, swr_error
from swr_tui.fake.wire import FakeRequest

if TYPE_CHECKING:
    import httpx

    from swr_tui.fake.enterprise_data import Enterprise
    from swr_tui.fake.loopback import RunningServer


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


Latency = Union[float, Callable[[RecordedRequest], float]]
Faults = Union[FaultPlan, str, Iterable[FaultRule], None]


@lru_cache(maxsize=4)
def _shared_dataset(seed: int, now: Optional[datetime], region: str, real_configs: bool = False) -> Dataset:
    # A data set is immutable, so registries built with the same seed, anchor and region can share
    # one; pushes and deletes make a registry its own changed copy (``swr_tui.fake.live``).
    return build_dataset(seed, now, region, real_configs)


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
        *,
        region: str = DEMO_REGION,
        activity_s: Optional[float] = None,
        real_configs: bool = False,
    ) -> None:
        """``now`` anchors the data set's times; ``clock`` is the wall clock used for tokens,
        X-Sdk-Date checks, Date headers and pushed tags (tests pass one to move time forward).
        ``region`` names the pull host in paths. ``activity_s``: every that many seconds of the
        clock, a build is pushed to acme/ci-builds, and every fifth time a release to acme/webapp
        (caught up when a request arrives, so a fake clock makes it deterministic).
        ``real_configs``: images carry config blobs with real bytes, which the registry data plane
        (``/v2/``) serves; their digests then differ from the default data set's."""
        self.seed = seed
        self.latency_ms = latency_ms
        # (real_configs only when set: the cache keys its arguments as given)
        self.dataset: Dataset = (
            _shared_dataset(seed, now, region, True) if real_configs else _shared_dataset(seed, now, region)
        )
        if isinstance(faults, FaultPlan):
            self.faults = faults
        elif isinstance(faults, str):
            self.faults = FaultPlan.parse(faults, seed=seed)
        else:
            self.faults = FaultPlan(faults or (), seed=seed)
        self.tokens = TokenStore(token_ttl_s)
        self._region = region
        self._enterprise: Optional[Enterprise] = None  # built on first use: the demo starts without it
        self.data_plane = DataPlane(lambda: self.dataset, self.faults, region)
        self._clock = clock or _utc_now
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._live = LiveTags(seed, self._clock)
        self._activity = Activity(self.dataset, activity_s, self._clock()) if activity_s is not None else None

    @property
    def enterprise(self) -> Enterprise:
        """The Enterprise Edition instances this registry serves (``fake.enterprise_data``)."""
        if self._enterprise is None:
            from swr_tui.fake.enterprise_data import build_enterprise

            self._enterprise = build_enterprise(self.dataset.anchor, self._region)
        return self._enterprise

    @enterprise.setter
    def enterprise(self, value: Enterprise) -> None:
        self._enterprise = value

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

    # -- tags that change while it runs ------------------------------------------------------

    def push_tag(
        self,
        namespace: str,
        repository: str,
        tag: str,
        *,
        like: Optional[str] = None,
        at: Optional[datetime] = None,
    ) -> None:
        """Push ``tag`` to one repository of this registry (others with the same seed never see
        it); pushing an existing tag moves it, as ``latest`` moves. It becomes the newest tag,
        created and updated ``at`` (default: the clock, or just after the newest tag if the clock
        is not past it; an explicit ``at`` must be newer than every tag there). ``like``: an
        existing tag whose manifest, digest and size it gets; without it, a new image derived
        from the seed and the name. Raises ValueError for an unknown repository or ``like`` tag."""
        self.catch_up()
        with self._live.lock:
            self.dataset = self._live.push(self.dataset, namespace, repository, [Push(tag, like, at)])

    def delete_tag(self, namespace: str, repository: str, tag: str) -> None:
        """Remove ``tag`` from one repository; ValueError if there is no such tag."""
        self.catch_up()
        with self._live.lock:
            self.dataset = self._live.delete(self.dataset, namespace, repository, tag)

    def catch_up(self) -> int:
        """Push what ``activity_s`` has made due by now; how many tags that was. ``handle`` calls it."""
        if self._activity is None:
            return 0
        with self._live.lock:
            builds, releases = self._activity.due(self._clock())
            dataset = self._live.push(self.dataset, MAIN_NAMESPACE, BIG_REPO, builds)
            self.dataset = self._live.push(dataset, MAIN_NAMESPACE, SHOWCASE_REPO, releases)
        return len(builds) + len(releases)

    # -- carriers --------------------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        from swr_tui.fake.transport import FakeTransport

        return FakeTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
        from swr_tui.fake.loopback import RunningServer

        return RunningServer(self, host, port)

    # -- the core --------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Outcome:
        request_id = uuid.uuid4().hex
        self.catch_up()
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
            answered = effects.rewrite_query(params, self.faults.query(route.name, params))
            reply = self._answer(request, route, answered, query_error, now, request_id)
            is_json_200 = reply.status == 200 and reply.raw is None and reply.content_type == JSON_TYPE
            for firing in self.faults.after(route.name, is_json_200, reply.page is not None):
                bent = effects.bend(reply, firing, request)
                if bent.action != effects.RESPOND:
                    action, hang_s = bent.action, bent.hang_s

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
        if route.name in DATA_PLANE_ROUTES and route.name != SECRET:
            return self.data_plane.answer(request, route.name, route.params, now)
        denied = authenticate(request, self.tokens, now, request_id)
        if denied is not None:
            return denied
        if route.name == SECRET:
            return self.data_plane.create_secret(request, now, f"swr.{self.dataset.region}.myhuaweicloud.com")
        if request.method != "GET":
            reply = swr_error(
                405, "SVCSTG.SWR.4050000", f"Method {request.method} not allowed: this registry is read-only"
            )
            reply.headers["Allow"] = "GET"
            return reply
        if query_error is not None:
            return invalid_param(str(query_error))
        if route.name in GOVERNANCE_ROUTES:
            return governance.respond(self.dataset, route, params)
        if route.name in ENTERPRISE_ROUTES:
            from swr_tui.fake import enterprise

            return enterprise.respond(self.enterprise, route, params)
        return api.respond(self.dataset, route, params)  # one snapshot, whatever is pushed meanwhile
