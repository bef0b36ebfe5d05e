"""Issue 15 (transport) and issue 16 item 6: a hostile server or proxy over real loopback HTTP.

Each case arms a fault kind of the fake registry (swr_tui/fake/faults.py) and checks the client's
error, and for the headless commands the exit status and the one line on stderr: JSON nested past
Python's limit, a gzip bomb, a body trickled a byte at a time, a redirect elsewhere, a byte that is
not UTF-8, a request id that echoes the caller's secret, a CA bundle that is not PEM, a non-ASCII
access key, and IAM login failures that must name the IAM host, not the registry's.
"""

from __future__ import annotations

import io
import logging
import socket
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any, Optional

import httpx
import pytest
from fault_rules import arm

from swr_tui.cli import main
from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
    FakeRegistry,
)
from swr_tui.fake.hostile_wire import REDIRECT_HOST
from swr_tui.swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from swr_tui.swr.body import MAX_BODY_BYTES
from swr_tui.swr.client import DEFAULT_TIMEOUT_S, SwrClient
from swr_tui.swr.errors import (
    AuthenticationError,
    ConfigurationError,
    HttpError,
    PermissionDeniedError,
    RequestTimeoutError,
    ResponseFormatError,
    ServerError,
    SwrError,
    TransportError,
)
from swr_tui.swr.retry import RetryPolicy

SECRETS = (DEMO_TOKEN, DEMO_SK, DEMO_PASSWORD, DEMO_AK)
DEADLINE_SLACK_S = 1.5  # start-up of the command and the grace after the deadline, on a busy machine
BOMB_TIMEOUT_S = 30.0  # unpacking 256 MiB takes a second, more on a loaded machine


def client(url: str, auth: Optional[httpx.Auth] = None, timeout: float = DEFAULT_TIMEOUT_S) -> SwrClient:
    return SwrClient(url, auth or TokenAuth(DEMO_TOKEN), timeout=timeout, retry=RetryPolicy(retries=0))


async def failure(
    url: str, auth: Optional[httpx.Auth] = None, timeout: float = DEFAULT_TIMEOUT_S
) -> SwrError:
    async with client(url, auth, timeout) as swr:
        with pytest.raises(SwrError) as caught:
            await swr.list_tags("acme", "webapp")
    return caught.value


def fit_for_people(error: BaseException, *secrets: str) -> str:
    message = str(error)
    assert "\n" not in message
    assert "Traceback" not in message
    for secret in (*SECRETS, *secrets):
        assert secret not in message
        assert secret not in repr(error)
    return message


class Cli:
    def __init__(self, *argv: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        self.code = main(list(argv), out, err)
        self.seconds = time.monotonic() - started
        self.out, self.err = out.getvalue(), err.getvalue()

    def failed_with(self, code: int, *words: str) -> str:
        assert self.code == code, (self.code, self.out, self.err)
        assert self.out == ""
        assert self.err.startswith("swr-tui: ")
        assert self.err.count("\n") == 1, self.err
        assert self.err.endswith("\n")
        assert "Traceback" not in self.err
        for secret in SECRETS:
            assert secret not in self.err
        for word in words:
            assert word in self.err, self.err
        return self.err


@pytest.fixture
def token_env(monkeypatch: pytest.MonkeyPatch, live: str) -> str:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SWR_TUI_ENDPOINT", live)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", lambda: RetryPolicy(retries=0))
    return live


def password_env(monkeypatch: pytest.MonkeyPatch, registry_url: str, iam_url: str) -> None:
    monkeypatch.setenv("SWR_TUI_ENDPOINT", registry_url)
    monkeypatch.setenv("SWR_TUI_USERNAME", DEMO_USER)
    monkeypatch.setenv("SWR_TUI_DOMAIN", DEMO_DOMAIN)
    monkeypatch.setenv("SWR_TUI_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("SWR_TUI_REGION", DEMO_REGION)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", iam_url)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", lambda: RetryPolicy(retries=0))


