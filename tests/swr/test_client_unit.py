"""SwrClient at unit level over httpx.MockTransport: URLs, headers, retries, response shapes."""

from __future__ import annotations

import json
import random
import ssl
from typing import Any, Callable, Optional, Union

import httpx
import pytest

from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import (
    USER_AGENT,
    SwrClient,
    name_segment,
    repo_segment,
    split_repository,
    tls_verify,
)
from swr_tui.swr.errors import (
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseFormatError,
    ServerError,
    TransportError,
)
from swr_tui.swr.retry import RetryPolicy

ENDPOINT = "https://swr-api.cn-north-4.myhuaweicloud.com"
Reply = Union[httpx.Response, Exception]


class Recorder:
    """A MockTransport handler that answers from a script and records every request."""

    def __init__(self, replies: Optional[list[Reply]] = None, default: Optional[Reply] = None) -> None:
        self.replies = list(replies or [])
        self.default = default if default is not None else httpx.Response(200, json=[])
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if self.replies else self.default
        if isinstance(reply, Exception):
            raise reply
        return reply

    @property
    def wire(self) -> list[str]:
        return [request.url.raw_path.decode("ascii") for request in self.requests]


class Sleeps(list):  # type: ignore[type-arg]
    async def __call__(self, delay: float) -> None:
        self.append(delay)


def _client(recorder: Recorder, sleeps: Optional[Sleeps] = None, retries: int = 3) -> SwrClient:
    return SwrClient(
        ENDPOINT,
        transport=httpx.MockTransport(recorder),
        sleep=sleeps if sleeps is not None else Sleeps(),
        retry=RetryPolicy(retries=retries, rng=random.Random(42)),
    )


def _json(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )


TAG = {"Tag": "v1", "digest": "sha256:1", "size": 5, "tag_type": 0}


# -- URL building ---------------------------------------------------------------------------------


def test_segments() -> None:
    assert repo_segment("team/app") == "team%24app"
    assert repo_segment("a/b/c") == "a%24b%24c"
    assert repo_segment("app") == "app"
    assert repo_segment("a$b") == "a%24b"
    assert name_segment("v1.0+b:1 x/y~z") == "v1.0%2Bb%3A1%20x%2Fy~z"
    assert name_segment("ü") == "%C3%BC"


async def test_list_namespaces_url() -> None:
    recorder = Recorder(
        default=_json(200, {"namespaces": [{"name": "a", "auth": 7}, {"name": "b", "auth": 1}]})
    )
    async with _client(recorder) as client:
        namespaces = await client.list_namespaces()
        await client.list_namespaces(name="team-x", visible=True)
    assert [(ns.name, ns.access) for ns in namespaces] == [("a", "manage"), ("b", "read")]
    assert recorder.wire == [
        "/v2/manage/namespaces",
        "/v2/manage/namespaces?filter=namespace%3A%3Ateam-x%7Cmode%3A%3Avisible",
    ]


async def test_list_tags_url_and_filter_on_the_wire() -> None:
    recorder = Recorder()
    async with _client(recorder) as client:
        await client.list_tags("NS", "team/app")
        await client.list_tags("NS", "team/app", offset=200, limit=50, order="asc", tag="v1.0 rc")
    assert recorder.wire == [
        "/v2/manage/namespaces/NS/repos/team%24app/tags"
        "?filter=offset%3A%3A0%7Climit%3A%3A100%7Corder_column%3A%3Aupdated_at%7Corder_type%3A%3Adesc",
        "/v2/manage/namespaces/NS/repos/team%24app/tags"
        "?filter=offset%3A%3A200%7Climit%3A%3A50%7Corder_column%3A%3Aupdated_at%7Corder_type%3A%3Aasc"
        "%7Ctag%3A%3Av1.0%20rc",
    ]
    assert recorder.requests[1].url.params["filter"] == (
        "offset::200|limit::50|order_column::updated_at|order_type::asc|tag::v1.0 rc"
    )


async def test_list_tags_empty_tag_filter_left_out() -> None:
    recorder = Recorder()
    async with _client(recorder) as client:
        await client.list_tags("ns", "app", tag="")
    assert "tag" not in recorder.requests[0].url.params["filter"]


@pytest.mark.parametrize(
    ("tag", "segment"),
    [
        ("latest", "latest"),
        ("v1.0-rc_1", "v1.0-rc_1"),
        ("v1+build.5", "v1%2Bbuild.5"),
        ("a b", "a%20b"),
        ("x/y", "x%2Fy"),
        ("100%", "100%25"),
        ("ü~", "%C3%BC~"),
        ("q?#&=", "q%3F%23%26%3D"),
    ],
)
async def test_show_tag_url_special_characters(tag: str, segment: str) -> None:
    recorder = Recorder(default=_json(200, {"tag": tag, "digest": "sha256:9"}))
    async with _client(recorder) as client:
        result = await client.show_tag("my-ns", "team/app", tag)
    assert recorder.wire == [f"/v2/manage/namespaces/my-ns/repos/team%24app/tags/{segment}"]
    assert result.name == tag


