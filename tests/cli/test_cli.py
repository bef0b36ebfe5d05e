"""The command line: headless commands on the embedded demo registry and on the live loopback server,
exit statuses 0/1/2, one-line errors, the design's JSON keys, and no secret ever printed."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import httpx
import pytest
from cli_harness import Run, ok
from fault_rules import arm
from tag_output import TAG_OUTPUT_KEYS

from swr_tui import __version__
from swr_tui.fake import DEMO_AK, DEMO_SK, DEMO_TOKEN, FakeRegistry
from swr_tui.swr.retry import RetryPolicy

REPO_ROOT = Path(__file__).resolve().parents[2]
API_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# The line starts with the program, or the program and its command ("swr-tui tags: error: ...").
ANY_COMMAND = "swr-tui"
DATASET = FakeRegistry(seed=0).dataset  # names and counts; the demo's times differ (anchored at now)


def run(*argv: str) -> Run:
    return Run(*argv)


def demo(*argv: str) -> Run:
    return run(*argv, "--demo")


def table_cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


# -- the demo registry ---------------------------------------------------------------------------


def test_namespaces() -> None:
    result = ok(demo("namespaces"))
    assert result.err == ""
    assert [table_cells(line) for line in result.lines] == [
        ["NAME", "ACCESS", "CREATOR"],
        ["acme", "manage", "acme-admin"],
        ["acme-dev", "edit", "acme-admin"],
        ["partners", "read", "partner-admin"],
        ["sandbox", "manage", "demo-user"],
    ]


def test_namespaces_as_json() -> None:
    records = ok(demo("namespaces", "--output", "json")).json()
    assert [record["name"] for record in records] == ["acme", "acme-dev", "partners", "sandbox"]
    assert [record["access"] for record in records] == ["manage", "edit", "read", "manage"]
    assert [record["auth"] for record in records] == [7, 3, 1, 7]
    assert all(set(record) == {"name", "id", "auth", "access", "creator_name"} for record in records)


def test_repos_of_acme() -> None:
    result = ok(demo("repos", "acme"))
    assert table_cells(result.lines[0]) == [
        "NAME",
        "TAGS",
        "SIZE",
        "UPDATED",
        "PUBLIC",
        "CATEGORY",
        "DESCRIPTION",
    ]
    rows = {table_cells(line)[0]: table_cells(line) for line in result.lines[1:]}
    assert sorted(rows) == sorted(f"acme/{repo.name}" for repo in DATASET.repositories_in("acme"))
    assert rows["acme/webapp"][1] == "32"
    assert rows["acme/ci-builds"][1] == "100000"
    assert rows["acme/new-service"][1] == "0"
    assert "acme/team/app" in rows


def test_repos_of_acme_dev_lists_all_250() -> None:
    result = ok(demo("repos", "acme-dev", "-o", "tsv"))
    rows = result.rows("\t")
    assert rows[0][0] == "name"
    names = [row[0] for row in rows[1:]]
    assert len(names) == len(set(names)) == 250
    assert all(name.startswith("acme-dev/") for name in names)
    table = ok(demo("repos", "acme-dev"))
    assert len(table.lines) == 251


def test_tags_table() -> None:
    result = ok(demo("tags", "acme/webapp"))
    assert result.err == ""  # every tag fits the default page: no "showing" note
    assert table_cells(result.lines[0]) == ["TAG", "UPDATED", "SIZE", "DIGEST", "TYPE"]
    rows = [table_cells(line) for line in result.lines[1:]]
    assert len(rows) == 32
    assert [row[0] for row in rows[1:3]] == ["latest", "v2.4.1"]
    assert rows[-1][0] == "v0.9.0"
    assert all(len(row) == 5 for row in rows)
    assert {row[-1] for row in rows} == {"image", "manifest list"}
    assert all(re.fullmatch(r"[0-9a-f]{12}", row[3]) for row in rows)
    assert all(re.fullmatch(r"[\d.]+ (B|KiB|MiB|GiB)", row[2]) for row in rows)


def test_tags_json_has_the_documented_keys() -> None:
    records = ok(demo("tags", "acme/webapp", "--output", "json")).json()
    assert len(records) == 32
    for record in records:
        assert list(record) == TAG_OUTPUT_KEYS
        assert API_TIME.fullmatch(record["created"])
        assert API_TIME.fullmatch(record["updated"])
        assert record["digest"].startswith("sha256:")
        assert record["path"].endswith(f"/acme/webapp:{record['tag']}")
        assert isinstance(record["size"], int)
        assert record["tag_type"] in (0, 1)
        assert record["schema"] in (1, 2)
    assert {record["schema"] for record in records} == {1, 2}  # schema1 tags are in the showcase


def test_tags_json_with_manifest() -> None:
    plain = ok(demo("tags", "acme/webapp", "-o", "json")).json()
    records = ok(demo("tags", "acme/webapp", "-o", "json", "--with-manifest")).json()
    assert [list(record) for record in records] == [[*TAG_OUTPUT_KEYS, "manifest"]] * 32
    assert [{k: v for k, v in record.items() if k != "manifest"} for record in records] == plain
    manifests = {record["tag"]: record["manifest"] for record in records}
    assert json.loads(manifests["v2.4.1"])["schemaVersion"] == 2
    assert manifests["latest"] == manifests["v2.4.1"]


@pytest.mark.parametrize(("fmt", "delimiter"), [("tsv", "\t"), ("csv", ",")])
def test_tags_delimited(fmt: str, delimiter: str) -> None:
    records = ok(demo("tags", "acme/webapp", "-o", "json", "--with-manifest")).json()
    rows = ok(demo("tags", "acme/webapp", "-o", fmt, "--with-manifest")).rows(delimiter)
    assert rows[0] == ["tag", "updated", "size", "digest", "type", "manifest"]
    assert len(rows) == 33
    for row, record in zip(rows[1:], records):
        assert len(row) == 6
        assert row[:4] == [record["tag"], record["updated"], str(record["size"]), record["digest"]]
        assert row[4] == ("manifest list" if record["tag_type"] == 1 else "image")
        if fmt == "csv":
            assert row[5] == record["manifest"]  # quoted, so any manifest survives intact


def test_nested_repository_name() -> None:
    records = ok(demo("tags", "acme/team/app", "-o", "json")).json()
    assert {record["tag"] for record in records} == {
        "v0.1.0",
        "v0.1.1",
        "v0.2.0",
        "v0.2.1",
        "v0.3.0",
        "v0.3.1",
        "main",
        "latest",
    }
    assert all(record["path"].endswith(f"/acme/team/app:{record['tag']}") for record in records)


def test_order_filter_limit_offset() -> None:
    desc = [record["tag"] for record in ok(demo("tags", "acme/webapp", "-o", "json")).json()]
    asc = [record["tag"] for record in ok(demo("tags", "acme/webapp", "-o", "json", "--order", "asc")).json()]
    assert asc == list(reversed(desc))
    assert asc[0] == "v0.9.0"
    filtered = ok(demo("tags", "acme/webapp", "-o", "json", "--filter", "v1.4")).json()
    assert [record["tag"] for record in filtered] == ["v1.4.2", "v1.4.1", "v1.4.0"]
    window = ok(demo("tags", "acme/webapp", "--limit", "5", "--offset", "5"))
    assert [table_cells(line)[0] for line in window.lines[1:]] == desc[5:10]
    assert window.err == "swr-tui: showing 6-10 of 32 tags; use --offset, --limit or --all for more\n"


def test_all_on_webapp() -> None:
    result = ok(demo("tags", "acme/webapp", "--all", "-o", "json"))
    assert len(result.json()) == 32
    assert result.err == ""


def test_all_on_a_repository_of_several_thousand_tags() -> None:
    """ten 1000-tag pages (the whole 100,000 takes ~8 s, too slow for the suite)."""
    result = ok(demo("tags", "acme/ci-builds", "--all", "--filter", "build-09", "-o", "tsv"))
    names = [row[0] for row in result.rows("\t")[1:]]
    assert names == [f"build-{n:06d}" for n in range(99_999, 89_999, -1)]


def test_unknown_repository_exits_1() -> None:
    result = demo("tags", "acme/nope")
    assert result.code == 1
    assert result.out == ""
    line = result.error_line(ANY_COMMAND)
    assert line.startswith("swr-tui: Not found: the tags of acme/nope")
    assert "Check the name" in line


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["tags", "badname", "--demo"], "expected NAMESPACE/REPOSITORY, got 'badname'"),
        (["tags", "acme/webapp", "--demo", "--bogus"], "unrecognized arguments: --bogus"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["tags", "acme/webapp", "--demo", "--limit", "0"], "between 1 and 1000"),
        (["tags", "acme/webapp", "--demo", "--limit", "1001"], "between 1 and 1000"),
        (["tags", "acme/webapp", "--demo", "--order", "sideways"], "invalid choice: 'sideways'"),
        (["tags", "acme/webapp", "--demo", "-o", "xml"], "invalid choice: 'xml'"),
        (["namespaces", "--demo", "--timeout", "-1"], "must be greater than 0"),
        (["tags"], "the following arguments are required: NAMESPACE/REPO"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], says: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert result.out == ""
    assert says in result.error_line(ANY_COMMAND)


def test_version_goes_to_the_given_output() -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out == f"swr-tui {__version__}\n"
    assert result.err == ""


# -- the live loopback registry ------------------------------------------------------------------


def test_live_with_a_token(live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = ok(run("tags", "acme/webapp", "--endpoint", live, "-o", "json", "--with-manifest"))
    raw = httpx.get(
        f"{live}/v2/manage/namespaces/acme/repos/webapp/tags",
        params={"filter": "offset::0|limit::100|order_column::updated_at|order_type::desc"},
        headers={"X-Auth-Token": DEMO_TOKEN},
    ).json()
    records = result.json()
    assert len(records) == len(raw) == 32
    for record, item in zip(records, raw):
        # Times (and everything else) exactly as the API gave them.
        expected = {key: item[key] for key in TAG_OUTPUT_KEYS if key != "tag"}
        assert {key: record[key] for key in expected} == expected
        assert record["tag"] == item["Tag"]
        assert record["manifest"] == item["manifest"]
    assert registry.requests[0].headers["x-auth-token"] == DEMO_TOKEN


def test_live_with_aksk_from_the_environment(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    monkeypatch.setenv("SWR_TUI_ENDPOINT", live)
    result = ok(run("tags", "acme/team/app", "-o", "tsv"))
    assert len(result.rows("\t")) == 9
    assert ok(run("repos", "acme-dev", "-o", "json")).json()[0]["namespace"] == "acme-dev"
    assert {request.status for request in registry.requests} == {200}
    assert all(
        request.headers["authorization"].startswith("SDK-HMAC-SHA256") for request in registry.requests
    )


def test_live_server_failure_exits_1_after_retries(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", functools.partial(RetryPolicy, base_s=0.0))
    arm(registry, "*:500")
    result = run("namespaces", "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    line = result.error_line(ANY_COMMAND)
    assert "HTTP 500 while loading the namespace list" in line
    assert "try again" in line
    assert registry.count(route="namespaces") == 4


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        ({"SWR_TUI_TOKEN": "MIIsecret-but-wrong-token-0001"}, "refused the credentials"),
        (
            {"HUAWEICLOUD_SDK_AK": DEMO_AK, "HUAWEICLOUD_SDK_SK": "wrong-secret-key-0002"},
            "signature was refused",
        ),
    ],
)
def test_live_wrong_credentials_exit_1_without_showing_them(
    live: str, monkeypatch: pytest.MonkeyPatch, setup: dict[str, str], says: str
) -> None:
    for name, value in setup.items():
        monkeypatch.setenv(name, value)
    result = run("namespaces", "--endpoint", live)
    assert result.code == 1
    assert says in result.error_line(ANY_COMMAND)
    for value in setup.values():
        if value != DEMO_AK:
            assert value not in result.err


def test_live_expired_token(live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    registry.expire_tokens()
    result = run("namespaces", "--endpoint", live)
    assert result.code == 1
    assert "token has expired" in result.error_line(ANY_COMMAND)


def test_no_credentials_exits_2_naming_the_variables(live: str, registry: FakeRegistry) -> None:
    result = run("namespaces", "--endpoint", live)
    assert result.code == 2
    line = result.error_line(ANY_COMMAND)
    for name in ("SWR_TUI_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):
        assert name in line
    assert registry.requests == []


@pytest.mark.parametrize("endpoint", ["http://swr.example.com", "http://10.1.2.3:8080"])
def test_plain_http_elsewhere_than_loopback_exits_2(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = run("namespaces", "--endpoint", endpoint)
    assert result.code == 2
    line = result.error_line(ANY_COMMAND)
    assert "plain http://" in line
    assert "--insecure" in line


# -- real processes ------------------------------------------------------------------------------


def _process(*argv: str, entry: Optional[str] = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    if entry is None:
        command = [sys.executable, *argv]
    else:
        script = Path(sys.executable).with_name(entry)
        if script.exists():
            command = [str(script), *argv]
        else:  # not installed (a source checkout): the console script's own body
            command = [
                sys.executable,
                "-c",
                "import sys; from swr_tui.cli import main; sys.exit(main())",
                *argv,
            ]
    # The command is this interpreter (or its swr-tui script) with fixed arguments.
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=30)  # noqa: S603


def test_python_m_version() -> None:
    done = _process("-m", "swr_tui", "--version")
    assert done.returncode == 0
    assert done.stdout == f"swr-tui {__version__}\n"
    assert done.stderr == ""


def test_fake_registry_help() -> None:
    done = _process("fake-registry", "--help", entry="swr-tui")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: swr-tui fake-registry")
    for option in ("--host", "--port", "--latency-ms", "--faults"):
        assert option in done.stdout
    assert done.stderr == ""


# -- the TUI command's wiring (run_app captured, not run) ---------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    from swr_tui.ui import app as app_module

    calls: list[dict[str, Any]] = []

    def record(client: Any, **options: Any) -> None:
        import asyncio

        calls.append(options)
        asyncio.run(client.aclose())

    monkeypatch.setattr(app_module, "run_app", record)
    return calls


def test_the_demo_tui_gets_a_region_switcher_and_the_config_settings(
    launched: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.settings.profiles import DemoSwitcher

    config_file = tmp_path / "config.toml"
    config_file.write_text(
        '[watch]\ninterval = 12\n\n[commands.echo]\nkey = "E"\nrun = ["echo", "{tag}"]\n'
        '\n[keys]\ncopy_path = "x"\n'
    )
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
    assert Run("--demo", "--repo", "acme/webapp").code == 0
    options = launched[-1]
    assert options["keys"] == {"copy_path": "x"}  # checked and applied by the app (tests/ui/test_actions.py)
    assert isinstance(options["switcher"], DemoSwitcher)
    assert options["label"] == "demo · cn-north-4"
    assert options["watch_interval_s"] == 12.0
    assert [command.name for command in options["commands"]] == ["echo"]
    assert Run("--demo", "--watch-interval", "3.5").code == 0
    assert launched[-1]["watch_interval_s"] == 3.5  # the flag wins over the file


def test_a_too_short_watch_interval_is_a_usage_error(launched: list[dict[str, Any]]) -> None:
    result = Run("--demo", "--watch-interval", "0.5")
    assert result.code == 2
    assert result.err == "swr-tui: --watch-interval is 0.5 s; the least is 2 s, to spare the registry\n"
    assert launched == []


def test_the_real_tui_gets_a_profile_switcher_starting_where_it_started(
    launched: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.settings.profiles import ProfileSwitcher

    monkeypatch.setenv("SWR_TUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    assert Run("--region", "cn-south-1").code == 0
    options = launched[-1]
    switcher = options["switcher"]
    assert isinstance(switcher, ProfileSwitcher)
    assert switcher.current.region == "cn-south-1"
    assert options["label"] == switcher.label == "cn-south-1 · token from environment (SWR_TUI_TOKEN)"
    assert "watch_interval_s" not in options  # the app's default
    assert DEMO_TOKEN not in repr(options)


def test_a_broken_config_does_not_stop_the_demo_but_stops_the_real_thing(
    launched: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("[watch\n")
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
    demo = Run("--demo")
    assert demo.code == 0
    assert demo.err.startswith(f"swr-tui: warning: Config file {config_file} is not valid TOML")
    assert demo.err.endswith("; the demo runs without it\n")
    assert launched[-1]["commands"] == ()
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    real = Run("--region", "cn-north-4")
    assert real.code == 2
    assert real.err.startswith(f"swr-tui: Config file {config_file} is not valid TOML")
    assert len(launched) == 1


def test_settings_warnings_reach_the_app_too(
    launched: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printed before the screen opens they would be hidden by it: the app is given them as well."""
    config_file = tmp_path / "config.toml"
    config_file.write_text('[commands.dive]\nkey = "D"\nrun = ["dive", "{path}"]\n')
    config_file.chmod(0o666)
    credentials = tmp_path / "credentials"
    credentials.write_text("[basic]\nak = AKEXAMPLE123\nsk = SKEXAMPLE456\n")
    credentials.chmod(0o644)
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(credentials))
    for name in ("SWR_TUI_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):
        monkeypatch.delenv(name, raising=False)
    result = Run("--region", "cn-north-4")
    assert result.code == 0
    warnings = launched[-1]["warnings"]
    assert len(warnings) == 2
    assert warnings[0].endswith(
        f"holds secrets but other users can read it (mode 644): run chmod 600 {credentials}"
    )
    assert warnings[1] == (
        f"{config_file} can be changed by other users (mode 666) and its [commands] run programs on your "
        f"tags: run chmod 600 {config_file}"
    )
    for warning in warnings:
        assert f"swr-tui: warning: {warning}\n" in result.err
    assert "SKEXAMPLE456" not in repr(warnings)


# -- bad input, hostile places and broken outputs (issue 15 and 16) ----------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["repos", "a|b"], "The namespace 'a|b' contains '|'"),
        (["repos", "--filter", "web|app"], "The name filter 'web|app' contains '|'"),
        (["tags", "acme/webapp", "--filter", "v1|v2"], "The tag filter 'v1|v2' contains '|'"),
    ],
)
def test_a_pipe_in_a_filter_is_refused_before_anything_is_sent(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch, argv: list[str], says: str
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = run(*argv, "--endpoint", live)
    assert result.code == 2
    assert result.out == ""
    line = result.error_line(ANY_COMMAND)
    assert says in line
    assert "SWR's filter syntax cannot carry" in line
    assert registry.requests == []


NOT_URLS = ["http://[::1", "http://[zz]", "http://127.0.0.1:9/a\x01b"]


@pytest.mark.parametrize("endpoint", NOT_URLS)
@pytest.mark.parametrize("where", ["flag", "env", "config"])
def test_an_endpoint_that_is_no_url_is_a_configuration_error(
    endpoint: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    argv = ["namespaces"]
    if where == "flag":
        argv += ["--endpoint", endpoint]
    elif where == "env":
        monkeypatch.setenv("SWR_TUI_ENDPOINT", endpoint)
    else:
        config_file = tmp_path / "config.toml"
        config_file.write_text(f"[profiles.lab]\nendpoint = {json.dumps(endpoint)}\n")
        monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
        argv += ["--profile", "lab"]
    result = run(*argv)
    assert result.code == 2
    line = result.error_line(ANY_COMMAND)
    assert "The endpoint (from " in line
    assert "use https://HOST[:PORT]" in line
    assert "\x01" not in line


class RecordingProxy:
    """A loopback "proxy" that records every byte it is sent and answers 502."""

    def __init__(self) -> None:
        import socket
        import threading

        self.received = bytearray()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        import socket

        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except socket.timeout:
                continue
            with connection:
                connection.settimeout(1.0)
                try:
                    self.received += connection.recv(65536)
                    connection.sendall(
                        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Any:
    recorder = RecordingProxy()
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, recorder.url)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", functools.partial(RetryPolicy, base_s=0.0))
    yield recorder
    recorder.close()


def test_plain_http_to_loopback_never_goes_through_a_proxy(
    live: str, registry: FakeRegistry, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = run("namespaces", "--endpoint", live)
    assert result.code == 0, result.err
    assert bytes(proxy.received) == b""
    assert registry.requests[0].headers["x-auth-token"] == DEMO_TOKEN


def test_password_login_to_a_loopback_iam_never_goes_through_a_proxy(
    live: str, registry: FakeRegistry, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.fake import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION, DEMO_USER

    monkeypatch.setenv("SWR_TUI_PASSWORD", DEMO_PASSWORD)
    argv = ["namespaces", "--endpoint", live, "--region", DEMO_REGION, "--iam-endpoint", live]
    result = run(*argv, "--username", DEMO_USER, "--domain", DEMO_DOMAIN)
    assert result.code == 0, result.err
    assert bytes(proxy.received) == b""
    assert DEMO_PASSWORD not in result.out + result.err
    assert [request.route for request in registry.requests][:2] == ["iam", "namespaces"]


def _shell(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` in sh, with ``SWR`` naming this interpreter running swr-tui."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["SWR"] = f"{sys.executable} -m swr_tui"
    # A fixed script of this test's own, run by sh.
    return subprocess.run(  # noqa: S603
        ["/bin/sh", "-c", script], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=60
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", ["--demo namespaces", "--demo tags acme/nightly --all -o csv", "--version"])
def test_a_full_disk_is_one_line_and_exit_1(argv: str) -> None:
    done = _shell(f"$SWR {argv} > /dev/full")
    assert done.returncode == 1
    assert done.stderr == "swr-tui: Cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_1() -> None:
    done = _shell("$SWR --demo namespaces >&-")
    assert done.returncode == 1
    assert (
        done.stderr == "swr-tui: standard output is closed, so nothing can be printed: run it without >&-\n"
    )


def test_a_reader_that_goes_away_is_no_error() -> None:
    done = _shell('{ $SWR --demo tags acme/nightly --all -o tsv; echo "status=$?" >&2; } | head -n 2')
    assert done.stdout.splitlines()[0].startswith("tag\tupdated\t")
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr == "status=0\n"  # swr-tui's own status, and nothing else on stderr


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["fake-registry", "--port", "99999"], "--port: must be between 0 and 65535"),
        (["fake-registry", "--host", "evil.invalid"], "--host 'evil.invalid' is not a host name or address"),
    ],
)
def test_fake_registry_bad_address_is_a_usage_error(argv: list[str], says: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert says in result.error_line(ANY_COMMAND)
    assert result.out == ""


def test_fake_registry_on_a_busy_port_exits_1(live: str) -> None:
    port = live.rsplit(":", 1)[1]
    result = run("fake-registry", "--port", port)
    assert result.code == 1
    assert result.error_line(ANY_COMMAND) == (
        f"swr-tui: Port {port} on 127.0.0.1 is in use: choose another --port, or 0 for a free one"
    )
    assert result.out == ""


def test_the_fake_registry_banner_says_how_to_log_in_with_a_password(
    registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Following the banner's password line literally logs in (IAM served by the same server)."""
    import shlex
    import threading

    from swr_tui.fake import server

    banner = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=server.run, kwargs={"out": banner, "stop": stop})
    thread.start()
    try:
        for _ in range(100):
            if "Ctrl+C" in banner.getvalue():
                break
            threading.Event().wait(0.05)
        lines = banner.getvalue().splitlines()
        login = lines[lines.index("  or log in with the password (this server is the IAM endpoint too):") + 1]
        words = shlex.split(login)
        assert words[0].startswith("SWR_TUI_PASSWORD=")
        assert words[1] == "swr-tui"
        monkeypatch.setenv("SWR_TUI_PASSWORD", words[0].split("=", 1)[1])
        result = ok(run(*words[2:], "namespaces", "-o", "json"))
        assert "acme" in [namespace["name"] for namespace in result.json()]
    finally:
        stop.set()
        thread.join()


def test_iam_endpoint_flag_beats_the_environment(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from swr_tui.fake import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USER

    monkeypatch.setenv("SWR_TUI_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    argv = ["namespaces", "--endpoint", live, "--region", "cn-north-4", "--username", DEMO_USER]
    ok(run(*argv, "--domain", DEMO_DOMAIN, "--iam-endpoint", live))


@pytest.mark.parametrize("setting", ["SWR_TUI_CONFIG", "HUAWEICLOUD_SDK_CREDENTIALS_FILE"])
def test_an_endless_or_huge_settings_file_is_refused(
    setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.settings.config_paths import MAX_SETTINGS_FILE_BYTES

    if setting == "SWR_TUI_CONFIG":
        monkeypatch.setenv(setting, "/dev/zero")
        shown = "/dev/zero"
    else:
        huge = tmp_path / "credentials"
        huge.write_bytes(b"[basic]\nak = " + b"A" * MAX_SETTINGS_FILE_BYTES + b"\n")
        monkeypatch.setenv(setting, str(huge))
        shown = str(huge)
    result = run("namespaces", "--region", "cn-north-4")
    assert result.code == 2
    line = result.error_line(ANY_COMMAND)
    assert shown in line
    assert "larger than 1 MiB, so not a settings file" in line


def test_an_argument_that_is_not_utf8_is_blamed_on_the_argument(registry: FakeRegistry) -> None:
    name = os.fsdecode(b"acme/caf\xe9")  # Latin-1 typed in a UTF-8 terminal
    result = demo("tags", name)
    assert result.code == 2
    assert (
        result.error_line(ANY_COMMAND)
        == "swr-tui: the argument 'acme/caf\\xe9' is not valid UTF-8 text: type it again"
    )


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--demo", "--watch-interval", "1e308"],
            "--watch-interval is 1e+308 s; the most is 86400 s (a day)",
        ),
        (["--demo", "--watch-interval", "nan"], "--watch-interval: not a finite number: 'nan'"),
        (["--demo", "--watch-interval", "inf"], "--watch-interval: not a finite number: 'inf'"),
        (["namespaces", "--demo", "--timeout", "1e308"], "--timeout: must be at most 3600 seconds"),
        (["namespaces", "--demo", "--timeout=-inf"], "--timeout: not a finite number: '-inf'"),
    ],
)
def test_absurd_intervals_are_usage_errors(
    launched: list[dict[str, Any]], argv: list[str], says: str
) -> None:
    result = run(*argv)
    assert result.code == 2
    assert says in result.error_line(ANY_COMMAND)
    assert launched == []


def test_repos_of_a_namespace_that_does_not_exist_exits_1(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = run("repos", "no-such-ns", "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    assert result.error_line(ANY_COMMAND) == (
        "swr-tui: Namespace 'no-such-ns' does not exist, or this account cannot see it: "
        "run swr-tui namespaces for the list"
    )
    assert ok(run("repos", "sandbox", "--endpoint", live)).out.startswith("NAME")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_hostile_formula_tags_come_out_prefixed(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from swr_tui.fake.hostile import HostileRegistry
    from swr_tui.fake.hostile_corpus import BY_NAME

    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    formulas = [BY_NAME[name].text for name in ("formula-hyperlink", "formula-at", "formula-minus")]
    with HostileRegistry(seed=0).serve() as server:
        result = ok(run("tags", "hostile/tags", "--all", "-o", fmt, "--endpoint", server.url))
    names = [row[0] for row in result.rows("," if fmt == "csv" else "\t")]
    for formula in formulas:
        assert "'" + formula in names
        assert formula not in names


@pytest.mark.parametrize("where", ["flag", "env", "profile"])
def test_an_unreachable_endpoint_says_where_it_came_from(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", functools.partial(RetryPolicy, base_s=0.0))
    config_file = tmp_path / "config.toml"
    config_file.write_text(f'[profiles.lab]\nendpoint = "{url}"\n')
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
    argv = ["namespaces"]
    if where == "flag":
        argv += ["--endpoint", url]
        origin = "the --endpoint flag"
    elif where == "env":
        monkeypatch.setenv("SWR_TUI_ENDPOINT", url)
        origin = "the environment variable SWR_TUI_ENDPOINT"
    else:
        argv += ["--profile", "lab"]
        origin = f"profile 'lab' in {config_file}"
    result = run(*argv)
    assert result.code == 1
    line = result.error_line(ANY_COMMAND)
    assert line.startswith(f"swr-tui: Cannot connect to {url} (")
    assert line.endswith(f". The endpoint {url} is from {origin}")
