"""Safety in the window: damaged, locked and read-only files, a full disk, backups, unexpected errors."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktop.core.model import ReviewField
from desktop.store import backup
from desktop.ui.safety import RestoreDialog, install_error_reporter, log_file

REPO_ROOT = Path(__file__).resolve().parents[2]
LONG_RATIONALE = "The harbour office confirmed the timetable in writing. " * 2_000


def stored_review(path: Path, claim_id: int, reviewer: str = "ana") -> tuple | None:
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT reliability, credibility, status, rationale FROM reviews WHERE claim_id = ? AND reviewer = ?",
            [claim_id, reviewer],
        ).fetchone()
    finally:
        conn.close()


def button(box: QMessageBox, text: str) -> QPushButton:
    for candidate in box.buttons():
        if candidate.text().replace("&", "") == text:
            return candidate  # type: ignore[return-value]
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def settle(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


# ---- read-only -------------------------------------------------------------------------------


@pytest.fixture
def read_only_copy(sample_copy: Path) -> Iterator[Path]:
    settle(sample_copy)
    sample_copy.chmod(stat.S_IRUSR | stat.S_IRGRP)
    yield sample_copy
    sample_copy.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_file_shows_the_banner_and_keys_change_nothing(make_window, read_only_copy, qtbot):
    before = read_only_copy.read_bytes()
    window = make_window(read_only_copy)
    banner = window.safety.banner
    assert banner.isVisible()
    assert "Read-only" in banner.label.text() and "marked read-only" in banner.label.text()

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    qtbot.keyClick(window.table, Qt.Key.Key_2)

    assert stored_review(read_only_copy, 1) is None
    assert "read-only" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    assert window.detail.reliability_combo.currentData() is None  # the pane shows what is stored

    # A rationale cannot even be typed, so no words are written only to be thrown away.
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClicks(window.detail.rationale_edit, "Seen twice")
    assert window.detail.rationale_edit.toPlainText() == ""
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert stored_review(read_only_copy, 1) is None
    assert read_only_copy.read_bytes() == before


def test_banner_goes_when_a_writable_file_is_opened(make_window, read_only_copy, tmp_path):
    writable = tmp_path / "other.db"
    writable.write_bytes(read_only_copy.read_bytes())
    writable.chmod(stat.S_IRUSR | stat.S_IWUSR)
    window = make_window(read_only_copy)
    assert window.safety.banner.isVisible()
    assert window.open_file(writable)
    assert not window.safety.banner.isVisible()
    assert not window.detail.rationale_edit.isReadOnly()


# ---- locked ----------------------------------------------------------------------------------

HOLDER_SCRIPT = """
import sys, time
from desktop.store import Store
store = Store.open(sys.argv[1], reviewer="Bea")
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def held_by_bea(sample_copy: Path) -> Iterator[Path]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(sample_copy)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    yield sample_copy
    child.kill()
    child.wait()
    child.stdout.close()


def test_locked_file_names_the_holder_and_opens_read_only(make_window, held_by_bea, qtbot):
    window = make_window()
    assert not window.open_file(held_by_bea)
    box = window.safety.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Bea" in box.text()

    qtbot.mouseClick(button(box, "Open read-only"), Qt.MouseButton.LeftButton)

    assert window.store is not None and window.store.read_only
    assert window.safety.banner.isVisible()
    assert "opened read-only" in window.safety.banner.label.text()
    assert window.model is not None and window.model.rowCount() > 0


# ---- damaged ---------------------------------------------------------------------------------


def scribble(path: Path) -> None:
    settle(path)
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 4, len(data), page):
        data[start + 100 : start + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


def test_damaged_file_offers_the_latest_backup_and_restores_it(make_window, sample_copy, qtbot):
    made = backup.make_backup(sample_copy)
    scribble(sample_copy)
    damaged = sample_copy.read_bytes()
    window = make_window()

    assert not window.open_file(sample_copy)
    box = window.safety.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert str(made) in box.text() and "not changed" in box.text()
    assert sample_copy.read_bytes() == damaged

    qtbot.mouseClick(button(box, "Restore latest backup"), Qt.MouseButton.LeftButton)

    assert window.store is not None and window.store.path == sample_copy
    assert window.model is not None and window.model.rowCount() > 0
    [aside] = [p for p in sample_copy.parent.iterdir() if "before-restore" in p.name and p.suffix == ".db"]
    assert aside.read_bytes() == damaged  # the damaged file is kept, not deleted
    assert "restored" in window.safety.dialog.text()


def test_refused_restore_of_a_damaged_file_is_cancelled_untouched(make_window, sample_copy, qtbot):
    backup.make_backup(sample_copy)
    scribble(sample_copy)
    damaged = sample_copy.read_bytes()
    window = make_window()
    assert not window.open_file(sample_copy)
    box = window.safety.dialog
    qtbot.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)
    assert window.store is None
    assert sample_copy.read_bytes() == damaged


