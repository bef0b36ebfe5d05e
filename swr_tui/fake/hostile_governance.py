"""Hostile text in the governance answers of the hostile registry's ``hostile/tags`` repository
(and its namespace's access): every corpus string in every string field a screen or a command
shows: exception patterns, the retention log, sync rules and jobs, triggers, access and shares."""

from __future__ import annotations

from typing import Any, Optional

from swr_tui.fake import governance_routes as names
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.fake.replies import Reply


def _texts() -> list[str]:
    return [entry.text for entry in CORPUS]


def _retentions() -> list[dict[str, Any]]:
    selectors = [{"kind": "label", "pattern": text} for text in _texts()]
    # One pattern that compiles and carries escape sequences: the rule in words shows it.
    selectors.append({"kind": "regexp", "pattern": next(e.text for e in CORPUS if e.name == "osc0-title")})
    return [{"id": 666, "algorithm": "or", "scope": _texts()[0], "rules": [
        {"template": "tag_rule", "params": {"num": "3"}, "tag_selectors": selectors}
    ]}]  # fmt: skip


def _log() -> dict[str, Any]:
    rows = [
        {"id": n, "retention_id": 666, "namespace": text, "repo": text, "tag": text, "rule_type": text,
         "created_at": text}
        for n, text in enumerate(_texts())
    ]  # fmt: skip
    return {"retention_log": rows, "total": len(rows)}


def _sync(with_status: bool) -> list[dict[str, Any]]:
    rows = []
    for n, text in enumerate(_texts()):
        row = {"id": n, "remoteRegionId": text, "remoteNamespace": text, "syncAuto": True, "override": False,
               "createdAt": text, "namespace": text, "repoName": text, "domainName": text}  # fmt: skip
        if with_status:
            row.update(status=text, tag=text, syncOperatorName=text)
        rows.append(row)
    return rows


def _triggers() -> list[dict[str, Any]]:
    history = [{"tag": text, "result": text, "detail": text, "created_at": text} for text in _texts()]
    return [
        {"name": text, "enable": "true", "trigger_type": text, "condition": text, "trigger_mode": text,
         "cluster_name": text, "cluster_ns": text, "application": text, "trigger_history": history}
        for text in _texts()
    ]  # fmt: skip


def _access() -> dict[str, Any]:
    others = [{"user_id": text, "user_name": text, "auth": 3} for text in _texts()]
    return {
        "id": 1,
        "name": _texts()[0],
        "self_auth": {"user_name": _texts()[1], "auth": 7},
        "others_auths": others,
    }


def _shares() -> list[dict[str, Any]]:
    return [
        {"access_domain": text, "permit": text, "deadline": text, "description": text, "status": True}
        for text in _texts()
    ]


_BUILDERS = {
    names.RETENTIONS: _retentions,
    names.RETENTION_LOG: _log,
    names.SYNC_REPOS: lambda: _sync(False),
    names.SYNC_JOBS: lambda: _sync(True),
    names.TRIGGERS: _triggers,
    names.REPO_ACCESS: _access,
    names.NAMESPACE_ACCESS: _access,
    names.SHARES: _shares,
}


def hostile_governance(route_name: str, path: dict[str, str], reply: Reply) -> Optional[Reply]:
    """The hostile answer for a governance route of ``hostile/tags`` (or namespace ``hostile``)."""
    build = _BUILDERS.get(route_name)
    if build is None or reply.status != 200 or path.get("namespace") != HOSTILE_NAMESPACE:
        return None
    if route_name != names.NAMESPACE_ACCESS and path.get("repository") != TAGS_REPO:
        return None
    return Reply(200, build())
