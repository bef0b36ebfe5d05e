"""Image configs for the fake registry's tags, derived from each tag's manifest and digest, so the
same digest always has the same config (two tags sharing a digest share it too).

The config follows the OCI image config (``os``, ``architecture``, ``config.{User, Env, Entrypoint,
Cmd, WorkingDir, ExposedPorts, Volumes, Labels, StopSignal}``, ``rootfs.diff_ids``, ``history``),
and its history matches the manifest: one step per layer that makes one, in order, with empty
steps (ENV, LABEL, EXPOSE, CMD...) between them. Half the images read as the legacy builder writes
history (``/bin/sh -c #(nop) ...``), half as BuildKit does (``RUN /bin/sh -c ... # buildkit``).

What SWR's ShowRepoTagConfig returns for a manifest list is not documented: here it is the config
of the list's first platform, with a history of its own length (a list has no layers to match).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from swr_tui.fake.entropy import hex_digest, rng, sha256_digest
from swr_tui.fake.manifests import COSIGN_LAYER

_NOP = "/bin/sh -c #(nop) "
# What the odd-config fault adds: the sizes issue 11 says must work.
LONG_HISTORY_STEPS = 10_000
BIG_LABELS_BYTES = 2 * 1024 * 1024
_BIG_LABEL_VALUE = 2_000
_USERS = ("", "", "1000:1000", "nobody", "app")
_PORTS = ("8080/tcp", "8443/tcp", "9090/tcp", "5432/tcp", "6379/tcp", "53/udp")
_RUN_STEPS = (
    "apk add --no-cache ca-certificates tzdata",
    "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
    "pip install --no-cache-dir -r /tmp/requirements.txt",
    "addgroup -S app && adduser -S app -G app",
    "go build -trimpath -o /out/server ./cmd/server",
    "npm ci --omit=dev",
)
_COPY_STEPS = ("COPY dir:{hex} in /app ", "COPY file:{hex} in /usr/local/bin/ ")


def layer_count(manifest_text: str) -> int:
    """How many layers the tag's manifest lists (0 for a list, or a manifest that is not JSON)."""
    try:
        document = json.loads(manifest_text)
    except (ValueError, RecursionError):  # a hostile manifest may nest 50,000 levels deep
        return 0
    if not isinstance(document, dict):
        return 0
    layers = document.get("layers") or document.get("fsLayers") or []
    return len(layers) if isinstance(layers, list) else 0


def first_platform(manifest_text: str) -> dict[str, str]:
    try:
        document = json.loads(manifest_text)
    except (ValueError, RecursionError):
        return {}
    entries = document.get("manifests") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        platform = entry.get("platform") if isinstance(entry, dict) else None
        if isinstance(platform, dict) and platform.get("os") not in (None, "unknown"):
            return {
                key: str(value) for key, value in platform.items() if key in ("os", "architecture", "variant")
            }
    return {}


def image_config(reference: str, digest: str, manifest_text: str, pushed: datetime) -> dict[str, Any]:
    """The config of one image; ``reference`` is ``namespace/repository``, ``pushed`` the time of
    the first tag on the digest. Nothing in it depends on which tag asks, so every tag on one
    digest gets the same config; it was built between 1 and 30 days before that first push."""
    generator = rng("image-config", digest)
    created = pushed - timedelta(seconds=generator.randint(86_400, 30 * 86_400))
    if COSIGN_LAYER in manifest_text:
        return _signature_config(layer_count(manifest_text), generator)
    platform = first_platform(manifest_text)
    layers = layer_count(manifest_text) if not platform else generator.randint(3, 7)
    name = reference.rsplit("/", 1)[-1]
    buildkit = generator.random() < 0.5
    revision = hex_digest(generator)[:40]
    labels = {
        "org.opencontainers.image.title": name,
        "org.opencontainers.image.revision": revision,
        "org.opencontainers.image.source": f"https://git.example.com/{reference}",
        "org.opencontainers.image.created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    ports = sorted(generator.sample(_PORTS, generator.randint(0, 2)))
    env = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        f"{name.upper().replace('-', '_').replace('.', '_')}_REVISION={revision[:12]}",
        "LANG=C.UTF-8",
    ]
    run: dict[str, Any] = {
        "User": generator.choice(_USERS),
        "Env": env,
        "Entrypoint": ["/docker-entrypoint.sh"] if generator.random() < 0.5 else None,
        "Cmd": [f"/usr/local/bin/{name}", "--config", f"/etc/{name}/config.yaml"],
        "WorkingDir": "/app",
        "Labels": labels,
    }
    if ports:
        run["ExposedPorts"] = {port: {} for port in ports}
    if generator.random() < 0.3:
        run["Volumes"] = {f"/var/lib/{name}": {}}
    if generator.random() < 0.3:
        run["StopSignal"] = "SIGQUIT"
    config: dict[str, Any] = {
        "architecture": platform.get("architecture", "amd64"),
        "os": platform.get("os", "linux"),
        "created": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "config": run,
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(generator) for _ in range(layers)]},
        "history": _history(generator, layers, created, buildkit, run, ports),
    }
    if platform.get("variant"):
        config["variant"] = platform["variant"]
    return config


