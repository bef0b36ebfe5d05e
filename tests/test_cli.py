"""The command line: headless commands on the embedded demo registry and on the live loopback server,
exit statuses 0/1/2, one-line errors, the design's JSON keys, and no secret ever printed."""

from __future__ import annotations

import csv
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

from swr_tui import __version__
from swr_tui.cli import main
from swr_tui.fake import DEMO_AK, DEMO_SK, DEMO_TOKEN, FakeRegistry
from swr_tui.fake.faults import parse_spec
from swr_tui.swr.retry import RetryPolicy

REPO_ROOT = Path(__file__).resolve().parent.parent
TAG_KEYS = [
    "tag",
    "digest",
    "size",
    "created",
    "updated",
    "path",
    "internal_path",
    "image_id",
    "schema",
    "tag_type",
]
API_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SECRETS = (DEMO_TOKEN, DEMO_SK)
DATASET = FakeRegistry(seed=0).dataset  # names and counts; the demo's times differ (anchored at now)


class Run:
    def __init__(self, argv: list[str]) -> None:
        out, err = io.StringIO(), io.StringIO()
        self.argv = argv
        self.code = main(argv, out=out, err=err)
        self.out = out.getvalue()
        self.err = err.getvalue()

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)

    def rows(self, delimiter: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.out), delimiter=delimiter))

    def error_line(self) -> str:
        """The one line on stderr, checked to be one clear line without a traceback."""
        assert self.err.endswith("\n")
        assert self.err.count("\n") == 1, self.err
        assert "Traceback" not in self.err
        assert self.err.startswith("swr-tui")
        return self.err.rstrip("\n")


def run(*argv: str) -> Run:
    result = Run(list(argv))
    for secret in SECRETS:
        assert secret not in result.out
        assert secret not in result.err
    return result


def demo(*argv: str) -> Run:
    return run(*argv, "--demo")


def ok(result: Run) -> Run:
    assert result.code == 0, result.err
    return result


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
        assert list(record) == TAG_KEYS
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
    assert [list(record) for record in records] == [[*TAG_KEYS, "manifest"]] * 32
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
    result = ok(demo("tags", "acme/webapp", "--all", "-o", "json", "--limit", "3"))
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
    line = result.error_line()
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
    assert says in result.error_line()


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
        expected = {key: item[key] for key in TAG_KEYS if key != "tag"}
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
    registry.faults.add(parse_spec("*:500")[0])
    result = run("namespaces", "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    line = result.error_line()
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
    assert says in result.error_line()
    for value in setup.values():
        if value != DEMO_AK:
            assert value not in result.err


def test_live_expired_token(live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    registry.expire_tokens()
    result = run("namespaces", "--endpoint", live)
    assert result.code == 1
    assert "token has expired" in result.error_line()


def test_no_credentials_exits_2_naming_the_variables(live: str, registry: FakeRegistry) -> None:
    result = run("namespaces", "--endpoint", live)
    assert result.code == 2
    line = result.error_line()
    for name in ("SWR_TUI_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):
        assert name in line
    assert registry.requests == []


@pytest.mark.parametrize("endpoint", ["http://swr.example.com", "http://10.1.2.3:8080"])
def test_plain_http_elsewhere_than_loopback_exits_2(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = run("namespaces", "--endpoint", endpoint)
    assert result.code == 2
    line = result.error_line()
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
    from swr_tui.profiles import DemoSwitcher

    config_file = tmp_path / "config.toml"
    config_file.write_text('[watch]\ninterval = 12\n\n[commands.echo]\nkey = "E"\nrun = ["echo", "{tag}"]\n')
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config_file))
    assert Run(["--demo", "--repo", "acme/webapp"]).code == 0
    options = launched[-1]
    assert isinstance(options["switcher"], DemoSwitcher)
    assert options["label"] == "demo · cn-north-4"
    assert options["watch_interval_s"] == 12.0
    assert [command.name for command in options["commands"]] == ["echo"]
    assert Run(["--demo", "--watch-interval", "3.5"]).code == 0
    assert launched[-1]["watch_interval_s"] == 3.5  # the flag wins over the file


def test_a_too_short_watch_interval_is_a_usage_error(launched: list[dict[str, Any]]) -> None:
    result = Run(["--demo", "--watch-interval", "0.5"])
    assert result.code == 2
    assert result.err == "swr-tui: --watch-interval is 0.5 s; the least is 2 s, to spare the registry\n"
    assert launched == []


def test_the_real_tui_gets_a_profile_switcher_starting_where_it_started(
    launched: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.profiles import ProfileSwitcher

    monkeypatch.setenv("SWR_TUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    assert Run(["--region", "cn-south-1"]).code == 0
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
    demo = Run(["--demo"])
    assert demo.code == 0
    assert demo.err.startswith(f"swr-tui: warning: Config file {config_file} is not valid TOML")
    assert demo.err.endswith("; the demo runs without it\n")
    assert launched[-1]["commands"] == ()
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    real = Run(["--region", "cn-north-4"])
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
    result = Run(["--region", "cn-north-4"])
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
