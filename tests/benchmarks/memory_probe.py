"""Run in a child process by run.py: open the app (headless, 120x40) on acme/webapp of a fake
registry at URL, then either stay idle ("rest") or browse the first, middle and last pages of the
100,000-tag acme/ci-builds ("browse"). Prints one JSON line: peak and current RSS in KiB (VmHWM and
VmRSS from /proc; getrusage where /proc is missing).

    python memory_probe.py URL rest|browse [--trace]

``--trace`` also records allocations with tracemalloc from the moment webapp shows (slower; for
diagnosis only) and prints the biggest growth by source line.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import clean_env
from harness import SIZE, FrameProbe, make_app, make_client, page_loaded, served_registry, settle
from report import Paired

IDLE_S = 1.0


def proc_status() -> dict[str, int]:
    """VmRSS and VmHWM (peak) from /proc, in KiB; empty where /proc is missing."""
    values: dict[str, int] = {}
    try:
        with open("/proc/self/status") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    values[name] = int(rest.split()[0])
    except OSError:
        pass
    return values


async def probe(url: str, mode: str, trace: bool) -> dict[str, Any]:
    client = make_client(url)
    app = make_app(client, repository="acme/webapp")
    report: dict[str, Any] = {"mode": mode}
    async with app.run_test(size=SIZE) as pilot:
        frames = FrameProbe(app)
        table = app.table
        frames.expect("v2.4.1", ready=page_loaded(table, 0, "acme/webapp"))
        await frames.wait()
        await settle(table)
        await pilot.pause(0.3)
        gc.collect()
        report["at_webapp"] = proc_status()
        if trace:
            tracemalloc.start(12)
            before = tracemalloc.take_snapshot()
        if mode == "browse":
            frames.expect("build-100000", ready=page_loaded(table, 0, "acme/ci-builds"))
            app.open_repository("acme", "ci-builds")
            await frames.wait()
            await settle(table)
            frames.expect("build-050000", ready=page_loaded(table, 500, "acme/ci-builds"))
            table.cursor_row = 50_000  # row 50,000 (newest first) is build-050000, on page 500
            await frames.wait()
            await settle(table)
            frames.expect("build-000001", ready=page_loaded(table, 999, "acme/ci-builds"))
            await pilot.press("end")
            await frames.wait()
            await settle(table)
            report["pages_held"] = sorted(table.cache.pages) if table.cache else []
        await asyncio.sleep(IDLE_S)
        gc.collect()
        if trace:
            after = tracemalloc.take_snapshot()
            top = after.compare_to(before, "lineno")[:15]
            report["trace_top"] = [str(stat) for stat in top]
            report["trace_total_growth_kib"] = (
                sum(stat.size_diff for stat in after.compare_to(before, "filename")) // 1024
            )
            tracemalloc.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report["ru_maxrss_kib"] = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    report["end"] = proc_status()
    # The peak of this process's own memory. ru_maxrss is not that on Linux: a child spawned with
    # vfork/fork starts from its parent's high-water mark, which survives execve.
    report["peak_kib"] = report["end"].get("VmHWM", report["ru_maxrss_kib"])
    return report


def run_probe(url: str, mode: str, env: dict[str, str], trace: bool = False) -> dict[str, Any]:
    command = [sys.executable, os.path.abspath(__file__), url, mode, *(["--trace"] if trace else [])]
    done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"memory probe ({mode}) exited {done.returncode}: {done.stderr.decode()[-800:]}")
    report: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return report


def measure_memory(runs: int, pycache: str = "", latency_ms: float = 20.0) -> Paired:
    """Peak RSS in MB: figure = browse processes, baseline = rest processes, run alternately."""
    result = Paired()
    with tempfile.TemporaryDirectory(prefix="swr-tui-bench-") as home:
        env = clean_env(home, {}, pycache)
        with served_registry(latency_ms) as (_, server):
            for run in range(runs):
                modes = [("browse", result.figure), ("rest", result.baseline)]
                if run % 2:
                    modes.reverse()
                for mode, samples in modes:
                    samples.append(run_probe(server.url, mode, env)["peak_kib"] / 1024)
    return result


def trace_browse(pycache: str = "", latency_ms: float = 20.0) -> list[str]:
    """Where a browse's memory goes (tracemalloc, biggest growth first): for diagnosing a failure."""
    with (
        tempfile.TemporaryDirectory(prefix="swr-tui-bench-") as home,
        served_registry(latency_ms) as (_, server),
    ):
        report = run_probe(server.url, "browse", clean_env(home, {}, pycache), trace=True)
    return [f"traced growth {report['trace_total_growth_kib']:,} KiB", *report["trace_top"][:8]]


def main() -> None:
    url, mode = sys.argv[1], sys.argv[2]
    if mode not in ("rest", "browse"):
        raise SystemExit("mode must be rest or browse")
    report = asyncio.run(probe(url, mode, "--trace" in sys.argv[3:]))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
