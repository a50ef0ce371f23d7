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

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
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
    """Starts tasks on one background thread; a window owns one runner.

    Reads that only fill a view (counts for the Sources view) run on a second thread with
    `start_read`: under WAL they never wait for a writer, so a long import does not hold them up.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()
        self._reads: set[Task] = set()

    def start(
        self,
        work: Work,
        on_success: Callable[[Any], None],
        on_refused: Callable[[CorroborateError], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Task:
        task = self._task(work, on_success, on_refused, on_progress, self._tasks)
        self._pool.start(task)
        return task

    def start_read(
        self,
        work: Work,
        on_success: Callable[[Any], None],
        on_refused: Callable[[CorroborateError], None],
    ) -> Task:
        """Run a read-only job (on its own read-only connection) beside any writing job."""
        task = self._task(work, on_success, on_refused, None, self._reads)
        self._read_pool.start(task)
        return task

    def _task(
        self,
        work: Work,
        on_success: Callable[[Any], None],
        on_refused: Callable[[CorroborateError], None],
        on_progress: Callable[[int, int], None] | None,
        kept: set[Task],
    ) -> Task:
        task = Task(work)
        connection = Qt.ConnectionType.QueuedConnection
        if on_progress is not None:
            task.signals.progressed.connect(on_progress, connection)
        task.signals.succeeded.connect(on_success, connection)
        task.signals.refused.connect(on_refused, connection)
        task.signals.crashed.connect(_reraise, connection)
        for signal in (task.signals.succeeded, task.signals.refused, task.signals.crashed):
            signal.connect(lambda *_: kept.discard(task), connection)
        kept.add(task)
        return task

    def cancel_all(self) -> None:
        """Ask every job to stop at its next check: a write then rolls back and leaves nothing behind."""
        for task in [*self._tasks, *self._reads]:
            task.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the writing jobs; reads are cancelled first (nobody will look at their result)."""
        for task in list(self._reads):
            task.cancel()
        return self._pool.waitForDone(timeout_ms) and self._read_pool.waitForDone(timeout_ms)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)


def _reraise(error: BaseException) -> None:
    sys.excepthook(type(error), error, error.__traceback__)


def _progress_dialog(parent: QWidget, title: str, label: str, *, blocking: bool) -> QProgressDialog:
    """A progress dialog with Cancel. `blocking`: shown at once, holding every window of the application."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    if blocking:
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
    else:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # only for work that takes more than a moment
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    return dialog


def free_for_a_job(parent: QWidget, runner: TaskRunner, title: str) -> bool:
    """True when `runner` can take a job now; otherwise says so in a dialog titled `title`."""
    if not runner.busy:
        return True
    QMessageBox.information(parent, title, "Another long job is still running; try again when it ends.")
    return False


def run_with_progress(
    parent: QWidget,
    runner: TaskRunner,
    title: str,
    work: Work,
    on_success: Callable[[Any], None],
    *,
    blocking: bool = False,
    label: str | None = None,
) -> Task:
    """Run `work` with a progress dialog whose Cancel really stops it; expected errors get a dialog.

    `blocking` is for an edit being saved: the dialog shows at once and holds every window of the
    application, so no other edit can start (and wait on the file) before this one is saved.
    `label` is the dialog's text when it should say more than its title.
    """
    dialog = _progress_dialog(parent, title, label or title, blocking=blocking)

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
    if blocking:
        dialog.show()
    task.signals.crashed.connect(lambda _: dialog.close(), Qt.ConnectionType.QueuedConnection)
    return task


def run_and_wait(parent: QWidget, title: str, label: str, work: Callable[[Cancelled], Any]) -> Any:
    """Run `work(cancelled)` on a worker thread and wait for it here, as if it had run in place.

    For a step the caller cannot go on without (opening a file waits for its full check): a
    dialog with Cancel shows at once and holds every window, which keep painting meanwhile.
    Returns the work's result, or raises its error here, expected or not, with its traceback.
    Not the window's TaskRunner: a file is opened while a job on the one before may still run.
    """
    outcome: dict[str, Any] = {}

    def work_and_keep(_progress: Progress, cancelled: Cancelled) -> Any:
        # Kept by the worker itself: the outcome is known even when this loop ends without it.
        try:
            outcome["result"] = work(cancelled)
        except BaseException as error:
            outcome["error"] = error
            raise
        return outcome["result"]

    task = Task(work_and_keep)
    loop = QEventLoop()
    queued = Qt.ConnectionType.QueuedConnection
    for signal in (task.signals.succeeded, task.signals.refused, task.signals.crashed):
        signal.connect(lambda _: loop.quit(), queued)
    dialog = _progress_dialog(parent, title, label, blocking=True)
    dialog.canceled.connect(task.cancel)
    dialog.show()
    QThreadPool.globalInstance().start(task)
    try:
        loop.exec()  # ended by the work's outcome, a queued signal handled by this loop
    finally:
        dialog.close()
        dialog.deleteLater()
    if not task.done.is_set():
        # The application is ending (it ends every event loop at once): stop the work and let it
        # finish, so nothing runs on after the window and no half-done step is taken for a result.
        task.cancel()
        task.done.wait()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
