"""Headless export: ``swr-tui tags NS/REPO --all --output json`` against the official SDK and against
the network floor (export_floor.py: the same requests, bare httpx, same concurrency), all real
subprocesses, all against one ``swr-tui fake-registry --latency-ms N`` subprocess on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from swr_tui.fake import DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, DEMO_TOKEN
from swr_tui.swr.bulk import DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE

HERE = Path(__file__).resolve().parent
_URL = re.compile(rb"listening on (http://\S+)")


def swr_tui_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m swr_tui``."""
    script = Path(sys.executable).with_name("swr-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "swr_tui"]


def clean_env(home: str, extra: dict[str, str], pycache: str = "") -> dict[str, str]:
    """No credentials, config, proxies or byte-code quirks of the caller's environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(("SWR_TUI_", "HUAWEICLOUD_SDK_", "HW_"))
        and key.upper() not in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
    env["HOME"] = home
    env["SWR_TUI_CONFIG"] = str(Path(home) / "no-config.toml")
    env.update(extra)
    return env


@contextlib.contextmanager
def fake_registry_process(
    latency_ms: float, home: str, pycache: str = "", command: Optional[list[str]] = None
) -> Iterator[str]:
    """``swr-tui fake-registry --port 0 --latency-ms N`` (or ``command``, which prints the same
    "listening on URL" line) in a subprocess; yields its URL."""
    if command is None:
        command = [*swr_tui_command(), "fake-registry", "--port", "0", "--latency-ms", f"{latency_ms:g}"]
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=clean_env(home, {}, pycache)
    )
    try:
        assert process.stdout is not None
        seen = b""
        deadline = time.monotonic() + 20
        while True:
            match = _URL.search(seen)
            if match:
                yield match.group(1).decode()
                return
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the fake registry did not start: {seen.decode(errors='replace')}")
            ready, _, _ = select.select([process.stdout], [], [], 0.5)
            if ready:
                seen += os.read(process.stdout.fileno(), 4096)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Export:
    swr_tui_s: list[float] = field(default_factory=list)
    sdk_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    tag_count: int = 0
    identical: bool = True
    notes: list[str] = field(default_factory=list)


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, Optional[list[str]]]:
    """Seconds, and the tag names printed (None for the floor, which prints none)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)  # noqa: S603
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited {done.returncode}: {done.stderr.decode()[-800:]}")
    if not done.stdout.startswith(b"["):
        return elapsed, None
    return elapsed, [str(item["tag"]) for item in json.loads(done.stdout)]


def headless_export(
    runs: int,
    warmup: int = 1,
    pycache: str = "",
    repository: str = "acme/nightly",
    latency_ms: float = 20.0,
) -> Export:
    result = Export()
    namespace, _, name = repository.partition("/")
    with contextlib.ExitStack() as stack:
        home = stack.enter_context(tempfile.TemporaryDirectory(prefix="swr-tui-bench-"))
        url = stack.enter_context(fake_registry_process(latency_ms, home, pycache))
        tui = [*swr_tui_command(), "tags", repository, "--all", "--output", "json", "--endpoint", url]
        tui_env = clean_env(home, {"SWR_TUI_TOKEN": DEMO_TOKEN}, pycache)
        sdk = [sys.executable, str(HERE / "sdk_export.py"), url, namespace, name]
        sdk_env = clean_env(
            home,
            {
                "HUAWEICLOUD_SDK_AK": DEMO_AK,
                "HUAWEICLOUD_SDK_SK": DEMO_SK,
                "HUAWEICLOUD_SDK_PROJECT_ID": DEMO_PROJECT_ID,
            },
            pycache,
        )
        page, window = str(DEFAULT_PAGE_SIZE), str(DEFAULT_CONCURRENCY)
        floor = [sys.executable, str(HERE / "export_floor.py"), url, namespace, name, page, window]
        expected: Optional[list[str]] = None
        for run in range(warmup + runs):  # warm-up runs fill caches (byte code, registry pages)
            trio = [
                (tui, tui_env, result.swr_tui_s),
                (sdk, sdk_env, result.sdk_s),
                (floor, tui_env, result.floor_s),
            ]
            for command, env, samples in trio[run % 3 :] + trio[: run % 3]:  # each goes first in turn
                elapsed, names = _timed(command, env)
                if run >= warmup:
                    samples.append(elapsed)
                if names is None:
                    continue
                if expected is None:
                    expected = names
                elif names != expected:
                    result.identical = False
                    result.notes.append(f"{command[0]}: tags differ ({len(names)} vs {len(expected)})")
        result.tag_count = len(expected or [])
    return result
