"""The table rows of issue 14's items 4 and 5 (scale of a repository, slow links), from
``scale_bench``'s samples; ``run.py`` registers them as ``scale``."""

from __future__ import annotations

import asyncio
import tempfile

import scale_bench
from export_bench import clean_env
from report import Row, median, ms, paired_differences, spread, status

ROUND_TRIP_SLACK_S = 0.100
REPAINT_MAX_S = 0.016
MEMORY_MAX_GROWTH_MB = 15.0
SLOW_FIRST_FRAME_ROUND_TRIPS = 2
PALETTE_KEYSTROKE_MAX_S = 0.050


def sidebar_rows(runs: int, pages: int) -> list[Row]:
    """Issue 14, item 3: the namespace ``bulk`` of 10,000 repositories."""
    found = asyncio.run(scale_bench.sidebar_many(runs, pages))
    expand, search, memory, reload = found["expand"], found["search"], found["memory"], found["reload"]
    reload_overhead = median(paired_differences(reload.figure, reload.baseline))
    overhead = median(paired_differences(expand.figure, expand.baseline))
    requests = sorted(set(expand.counts))
    held = memory.counts[0]
    return [
        Row(
            "sidebar: expand a namespace of 10,000 repositories",
            f"{ms(median(expand.figure))}, {'/'.join(map(str, requests))} request(s)",
            f"{ms(median(expand.baseline))} (1 round trip)",
            f"+{overhead * 1000:.0f} ms",
            "<= 1 round trip + 100 ms, 1 request",
            status(requests == [1] and overhead <= ROUND_TRIP_SLACK_S),
            [f"expand to the frame with its first repository, 50 ms latency; {spread(expand.figure)}"],
        ),
        Row(
            f"sidebar: r on a namespace holding {held:,} repositories",
            ms(median(reload.figure)),
            f"{ms(median(reload.baseline))} (1 round trip)",
            f"+{reload_overhead * 1000:.0f} ms",
            "<= 1 round trip + 100 ms",
            status(reload_overhead <= ROUND_TRIP_SLACK_S),
            [f"r with all of them listed, to the frame with its first page again; {spread(reload.figure)}"],
        ),
        Row(
            f"palette go-to over {held:,} repositories: per keystroke (CPU)",
            ms(median(search.figure)),
            "-",
            "-",
            f"<= {PALETTE_KEYSTROKE_MAX_S * 1000:.0f} ms",
            status(max(search.figure) <= PALETTE_KEYSTROKE_MAX_S),
            [f"'service-0734' typed a key at a time; max {ms(max(search.figure))}; hits {search.counts}"],
        ),
        Row(
            f"memory: sidebar holding {held:,} repositories",
            f"{median(memory.figure):+.1f} MB",
            "-",
            "-",
            f"<= +{MEMORY_MAX_GROWTH_MB:.0f} MB (all 10,000)",
            status(median(memory.figure) <= MEMORY_MAX_GROWTH_MB) if held >= 10_000 else "-",
            ["RSS growth (gc) from the first page to all of them, in-process with the fake"],
        ),
    ]


def scale_rows(runs: int, repaints: int, pages: int, pycache: str) -> list[Row]:
    rows: list[Row] = []
    end = asyncio.run(scale_bench.million_end(runs))
    overhead = median(paired_differences(end.figure, end.baseline))
    requests = sorted(set(end.counts))
    rows.append(
        Row(
            "end on 1,000,000 tags: requests, time (50 ms)",
            f"{'/'.join(map(str, requests))} request(s), {ms(median(end.figure))}",
            f"{ms(median(end.baseline))} (1 round trip)",
            f"+{overhead * 1000:.0f} ms",
            "exactly 1 request, <= 1 round trip + 100 ms",
            status(requests == [1] and overhead <= ROUND_TRIP_SLACK_S),
            [f"app {spread(end.figure)}; round trip {spread(end.baseline)}; requests per run {end.counts}"],
        )
    )
    with tempfile.TemporaryDirectory(prefix="swr-tui-bench-") as home:
        memory = scale_bench.million_memory(pages, clean_env(home, {}, pycache))
    growth = median(memory.figure)
    rows.append(
        Row(
            f"memory: 1,000,000 tags, first + {pages} pages + last",
            f"{growth:+.1f} MB",
            f"{median(memory.baseline):.1f} MB RSS before",
            "-",
            f"<= +{MEMORY_MAX_GROWTH_MB:.0f} MB",
            status(growth <= MEMORY_MAX_GROWTH_MB),
            [
                f"RSS after (gc) minus RSS before opening acme/million; "
                f"{memory.counts[0]} pages held at the end"
            ],
        )
    )
    scroll = asyncio.run(scale_bench.million_scroll_repaint(repaints))
    samples = sorted(scroll.figure)
    figure = median(samples)
    rows.append(
        Row(
            "scroll repaint in 1,000,000 tags (CPU)",
            ms(figure),
            "-",
            "-",
            f"<= {REPAINT_MAX_S * 1000:.0f} ms",
            status(figure <= REPAINT_MAX_S),
            [f"{len(samples)} offsets around row 500,000; max {ms(samples[-1])}"],
        )
    )
    cursor = asyncio.run(scale_bench.slow_cursor(runs))
    figure = median(cursor.figure)
    rows.append(
        Row(
            "300 ms round trip: key into rows not loaded",
            ms(figure),
            "-",
            "-",
            f"<= {REPAINT_MAX_S * 1000:.0f} ms, placeholders",
            status(figure <= REPAINT_MAX_S),
            [
                f"pagedown from far rows of acme/million, until the frame with placeholders; "
                f"{spread(cursor.figure)}"
            ],
        )
    )
    first = asyncio.run(scale_bench.slow_first_frame(runs))
    overhead = median(paired_differences(first.figure, first.baseline))
    allowed = SLOW_FIRST_FRAME_ROUND_TRIPS * scale_bench.SLOW_MS / 1000
    rows.append(
        Row(
            "300 ms round trip: first frame with data",
            ms(median(first.figure)),
            f"{ms(median(first.baseline))} (the same start, no latency)",
            f"+{overhead * 1000:.0f} ms",
            f"<= {SLOW_FIRST_FRAME_ROUND_TRIPS} round trips + the local figure",
            status(overhead <= allowed),
            [
                f"in-process app start with --repo acme/webapp; "
                f"300 ms {spread(first.figure)}; 0 ms {spread(first.baseline)}"
            ],
        )
    )
    return rows