@pytest.fixture
def iam_registry() -> Iterator[tuple[FakeRegistry, str]]:
    """A second fake registry, used only as the IAM endpoint (faults there strike only the login)."""
    iam = FakeRegistry(seed=0)
    with iam.serve() as server:
        yield iam, server.url


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- 2. a request id (or a Location) that echoes the caller's secret -----------------------------------


@pytest.mark.parametrize(
    ("auth", "status", "error"),
    [
        (TokenAuth(DEMO_TOKEN), 500, ServerError),
        (TokenAuth(DEMO_TOKEN), 404, HttpError),
        (AkSkAuth(DEMO_AK, DEMO_SK), 403, PermissionDeniedError),
    ],
    ids=["token-500", "token-404", "aksk-403"],
)
async def test_a_request_id_echoing_the_credentials_is_masked(
    registry: FakeRegistry, live: str, auth: httpx.Auth, status: int, error: type[SwrError]
) -> None:
    arm(registry, f"tags:echo-token={status}")
    caught = await failure(live, auth)
    assert isinstance(caught, error)
    message = fit_for_people(caught)
    # The fake sends its own X-Request-Id and the echoing one: httpx joins them with ", ".
    assert caught.request_id is not None
    assert caught.request_id.endswith(", rid-***")
    assert f"request {caught.request_id})" in message
    sent = registry.requests[-1].headers
    echoed = sent.get("x-auth-token") or sent["authorization"]
    assert echoed not in message
    assert echoed.rpartition("Signature=")[2] not in message


async def test_an_iam_request_id_echoing_the_password_is_masked(registry: FakeRegistry, live: str) -> None:
    arm(registry, "iam:echo-token=401")
    caught = await failure(live, PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION))
    assert isinstance(caught, AuthenticationError)
    message = fit_for_people(caught)
    assert message.endswith(", rid-***)")


@pytest.mark.parametrize(
    ("spec", "masked"),
    [
        ("tags:echo-token=403", "rid-***"),  # the secret echoed in X-Request-Id
        ("tags:redirect", "ticket=***"),  # the secret echoed in the Location's query
        ("iam:echo-token=401", "rid-***"),
    ],
)
async def test_an_echoed_secret_stays_out_of_debug_logs(
    registry: FakeRegistry, live: str, caplog: pytest.LogCaptureFixture, spec: str, masked: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="httpcore")
    caplog.set_level(logging.DEBUG, logger="httpx")
    arm(registry, spec)
    auth = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    await failure(live, auth)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "receive_response_headers.complete" in logged  # the trace that lists the headers
    assert masked in logged
    issued = [
        request.headers["x-auth-token"] for request in registry.requests if "x-auth-token" in request.headers
    ]
    for secret in (DEMO_PASSWORD, *issued):
        assert secret not in logged


def test_the_cli_masks_an_echoed_request_id(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "tags:echo-token=403")
    Cli("tags", "acme/webapp").failed_with(1, "Permission denied", ", rid-***)")


# -- 5. JSON nested 100,000 deep: in a page, in an error body, in IAM's answers -------------------------


async def test_deeply_nested_json_in_a_page_is_a_format_error(registry: FakeRegistry, live: str) -> None:
    arm(registry, "tags:deep-json")
    caught = await failure(live)
    assert type(caught) is ResponseFormatError
    assert "answer for the tags of acme/webapp is JSON nested too deeply to read" in fit_for_people(caught)


async def test_deeply_nested_json_in_an_error_body_keeps_the_status(
    registry: FakeRegistry, live: str
) -> None:
    arm(registry, "tags:deep-error=503")
    caught = await failure(live)
    assert type(caught) is ServerError
    assert "HTTP 503 while loading the tags of acme/webapp" in fit_for_people(caught)


async def test_deeply_nested_json_from_iam(registry: FakeRegistry, live: str) -> None:
    auth = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    arm(registry, "iam:deep-error=401x1")
    caught = await failure(live, auth)
    assert type(caught) is AuthenticationError
    assert f"IAM refused the user name, account or password (IAM endpoint {live})" in fit_for_people(caught)

    # A 201 with the token but an unreadable body: the token is used, with the default lifetime.
    arm(registry, "iam:deep-json")
    fresh = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION, clock=lambda: 0.0)
    async with client(live, fresh) as swr:
        page = await swr.list_tags("acme", "webapp")
    assert page.total == 32
    assert fresh.token_expires_at == 24 * 3600.0