async def test_show_repository_url() -> None:
    recorder = Recorder(default=_json(200, {"name": "team/app", "created": "c", "num_images": "4"}))
    async with _client(recorder) as client:
        repo = await client.show_repository("ns", "team/app")
    assert recorder.wire == ["/v2/manage/namespaces/ns/repos/team%24app"]
    assert (repo.namespace, repo.name, repo.created, repo.num_images) == ("ns", "team/app", "c", 4)


async def test_list_repositories_url_and_namespace_fallback() -> None:
    recorder = Recorder(default=_json(200, [{"name": "app"}, {"name": "b", "namespace": "other"}]))
    async with _client(recorder) as client:
        page = await client.list_repositories("ns", name="team/app", limit=2, order_column="updated_time")
    assert recorder.wire == [
        "/v2/manage/repos?filter=namespace%3A%3Ans%7Cname%3A%3Ateam%24app%7Coffset%3A%3A0%7Climit%3A%3A2"
        "%7Corder_column%3A%3Aupdated_time%7Corder_type%3A%3Aasc"
    ]
    assert [r.full_name for r in page.items] == ["ns/app", "other/b"]


async def test_list_shared_repositories_url() -> None:
    recorder = Recorder()
    async with _client(recorder) as client:
        page = await client.list_shared_repositories(center="self", limit=10, order_type="desc")
    assert recorder.wire == [
        "/v2/manage/shared-repositories?filter=center%3A%3Aself%7Coffset%3A%3A0%7Climit%3A%3A10"
        "%7Corder_column%3A%3Aname%7Corder_type%3A%3Adesc"
    ]
    assert page.items == ()
    assert page.total == 0
    assert page.is_last


async def test_headers_sent() -> None:
    recorder = Recorder()
    async with _client(recorder) as client:
        await client.list_tags("ns", "app")
    headers = recorder.requests[0].headers
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("swr-tui/")
    assert headers["Host"] == "swr-api.cn-north-4.myhuaweicloud.com"
    assert "Authorization" not in headers
    assert "X-Auth-Token" not in headers
    assert recorder.requests[0].method == "GET"


def test_endpoint_trailing_slash_and_repr() -> None:
    client = SwrClient(ENDPOINT + "/", transport=httpx.MockTransport(Recorder()))
    assert client.endpoint == ENDPOINT
    assert repr(client) == f"SwrClient(endpoint='{ENDPOINT}', auth=none)"


# -- retries --------------------------------------------------------------------------------------


async def test_retries_on_503_then_success() -> None:
    recorder = Recorder([_json(503, {}), _json(502, {}), _json(200, [TAG])])
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        page = await client.list_tags("ns", "app")
        assert client.request_count == 3
    assert [tag.name for tag in page.items] == ["v1"]
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5
    assert 0 <= sleeps[1] <= 1.0
    assert len(set(recorder.wire)) == 1  # the same request each time


async def test_retry_after_honoured_on_429() -> None:
    recorder = Recorder([_json(429, {}, **{"Retry-After": "3"}), _json(200, [])])
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        await client.list_tags("ns", "app")
    assert sleeps == [3.0]


async def test_retry_after_honoured_on_503() -> None:
    recorder = Recorder([_json(503, {}, **{"Retry-After": "2"}), _json(200, [])])
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        await client.list_tags("ns", "app")
    assert sleeps == [2.0]


async def test_retry_after_over_limit_gives_up_at_once() -> None:
    recorder = Recorder([_json(429, {"error_msg": "slow down"}, **{"Retry-After": "120"})])
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        with pytest.raises(RateLimitedError) as info:
            await client.list_tags("ns", "app")
        assert client.request_count == 1
    assert sleeps == []
    assert info.value.retry_after == 120.0


async def test_retries_exhausted_raises_last_error() -> None:
    recorder = Recorder(default=_json(503, {"error_code": "SVCSTG.SWR.5000001", "error_msg": "busy"}))
    sleeps = Sleeps()
    async with _client(recorder, sleeps, retries=2) as client:
        with pytest.raises(ServerError) as info:
            await client.list_tags("ns", "app")
        assert client.request_count == 3
    assert len(sleeps) == 2
    assert info.value.code == "SVCSTG.SWR.5000001"
    assert "the tags of ns/app" in str(info.value)


@pytest.mark.parametrize(("status", "cls"), [(400, BadRequestError), (403, PermissionDeniedError)])
async def test_client_errors_not_retried(status: int, cls: type) -> None:
    recorder = Recorder(default=_json(status, {"error_msg": "no"}))
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        with pytest.raises(cls):
            await client.list_tags("ns", "app")
        assert client.request_count == 1
    assert sleeps == []