# ---- disk full -------------------------------------------------------------------------------


def write_rationale(window, qtbot, text: str) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    window.detail.rationale_edit.setPlainText(text)
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)


def test_disk_full_keeps_the_edit_pending_and_retry_saves_in_order(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert stored_review(sample_copy, 1)[0] == "B"
    window.store.set_max_page_count_for_tests(1)  # the disk is full from now on

    write_rationale(window, qtbot, LONG_RATIONALE)

    # Seen at once: a dialog and the bar listing the edit.
    box = window.safety.dialog
    assert isinstance(box, QMessageBox) and box.isVisible() and "full" in box.text()
    bar = window.safety.pending_bar
    assert bar.isVisible() and "1 edit not saved" in bar.label.text()
    assert "Edit rationale on claim 1" in bar.label.text()
    box.close()
    # Nothing saved before is harmed, and nothing half-saved.
    assert stored_review(sample_copy, 1) == ("B", None, "unreviewed", "")

    # A later edit queues behind it, so a retry can never put an older value over a newer one.
    qtbot.keyClick(window.table, Qt.Key.Key_C)
    assert "2 edits not saved" in bar.label.text()
    assert stored_review(sample_copy, 1)[0] == "B"

    window.store.set_max_page_count_for_tests(1 << 30)  # room again
    qtbot.mouseClick(bar.retry_button, Qt.MouseButton.LeftButton)

    assert not bar.isVisible()
    assert stored_review(sample_copy, 1) == ("C", None, "unreviewed", LONG_RATIONALE)
    # Each saved edit is an ordinary undo step.
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1)[0] == "B"