def test_the_cli_says_a_deeply_nested_answer_in_one_line(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "tags:deep-json")
    Cli("tags", "acme/webapp").failed_with(1, "nested too deeply", "check --endpoint")


# -- 7. a gzip bomb: 3 MB that unpacks to 3 GB ----------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_cap(registry: FakeRegistry, live: str) -> None:
    arm(registry, "tags:gzip-bomb")
    tracemalloc.start()
    try:
        caught = await failure(live, timeout=BOMB_TIMEOUT_S)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(caught) is ResponseFormatError
    message = fit_for_people(caught)
    assert "answer for the tags of acme/webapp is over 256 MiB once decompressed" in message
    assert "stopped reading it" in message
    # Read as a stream and dropped at the cap: the cap plus one unpacked network read, not 3 GB.
    assert peak < 2 * MAX_BODY_BYTES, peak


async def test_a_gzip_bomb_from_iam_names_the_iam_endpoint(
    live: str, iam_registry: tuple[FakeRegistry, str]
) -> None:
    iam, iam_url = iam_registry
    arm(iam, "iam:gzip-bomb")
    auth = PasswordAuth(iam_url, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    caught = await failure(live, auth, timeout=BOMB_TIMEOUT_S)
    assert type(caught) is ResponseFormatError
    message = fit_for_people(caught)
    assert f"The answer of the IAM endpoint {iam_url} to the login is over 256 MiB" in message


def test_the_cli_survives_a_gzip_bomb(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "*:gzip-bomb")
    Cli("namespaces").failed_with(1, "over 256 MiB once decompressed")


# -- 16. a body trickled a byte every 2 s: --timeout is one deadline per request -------------------------


def test_a_trickled_answer_ends_at_the_timeout(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "tags:trickle=2000")
    run = Cli("tags", "acme/webapp", "--timeout", "3")
    run.failed_with(1, f"Timed out waiting for an answer from {token_env}", "within 3 s", "raise --timeout")
    assert run.seconds < 3 + DEADLINE_SLACK_S, run.seconds


async def test_a_trickled_iam_login_names_the_iam_endpoint(
    live: str, iam_registry: tuple[FakeRegistry, str]
) -> None:
    iam, iam_url = iam_registry
    arm(iam, "iam:trickle=500")
    auth = PasswordAuth(iam_url, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    started = time.monotonic()
    caught = await failure(live, auth, timeout=1.0)
    assert time.monotonic() - started < 1.0 + DEADLINE_SLACK_S
    assert type(caught) is RequestTimeoutError
    message = fit_for_people(caught)
    assert f"Timed out waiting for an answer from the IAM endpoint {iam_url} (logging in)" in message


async def test_a_trickle_within_the_timeout_is_read_whole(registry: FakeRegistry, live: str) -> None:
    async with client(live) as swr:
        baseline = await swr.list_namespaces()
    arm(registry, "namespaces:trickle=1")
    async with client(live, timeout=10.0) as swr:
        assert await swr.list_namespaces() == baseline


# -- 18. a redirect to another host: named, escaped and masked ------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307])
async def test_a_redirect_names_its_location(registry: FakeRegistry, live: str, status: int) -> None:
    arm(registry, f"tags:redirect={status}")
    caught = await failure(live)
    assert type(caught) is HttpError
    message = fit_for_people(caught)
    assert f"was redirected (HTTP {status}) to https://{REDIRECT_HOST}/login?next=" in message
    assert "&ticket=***" in message  # the token, URL-encoded in the query, is masked
    assert "not JSON" not in message
    assert registry.count(route="tags") == 1


def test_the_cli_names_a_redirect(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "namespaces:redirect")
    Cli("namespaces").failed_with(1, f"redirected (HTTP 302) to https://{REDIRECT_HOST}/", "ticket=***")


# -- 19. one byte that is not UTF-8 spoils one name, not the page ----------------------------------------


async def test_a_byte_that_is_not_utf8_spoils_one_name(registry: FakeRegistry, live: str) -> None:
    async with client(live) as swr:
        baseline = await swr.list_tags("acme", "webapp")
        arm(registry, "tags:bad-utf8x1")
        page = await swr.list_tags("acme", "webapp")
    assert page.total == baseline.total
    assert page.items[0].name == baseline.items[0].name + "\udcff"
    assert page.items[1:] == baseline.items[1:]


def test_the_cli_shows_the_bad_name_escaped(registry: FakeRegistry, token_env: str) -> None:
    arm(registry, "namespaces:bad-utf8")
    run = Cli("namespaces", "-o", "tsv")
    assert (run.code, run.err) == (0, ""), run.err
    names = [line.split("\t")[0] for line in run.out.splitlines()[1:]]
    assert names == ["acme\\udcff", "acme-dev", "partners", "sandbox"]


# -- 11. --ca-bundle that is not PEM ---------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "this is not a certificate\n"], ids=["empty", "text"])
def test_a_ca_bundle_that_is_not_pem_is_a_configuration_error(
    token_env: str, tmp_path: Any, content: str
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(content)
    Cli("namespaces", "--ca-bundle", str(bundle)).failed_with(
        2, f"The CA bundle {bundle} could not be used", "--ca-bundle needs a PEM file"
    )


# -- 12. credentials with a non-ASCII character -------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "what"),
    [
        ("HUAWEICLOUD_SDK_AK", DEMO_AK[:-1] + "é", "The access key"),
        ("HUAWEICLOUD_SDK_SK", DEMO_SK[:-1] + "\u2013", "The secret key"),
        ("SWR_TUI_TOKEN", DEMO_TOKEN[:-1] + "\u201d", "The token (SWR_TUI_TOKEN)"),
    ],
    ids=["ak", "sk", "token"],
)
def test_a_non_ascii_credential_is_a_credentials_error(
    live: str, monkeypatch: pytest.MonkeyPatch, registry: FakeRegistry, variable: str, value: str, what: str
) -> None:
    monkeypatch.setenv("SWR_TUI_ENDPOINT", live)
    if variable.startswith("HUAWEICLOUD"):
        monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
        monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    monkeypatch.setenv(variable, value)
    err = Cli("namespaces").failed_with(2, f"{what} contains a non-ASCII character", "set it again")
    assert value not in err
    assert registry.requests == []


# -- issue 16 item 6: the IAM login's errors name the IAM host ------------------------------------------


def test_an_unreachable_iam_is_named_not_the_registry(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    iam_url = closed_port_url()
    password_env(monkeypatch, live, iam_url)
    err = Cli("tags", "acme/webapp").failed_with(1, f"Cannot connect to the IAM endpoint {iam_url} (")
    assert f"Cannot connect to {live}" not in err
    assert "IAM endpoint setting" in err


def test_an_iam_outage_names_the_iam_host(
    live: str, monkeypatch: pytest.MonkeyPatch, iam_registry: tuple[FakeRegistry, str]
) -> None:
    iam, iam_url = iam_registry
    arm(iam, "iam:500")
    password_env(monkeypatch, live, iam_url)
    Cli("tags", "acme/webapp").failed_with(
        1, f"HTTP 500 while loading IAM login for user {DEMO_USER} at {iam_url}"
    )


async def test_a_refused_connection_to_iam_names_the_iam_host(live: str) -> None:
    iam_url = closed_port_url()
    caught = await failure(live, PasswordAuth(iam_url, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION))
    assert type(caught) is TransportError
    assert fit_for_people(caught).startswith(f"Cannot connect to the IAM endpoint {iam_url} (")


async def test_a_misconfigured_credential_raises_before_sending(registry: FakeRegistry, live: str) -> None:
    with pytest.raises(ConfigurationError):
        async with client(live, AkSkAuth("AK\u00e9" + DEMO_AK, DEMO_SK)) as swr:
            await swr.list_namespaces()
    assert registry.requests == []
