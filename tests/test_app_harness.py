"""The app harness itself (``tests/app_harness.py``): what every Pilot suite relies on it recording."""

from __future__ import annotations

import base64

from app_harness import ANCHOR, AppUI, Note, RecordingClipboard, client_for, launch

from swr_tui.fake import FakeRegistry
from swr_tui.ui.app import SwrApp


def osc52(text: str) -> str:
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\x07"


class Counting(AppUI):
    """A suite's own class: built by the launcher for the app it runs."""

    def __init__(self, app: SwrApp) -> None:
        super().__init__(app)
        self.made_for = app


async def test_a_taken_app_gets_a_recording_clipboard_and_its_copies_toasts_and_writes_are_recorded() -> None:
    app = SwrApp(client_for(FakeRegistry(seed=0)), repository="acme/webapp", environ={})
    assert not isinstance(app.system_clipboard, RecordingClipboard)
    async with launch(app, Counting, size=(120, 40)) as ui:
        assert ui.made_for is app
        assert isinstance(app.system_clipboard, RecordingClipboard)
        assert app.size == (120, 40)
        assert ui.status.startswith("acme/webapp · row 1 of 32")  # settled: the first page is in
        tag = app.table.highlighted_tag
        assert tag is not None
        assert ui.facts()["Tag"] == tag.name
        await ui.press("c")
        assert ui.copied == [tag.path]
        assert ui.clipboard_writes == [osc52(tag.path)]
        assert ui.notes == [Note(tag.path, "Copied pull path", "information")]
        assert f"Copied pull path\n{tag.path}" in ui.toast_texts()


async def test_a_built_app_runs_on_the_anchor_clock_without_the_callers_environment() -> None:
    async with launch(client_for(FakeRegistry(seed=0)), unawaited=("reveal",), page_size=10) as ui:
        assert ui.app.browsing.clock() == ANCHOR
        assert ui.app.environ == {}
        assert ui.app.browsing.page_size == 10
        assert ui.unawaited_groups == {"reveal"}
        assert isinstance(ui.app.system_clipboard, RecordingClipboard)
        assert ui.notes == []
