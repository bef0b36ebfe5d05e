"""Issue 14's rows: the first frame of a real session against the bare Textual app the issue
describes, and the headless export against its network floor. run.py calls these."""

from __future__ import annotations

from cold_start import cold_start_http
from export_bench import Export
from report import Row, median, ms, paired_ratios, spread, status

FIRST_FRAME_MAX_RATIO = 1.3
EXPORT_MAX_OVER_FLOOR = 1.25


def first_frame_rows(runs: int, warmup: int, pycache: str, compile_first: bool = True) -> list[Row]:
    result = cold_start_http(runs, warmup, pycache, compile_first)
    ratio = median(paired_ratios(result.figure, result.baseline))
    return [
        Row(
            "first frame with tag rows, real HTTP (token, loopback)",
            ms(median(result.figure)),
            f"{ms(median(result.baseline))} (bare Textual app)",
            f"{ratio:.2f}x",
            f"<= {FIRST_FRAME_MAX_RATIO}x baseline",
            status(ratio <= FIRST_FRAME_MAX_RATIO),
            [
                f"swr-tui --endpoint http://127.0.0.1:PORT --repo acme/webapp (SWR_TUI_TOKEN, no config "
                f"file) against swr-tui fake-registry in another process {spread(result.figure)}; bare app "
                "(baseline_bare.py: Header, Tree of 5, DataTable 50x5, Static, Footer) "
                f"{spread(result.baseline)}; "
                "pty 120x40, until 'v2.4.1' is written; byte code compiled first (compileall), alternated"
            ],
        )
    ]


def export_floor_row(result: Export, page_size: int, concurrency: int) -> Row:
    over = median(paired_ratios(result.swr_tui_s, result.floor_s))
    return Row(
        "headless export of 10,000 tags vs the network floor (20 ms)",
        f"{median(result.swr_tui_s):.2f} s",
        f"{median(result.floor_s):.2f} s (bare httpx, same requests)",
        f"{over:.2f}x",
        f"<= {EXPORT_MAX_OVER_FLOOR}x floor",
        status(over <= EXPORT_MAX_OVER_FLOOR),
        [
            f"floor: export_floor.py, Python start + import httpx + the same {page_size}-tag pages with "
            f"{concurrency} in flight, bodies read, not parsed {spread(result.floor_s, 's', 1)}"
        ],
    )
