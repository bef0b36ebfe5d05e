"""IAM password login (POST /v3/auth/tokens): the demo user gets a token with a real lifetime."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional
from urllib.parse import parse_qsl

from swr_tui.fake.auth import TokenStore
from swr_tui.fake.credentials import (
    DEMO_DOMAIN,
    DEMO_DOMAIN_ID,
    DEMO_PASSWORD,
    DEMO_PROJECT_ID,
    DEMO_REGION,
    DEMO_USER,
    DEMO_USER_ID,
)
from swr_tui.fake.replies import Reply, iam_error
from swr_tui.fake.wire import FakeRequest


def iam_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def login(request: FakeRequest, tokens: TokenStore, now: datetime) -> Reply:
    if request.method != "POST":
        return iam_error(405, "Method Not Allowed", "The method is not allowed for the requested URL.")
    credentials = _password_credentials(request.body)
    if credentials is None:
        return iam_error(
            400, "Bad Request", "The request body is not a valid password authentication request."
        )
    user, password, domain, project = credentials
    if (user, password, domain) != (DEMO_USER, DEMO_PASSWORD, DEMO_DOMAIN):
        return iam_error(401, "Unauthorized", "The username or password is wrong.")
    token, expires = tokens.issue(now)
    domain_json = {"name": DEMO_DOMAIN, "id": DEMO_DOMAIN_ID}
    body: dict[str, Any] = {
        "token": {
            "expires_at": iam_time(expires),
            "issued_at": iam_time(now),
            "methods": ["password"],
            "project": {"name": project or DEMO_REGION, "id": DEMO_PROJECT_ID, "domain": domain_json},
            "user": {"name": DEMO_USER, "id": DEMO_USER_ID, "domain": domain_json, "password_expires_at": ""},
            "roles": [{"name": "te_admin", "id": "0"}],
        }
    }
    if dict(parse_qsl(request.raw_query)).get("nocatalog") != "true":
        body["token"]["catalog"] = [
            {
                "type": "swr",
                "name": "swr",
                "endpoints": [
                    {
                        "url": f"https://swr-api.{project or DEMO_REGION}.myhuaweicloud.com",
                        "region": project or DEMO_REGION,
                        "interface": "public",
                    }
                ],
            }
        ]
    return Reply(201, body, headers={"X-Subject-Token": token})


def _password_credentials(body: bytes) -> Optional[tuple[str, str, str, str]]:
    """(user, password, domain, project name) from the documented body, or None if it is not one."""
    try:
        document = json.loads(body.decode("utf-8"))
        identity = document["auth"]["identity"]
        user = identity["password"]["user"]
        values = (user["name"], user["password"], user["domain"]["name"])
        project = document["auth"].get("scope", {}).get("project", {}).get("name", "")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None
    if "password" not in identity.get("methods", []) or not all(isinstance(v, str) for v in values):
        return None
    return (*values, project if isinstance(project, str) else "")
