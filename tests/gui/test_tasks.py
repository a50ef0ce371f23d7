"""The background-work helper: results, progress, cancel and errors reach the GUI thread."""

from __future__ import annotations

import threading

from desktop.core.errors import CorroborateError
from desktop.ui.tasks import TaskRunner


def test_result_and_progress_arrive_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    seen: list[tuple[int, int]] = []
    results: list[object] = []
    gui_thread = threading.get_ident()
    worker_threads: list[int] = []

    def work(progress, cancelled):
        worker_threads.append(threading.get_ident())
        for step in range(1, 4):
            progress(step, 3)
        return "done"

    runner.start(work, results.append, lambda e: None, lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: results == ["done"], timeout=20_000)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert worker_threads and worker_threads[0] != gui_thread
    assert not runner.busy


def test_cancel_stops_the_work(qtbot):
    runner = TaskRunner()
    started = threading.Event()
    outcomes: list[object] = []

    def work(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise CorroborateError("Cancelled; nothing was written.")

    task = runner.start(work, outcomes.append, outcomes.append)
    assert started.wait(3)
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=20_000)
    assert isinstance(outcomes[0], CorroborateError)
    assert task.is_cancelled


def test_a_bug_in_the_work_is_reraised_not_swallowed(qtbot, monkeypatch):
    runner = TaskRunner()
    reported: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, tb: reported.append(error))

    def work(progress, cancelled):
        raise ZeroDivisionError("a bug")

    runner.start(work, lambda r: None, lambda e: None)
    qtbot.waitUntil(lambda: bool(reported), timeout=20_000)
    assert isinstance(reported[0], ZeroDivisionError)
