"""``swr-tui retention`` and ``swr-tui quotas``: every output format on the demo, exit statuses
0/1/2 with one clear line, faults from the live loopback registry, and the project id's sources."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from cli_harness import Run, ok
from fault_rules import arm

from swr_tui.fake import (
    DEMO_AK,
    DEMO_PROJECT_ID,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    FakeRegistry,
    governance_data,
)
from swr_tui.swr.retry import RetryPolicy

SECRETS = (DEMO_TOKEN, DEMO_SK)
WEBAPP_DELETED = 14  # webapp's tags pushed more than 90 days before the demo's anchor, bar v1.0.0


@pytest.fixture
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setattr("swr_tui.swr.client.RetryPolicy", functools.partial(RetryPolicy, base_s=0.0))


# -- retention ---------------------------------------------------------------------------------------


def test_retention_table_says_the_rule_the_count_and_each_tag() -> None:
    result = ok(Run("retention", "acme/webapp", "--demo"))
    lines = result.out.splitlines()
    assert lines[0] == "retention: keep 90 days, except 'v1.0.0'"
    assert lines[1] == f"would delete {WEBAPP_DELETED} of 32 tags (SWR is the authority)"
    assert lines[2].split() == ["TAG", "UPDATED", "VERDICT", "REASON"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert len(rows) == WEBAPP_DELETED
    assert "v1.0.0" not in rows  # the label exception
    assert "v1.4.1" not in rows  # 89 days old
    assert "delete   pushed 91 days ago; rule keeps 90 days" in rows["v1.4.0"]


def test_retention_json() -> None:
    (report,) = ok(Run("retention", "acme/webapp", "--demo", "-o", "json")).json()
    assert report["repository"] == "acme/webapp"
    assert (report["tags"], report["deleted"], report["unknown"]) == (32, WEBAPP_DELETED, 0)
    assert report["rules"] == [
        {
            "rule": "keep 90 days, except 'v1.0.0'",
            "template": "date_rule",
            "amount": 90,
            "evaluable": True,
            "problem": "",
        }
    ]
    assert len(report["verdicts"]) == WEBAPP_DELETED
    first = report["verdicts"][0]
    assert set(first) == {"tag", "updated", "verdict", "reason"}
    assert (first["tag"], first["verdict"], first["reason"]) == (
        "v1.4.0",
        "delete",
        "pushed 91 days ago; rule keeps 90 days",
    )


@pytest.mark.parametrize(("fmt", "delimiter"), [("tsv", "\t"), ("csv", ",")])
def test_retention_delimited(fmt: str, delimiter: str) -> None:
    rows = ok(Run("retention", "acme/webapp", "--demo", "-o", fmt)).rows(delimiter)
    assert rows[0] == ["tag", "updated", "verdict", "reason"]
    assert len(rows) == 1 + WEBAPP_DELETED
    assert rows[-1][0] == "v0.9.0"
    assert rows[-1][2:] == ["delete", "pushed 162 days ago; rule keeps 90 days"]


def test_a_repository_without_a_rule_reads_no_tags(
    live: str, registry: FakeRegistry, token_env: None
) -> None:
    result = ok(Run("retention", "acme/redis", "--endpoint", live))
    assert result.out == "No retention rule on acme/redis: it deletes nothing.\n"
    assert registry.count(route="tags") == 0
    (report,) = ok(Run("retention", "acme/redis", "--endpoint", live, "-o", "json")).json()
    assert (report["rules"], report["verdicts"], report["tags"], report["deleted"]) == ([], [], 0, 0)
    assert (
        ok(Run("retention", "acme/redis", "--endpoint", live, "-o", "csv")).out
        == "tag,updated,verdict,reason\n"
    )


def test_a_rule_that_cannot_be_evaluated_exits_1_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    selectors = [{"kind": "regexp", "pattern": "(a+)+$"}]
    bad = [{"id": 9, "algorithm": "or", "rules": [
        {"template": "tag_rule", "params": {"num": "5"}, "tag_selectors": selectors}
    ]}]  # fmt: skip
    monkeypatch.setitem(governance_data.RETENTIONS, ("acme", "redis"), bad)
    result = Run("retention", "acme/redis", "--demo")
    assert result.code == 1
    assert result.out == ""
    line = result.error_line()
    assert "The retention rule of acme/redis (keep 5 newest, except /(a+)+$/) cannot be evaluated" in line
    assert "repeats inside a repeat" in line
    assert line.endswith("SWR is the authority on what it deletes")


def test_retention_history_in_every_format() -> None:
    table = ok(Run("retention", "acme/webapp", "--history", "--demo")).out.splitlines()
    assert table[0].split() == ["TAG", "DELETED_AT", "RULE_TYPE", "RETENTION_ID"]
    assert [line.split()[0] for line in table[1:]] == [f"v0.8.{n}" for n in range(6, 0, -1)]
    records = ok(Run("retention", "acme/webapp", "--history", "--demo", "-o", "json")).json()
    assert records[0]["tag"] == "v0.8.6"
    assert set(records[0]) == {"tag", "deleted_at", "rule_type", "retention_id", "id", "namespace", "repo"}
    rows = ok(Run("retention", "acme/webapp", "--history", "--demo", "-o", "tsv")).rows("\t")
    assert rows[0] == ["tag", "deleted_at", "rule_type", "retention_id"]
    assert rows[1][2:] == ["date_rule", "102"]


def test_ten_thousand_history_rows() -> None:
    rows = ok(Run("retention", "acme/nightly", "--history", "--demo", "-o", "csv")).rows(",")
    assert len(rows) == 1 + 10_000
    assert rows[1][0] == "nightly-old-10000"


@pytest.mark.parametrize(
    ("spec", "argv", "says"),
    [
        ("retentions:403", [], "Permission denied for the retention rules of acme/webapp"),
        ("retentions:config-missing", [], "This registry has no retention API"),
        (
            "retentions:malformed",
            [],
            "The registry's answer for the retention rules of acme/webapp is not JSON",
        ),
        ("retention-log:503", ["--history"], "HTTP 503 while loading the retention log of acme/webapp"),
        (
            "retention-log:wrong-shape",
            ["--history"],
            'is JSON but not an object with a "retention_log" array',
        ),
    ],
)
def test_faults_exit_1_with_one_line(
    spec: str, argv: list[str], says: str, live: str, registry: FakeRegistry, token_env: None
) -> None:
    arm(registry, spec)
    result = Run("retention", "acme/webapp", *argv, "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    assert says in result.error_line()


def test_bad_repository_argument_exits_2() -> None:
    result = Run("retention", "webapp", "--demo")
    assert result.code == 2
    assert "expected NAMESPACE/REPOSITORY, got 'webapp' (e.g. retention myns/team/app)" in result.error_line()


# -- quotas --------------------------------------------------------------------------------------


def test_quotas_table() -> None:
    lines = ok(Run("quotas", "--demo")).out.splitlines()
    assert lines[0].split() == ["KIND", "NAME", "USED", "LIMIT", "USE", "UNIT"]
    cells = [line.split() for line in lines[1:]]
    assert cells[0] == ["overview", "namespaces", "5"]
    assert cells[3][:2] == ["overview", "storage"]
    assert cells[3][3:] == ["TiB", "bytes"]  # sizes for people
    assert cells[6] == ["quota", "repository", "271", "300", "90%"]


def test_quotas_json_and_csv() -> None:
    records = ok(Run("quotas", "--demo", "-o", "json")).json()
    assert {"kind": "quota", "name": "tag", "used": 117565, "limit": 120000, "unit": ""} in records
    storage = next(r for r in records if r["name"] == "storage")
    assert storage["unit"] == "bytes"
    assert storage["used"] > 10**12
    rows = ok(Run("quotas", "--demo", "-o", "csv")).rows(",")
    assert rows[0] == ["kind", "name", "used", "limit", "use", "unit"]
    assert ["quota", "namespace", "5", "6", "83%", ""] in rows


def test_quotas_with_a_token_and_no_project_show_the_overview_only(
    live: str, registry: FakeRegistry, token_env: None
) -> None:
    result = ok(Run("quotas", "--endpoint", live, "-o", "tsv"))
    assert {row[0] for row in result.rows("\t")[1:]} == {"overview"}
    assert "quotas not shown: no project id" in result.err
    assert registry.count(route="quotas") == 0


def test_quotas_project_from_the_environment(
    live: str, registry: FakeRegistry, token_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_PROJECT_ID", DEMO_PROJECT_ID)
    result = ok(Run("quotas", "--endpoint", live, "-o", "json"))
    assert [r["name"] for r in result.json() if r["kind"] == "quota"] == ["namespace", "repository", "tag"]
    assert registry.requests[-1].path == f"/v2/manage/projects/{DEMO_PROJECT_ID}/quotas"


def test_quotas_project_from_the_profile_with_a_token(
    live: str, registry: FakeRegistry, token_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.work]\nendpoint = "{live}"\nproject_id = "{DEMO_PROJECT_ID}"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config))
    result = ok(Run("quotas", "--profile", "work", "-o", "json"))
    assert [r["name"] for r in result.json() if r["kind"] == "quota"] == ["namespace", "repository", "tag"]
    assert registry.count(route="quotas") == 1
    assert registry.count(route="projects") == 0


def test_quotas_that_fail_keep_the_overview_and_exit_1(
    live: str, registry: FakeRegistry, token_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_PROJECT_ID", DEMO_PROJECT_ID)
    arm(registry, "quotas:403")
    result = Run("quotas", "--endpoint", live, "-o", "tsv")
    assert result.code == 1
    assert len(result.rows("\t")) == 6  # the header and the overview's five rows
    line = result.error_line()
    assert "The overview is above, but the quotas could not be read: Permission denied for the quotas" in line


def test_quotas_with_aksk_look_the_project_up_in_iam(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    result = ok(
        Run("quotas", "--endpoint", live, "--iam-endpoint", live, "--region", DEMO_REGION, "-o", "json")
    )
    assert [r["name"] for r in result.json() if r["kind"] == "quota"] == ["namespace", "repository", "tag"]
    assert registry.count(route="projects") == 1
    assert {request.method for request in registry.requests} == {"GET"}


def test_overview_failure_exits_1(live: str, registry: FakeRegistry, token_env: None) -> None:
    arm(registry, "overview:config-missing")
    result = Run("quotas", "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    assert "This registry has no overview API" in result.error_line()


def test_tags_a_rule_cannot_judge_are_counted_and_listed_as_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [{"id": 9, "algorithm": "or", "rules": [
        {"template": "tag_rule", "params": {"num": "1"}, "tag_selectors": []},
        {"template": "size_rule", "params": {}, "tag_selectors": []},
    ]}]  # fmt: skip
    monkeypatch.setitem(governance_data.RETENTIONS, ("acme", "team/app"), rules)
    lines = ok(Run("retention", "acme/team/app", "--demo")).out.splitlines()
    assert lines[0] == "retention: keep 1 newest; or rule 'size_rule'"
    assert lines[1] == "would delete 7 of 8 tags; 1 unknown (see why below) (SWR is the authority)"
    unknown = [line for line in lines[3:] if "  unknown  " in line]
    assert len(unknown) == 1
    assert unknown[0].split()[0] == "latest"  # the newest: kept by the first rule, the second unknown
    assert "rule not evaluable: template 'size_rule' is unknown (tag_rule or date_rule)" in unknown[0]
