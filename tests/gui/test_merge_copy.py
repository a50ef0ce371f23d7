"""File › Merge a colleague's copy…: the copy's reviews come onto the table's claims, in the background."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.core.grades import Status
from desktop.core.model import ReviewField
from desktop.store import Store


def _action(window, text: str):
    return next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text)


def _colleagues_copy(original: Path, folder: Path) -> Path:
    copy = folder / "from-bo.db"
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "export", str(original), "--format", "sqlite", "-o", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    store = Store.open(copy, reviewer="bo")
    try:
        for claim_id in (3, 4):
            store.set_review_field(claim_id, "bo", ReviewField.CREDIBILITY, 2)
            store.set_review_field(claim_id, "bo", ReviewField.STATUS, Status.REVIEWED)
    finally:
        store.close()
    return copy


def _merge_through_the_menu(window, copy: Path, qtbot, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Choose `copy` in File › Merge a colleague's copy…; returns the message shown once it is merged."""
    shown: list[str] = []
    monkeypatch.setattr("desktop.ui.merge_copy.QFileDialog.getOpenFileName", lambda *a, **k: (str(copy), ""))
    monkeypatch.setattr(
        "desktop.ui.merge_copy.QMessageBox.information", lambda parent, title, text: shown.append(text)
    )
    _action(window, "Merge a colleague's copy…").trigger()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=20_000)
    return shown


def test_the_entry_follows_the_open_file(make_window, sample_copy) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert not _action(window, "Merge a colleague's copy…").isEnabled()
    window.open_file(sample_copy)
    assert _action(window, "Merge a colleague's copy…").isEnabled()


def test_a_merged_copy_shows_its_reviews_in_the_table(  # type: ignore[no-untyped-def]
    make_window, sample_copy, qtbot, monkeypatch, tmp_path
) -> None:
    copy = _colleagues_copy(sample_copy, tmp_path)
    window = make_window(sample_copy)
    shown = _merge_through_the_menu(window, copy, qtbot, monkeypatch)
    assert shown[0].startswith(
        "from-bo.db: 15 claims already here, merged; 0 new claims added; 2 reviews added"
    )
    assert shown[0].endswith(
        "\n\nA backup from just before it is kept: File › Restore from backup… takes it back."
    )
    assert window.model.rowCount() == 15
    # The table's Reviewers column now names bo on the two claims bo graded in the copy.
    column = next(
        c
        for c in range(window.model.columnCount())
        if window.model.headerData(c, Qt.Orientation.Horizontal) == "Reviewers"
    )
    reviewers = window.model.index(2, column)
    qtbot.waitUntil(lambda: "bo" in str(window.model.data(reviewers)), timeout=20_000)
    store = Store.open(sample_copy, read_only=True)
    try:
        rows = store._db.execute(
            "SELECT claim_id FROM reviews WHERE reviewer = 'bo' ORDER BY claim_id"
        ).fetchall()
    finally:
        store.close()
    assert [row[0] for row in rows] == [3, 4]


def test_a_large_file_is_merged_without_a_backup_first_and_the_message_says_which_backup_is_newest(  # type: ignore[no-untyped-def]
    make_window, sample_copy, qtbot, monkeypatch, tmp_path
) -> None:
    from desktop.store import backup

    copy = _colleagues_copy(sample_copy, tmp_path)
    monkeypatch.setattr(backup, "BACKUP_BEFORE_IMPORT_UP_TO", 1024)  # every file is "large" now
    window = make_window(sample_copy)
    before = backup.list_backups(sample_copy)
    shown = _merge_through_the_menu(window, copy, qtbot, monkeypatch)
    assert backup.list_backups(sample_copy) == before  # none was added
    assert [b.reason for b in before] == [backup.DAILY]  # the one made when the file was opened
    made = before[0].made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert shown[0].endswith(f"; the newest, from {made}, is in File › Restore from backup….")
    assert "\n\nNo backup was made first (the file is over " in shown[0]


def test_a_copy_that_cannot_be_read_is_refused_in_a_dialog(  # type: ignore[no-untyped-def]
    make_window, sample_copy, qtbot, monkeypatch, tmp_path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "corroborate-export", "version": 99}', encoding="utf-8")
    window = make_window(sample_copy)
    warned: list[str] = []
    monkeypatch.setattr("desktop.ui.merge_copy.QFileDialog.getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(
        "desktop.ui.tasks.QMessageBox.warning", lambda parent, title, text: warned.append(text)
    )
    _action(window, "Merge a colleague's copy…").trigger()
    qtbot.waitUntil(lambda: len(warned) == 1, timeout=20_000)
    assert "bad.json" in warned[0]
    assert window.store.count_claims() == 15


def test_nothing_is_merged_while_another_long_job_runs(  # type: ignore[no-untyped-def]
    make_window, sample_copy, monkeypatch, tmp_path
) -> None:
    copy = _colleagues_copy(sample_copy, tmp_path)
    window = make_window(sample_copy)
    told: list[str] = []
    monkeypatch.setattr(type(window.task_runner), "busy", property(lambda runner: True))
    monkeypatch.setattr(
        "desktop.ui.tasks.QMessageBox.information", lambda parent, title, text: told.append(text)
    )
    monkeypatch.setattr("desktop.ui.merge_copy.QFileDialog.getOpenFileName", lambda *a, **k: (str(copy), ""))
    _action(window, "Merge a colleague's copy…").trigger()
    assert told == ["Another long job is still running; try again when it ends."]
    reviewed_by_bo = window.store._db.execute(
        "SELECT count(*) FROM reviews WHERE reviewer = 'bo'"
    ).fetchone()[0]
    assert reviewed_by_bo == 0
