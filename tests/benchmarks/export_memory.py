"""Memory of an export: ``swr-tui tags REPO --all --output json`` and the TUI's ctrl+s export, each
in its own process against ``big_registry.py`` (loopback, another process, so the registry's memory
is not counted). Each process reports its RSS before the export, its peak during it (VmHWM, reset
just before the export where Linux allows) and its RSS once the export is over.

    python export_memory.py cli|tui URL NAMESPACE/REPO      (the child; prints one JSON line)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import clean_env, fake_registry_process
from memory_probe import proc_status

HERE = Path(__file__).resolve().parent
SMALL_REPO = "acme/webapp"  # 32 tags: the baseline, the same export of almost nothing
IDLE_S = 1.0
EXPORT_TIMEOUT_S = 900


def reset_peak() -> bool:
    """Make VmHWM start again from the current RSS (Linux 4.0+); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _mb(kib: int) -> float:
    return kib / 1024


def cli_child(url: str, repository: str) -> dict[str, Any]:
    from swr_tui.cli import main

    with open(os.devnull, "w", encoding="utf-8") as nowhere:
        # Imports and the first request out of the way, so the export is what is measured.
        main(["tags", SMALL_REPO, "--all", "-o", "json", "--endpoint", url], out=nowhere, err=sys.stderr)
        gc.collect()
        before = proc_status()
        reset = reset_peak()
        code = main(
            ["tags", repository, "--all", "-o", "json", "--endpoint", url], out=nowhere, err=sys.stderr
        )
    if code != 0:
        raise SystemExit(f"swr-tui tags {repository} --all exited {code}")
    peak = proc_status()
    gc.collect()
    time.sleep(IDLE_S)
    after = proc_status()
    return _figures(before, peak, after, reset)


Status = dict[str, Any]


def _figures(before: Status, peak: Status, after: Status, reset: Any) -> Status:
    """RSS before, peak during and after an export, as both children report them."""
    return {
        "before_mb": _mb(before["VmRSS"]),
        "peak_mb": _mb(peak["VmHWM"]),
        "after_mb": _mb(after["VmRSS"]),
        "peak_reset": reset,
    }


async def tui_child(url: str, repository: str) -> dict[str, Any]:
    from harness import SIZE, FrameProbe, make_app, make_client, page_loaded, settle
    from textual.widgets import Input

    from swr_tui.ui.screens.export import ExportScreen
    from swr_tui.ui.tag_pages import TagQuery

    namespace, _, name = repository.partition("/")
    client = make_client(url)
    app = make_app(client, repository=SMALL_REPO)
    results: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="swr-tui-export-") as folder:
        async with app.run_test(size=SIZE) as pilot:
            frames = FrameProbe(app)
            frames.expect("v2.4.1", ready=page_loaded(app.table, 0, SMALL_REPO))
            await frames.wait()
            await settle(app.table)
            await pilot.pause(0.3)
            gc.collect()
            before = proc_status()
            reset = reset_peak()
            screen = ExportScreen(client, TagQuery(namespace, name), Path(folder))
            app.push_screen(screen, results.append)
            await pilot.pause()
            screen.query_one("#export-path", Input).value = str(Path(folder) / "tags.json")
            screen.query_one("#export-path", Input).focus()
            await pilot.press("enter")
            deadline = time.monotonic() + EXPORT_TIMEOUT_S
            while not results:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the export did not finish: {screen.message}")
                await asyncio.sleep(0.1)
            peak = proc_status()
            exported = screen.exported_count
            await pilot.pause(0.3)
            gc.collect()
            await asyncio.sleep(IDLE_S)
            after = proc_status()
    return {**_figures(before, peak, after, reset), "exported": exported}


@dataclass
class Memory:
    """Per size: growth of the peak over the RSS before the export, and of the RSS after it."""

    growth: dict[str, list[float]] = field(default_factory=dict)
    after: dict[str, list[float]] = field(default_factory=dict)
    before: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _child(mode: str, url: str, repository: str, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), mode, url, repository]
    done = subprocess.run(  # noqa: S603 (our own script)
        command, capture_output=True, env=env, timeout=EXPORT_TIMEOUT_S + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{mode} export of {repository} exited {done.returncode}: {done.stderr.decode()[-800:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


@contextlib.contextmanager
def big_registry_process(latency_ms: float, home: str, pycache: str) -> Iterator[str]:
    command = [sys.executable, str(HERE / "big_registry.py"), f"{latency_ms:g}"]
    with fake_registry_process(latency_ms, home, pycache, command=command) as url:
        yield url


def export_memory(
    mode: str, repositories: list[str], runs: int, pycache: str = "", latency_ms: float = 20.0
) -> Memory:
    """``runs`` exports of each repository, and as many of SMALL_REPO (the baseline), alternately."""
    result = Memory()
    with tempfile.TemporaryDirectory(prefix="swr-tui-bench-") as home:
        env = clean_env(home, {"SWR_TUI_TOKEN": "DEMO"}, pycache)
        from swr_tui.fake import DEMO_TOKEN

        env["SWR_TUI_TOKEN"] = DEMO_TOKEN
        with big_registry_process(latency_ms, home, pycache) as url:
            for repository in [SMALL_REPO, *repositories]:
                for _ in range(runs if repository != SMALL_REPO else max(runs, 1)):
                    report = _child(mode, url, repository, env)
                    result.growth.setdefault(repository, []).append(report["peak_mb"] - report["before_mb"])
                    result.after.setdefault(repository, []).append(report["after_mb"] - report["before_mb"])
                    result.before.setdefault(repository, []).append(report["before_mb"])
                    if not report["peak_reset"]:
                        result.notes.append("VmHWM could not be reset: peaks count from process start")
    return result


def main() -> None:
    mode, url, repository = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "cli":
        report = cli_child(url, repository)
    elif mode == "tui":
        report = asyncio.run(tui_child(url, repository))
    else:
        raise SystemExit("mode must be cli or tui")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
