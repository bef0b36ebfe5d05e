"""``swr-tui instances``, ``vulns`` and ``--instance`` on ``namespaces``/``repos``/``tags``: every
format on the demo, the instance from the flag, the environment or the profile, exit 3 from
``--fail-on``, and the faults a live loopback registry sends (403 on the list, a Creating instance,
no project id) as one line with exit 1 or 2."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from cli_harness import Run, ok
from fault_rules import arm

from swr_tui.fake import DEMO_PROJECT_ID, DEMO_TOKEN, FakeRegistry
from swr_tui.fake import enterprise_data as ee
from swr_tui.swr.retry import RetryPolicy

PROD = ee.RUNNING_NAME


@pytest.fixture
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SWR_TUI_PROJECT_ID", DEMO_PROJECT_ID)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", functools.partial(RetryPolicy, base_s=0.0))


def test_instances_table_and_json() -> None:
    lines = ok(Run("instances", "--demo")).out.splitlines()
    assert lines[0].split() == ["NAME", "ID", "STATUS", "SPEC", "VERSION", "ACCESS_ADDRESS"]
    assert lines[1].split()[:3] == [PROD, ee.RUNNING_ID, "Running"]
    assert lines[2].split()[:3] == [ee.CREATING_NAME, ee.CREATING_ID, "Creating"]
    records = ok(Run("instances", "--demo", "-o", "json")).json()
    assert [(r["name"], r["status"], r["spec"]) for r in records] == [
        (PROD, "Running", "swr_ee_pro"),
        (ee.CREATING_NAME, "Creating", "swr_ee_basic"),
    ]
    assert records[0]["access_address"].endswith(".swr-ee.cn-north-4.myhuaweicloud.com")


def test_namespaces_and_repos_of_an_instance() -> None:
    rows = ok(Run("namespaces", "--demo", "--instance", PROD, "-o", "csv")).rows()
    assert rows == [
        ["name", "repo_count", "public", "auto_scan", "severity"],
        ["apps", "2", "false", "true", "high"],
        ["ci", "1", "false", "true", "high"],
        ["legacy", "1", "true", "true", "high"],
    ]
    repos = ok(Run("repos", "--demo", "--instance", ee.RUNNING_ID, "-o", "json")).json()
    assert [(r["namespace"], r["name"], r["num_images"]) for r in repos] == [
        ("apps", "webapp", 5),
        ("apps", "team/tools/builder", 1),
        ("ci", "builds", ee.BIG_COUNT),
        ("legacy", "base", 1),
    ]
    filtered = ok(Run("repos", "apps", "--demo", "--instance", PROD, "--filter", "TOOLS", "-o", "tsv")).rows(
        "\t"
    )
    assert [row[0] for row in filtered] == ["name", "apps/team/tools/builder"]


def test_tags_of_an_instance_one_row_per_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_INSTANCE", PROD)  # the environment names the instance
    lines = ok(Run("tags", "apps/webapp", "--demo")).out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "TAG", "v2.4.1", "latest", "stable", "<untagged>", "v2.4.0-multiarch", "v1.0.0",
    ]  # fmt: skip
    assert lines[5].split()[-2:] == ["manifest", "list"]
    records = ok(Run("tags", "apps/team/tools/builder", "--demo", "-o", "json")).json()
    assert [(r["tag"], r["digest"]) for r in records] == [("v1", ee.digest_of(ee.DEEP_REPO))]


def test_tags_all_reads_every_page_of_100_in_order(token_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ee, "BIG_COUNT", 1_050)  # the 100,000 of the demo, cut to keep the test fast
    registry = FakeRegistry(seed=0)
    with registry.serve() as server:
        result = ok(
            Run("tags", "ci/builds", "--all", "--instance", PROD, "--endpoint", server.url, "-o", "tsv")
        )
    rows = result.rows("\t")
    assert len(rows) == 1 + 1_050
    assert (rows[1][0], rows[-1][0]) == ("build-001049", "build-000000")
    assert len({row[0] for row in rows}) == len(rows)
    offsets = sorted(int(r.params["offset"]) for r in registry.requests if r.route == "artifacts")
    assert offsets == list(range(0, 1_050, 100))
    assert {r.params["limit"] for r in registry.requests if r.route == "artifacts"} == {"100"}
    assert {request.method for request in registry.requests} == {"GET"}


def test_tags_paging_rules_of_an_instance() -> None:
    page = ok(Run("tags", "ci/builds", "--demo", "--instance", PROD, "--limit", "50", "--offset", "100"))
    assert page.out.splitlines()[1].split()[0] == "build-099899"
    assert (
        page.err == "swr-tui: showing artifacts 101-150 of 100000; use --offset, --limit or --all for more\n"
    )
    for extra in (["--limit", "500"], ["--limit", "50", "--offset", "75"]):
        refused = Run("tags", "ci/builds", "--demo", "--instance", PROD, *extra)
        assert refused.code == 2
        assert "--limit is at most 100 and --offset a multiple of it" in refused.error_line()
    ascending = Run("tags", "apps/webapp", "--demo", "--instance", PROD, "--order", "asc")
    assert ascending.code == 2
    assert "newest first only" in ascending.error_line()


def test_vulns_sorted_by_severity_in_every_format() -> None:
    lines = ok(Run("vulns", "apps/webapp:latest", "--demo", "--instance", PROD)).out.splitlines()
    assert lines[0].split() == ["CVE", "SEVERITY", "SCORE", "PACKAGE", "VERSION", "FIX_VERSION"]
    assert [line.split()[1] for line in lines[1:]] == ["Critical"] * 2 + ["High"] * 2 + ["Medium"] * 2 + [
        "Low"
    ] * 2 + ["Unknown"] * 2
    records = ok(Run("vulns", "apps/webapp:latest", "--demo", "--instance", PROD, "-o", "json")).json()
    assert set(records[0]) == {"id", "severity", "score", "package", "version", "fix_version", "description",
                               "links", "cwe_ids"}  # fmt: skip
    assert (records[0]["id"], records[0]["score"], records[3]["score"]) == ("CVE-2019-10000", 9.8, None)
    high = ok(
        Run("vulns", "apps/webapp:stable", "--demo", "--instance", PROD, "--severity", "HIGH", "-o", "csv")
    )
    assert [row[1] for row in high.rows()[1:]] == ["Critical", "Critical", "High", "High"]
    digest = ee.digest_of(ee.SHOWCASE_REPO, "v2")
    by_digest = ok(Run("vulns", f"apps/webapp@{digest}", "--demo", "--instance", PROD, "-o", "json")).json()
    assert by_digest == records


@pytest.mark.parametrize(
    ("fail_on", "code", "said"),
    [
        (
            "critical",
            3,
            "swr-tui: 2 vulnerabilities at or above critical in apps/webapp:latest (--fail-on)\n",
        ),
        ("low", 3, "swr-tui: 8 vulnerabilities at or above low in apps/webapp:latest (--fail-on)\n"),
    ],
)
def test_fail_on_exits_3_when_one_is_at_or_above(fail_on: str, code: int, said: str) -> None:
    result = Run("vulns", "apps/webapp:latest", "--demo", "--instance", PROD, "--fail-on", fail_on)
    assert result.code == code
    assert result.err == said
    assert len(result.out.splitlines()) == 11  # the list is printed all the same


def test_fail_on_exits_0_when_none_is(monkeypatch: pytest.MonkeyPatch) -> None:
    clean = [{"id": "CVE-1", "severity": "Low"}, {"id": "CVE-2", "severity": "Negligible"}]
    monkeypatch.setattr(ee, "vulnerability", lambda artifact, number: clean[number % 2])
    result = ok(Run("vulns", "apps/webapp:latest", "--demo", "--instance", PROD, "--fail-on", "medium"))
    assert result.err == ""
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == ["CVE-1"] * 5 + ["CVE-2"] * 5


def test_vulns_errors_exit_1_or_2_with_one_line() -> None:
    unscanned = Run("vulns", "apps/webapp:v1.0.0", "--demo", "--instance", PROD, "--fail-on", "low")
    assert unscanned.code == 1
    assert "apps/webapp:v1.0.0 has no scan report (it was never scanned)" in unscanned.error_line()
    missing = Run("vulns", "apps/webapp:nope", "--demo", "--instance", PROD)
    assert missing.code == 1
    assert "Not found: tag apps/webapp:nope" in missing.error_line()
    no_instance = Run("vulns", "apps/webapp:latest", "--demo")
    assert no_instance.code == 2
    assert "give --instance NAME_OR_ID" in no_instance.error_line()
    for bad in ("apps/webapp", "webapp:latest", "apps/webapp:"):
        usage = Run("vulns", bad, "--demo", "--instance", PROD)
        assert usage.code == 2
        assert "expected NAMESPACE/REPO:TAG or NAMESPACE/REPO@DIGEST" in usage.error_line()
    wrong = Run("vulns", "apps/webapp:latest", "--demo", "--instance", PROD, "--fail-on", "severe")
    assert wrong.code == 2
    assert "invalid choice: 'severe'" in wrong.err


def test_a_creating_instance_is_a_clear_error(live: str, token_env: None) -> None:
    for argv in (("tags", "apps/webapp"), ("namespaces",), ("vulns", "apps/webapp:latest")):
        result = Run(*argv, "--instance", ee.CREATING_NAME, "--endpoint", live)
        assert result.code == 1
        assert result.error_line() == (
            "swr-tui: Enterprise instance acme-next is Creating, not Running: it cannot be browsed until "
            "it is (see swr-tui instances)"
        )


def test_403_on_the_instance_list_is_an_error_here(
    live: str, registry: FakeRegistry, token_env: None
) -> None:
    arm(registry, "instances:403")
    result = Run("instances", "--endpoint", live)
    assert result.code == 1
    assert "Permission denied for the enterprise instances" in result.error_line()
    assert result.out == ""


def test_the_instance_and_project_from_the_profile(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.ee]\nendpoint = "{live}"\nproject_id = "{DEMO_PROJECT_ID}"\ninstance = "{PROD}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config))
    names = ok(Run("namespaces", "--profile", "ee", "-o", "json")).json()
    assert [ns["name"] for ns in names] == ["apps", "ci", "legacy"]
    monkeypatch.setenv("SWR_TUI_INSTANCE", ee.CREATING_NAME)  # the environment outranks the profile
    assert Run("namespaces", "--profile", "ee").code == 1
    flag = ok(Run("namespaces", "--profile", "ee", "--instance", ee.RUNNING_ID, "-o", "json")).json()
    assert flag == names  # and the flag outranks both
    assert registry.count(route="projects") == 0


def test_without_a_project_id_it_says_where_to_set_one(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = Run("instances", "--endpoint", live)
    assert result.code == 2
    assert (
        "needs the IAM project id: set project_id in the profile, or SWR_TUI_PROJECT_ID"
        in result.error_line()
    )


def test_without_an_instance_the_commands_stay_basic(
    live: str, registry: FakeRegistry, token_env: None
) -> None:
    names = ok(Run("namespaces", "--endpoint", live, "-o", "json")).json()
    assert "acme" in [ns["name"] for ns in names]
    assert {request.route for request in registry.requests} == {"namespaces"}


@pytest.mark.parametrize(
    ("argv", "environ", "opened"),
    [
        (["--demo", "--instance", "acme-prod", "--repo", "apps/webapp"], {}, ("acme-prod", "apps/webapp")),
        (["--demo", "--namespace", "ci"], {"SWR_TUI_INSTANCE": "acme-prod"}, ("acme-prod", None)),
        (["--demo", "--repo", "acme/webapp"], {}, (None, "acme/webapp")),
    ],
)
def test_the_tui_opens_in_the_instance_the_flag_or_the_environment_names(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], environ: dict[str, str], opened: tuple[object, object]
) -> None:
    import io

    from swr_tui.cli import main
    from swr_tui.ui import app as app_module

    seen: list[tuple[object, object]] = []

    def record(client: object, **options: object) -> int:
        seen.append((options.get("instance"), options.get("repository")))
        return 0

    monkeypatch.setattr(app_module, "run_app", record)
    monkeypatch.delenv("SWR_TUI_INSTANCE", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    assert main(argv, out=io.StringIO(), err=err) == 0, err.getvalue()
    assert seen == [opened]
