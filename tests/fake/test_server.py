"""The loopback server itself: HTTP/1.1 keep-alive, concurrency, prompt shutdown, ``run``."""

from __future__ import annotations

import asyncio
import http.client
import io
import threading
import time

import httpx
import pytest

from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
    FakeRegistry,
)
from swr_tui.fake.loopback import RunningServer
from swr_tui.fake.server import run


def test_keep_alive_serves_many_requests_on_one_connection(server: RunningServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/v2/manage/namespaces", headers={"X-Auth-Token": DEMO_TOKEN})
        socket_before = connection.sock
        first = connection.getresponse()
        assert first.status == 200
        assert first.version == 11
        assert int(first.headers["Content-Length"]) == len(first.read())
        connection.request("GET", "/v2/manage/namespaces/acme", headers={"X-Auth-Token": DEMO_TOKEN})
        second = connection.getresponse()
        assert second.status == 200
        assert b'"name":"acme"' in second.read()
        assert connection.sock is socket_before
    finally:
        connection.close()


def test_head_has_no_body(server: RunningServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("HEAD", "/v2/manage/namespaces", headers={"X-Auth-Token": DEMO_TOKEN})
        response = connection.getresponse()
        assert response.status == 405
        assert response.read() == b""
        assert int(response.headers["Content-Length"]) > 0
    finally:
        connection.close()


async def test_concurrent_requests(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.url, headers={"X-Auth-Token": DEMO_TOKEN}) as client:
        pages = await asyncio.gather(
            *[
                client.get("/v2/manage/repos", params={"offset": str(n * 10), "limit": "10"})
                for n in range(20)
            ]
        )
    names = [item["name"] for page in pages for item in page.json()]
    assert all(page.status_code == 200 for page in pages)
    assert len(names) == len(set(names)) == 200


async def test_in_process_transport_matches_loopback(server: RunningServer, registry: FakeRegistry) -> None:
    params = {"filter": "offset::0|limit::5|order_type::asc"}
    path = "/v2/manage/namespaces/acme/repos/team%24app/tags"
    headers = {"X-Auth-Token": DEMO_TOKEN}
    async with httpx.AsyncClient(transport=registry.transport(), base_url="http://swr.fake") as local:
        in_process = await local.get(path, params=params, headers=headers)
    async with httpx.AsyncClient(base_url=server.url) as remote:
        loopback = await remote.get(path, params=params, headers=headers)
    assert in_process.status_code == loopback.status_code == 200
    assert in_process.json() == loopback.json()
    assert in_process.headers["Content-Range"] == loopback.headers["Content-Range"] == "0-5/8"


async def test_in_process_latency() -> None:
    seen = []

    def latency(request: object) -> float:
        seen.append(request)
        return 120.0

    registry = FakeRegistry(latency_ms=latency)
    async with httpx.AsyncClient(transport=registry.transport(), base_url="http://swr.fake") as client:
        started = time.monotonic()
        response = await client.get("/v2/manage/namespaces", headers={"X-Auth-Token": DEMO_TOKEN})
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.12
    assert [r.route for r in seen] == ["namespaces"]
    assert seen[0].status == 200


def test_stop_is_prompt_while_a_request_hangs() -> None:
    registry = FakeRegistry(faults="tags:timeout")
    server = registry.serve()
    errors: list[BaseException] = []

    def hang() -> None:
        try:
            httpx.get(
                f"{server.url}/v2/manage/namespaces/acme/repos/webapp/tags",
                headers={"X-Auth-Token": DEMO_TOKEN},
                timeout=20,
            )
        except httpx.HTTPError as error:
            errors.append(error)

    caller = threading.Thread(target=hang)
    caller.start()
    deadline = time.monotonic() + 5
    while registry.count("tags") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    caller.join(15)
    # Prompt: far within the 30 s hang, with room for a loaded machine (it takes ~0.1 s alone).
    assert time.monotonic() - started < 10
    assert not caller.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], httpx.RemoteProtocolError)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/v2/manage/namespaces", timeout=2)
    server.stop()  # stopping twice is harmless


def test_stop_closes_idle_keep_alive_connections() -> None:
    registry = FakeRegistry()
    headers = {"X-Auth-Token": DEMO_TOKEN}
    with registry.serve() as server, httpx.Client(base_url=server.url, headers=headers) as client:
        assert client.get("/v2/manage/namespaces").status_code == 200
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 10  # not the 30 s an idle connection is kept for


def test_run_prints_credentials_serves_and_stops() -> None:
    out = io.StringIO()
    stop = threading.Event()
    result: list[int] = []
    runner = threading.Thread(
        target=lambda: result.append(run("127.0.0.1", 0, 0.0, "tags:503x1", out, stop=stop))
    )
    runner.start()
    deadline = time.monotonic() + 5
    while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    banner = out.getvalue()
    url = banner.split("listening on ", 1)[1].split()[0]
    assert url.startswith("http://127.0.0.1:")
    for value in (DEMO_TOKEN, DEMO_AK, DEMO_SK, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, "tags:503x1"):
        assert value in banner
    with httpx.Client(base_url=url, headers={"X-Auth-Token": DEMO_TOKEN}) as client:
        assert client.get("/v2/manage/namespaces/acme/repos/webapp/tags").status_code == 503
        assert client.get("/v2/manage/namespaces/acme/repos/webapp/tags").status_code == 200
    stop.set()
    runner.join(5)
    assert result == [0]
    assert "stopped" in out.getvalue()


def test_run_rejects_a_bad_spec_before_binding() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        run("127.0.0.1", 0, 0.0, "tags:explode", io.StringIO())
