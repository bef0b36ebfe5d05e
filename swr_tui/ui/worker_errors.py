"""A worker that raises is reported wherever it ran.

Textual tells only the worker's own node (``Worker.StateChanged`` does not bubble), so a widget's or
a screen's worker that raised would die silently and leave its view stuck. Nodes that run workers
take ``ReportsWorkerFailures``: it turns the failure into ``WorkerFailed``, which bubbles to the app
and is shown there as the app's own workers' failures are.
"""

from __future__ import annotations

from typing import Optional

from textual.message import Message
from textual.worker import Worker, WorkerState


class WorkerFailed(Message):
    """A worker of a widget or screen ended with ``error``."""

    def __init__(self, description: str, error: BaseException) -> None:
        super().__init__()
        self.description, self.error = description, error


def failure_of(event: Worker.StateChanged) -> Optional[BaseException]:
    """The exception a worker ended with, if this state change is its end in one."""
    if event.state == WorkerState.ERROR:
        return event.worker.error
    return None


class ReportsWorkerFailures:
    """Mixed into a widget or screen (before the Textual class): its failed workers reach the app."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = failure_of(event)
        if error is not None:
            worker = event.worker
            failed = WorkerFailed(worker.description or worker.name, error)
            self.post_message(failed)  # type: ignore[attr-defined]
