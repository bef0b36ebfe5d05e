"""The IAM token's project, taken from a password login's answer only when it is a plain id."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from swr_tui.swr.auth import PasswordAuth


def login_answer(body: Any) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = httpx.Request("POST", "https://iam.example/v3/auth/tokens")
    return httpx.Response(201, headers={"X-Subject-Token": "MIItoken"}, content=content, request=request)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"token": {"project": {"id": "0b4f8a6e2c8f4d5a9e1f3c7b6d2a8e90", "name": "cn-north-4"}}},
            "0b4f8a6e2c8f4d5a9e1f3c7b6d2a8e90",
        ),
        ({"token": {"project": {"id": "../../v2/manage/evil"}}}, None),  # goes into a URL path: refused
        ({"token": {"project": {"id": "\x1b]52;c;eA==\x07"}}}, None),
        ({"token": {"project": {"id": 42}}}, None),
        ({"token": {"project": None}}, None),
        ({"token": {}}, None),
        (b"not json", None),
        ([[[]]], None),
    ],
)
def test_the_login_answers_project(body: Any, expected: Any) -> None:
    auth = PasswordAuth("https://iam.example", "alice", "acme", "pw", "cn-north-4")
    assert auth.project_id is None
    auth.accept_login(login_answer(body))
    assert auth.project_id == expected
