"""File › Import dataset…, driven by keyboard as a reviewer would: choose, map, preview, confirm, import."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from desktop.store import backup
from desktop.ui.import_dialog import ImportDialog, NearDuplicatesDialog


def _claims(db: Path) -> list[tuple[str, str | None, str | None, int | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.text, c.verdict_label, s.name, r.credibility FROM claims c "
            "LEFT JOIN chain_hops h ON h.claim_id = c.id LEFT JOIN sources s ON s.id = h.source_id "
            "LEFT JOIN reviews r ON r.claim_id = c.id WHERE c.import_id IS NOT NULL ORDER BY c.id"
        ).fetchall()
    finally:
        conn.close()


def _open_dialog(qtbot, window) -> ImportDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(
        window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = window.import_feature.dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.file_edit, timeout=20_000)
    return dialog


def test_import_by_keyboard_with_preset_and_a_near_duplicate_left_out(
    qtbot, make_window, sample_copy, tmp_path
):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    existing = window.store.claim_detail(1).text
    rows = [
        ("statement", "speaker", "ruling"),
        (existing + ".", "Somebody Else", "false"),  # nearly a claim already in the file
        ("Harbour fees rose by a fifth last year", "  Port  Office ", "mostly-true"),
        ("Harbour fees rose by a fifth last year!", "port office", "TRUE"),  # nearly the one above
        ("A claim nobody made", "", "pants-fire"),
    ]
    data = tmp_path / "checks.csv"
    data.write_text("\n".join(";".join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="cp1252")
    before = window.model.rowCount()

    dialog = _open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.file_edit, str(data))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    assert dialog.dataset is not None and len(dialog.dataset.records) == 4
    assert dialog.field_combos["text"].currentText() == "statement"
    assert dialog.field_combos["source"].currentText() == "speaker"
    assert dialog.preview.rowCount() == 4
    assert dialog.preview.item(3, 2).text() == "(unattributed)"

    # Alt+V reaches the verdict preset; choose the six-level scale and watch the preview grade.
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.preset_combo
    dialog.preset_combo.setCurrentIndex(0)
    qtbot.keyClick(dialog.preset_combo, Qt.Key.Key_Down)
    assert dialog.preset_combo.currentData() == "six-level"
    assert dialog.preview.item(1, 5).text() == "2 Probably true"

    # Only the press: the dialog is disabled while it works, so the release would reach a disabled box.
    qtbot.keyPress(dialog.preset_combo, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.duplicates_dialog is not None and dialog.duplicates_dialog.isVisible(), timeout=20_000
    )
    confirm = dialog.duplicates_dialog
    assert isinstance(confirm, NearDuplicatesDialog)
    assert [n.position for n in confirm.found] == ["line 2", "line 4"]
    # Leave out the second one (a repeat within the file); the first comes in as its own claim.
    qtbot.keyClick(confirm.list, Qt.Key.Key_Down)
    qtbot.keyClick(confirm.list, Qt.Key.Key_Space)
    qtbot.keyClick(confirm.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=20_000)
    window.task_runner.wait(3000)

    assert _claims(sample_copy) == [
        (existing + ".", "false", "Somebody Else", 5),
        ("Harbour fees rose by a fifth last year", "mostly-true", "Port Office", 2),
        ("A claim nobody made", "pants-fire", None, 5),
    ]
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 3, timeout=20_000)
    message = window.statusBar().currentMessage()
    assert message.startswith("Imported 3 claims from ")
    assert "1 record left out, 2 near-duplicates listed)" in message  # "1 record", not "1 records"
    assert message.endswith(
        "A backup from just before it is kept: File › Restore from backup… takes it back."
    )
    kept = [b for b in backup.list_backups(sample_copy) if b.reason == backup.BEFORE_IMPORT]
    assert len(kept) == 1

    # Restoring it, as File › Restore from backup… does, takes the import back.
    window.close()
    backup.restore_backup(kept[0].path, sample_copy)
    assert _claims(sample_copy) == []


def test_escape_leaves_the_file_as_it_was_and_errors_show_in_the_dialog(
    qtbot, make_window, sample_copy, tmp_path, dump_content
):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"claim": "fine"}) + "\n{not json}\n", encoding="utf-8")
    dialog = _open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.file_edit, str(broken))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    assert "line 2, column 2" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    window.close()
    before = dump_content(sample_copy)
    assert not [row for row in before["claims"] if row[-1] is not None]


def test_cancel_during_the_write_leaves_the_file_as_it_was(  # type: ignore[no-untyped-def]
    qtbot, make_window, sample_copy, tmp_path, dump_content, monkeypatch
):
    import desktop.ui.import_dialog as import_dialog
    from desktop.io.importing import write_import

    window = make_window(sample_copy)
    data = tmp_path / "many.tsv"
    data.write_text(
        "claim\tspeaker\n" + "".join(f"Claim {n} about tides\tGauge {n % 5}\n" for n in range(300))
    )
    refusals: list[str] = []
    monkeypatch.setattr(import_dialog.QMessageBox, "warning", lambda _p, _t, text: refusals.append(text))
    monkeypatch.setattr("desktop.ui.tasks.QMessageBox.warning", lambda _p, _t, text: refusals.append(text))

    def write_when_cancelled(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Stands for a long write: it starts once the person has pressed Cancel.
        while not kwargs["cancelled"]():
            threading.Event().wait(0.01)
        return write_import(*args, **kwargs)

    monkeypatch.setattr(import_dialog, "write_import", write_when_cancelled)
    # Rows differ only by a number, so they are near-duplicates; that step has its own test above.
    monkeypatch.setattr(import_dialog, "find_near_duplicates", lambda *args, **kwargs: [])
    dialog = _open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.file_edit, str(data))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    assert dialog.preview.rowCount() == 20
    dialog.import_button.click()
    progress = None

    def progress_shown() -> bool:
        nonlocal progress
        found = [
            w for w in window.findChildren(QProgressDialog) if w.isVisible() and "Importing" in w.labelText()
        ]
        progress = found[0] if found else None
        return progress is not None

    qtbot.waitUntil(progress_shown, timeout=20_000)
    cancel = progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(refusals), timeout=20_000)
    window.task_runner.wait(3000)
    assert "cancelled; nothing was added" in refusals[0]
    assert dialog.result_ is None and dialog.isEnabled()
    dialog.reject()
    window.close()
    assert not [row for row in dump_content(sample_copy)["claims"] if row[-1] is not None]


def test_a_quote_never_closed_is_shown_in_the_dialog_with_its_line(qtbot, make_window, sample_copy, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    broken = tmp_path / "open-quote.csv"
    broken.write_text(
        'claim,speaker\n"Ferries run hourly",Port desk\n"Ferries stop at ten,Port desk\n', encoding="utf-8"
    )
    dialog = _open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.file_edit, str(broken))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    assert (
        "line 3, field 1 (“claim”): a quoted field opened here is never closed" in dialog.summary_label.text()
    )
    assert not dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Escape)
