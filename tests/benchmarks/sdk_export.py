"""The headless-export baseline, run in a child process by run.py: every tag of a repository through
the official SDK (huaweicloudsdkswr SwrClient.list_repository_tags, AK/SK signing), pages of 100
fetched one after another, printed as a JSON array like ``swr-tui tags --all --output json``.

    HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=... \\
        python sdk_export.py http://127.0.0.1:PORT NAMESPACE REPOSITORY

The SDK keeps an endpoint that starts with "http" as it is, so plain http to loopback works.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkswr.v2 import ListRepositoryTagsRequest, SwrClient

PAGE = 100
_RANGE = re.compile(r"^\s*(\d+)-(\d+)/(\d+)\s*$")


def export(endpoint: str, namespace: str, repository: str) -> list[dict[str, Any]]:
    credentials = BasicCredentials(
        os.environ["HUAWEICLOUD_SDK_AK"],
        os.environ["HUAWEICLOUD_SDK_SK"],
        os.environ["HUAWEICLOUD_SDK_PROJECT_ID"],
    )
    client = (
        SwrClient.new_builder()
        .with_http_config(HttpConfig.get_default_config())
        .with_credentials(credentials)
        .with_endpoint(endpoint)
        .build()
    )
    tags: list[dict[str, Any]] = []
    offset, total = 0, None
    while total is None or offset < total:
        request = ListRepositoryTagsRequest(
            namespace=namespace,
            repository=repository,
            limit=str(PAGE),
            offset=str(offset),
            order_column="updated_at",
            order_type="desc",
        )
        response = client.list_repository_tags(request)
        page = response.body or []
        tags.extend(item.to_dict() for item in page)
        match = _RANGE.match(response.content_range or "")
        if match is None:  # no total: stop at a short page
            if len(page) < PAGE:
                break
        else:
            total = int(match.group(3))
        if not page:
            break
        offset += len(page)
    return tags


def main() -> None:
    endpoint, namespace, repository = sys.argv[1:4]
    json.dump(export(endpoint, namespace, repository), sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
