"""Every fault kind, over loopback HTTP and through the in-process transport, plus the spec parser."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry, FaultPlan, FaultRule

TAGS = "/v2/manage/namespaces/acme/repos/webapp/tags"
PAGE = {"filter": "offset::0|limit::10"}
WEBAPP_TAGS = 32


class Carrier:
    def __init__(self, registry: FakeRegistry, client: httpx.AsyncClient) -> None:
        self.registry = registry
        self.client = client

    def add(self, spec: str) -> None:
        for rule in FaultPlan.parse(spec).rules:
            self.registry.faults.add(rule)

    async def tags(self, **params: str) -> httpx.Response:
        return await self.client.get(TAGS, params=params or PAGE)


@pytest.fixture(params=["loopback", "in-process"])
async def carrier(request: pytest.FixtureRequest) -> AsyncIterator[Carrier]:
    registry = FakeRegistry(seed=0)
    headers = {"X-Auth-Token": DEMO_TOKEN}
    timeout = httpx.Timeout(5.0, read=0.3)
    if request.param == "loopback":
        with registry.serve() as server:
            async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=timeout) as client:
                yield Carrier(registry, client)
    else:
        transport = registry.transport()
        async with httpx.AsyncClient(
            transport=transport, base_url="http://swr-api.fake", headers=headers, timeout=timeout
        ) as client:
            yield Carrier(registry, client)


async def test_no_faults_is_a_normal_answer(carrier: Carrier) -> None:
    response = await carrier.tags()
    assert response.status_code == 200
    assert response.headers["Content-Range"] == f"0-10/{WEBAPP_TAGS}"
    assert len(response.json()) == 10


async def test_status_fires_times_then_stops(carrier: Carrier) -> None:
    carrier.add("tags:500x2")
    first, second, third = [await carrier.tags() for _ in range(3)]
    assert [first.status_code, second.status_code, third.status_code] == [500, 500, 200]
    assert first.json()["error_code"] == "SVCSTG.SWR.5000001"
    assert first.json()["errors"][0]["errorCode"] == "SVCSTG.SWR.5000001"
    assert carrier.registry.faults.fired(carrier.registry.faults.rules[0]) == 2
    assert carrier.registry.count("tags") == 3


async def test_gateway_statuses_are_html(carrier: Carrier) -> None:
    carrier.add("tags:503")
    response = await carrier.tags()
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "text/html"
    assert "<h1>503 Service Unavailable</h1>" in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_throttling_with_and_without_retry_after(carrier: Carrier) -> None:
    carrier.add("tags:429=3x1,namespaces:429x1")
    throttled = await carrier.tags()
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "3"
    assert throttled.json()["error_code"] == "APIGW.0308"
    bare = await carrier.client.get("/v2/manage/namespaces")
    assert bare.status_code == 429
    assert "Retry-After" not in bare.headers
    assert (await carrier.tags()).status_code == 200


async def test_slow(carrier: Carrier) -> None:
    carrier.add("tags:slow=150x1")
    started = time.monotonic()
    response = await carrier.tags()
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.15


async def test_timeout_then_recovery(carrier: Carrier) -> None:
    carrier.add("tags:timeoutx1")
    with pytest.raises(httpx.ReadTimeout):
        await carrier.tags()
    assert (await carrier.tags()).status_code == 200
    assert carrier.registry.requests[0].status == 0


async def test_drop_then_recovery(carrier: Carrier) -> None:
    carrier.add("tags:dropx1")
    with pytest.raises(httpx.RemoteProtocolError):
        await carrier.tags()
    assert (await carrier.tags()).status_code == 200


async def test_reset_mid_body_then_recovery(carrier: Carrier) -> None:
    carrier.add("tags:resetx1")
    with pytest.raises(httpx.ReadError):
        await carrier.tags()
    assert (await carrier.tags()).status_code == 200


async def test_malformed(carrier: Carrier) -> None:
    carrier.add("tags:malformedx1")
    response = await carrier.tags()
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert response.text.startswith('[{"id":')


async def test_deep_json_and_deep_error(carrier: Carrier) -> None:
    carrier.add("tags:deep-json=3x1,tags:deep-error=503x1+1")
    deep = await carrier.tags()
    assert (deep.status_code, deep.content) == (200, b"[[[]]]")
    assert deep.headers["Content-Range"] == f"0-10/{WEBAPP_TAGS}"  # the rest of the answer is kept
    error = await carrier.tags()
    assert error.status_code == 503
    assert error.content == b"[" * 100_000 + b"]" * 100_000


async def test_gzip_bomb_unpacks_a_thousandfold(carrier: Carrier) -> None:
    carrier.add("tags:gzip-bomb")
    async with carrier.client.stream("GET", TAGS, params=PAGE) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        wire = int(response.headers["Content-Length"])
        unpacked = 0
        async for chunk in response.aiter_bytes():
            unpacked += len(chunk)
            if unpacked > 20 * wire:
                break
    assert 2_000_000 < wire < 4_000_000
    assert set(chunk) == {0}
    assert unpacked > 20 * wire


async def test_bad_gzip_mislabels_a_plain_body(carrier: Carrier) -> None:
    carrier.add("tags:bad-gzipx1")
    async with carrier.client.stream("GET", TAGS, params=PAGE) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        raw = b"".join([part async for part in response.aiter_raw()])
    assert len(json.loads(raw)) == 10  # the plain JSON page, mislabelled
    carrier.add("tags:bad-gzipx1")
    with pytest.raises(httpx.DecodingError):
        await carrier.tags()
    assert (await carrier.tags()).status_code == 200


async def test_trickle_sends_the_real_body_slowly(carrier: Carrier) -> None:
    carrier.add("namespaces:trickle=5x1")
    started = time.monotonic()
    response = await carrier.client.get("/v2/manage/namespaces")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert [ns["name"] for ns in response.json()["namespaces"]][:2] == ["acme", "acme-dev"]
    assert elapsed > len(response.content) * 0.005 * 0.8


async def test_redirect_echo_token_and_bad_utf8(carrier: Carrier) -> None:
    carrier.add("tags:redirect=307x1,tags:echo-token=403x1+1,tags:bad-utf8x1+2")
    moved = await carrier.tags()
    assert moved.status_code == 307
    assert moved.headers["Location"].startswith("https://sso.example.invalid/login?next=%2Fv2%2Fmanage")
    assert moved.headers["Location"].endswith(f"&ticket={DEMO_TOKEN}")
    echoed = await carrier.tags()
    assert echoed.status_code == 403
    assert echoed.headers.get_list("X-Request-Id")[-1] == f"rid-{DEMO_TOKEN}"
    spoiled = await carrier.tags()
    assert spoiled.status_code == 200
    name_end = spoiled.content.index(b'","image_id"')
    assert spoiled.content[name_end - 1 : name_end] == b"\xff"
    with pytest.raises(UnicodeDecodeError):
        spoiled.content.decode("utf-8")
    assert len(json.loads(spoiled.content.decode("utf-8", "replace"))) == 10


async def test_wrong_shapes(carrier: Carrier) -> None:
    carrier.add(
        "tags:wrong-shapex1,tags:wrong-shape=strings+1x1,tags:wrong-shape=nulls+2x1,namespaces:wrong-shape"
    )
    container = (await carrier.tags()).json()
    assert isinstance(container, dict)
    assert container["total"] == 10
    assert len(container["items"]) == 10
    strings = (await carrier.tags()).json()
    assert isinstance(strings[0]["size"], str)
    assert int(strings[0]["size"]) > 0
    assert isinstance(strings[0]["schema"], str)
    nulls = (await carrier.tags()).json()
    assert nulls[0]["Tag"].endswith(".sig")
    assert nulls[1]["Tag"] == "latest"
    assert nulls[0]["digest"] is None
    assert nulls[0]["size"] is None
    assert nulls[0]["manifest"] is None
    namespaces = (await carrier.client.get("/v2/manage/namespaces")).json()
    assert isinstance(namespaces, list)
    assert namespaces[0]["name"] == "acme"


async def test_content_range_faults(carrier: Carrier) -> None:
    carrier.add("tags:no-content-rangex1,tags:bad-content-range+1x1,tags:empty-page+2x1")
    missing = await carrier.tags()
    assert "Content-Range" not in missing.headers
    assert len(missing.json()) == 10
    bad = await carrier.tags()
    assert bad.headers["Content-Range"] == "items 0-9/abc"
    assert len(bad.json()) == 10
    empty = await carrier.tags(filter="offset::10|limit::10")
    assert empty.json() == []
    assert empty.headers["Content-Range"] == f"10-0/{WEBAPP_TAGS}"
    assert (await carrier.tags()).headers["Content-Range"] == f"0-10/{WEBAPP_TAGS}"


async def test_page_faults_skip_answers_without_pages(carrier: Carrier) -> None:
    carrier.add("*:empty-pagex1")
    # Neither a show nor an unpaged list uses up the rule.
    assert (await carrier.client.get(f"{TAGS}/latest")).status_code == 200
    assert len((await carrier.client.get(TAGS)).json()) == WEBAPP_TAGS
    assert (await carrier.tags()).json() == []


async def test_total_drift(carrier: Carrier) -> None:
    carrier.add("tags:total-drift")
    first = await carrier.tags(filter="offset::0|limit::10")
    second = await carrier.tags(filter="offset::10|limit::10")
    assert first.headers["Content-Range"] == f"0-10/{WEBAPP_TAGS + 5}"
    assert second.headers["Content-Range"] == f"10-10/{WEBAPP_TAGS + 10}"
    carrier.registry.faults.clear()
    carrier.add("tags:total-drift=-20")
    assert (await carrier.tags()).headers["Content-Range"] == f"0-10/{WEBAPP_TAGS - 20}"


async def test_after_and_route_scoping(carrier: Carrier) -> None:
    carrier.add("tags:500+2")
    statuses = [(await carrier.tags()).status_code for _ in range(4)]
    assert statuses == [200, 200, 500, 500]
    assert (await carrier.client.get("/v2/manage/repos")).status_code == 200


async def test_any_route_and_iam(carrier: Carrier) -> None:
    carrier.add("*:500x2")
    assert (await carrier.client.get("/v2/manage/namespaces")).status_code == 500
    iam = await carrier.client.post("/v3/auth/tokens", json={})
    assert iam.status_code == 500
    assert iam.json() == {
        "error": {"code": 500, "message": "Internal Server Error", "title": "Internal Server Error"}
    }


def run_with_probability(seed: int) -> list[int]:
    registry = FakeRegistry(seed=seed, faults="tags:500@0.5")
    statuses = []
    headers = {"X-Auth-Token": DEMO_TOKEN}
    with registry.serve() as server, httpx.Client(base_url=server.url, headers=headers) as client:
        for _ in range(24):
            statuses.append(client.get(TAGS, params=PAGE).status_code)
    return statuses


def test_probability_is_seeded() -> None:
    first, again, other = run_with_probability(0), run_with_probability(0), run_with_probability(7)
    assert first == again
    assert first != other
    assert set(first) == {200, 500}


def test_constructor_accepts_spec_plan_or_rules() -> None:
    rule = FaultRule("tags", "drop")
    assert FakeRegistry(faults=[rule]).faults.rules == [rule]
    assert FakeRegistry(faults="tags:drop").faults.rules == [rule]
    plan = FaultPlan([rule])
    assert FakeRegistry(faults=plan).faults is plan
    assert FakeRegistry().faults.rules == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", []),
        (
            "tags:500x2,repos:429=3,*:slow=200@0.5",
            [
                FaultRule("tags", "status", 500, times=2),
                FaultRule("repos", "429", 3),
                FaultRule("*", "slow", 200, probability=0.5),
            ],
        ),
        ("tags:503", [FaultRule("tags", "status", 503)]),
        ("tag:status=404", [FaultRule("tag", "status", 404)]),
        ("namespaces:429", [FaultRule("namespaces", "429")]),
        ("tags:empty-page+1x1", [FaultRule("tags", "empty-page", times=1, after=1)]),
        ("tags:wrong-shape=nullsx2", [FaultRule("tags", "wrong-shape", "nulls", times=2)]),
        ("repos:total-drift=-5@0.25+3", [FaultRule("repos", "total-drift", -5, probability=0.25, after=3)]),
        (
            " iam:timeout=2.5 , shared:reset ",
            [FaultRule("iam", "timeout", 2.5), FaultRule("shared", "reset")],
        ),
        ("tags:slow=1.5", [FaultRule("tags", "slow", 1.5)]),
        (
            "iam:deep-json=50,tags:deep-error=401",
            [FaultRule("iam", "deep-json", 50), FaultRule("tags", "deep-error", 401)],
        ),
        ("*:gzip-bomb,tags:trickle=2000", [FaultRule("*", "gzip-bomb"), FaultRule("tags", "trickle", 2000)]),
        (
            "tags:redirect=301,iam:echo-token=401x1",
            [FaultRule("tags", "redirect", 301), FaultRule("iam", "echo-token", 401, times=1)],
        ),
        ("namespaces:bad-utf8", [FaultRule("namespaces", "bad-utf8")]),
    ],
)
def test_spec_parser_accepts(spec: str, expected: list[FaultRule]) -> None:
    rules = FaultPlan.parse(spec, seed=3).rules
    assert rules == expected
    assert [FaultPlan.parse(str(rule)).rules[0] for rule in rules] == rules


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tags", "expected ROUTE:KIND"),
        ("tags:", "expected ROUTE:KIND"),
        ("bogus:500", "unknown route 'bogus'"),
        ("tags:explode", "unknown fault kind 'explode'"),
        ("tags:500=3", "a bare status takes no argument"),
        ("tags:status=200", "400-599"),
        ("tags:status", "needs an integer"),
        ("tags:slow", "needs a number"),
        ("tags:500@1.5", "probability"),
        ("tags:500@0", "probability"),
        ("tags:500x0", "times must be at least 1"),
        ("tags:500x1.5", "invalid literal"),
        ("tags:drop=3", "takes no argument"),
        ("tags:wrong-shape=weird", "wrong-shape takes one of"),
        ("tags:total-drift=0", "non-zero"),
        ("tags:500,,repos:503", "expected ROUTE:KIND"),
        ("tags:500x2x3", "x given twice"),
        ("tags:429=-1", "at least 0"),
        ("tags:deep-json=0", "at least 1"),
        ("tags:trickle", "needs a number"),
        ("tags:redirect=200", "redirect status (300-399)"),
        ("tags:echo-token=302", "HTTP error code (400-599)"),
        ("tags:deep-error=200", "HTTP error code (400-599)"),
        ("tags:bad-utf8=1", "takes no argument"),
    ],
)
def test_spec_parser_rejects(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match="bad fault rule") as error:
        FaultPlan.parse(spec)
    assert message in str(error.value)
