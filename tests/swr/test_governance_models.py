"""Governance records built tolerantly: strings for numbers, camelCase and snake_case, missing
fields and nulls, and hostile text kept exactly as data."""

from __future__ import annotations

from swr_tui.swr.governance_models import (
    Access,
    Overview,
    Quota,
    RepositoryShare,
    Retention,
    RetentionLogEntry,
    SyncJob,
    SyncRepo,
    Trigger,
)

HOSTILE = "\x1b[2J\u202eevil\x07"


def test_retention_tolerates_missing_and_odd_fields() -> None:
    retention = Retention.from_api(
        {
            "id": "7",
            "rules": [
                {"template": "tag_rule", "params": {"num": "5"}, "tagSelectors": [{"kind": "label"}]},
                "junk",
            ],
        }
    )
    assert retention.id == 7
    assert retention.algorithm == ""
    (rule,) = retention.rules
    assert rule.params == {"num": "5"}
    assert [(s.kind, s.pattern) for s in rule.tag_selectors] == [("label", "")]
    assert Retention.from_api(None) == Retention(id=0, algorithm="", scope="", rules=())
    assert Retention.from_api({"rules": [{"params": None, "tag_selectors": None}]}).rules[0].params == {}


def test_sync_records_read_camel_and_snake_case() -> None:
    camel = SyncRepo.from_api(
        {"remoteRegionId": "cn-east-3", "remoteNamespace": "a", "syncAuto": "true", "override": 1}
    )
    snake = SyncRepo.from_api(
        {"remote_region_id": "cn-east-3", "remote_namespace": "a", "sync_auto": True, "override": True}
    )
    assert camel == snake
    job = SyncJob.from_api(
        {"remote_region_id": "r", "syncOperatorName": HOSTILE, "createdAt": "2026", "status": None}
    )
    assert (job.remote_region_id, job.sync_operator_name, job.created_at, job.status) == (
        "r",
        HOSTILE,
        "2026",
        "",
    )


def test_trigger_enable_is_a_string() -> None:
    assert Trigger.from_api({"enable": "false"}).enabled is False
    assert Trigger.from_api({"enable": "true"}).enabled is True
    assert Trigger.from_api({}).enabled is False
    fired = Trigger.from_api({"name": HOSTILE, "trigger_history": [{"tag": HOSTILE, "result": "success"}, 3]})
    assert fired.name == HOSTILE
    assert [(h.tag, h.result) for h in fired.history] == [(HOSTILE, "success")]


def test_quota_overview_and_log_numbers_as_strings() -> None:
    quota = Quota.from_api({"quota_key": "repository", "quota_limit": "1000", "used": "312", "unit": None})
    assert (quota.key, quota.limit, quota.used, quota.unit) == ("repository", 1000, 312, "")
    overview = Overview.from_api(
        {"namspace_num": "4", "repo_num": 3.0, "store_space": "1.5e3", "downflow_size": None}
    )
    assert (overview.namespace_num, overview.repo_num, overview.store_space, overview.downflow_size) == (
        4,
        3,
        1500.0,
        0.0,
    )
    assert Overview.from_api({"namespace_num": 9}).namespace_num == 9  # the spelling fixed, should SWR fix it
    entry = RetentionLogEntry.from_api({"tag": HOSTILE, "retention_id": "12", "created_at": 5})
    assert (entry.tag, entry.retention_id, entry.created_at) == (HOSTILE, 12, "5")


def test_access_and_shares() -> None:
    access = Access.from_api(
        {"name": "ns", "self_auth": {"user_name": "me", "auth": "3"}, "others_auths": [{"auth": 9}, None]}
    )
    assert access.self_auth is not None
    assert (access.self_auth.user_name, access.self_auth.access) == ("me", "edit")
    assert [o.access for o in access.others] == ["9"]
    assert Access.from_api({"self_auth": "x"}).self_auth is None
    share = RepositoryShare.from_api({"access_domain": HOSTILE, "deadline": "forever", "status": "false"})
    assert (share.access_domain, share.deadline, share.status, share.permit) == (
        HOSTILE,
        "forever",
        False,
        "",
    )
