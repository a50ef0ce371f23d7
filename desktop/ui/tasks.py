"""Long work off the GUI thread: one helper for imports, exports, index builds and merges.

A single-thread pool means at most one background writer per window, so two
long jobs never fight over the file. Each job gets `progress(done, total)` and
`cancelled()` callables and opens its own SQLite connection; results, expected
errors and bugs come back to the GUI thread through queued signals.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.core.errors import CorroborateError

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]


class _Signals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    refused = Signal(object)  # CorroborateError: expected, shown to the reviewer
    crashed = Signal(object)  # anything else: a bug, re-raised on the GUI thread


class Task(QRunnable):
    """One job; `cancel()` asks it to stop at its next check."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progressed.emit, self._cancel.is_set)
        except CorroborateError as error:
            self.signals.refused.emit(error)
        except BaseException as error:  # a bug: carried to the GUI thread, not swallowed
            self.signals.crashed.emit(error)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.done.set()


class TaskRunner(QObject):
    """Starts tasks on one background thread; a window owns one runner."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()

    def start(
        self,
        work: Work,
        on_success: Callable[[Any], None],
        on_refused: Callable[[CorroborateError], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Task:
        task = Task(work)
        connection = Qt.ConnectionType.QueuedConnection
        if on_progress is not None:
            task.signals.progressed.connect(on_progress, connection)
        task.signals.succeeded.connect(on_success, connection)
        task.signals.refused.connect(on_refused, connection)
        task.signals.crashed.connect(_reraise, connection)
        for signal in (task.signals.succeeded, task.signals.refused, task.signals.crashed):
            signal.connect(lambda *_: self._tasks.discard(task), connection)
        self._tasks.add(task)
        self._pool.start(task)
        return task

    def wait(self, timeout_ms: int = -1) -> bool:
        return self._pool.waitForDone(timeout_ms)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)


def _reraise(error: BaseException) -> None:
    sys.excepthook(type(error), error, error.__traceback__)


def run_with_progress(
    parent: QWidget,
    runner: TaskRunner,
    title: str,
    work: Work,
    on_success: Callable[[Any], None],
) -> Task:
    """Run `work` with a progress dialog whose Cancel really stops it; expected errors get a dialog."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # only for work that takes more than a moment
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)

    def succeeded(result: Any) -> None:
        dialog.close()
        on_success(result)

    def refused(error: CorroborateError) -> None:
        dialog.close()
        QMessageBox.warning(parent, title, error.message)

    task = runner.start(work, succeeded, refused, progressed)
    dialog.canceled.connect(task.cancel)
    task.signals.crashed.connect(lambda _: dialog.close(), Qt.ConnectionType.QueuedConnection)
    return task
