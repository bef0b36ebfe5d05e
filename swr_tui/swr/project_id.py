"""Which IAM project ListQuotas is asked about: configured, the token's, or looked up once.

In order: the configured id (profile key ``project_id``, env ``SWR_TUI_PROJECT_ID``, the SDK's
``HUAWEICLOUD_SDK_PROJECT_ID``, as the settings resolved it); the project of the IAM token (password
login); with AK/SK, one signed ``GET {iam}/v3/projects?name={region}`` per session. None when none
can be had: the caller then simply shows no quota line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from .auth import PROJECT_ID_PATTERN
from .client import SwrClient, decode_json
from .errors import SwrError

PROJECT_ID_ENV = "SWR_TUI_PROJECT_ID"
SDK_PROJECT_ID_ENV = "HUAWEICLOUD_SDK_PROJECT_ID"


def configured_project_id(environ: Mapping[str, str], configured: Optional[str]) -> Optional[str]:
    """SWR_TUI_PROJECT_ID, then HUAWEICLOUD_SDK_PROJECT_ID, then ``configured`` (the profile's
    ``project_id``, or the credentials file's)."""
    return environ.get(PROJECT_ID_ENV) or environ.get(SDK_PROJECT_ID_ENV) or configured or None


class ProjectIdResolver:
    """Asks IAM at most once per session (per resolver), whatever the answer."""

    def __init__(self, configured: Optional[str], region: Optional[str], iam_endpoint: Optional[str]) -> None:
        self.configured = (configured or "").strip() or None
        self.region = region
        self.iam_endpoint = (iam_endpoint or "").rstrip("/") or None
        self._looked_up = False
        self._found: Optional[str] = None
        self.lookups = 0

    async def resolve(self, client: SwrClient) -> Optional[str]:
        if self.configured:
            return self.configured
        auth = getattr(client, "_auth", None)
        from_token = getattr(auth, "project_id", None) if client.auth_kind == "password" else None
        if isinstance(from_token, str) and from_token:
            return from_token
        if client.auth_kind != "aksk" or not self.region or not self.iam_endpoint:
            return None
        if not self._looked_up:
            self._looked_up = True
            self._found = await self._look_up(client)
        return self._found

    async def _look_up(self, client: SwrClient) -> Optional[str]:
        """The id of the project named after the region; None when IAM will not say (a failure
        here only hides the quota line, so it is not raised)."""
        assert self.region is not None
        self.lookups += 1
        what = f"the IAM project of region {self.region}"
        url = f"{self.iam_endpoint}/v3/projects"
        try:
            data = decode_json(await client.get_raw(url, "", what, [("name", self.region)]), what)
        except SwrError:
            return None
        projects = data.get("projects") if isinstance(data, dict) else None
        if not isinstance(projects, list):
            return None
        for project in projects:
            if isinstance(project, dict) and project.get("name") == self.region:
                found = project.get("id")
                if isinstance(found, str) and PROJECT_ID_PATTERN.fullmatch(found):
                    return found
        return None