def _signature_config(layers: int, generator: random.Random) -> dict[str, Any]:
    """What cosign pushes as a signature's config: no platform, no command, no history."""
    return {
        "architecture": "",
        "os": "",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(generator) for _ in range(layers)]},
    }


def _history(
    generator: random.Random,
    layers: int,
    created: datetime,
    buildkit: bool,
    run: dict[str, Any],
    ports: list[str],
) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []

    def step(text: str, empty: bool) -> None:
        entry: dict[str, Any] = {"created_by": text}
        if empty:
            entry["empty_layer"] = True
        steps.append(entry)

    def metadata(instruction: str) -> None:
        step(instruction if buildkit else f"{_NOP} {instruction}", True)

    for index in range(layers):
        if index == 0:
            step(f"{_NOP}ADD file:{hex_digest(generator)} in / ", False)
            metadata('CMD ["/bin/sh"]')
            metadata(f"ENV {run['Env'][1]}")
        elif index == layers - 1 and layers > 2:
            copy = generator.choice(_COPY_STEPS).format(hex=hex_digest(generator))
            step(f"{copy}# buildkit" if buildkit else f"{_NOP}{copy}", False)
        else:
            command = generator.choice(_RUN_STEPS)
            step(f"RUN /bin/sh -c {command} # buildkit" if buildkit else f"/bin/sh -c {command}", False)
        if index == layers // 2 and run.get("WorkingDir"):
            metadata(f"WORKDIR {run['WorkingDir']}")
    for port in ports:
        metadata(f"EXPOSE map[{port}:{{}}]")
    if run.get("Entrypoint"):
        metadata(f"ENTRYPOINT {json.dumps(run['Entrypoint'])}")
    metadata(f"CMD {json.dumps(run['Cmd'])}")
    moment = created - timedelta(minutes=len(steps))
    for index, entry in enumerate(steps):
        entry["created"] = (moment + timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return steps


def bend_config(payload: Any, how: str) -> Any:
    """The config answer (a JSON string) as the odd-config fault sends it (see ``faults``)."""
    if not isinstance(payload, str):
        return payload
    if how == "text":
        return payload[: len(payload) // 2]
    config = json.loads(payload)
    if how == "list":
        return json.dumps([config])
    if how == "object":
        return config
    history = config.setdefault("history", [])
    building = [index for index, step in enumerate(history) if not step.get("empty_layer")]
    if how == "history":
        filler = {"created_by": f"{_NOP} LABEL step=filler", "empty_layer": True}
        history.extend(dict(filler) for _ in range(LONG_HISTORY_STEPS - len(history)))
    elif how == "longer":
        history.append({"created_by": "/bin/sh -c make extra"})
    elif how == "shorter" and building:
        del history[building[0]]
    elif how == "labels":
        labels = config.setdefault("config", {}).setdefault("Labels", {})
        for index in range(BIG_LABELS_BYTES // _BIG_LABEL_VALUE):
            labels[f"com.example.big.{index:04d}"] = "v" * _BIG_LABEL_VALUE
    return json.dumps(config, separators=(",", ":"))