def _req() -> httpx.Request:
    return httpx.Request("GET", ENDPOINT)


async def test_connect_error_retried_then_success() -> None:
    recorder = Recorder(
        [httpx.ConnectError("refused", request=_req()), httpx.ReadError("reset"), _json(200, [])]
    )
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        page = await client.list_tags("ns", "app")
        assert client.request_count == 3
    assert page.items == ()
    assert len(sleeps) == 2


async def test_read_timeout_not_retried() -> None:
    recorder = Recorder([httpx.ReadTimeout("timed out")])
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        with pytest.raises(RequestTimeoutError, match="waiting for an answer from"):
            await client.list_tags("ns", "app")
        assert client.request_count == 1
    assert sleeps == []


async def test_certificate_failure_not_retried() -> None:
    exc = httpx.ConnectError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
    )
    recorder = Recorder([exc])
    async with _client(recorder) as client:
        with pytest.raises(TransportError, match="--ca-bundle"):
            await client.list_namespaces()
        assert client.request_count == 1


async def test_a_token_with_a_newline_is_refused_before_sending_without_quoting_it() -> None:
    token = "MIIZ-token-secret-with-newline\n"
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"namespaces": []})

    async with SwrClient(ENDPOINT, TokenAuth(token), transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ConfigurationError) as info:
            await client.list_namespaces()
    assert sent == []
    assert "MIIZ-token-secret" not in f"{info.value} {info.value!r}"
    assert "line break" in str(info.value)


async def test_invalid_header_value_error_hides_the_token() -> None:
    token = "MIIZ-token-secret-plain"

    def handler(request: httpx.Request) -> httpx.Response:
        # httpcore refuses a header and quotes its value in the exception text.
        raise httpx.LocalProtocolError(
            f"Illegal header value {request.headers['X-Auth-Token']!r}", request=request
        )

    async with SwrClient(ENDPOINT, TokenAuth(token), transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(TransportError) as info:
            await client.list_namespaces()
        assert client.request_count == 1
    assert "MIIZ-token-secret" not in f"{info.value} {info.value!r}"
    assert "header value is not valid HTTP" in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


async def test_connect_errors_exhausted() -> None:
    recorder = Recorder(default=httpx.ConnectError("[Errno 111] Connection refused"))
    sleeps = Sleeps()
    async with _client(recorder, sleeps) as client:
        with pytest.raises(TransportError, match="Cannot connect to") as info:
            await client.list_namespaces()
        assert client.request_count == 4
    assert len(sleeps) == 3
    # The httpx error is left out of the chain on purpose: it may quote a header value.
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


# -- responses ------------------------------------------------------------------------------------


async def test_404_names_the_repository() -> None:
    body = {"error_code": "SVCSTG.SWR.4040010", "error_msg": "image does not exist"}
    recorder = Recorder(default=_json(404, body, **{"X-Request-Id": "rid-9"}))
    async with _client(recorder) as client:
        with pytest.raises(NotFoundError) as repo_info:
            await client.show_repository("ns", "team/app")
        with pytest.raises(NotFoundError) as tags_info:
            await client.list_tags("ns", "team/app")
        with pytest.raises(NotFoundError) as tag_info:
            await client.show_tag("ns", "team/app", "v9")
        assert client.request_count == 3
    assert "repository ns/team/app" in str(repo_info.value)
    assert "the tags of ns/team/app" in str(tags_info.value)
    assert "tag ns/team/app:v9" in str(tag_info.value)
    assert repo_info.value.request_id == "rid-9"
    assert repo_info.value.code == "SVCSTG.SWR.4040010"


async def test_non_json_200_is_format_error() -> None:
    page = httpx.Response(200, content=b"<html>proxy login</html>", headers={"Content-Type": "text/html"})
    recorder = Recorder(default=page)
    async with _client(recorder) as client:
        with pytest.raises(ResponseFormatError) as info:
            await client.list_tags("ns", "app")
    assert "not JSON (text/html, 24 bytes)" in str(info.value)
    assert "the tags of ns/app" in str(info.value)


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        ("list_tags", {"tags": []}, "an array"),
        ("list_tags", [1, 2], "an array of objects"),
        ("list_tags", [TAG, "v2"], "an array of objects"),
        ("list_tags", [None], "an array of objects"),
        ("list_namespaces", [], 'an object with a "namespaces" array'),
        ("list_namespaces", {"namespaces": {"a": 1}}, 'an object with a "namespaces" array'),
        ("list_namespaces", {"namespaces": ["ns"]}, "an array of objects"),
        ("show_tag", [TAG], "an object"),
        ("show_repository", "text", "an object"),
        ("list_repositories", {"repos": []}, "an array"),
    ],
)
async def test_wrong_json_shapes(method: str, body: Any, expected: str) -> None:
    recorder = Recorder(default=_json(200, body))
    calls: dict[str, Callable[[SwrClient], Any]] = {
        "list_tags": lambda c: c.list_tags("ns", "app"),
        "list_namespaces": lambda c: c.list_namespaces(),
        "show_tag": lambda c: c.show_tag("ns", "app", "v1"),
        "show_repository": lambda c: c.show_repository("ns", "app"),
        "list_repositories": lambda c: c.list_repositories("ns"),
    }
    async with _client(recorder) as client:
        with pytest.raises(ResponseFormatError) as info:
            await calls[method](client)
    assert f"not {expected} as the SWR API promises" in str(info.value)