def test_pending_edits_can_be_saved_to_a_file_elsewhere(
    make_window, sample_copy, qtbot, tmp_path, monkeypatch
):
    window = make_window(sample_copy)
    window.store.set_max_page_count_for_tests(1)
    write_rationale(window, qtbot, LONG_RATIONALE)
    target = tmp_path / "elsewhere" / "pending.json"
    target.parent.mkdir()
    monkeypatch.setattr(
        "desktop.ui.safety.QFileDialog.getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )
    qtbot.mouseClick(window.safety.pending_bar.export_button, Qt.MouseButton.LeftButton)

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["file"] == str(sample_copy) and document["reviewer"] == "ana"
    assert document["edits"] == [{"claim_id": 1, "field": "rationale", "value": LONG_RATIONALE}]
    assert window.safety.pending_bar.isVisible()  # still pending until it is really saved


def test_closing_with_pending_edits_writes_them_to_the_data_folder(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.store.set_max_page_count_for_tests(1)
    window.apply_edit(2, ReviewField.RATIONALE, LONG_RATIONALE)
    window.close()
    [written] = (Path(os.environ["CORROBORATE_DATA_DIR"]) / "unsaved-edits").iterdir()
    edits = json.loads(written.read_text(encoding="utf-8"))["edits"]
    assert edits == [{"claim_id": 2, "field": "rationale", "value": LONG_RATIONALE}]


# ---- backups from the File menu --------------------------------------------------------------


def test_back_up_now_makes_a_verified_backup(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    before = {b.path for b in backup.list_backups(sample_copy)}
    assert window.safety.backup_action in window.file_menu.actions()
    window.safety.backup_action.trigger()
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage(), timeout=20_000)
    [new] = [b for b in backup.list_backups(sample_copy) if b.path not in before]
    assert new.reason == backup.MANUAL
    assert str(new.path) in window.statusBar().currentMessage()


def test_restore_from_backup_lists_backups_and_keeps_the_current_file(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_A)  # an edit made after the backup of the open
    assert stored_review(sample_copy, 1)[0] == "A"

    window.safety.restore_action.trigger()
    dialog = window.safety.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    assert dialog.table.rowCount() == len(backup.list_backups(sample_copy)) >= 1
    assert dialog.table.item(0, 1).text() == "daily"
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert window.store is not None and not window.store.read_only
    assert stored_review(sample_copy, 1) is None  # back to the backup
    [aside] = [p for p in sample_copy.parent.iterdir() if "before-restore" in p.name and p.suffix == ".db"]
    assert stored_review(aside, 1)[0] == "A"  # and the later edit is kept aside


def test_restore_dialog_without_backups_says_so(qtbot, tmp_path):
    dialog = RestoreDialog(tmp_path / "none.db", [], None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible() and not dialog.restore_button.isEnabled()


# ---- unexpected errors -----------------------------------------------------------------------


def _installed_reporter(window, monkeypatch, request):  # type: ignore[no-untyped-def]
    """The window's error reporter as sys.excepthook, with the hook and log handlers put back after."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    handlers = list(logging.getLogger().handlers)
    reporter = install_error_reporter(window)
    for handler in [h for h in logging.getLogger().handlers if h not in handlers]:
        request.addfinalizer(lambda h=handler: (logging.getLogger().removeHandler(h), h.close()))
    return reporter


@pytest.mark.qt_no_exception_capture
def test_unexpected_error_shows_details_and_the_window_keeps_going(
    make_window, sample_copy, qtbot, monkeypatch, request
):
    window = make_window(sample_copy)
    reporter = _installed_reporter(window, monkeypatch, request)
    real_detail = window.store.claim_detail
    calls = {"n": 0}

    def failing_once(claim_id: int):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("simulated bug in the detail pane")
        return real_detail(claim_id)

    monkeypatch.setattr(window.store, "claim_detail", failing_once)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)

    box = reporter.dialog
    assert box is not None and box.isVisible()
    assert "simulated bug" in box.text() and str(log_file()) in box.text()
    assert "Traceback" in box.detailedText()
    assert "simulated bug" in log_file().read_text(encoding="utf-8")
    box.close()

    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert stored_review(sample_copy, 2)[0] == "E"
    assert QApplication.activeModalWidget() is None


def test_a_refused_undo_keeps_the_history_and_can_be_tried_again(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    write_rationale(window, qtbot, LONG_RATIONALE)
    # Undoing this short one brings the long rationale back, which needs room the full disk lacks.
    write_rationale(window, qtbot, "Checked by phone.")
    steps = window.undo_stack.index()
    window.store.set_max_page_count_for_tests(1)
    seen: list[tuple[str, str]] = []

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.windowTitle(), box.text()))
        box.close()

    # As when the reviewer presses Ctrl+Z in the running program: the warning is modal.
    QTimer.singleShot(50, close_warning)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen[0][0] == "Not undone" and "full" in seen[0][1]
    assert stored_review(sample_copy, 1)[3] == "Checked by phone."  # nothing lost
    assert window.undo_stack.index() == steps  # the history still matches the file
    assert window.undo_action.isEnabled() and "rationale" in window.undo_action.text().lower()

    window.store.set_max_page_count_for_tests(1 << 30)  # room again
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1)[3] == LONG_RATIONALE
    assert window.undo_stack.index() == steps - 1
    qtbot.keyClick(window.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1)[3] == "Checked by phone."
    assert window.undo_stack.index() == steps
    assert len(seen) == 1


def _hands_its_error_to_the_hook() -> None:
    try:
        raise ValueError("simulated bug on a worker")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)


def _ends_with_an_error() -> None:
    raise LookupError("simulated bug ending a plain thread")


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize(
    ("worker", "message"),
    [
        (_hands_its_error_to_the_hook, "ValueError: simulated bug on a worker"),  # as a QRunnable's does
        (_ends_with_an_error, "LookupError: simulated bug ending a plain thread"),
    ],
)
def test_an_error_on_another_thread_is_logged_and_shown_by_the_window_thread(
    make_window, sample_copy, qtbot, monkeypatch, request, worker, message
):
    window = make_window(sample_copy)
    reporter = _installed_reporter(window, monkeypatch, request)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog.thread() == QApplication.instance().thread()  # made on the window's thread
    assert message in reporter.dialog.text()
    assert message in log_file().read_text(encoding="utf-8")
    reporter.dialog.close()

    ending = threading.Thread(target=sys.exit)  # a thread that ends itself is no error
    ending.start()
    ending.join()
    qtbot.wait(50)
    assert reporter.dialog is None or not reporter.dialog.isVisible()
