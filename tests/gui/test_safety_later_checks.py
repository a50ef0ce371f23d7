"""Checks left for after opening a large file: damage found then, the daily backup, closing meanwhile.

Every file counts as large here (the size limit is set to 0), so the sample takes the path a file
of a million claims takes: it opens at once, and its quick check and daily backup run on a thread
of their own once the claims table is painted.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.errors import DamagedFileError
from desktop.store import Store, access, backup, integrity
from desktop.store.lock import lock_path


@pytest.fixture(autouse=True)
def every_file_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)


def _content(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        return (
            conn.execute("SELECT * FROM reviews ORDER BY claim_id, reviewer").fetchall()
            + conn.execute("SELECT count(*) FROM change_log").fetchall()
        )
    finally:
        conn.close()


def _damage_an_index_page(path: Path, index: str = "saved_set_claims_claim") -> None:
    """Overwrite one index page that opening and the first screen never read."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_damage_found_after_opening_gives_a_dialog_and_a_read_only_window(
    make_window, sample_copy, qtbot, caplog
):
    good = backup.make_backup(sample_copy, reason=backup.DAILY)
    _damage_an_index_page(sample_copy)
    before = _content(sample_copy)
    caplog.set_level(logging.INFO, logger="corroborate")

    window = make_window(sample_copy)  # opens at once: the damage is not seen yet
    assert window.model is not None and window.model.rowCount() > 0
    qtbot.waitUntil(lambda: isinstance(window.safety.dialog, QMessageBox), timeout=20_000)
    box = window.safety.dialog
    assert box.windowTitle() == "File damaged" and box.isVisible()
    assert "quick check" in box.text() and "read-only" in box.text() and str(good) in box.text()
    assert "Restore latest backup" in [b.text().replace("&", "") for b in box.buttons()]
    assert window.store.read_only
    assert window.safety.banner.isVisible() and "damage" in window.safety.banner.label.text()
    assert any("switched to read-only" in r.getMessage() for r in caplog.records)
    box.close()

    # A reviewer keeps grading: nothing is written.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    for key in (Qt.Key.Key_B, Qt.Key.Key_2, Qt.Key.Key_R):
        qtbot.keyClick(window.table, key)
    assert "read-only" in window.statusBar().currentMessage()
    window.close()
    assert _content(sample_copy) == before
    assert [b.path for b in backup.list_backups(sample_copy)] == [good]
    # The next open checks fully before anything else, and refuses the file at once.
    assert lock_path(sample_copy).exists()
    with pytest.raises(DamagedFileError, match="full integrity check"):
        Store.open(sample_copy, background_checks=True)


def test_daily_backup_is_made_in_the_background_and_verified(make_window, sample_copy, qtbot, caplog):
    caplog.set_level(logging.INFO, logger="corroborate")
    window = make_window(sample_copy)
    report = window.store.open_report
    assert report.check_later and report.backup_later
    qtbot.waitUntil(
        lambda: any("made and verified" in r.getMessage() for r in caplog.records), timeout=20_000
    )
    assert not window.safety.later_checks_pending
    [made] = backup.list_backups(sample_copy)
    assert made.reason == backup.DAILY
    assert integrity.check_file(made.path, full=True) == []
    assert any("found it sound" in r.getMessage() for r in caplog.records)
    assert not window.store.read_only and window.safety.dialog is None


def test_closing_the_window_while_the_check_runs_is_clean(
    make_window, sample_copy, qtbot, monkeypatch, caplog
):
    started = threading.Event()
    stopped = threading.Event()

    def slow_check(path, *, full, uri=None, cancelled=None):  # as long as a million claims takes
        started.set()
        while not cancelled():
            if stopped.wait(0.01):
                break
        raise integrity.Interrupted("stopped")

    monkeypatch.setattr(access.integrity, "require_sound", slow_check)
    caplog.set_level(logging.INFO, logger="corroborate")
    window = make_window(sample_copy)
    qtbot.waitUntil(started.is_set, timeout=20_000)
    try:
        window.close()  # returns once the check has stopped: nothing keeps running behind it
    finally:
        stopped.set()
    assert not window.safety.later_checks_pending
    assert not lock_path(sample_copy).exists()  # a clean close
    assert not sample_copy.with_name(sample_copy.name + "-wal").exists()
    assert backup.list_backups(sample_copy) == []  # no backup was started
    folder = backup.backup_dir(sample_copy)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert window.store is None


def test_restoring_from_the_damage_dialog_brings_back_a_writable_file(make_window, sample_copy, qtbot):
    good = backup.make_backup(sample_copy, reason=backup.DAILY)
    _damage_an_index_page(sample_copy)
    window = make_window(sample_copy)
    qtbot.waitUntil(lambda: isinstance(window.safety.dialog, QMessageBox), timeout=20_000)
    box = window.safety.dialog
    [restore] = [b for b in box.buttons() if b.text().replace("&", "") == "Restore latest backup"]
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)

    assert window.store is not None and not window.store.read_only
    assert not window.safety.banner.isVisible()
    assert "restored" in window.safety.dialog.text()
    assert integrity.check_file(sample_copy, full=True) == []
    [aside] = [p for p in sample_copy.parent.iterdir() if "before-restore" in p.name and p.suffix == ".db"]
    assert integrity.check_file(aside, full=False) != []  # the damaged file is kept, as it was
    assert good.exists()
