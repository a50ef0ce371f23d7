"""Opening a large file: the full check after an unclean end, and an upgrade, run off the window's thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from desktop.store import access, integrity
from desktop.store.lock import lock_path
from desktop.store.schema import migrations


@pytest.fixture
def unclean_large_file(sample_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)  # the sample counts as large
    lock_path(sample_copy).write_bytes(b"")  # the mark an unclean end leaves
    return sample_copy


def _checks_on(monkeypatch, threads: list[int], *, until_cancelled: bool) -> None:  # type: ignore[no-untyped-def]
    real = integrity.problems_in

    def recorded(conn, *, full, cancelled=None):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        if until_cancelled:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if cancelled():
                    raise integrity.Interrupted
                time.sleep(0.01)
            return []  # never cancelled: the file opens, and the test says so
        return real(conn, full=full, cancelled=cancelled)

    monkeypatch.setattr(integrity, "problems_in", recorded)


def test_the_full_check_runs_on_a_worker_behind_a_dialog_then_the_file_opens(
    make_window, unclean_large_file, monkeypatch, qtbot
):
    threads: list[int] = []
    _checks_on(monkeypatch, threads, until_cancelled=False)
    window = make_window()
    seen: list[str] = []
    QTimer.singleShot(0, lambda: seen.append(_dialog_text()))
    assert window.open_file(unclean_large_file)
    assert threads and threading.get_ident() not in threads
    assert seen and "was not closed properly last time: checking all of it" in seen[0]
    assert window.model is not None and window.model.rowCount() == 15
    assert "a full check found it sound" in window.statusBar().currentMessage()


def test_cancel_during_the_full_check_leaves_the_window_as_it_was(
    make_window, unclean_large_file, monkeypatch, qtbot
):
    threads: list[int] = []
    _checks_on(monkeypatch, threads, until_cancelled=True)
    window = make_window()

    def press_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QProgressDialog):
            QTimer.singleShot(50, press_cancel)  # not shown yet
            return
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(150, press_cancel)
    assert not window.open_file(unclean_large_file)
    assert threads and threading.get_ident() not in threads
    assert window.store is None and window.pages.currentWidget() is window.welcome
    assert "was stopped before it finished" in window.statusBar().currentMessage()
    assert lock_path(unclean_large_file).exists()  # still marked for a full check next time


def test_an_older_large_file_is_upgraded_on_a_worker_behind_a_dialog(
    make_window, file_before_step, tmp_path, monkeypatch, qtbot
):
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)  # the file counts as large
    older = file_before_step(tmp_path / "older.db", [("Ferries stopped at dawn", "Ferries stopped at dawn")])
    threads: list[int] = []
    real_apply = migrations.apply

    def recorded(db, **options):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        time.sleep(0.3)  # a step of some length, so the dialog is seen saying what it is
        real_apply(db, **options)

    monkeypatch.setattr(migrations, "apply", recorded)
    window = make_window()
    seen: set[str] = set()
    watch = QTimer()
    watch.timeout.connect(lambda: seen.add(_dialog_text()))
    watch.start(20)
    assert window.open_file(older)
    watch.stop()
    assert threads and threading.get_ident() not in threads
    assert "Upgrading older.db for this version of Corroborate…" in seen
    assert window.model is not None and window.model.rowCount() == 1
    # The upgraded index finds the claim by its words, and finds nothing for a word it lacks.
    window.search_box.setText("ferries nowhere")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    window.search_box.setText("ferries dawn")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def _dialog_text() -> str:
    dialog = QApplication.activeModalWidget()
    return dialog.labelText() if isinstance(dialog, QProgressDialog) else ""
