"""Image config blobs (what ``docker inspect`` shows) built from a seed, for the fake's data plane.

The same seed, platform and layer count always give the same bytes, so the blob's digest is the
real sha256 of what the registry serves.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from swr_tui.fake.entropy import rng

_EPOCH = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
_BASE_STEPS = (
    "/bin/sh -c #(nop) ADD file:4f1c2a9b0e3d in / ",
    '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
)
_APP_STEPS = (
    "RUN /bin/sh -c apk add --no-cache ca-certificates tzdata # buildkit",
    "COPY /app /app # buildkit",
    "RUN /bin/sh -c adduser -D -u 10001 app # buildkit",
    "COPY config/ /etc/app/ # buildkit",
    "RUN /bin/sh -c chmod -R a+rX /app # buildkit",
    "ADD https://example.com/tool.tar.gz /opt/ # buildkit",
    "RUN /bin/sh -c /app/bin/warmup --cache /var/cache/app # buildkit",
)
_EMPTY_STEPS = (
    "ENV APP_ENV=production",
    "WORKDIR /app",
    "EXPOSE map[8080/tcp:{}]",
    "USER app",
    'ENTRYPOINT ["/app/bin/server"]',
)


def image_config(seed: str, os: str, architecture: str, variant: Optional[str], layer_count: int) -> bytes:
    """A config blob whose history has one non-empty step per layer (the first two from the base)."""
    generator = rng("config", seed, os, architecture, variant or "", layer_count)
    created = _EPOCH + timedelta(seconds=generator.randrange(200 * 86_400))
    history: list[dict[str, Any]] = []
    moment = created - timedelta(minutes=layer_count + len(_EMPTY_STEPS) + 1)

    def step(created_by: str, empty: bool) -> None:
        nonlocal moment
        moment += timedelta(seconds=generator.randint(1, 50))
        entry: dict[str, Any] = {
            "created": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "created_by": created_by,
        }
        if empty:
            entry["empty_layer"] = True
        else:
            entry["comment"] = "buildkit.dockerfile.v0"
        history.append(entry)

    step(_BASE_STEPS[0], False)
    step(_BASE_STEPS[1], True)
    for index in range(layer_count - 1):
        step(_APP_STEPS[index % len(_APP_STEPS)], False)
        if index < len(_EMPTY_STEPS):
            step(_EMPTY_STEPS[index], True)
    version = f"{generator.randint(1, 4)}.{generator.randint(0, 20)}.{generator.randint(0, 9)}"
    platform: dict[str, Any] = {"architecture": architecture, "os": os}
    if variant:
        platform["variant"] = variant
    document = {
        **platform,
        "author": "ci-bot@acme.example",
        "created": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "config": {
            "User": "app",
            "ExposedPorts": {"8080/tcp": {}},
            "Env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "APP_ENV=production",
                f"APP_VERSION={version}",
            ],
            "Entrypoint": ["/app/bin/server"],
            "Cmd": ["--port", "8080"],
            "WorkingDir": "/app",
            "Labels": {
                "org.opencontainers.image.source": "https://git.example.com/acme/app",
                "org.opencontainers.image.version": version,
            },
            "StopSignal": "SIGTERM",
        },
        "rootfs": {
            "type": "layers",
            "diff_ids": [
                "sha256:" + hashlib.sha256(f"{seed}/diff/{index}".encode()).hexdigest()
                for index in range(layer_count)
            ],
        },
        "history": history,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8")
