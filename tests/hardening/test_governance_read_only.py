"""The governance commands with each kind of credentials send only GETs (besides the IAM login),
the project lookup included, and print no secret."""

from __future__ import annotations

import io

import pytest

from swr_tui.cli import main
from swr_tui.fake import FakeRegistry
from swr_tui.fake.credentials import DEMO_PROJECT_ID, DEMO_REGION

from .test_secrets_transport import KINDS, assert_read_only, credentials_env, secret_values


@pytest.mark.parametrize("kind", KINDS)
def test_governance_commands_send_only_gets(
    kind: str, registry: FakeRegistry, live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = credentials_env(kind, live, accepted=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", live)
    monkeypatch.setenv("SWR_TUI_REGION", DEMO_REGION)
    if kind == "token":  # a bare token names no project: it is configured (password and AK/SK find it)
        monkeypatch.setenv("SWR_TUI_PROJECT_ID", DEMO_PROJECT_ID)
    printed = []
    for argv in (["retention", "acme/webapp"], ["retention", "acme/webapp", "--history"], ["quotas"]):
        out, err = io.StringIO(), io.StringIO()
        assert main([*argv, "-o", "json"], out=out, err=err) == 0, err.getvalue()
        printed.append(out.getvalue() + err.getvalue())
    assert_read_only(registry, kind)
    assert registry.count(route="quotas") == 1  # the project id was found
    assert {request.method for request in registry.requests if request.route != "iam"} == {"GET"}
    for secret in secret_values(env):
        assert all(secret not in text for text in printed)