async def test_content_range_gives_total() -> None:
    recorder = Recorder(default=_json(200, [TAG] * 3, **{"Content-Range": "0-3/57"}))
    async with _client(recorder) as client:
        page = await client.list_tags("ns", "app", limit=3)
    assert (page.total, page.offset, page.limit, page.end, page.is_last) == (57, 0, 3, 3, False)


async def test_content_range_absent_total_inferred() -> None:
    recorder = Recorder([_json(200, [TAG] * 2), _json(200, [TAG] * 5), _json(200, [])])
    async with _client(recorder) as client:
        short = await client.list_tags("ns", "app", offset=10, limit=5)
        full = await client.list_tags("ns", "app", offset=0, limit=5)
        empty = await client.list_tags("ns", "app", offset=15, limit=5)
    assert (short.total, short.is_last) == (12, True)
    assert (full.total, full.is_last) == (None, False)
    assert (empty.total, empty.is_last) == (15, True)


async def test_garbage_content_range_treated_as_absent() -> None:
    recorder = Recorder(default=_json(200, [TAG], **{"Content-Range": "items abc"}))
    async with _client(recorder) as client:
        page = await client.list_tags("ns", "app", limit=5)
    assert page.total == 1


async def test_request_count_accumulates_over_calls() -> None:
    recorder = Recorder([_json(500, {}), _json(200, []), _json(200, {"namespaces": []})])
    async with _client(recorder, Sleeps()) as client:
        await client.list_tags("ns", "app")
        await client.list_namespaces()
        assert client.request_count == 3


# -- argument checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("NS/team/app", ("NS", "team/app")),
        ("ns/app", ("ns", "app")),
        (" ns/app ", ("ns", "app")),
        ("/ns/a/b/c/", ("ns", "a/b/c")),
    ],
)
def test_split_repository(full_name: str, expected: tuple[str, str]) -> None:
    assert split_repository(full_name) == expected


@pytest.mark.parametrize("full_name", ["", "ns", "ns/", "/app", "/", "  ", "//"])
def test_split_repository_bad_input(full_name: str) -> None:
    with pytest.raises(ValueError, match="expected NAMESPACE/REPOSITORY"):
        split_repository(full_name)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_tags("ns", "app", order="newest"),
        lambda c: c.list_tags("ns", "app", limit=0),
        lambda c: c.list_tags("ns", "app", limit=1001),
        lambda c: c.list_tags("ns", "app", tag="a|b"),
        lambda c: c.list_repositories("ns", order_type="DESC"),
        lambda c: c.list_repositories("ns", limit=-5),
        lambda c: c.list_shared_repositories(limit=5000),
        lambda c: c.list_shared_repositories(order_type="up"),
    ],
)
async def test_invalid_arguments_raise_value_error_before_sending(call: Callable[[SwrClient], Any]) -> None:
    recorder = Recorder()
    async with _client(recorder) as client:
        with pytest.raises(ValueError, match=r"order|limit|\|"):
            await call(client)
        assert client.request_count == 0
    assert recorder.requests == []


def test_tls_verify(tmp_path: Any) -> None:
    import certifi

    assert isinstance(tls_verify(certifi.where(), insecure=False), ssl.SSLContext)
    assert tls_verify(None, insecure=True) is False
    assert tls_verify("/does/not/matter", insecure=True) is False
    assert tls_verify(None, insecure=False) is True
    with pytest.raises(ConfigurationError, match="could not be used"):
        tls_verify(str(tmp_path / "missing.pem"), insecure=False)


@pytest.mark.parametrize("content", ["", "not a certificate\n", "-----BEGIN CERTIFICATE-----\nAAAA\n"])
def test_tls_verify_refuses_a_ca_bundle_that_is_not_pem(tmp_path: Any, content: str) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        tls_verify(str(bundle), insecure=False)
    message = str(caught.value)
    assert message.startswith(f"The CA bundle {bundle} could not be used (")
    assert "--ca-bundle needs a PEM file" in message
    assert "\n" not in message
