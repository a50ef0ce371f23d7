"""Review › Edit claim wording… (F2): the claim is reworded in the table, the detail pane and the file,
and Ctrl+Z puts the old wording back."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.ui.claims_model import COL_TEXT
from desktop.ui.wording_dialog import WordingDialog

NEW = "North Korean soldiers in Russia are said to be training in tactics and drone warfare"


def stored_text(path, claim_id: int) -> str:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT text FROM claims WHERE id = ?", [claim_id]).fetchone()[0])


def test_f2_rewords_the_current_claim_and_ctrl_z_takes_it_back(make_window, sample_copy, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    before = stored_text(sample_copy, 1)
    seen: list[str] = []

    def reword(dialog: WordingDialog) -> QDialog.DialogCode:
        seen.append(dialog.wording())
        dialog.wording_edit.setPlainText(NEW)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WordingDialog, "exec", reword)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)

    assert seen == [before]  # the dialog opens on the claim's wording
    assert stored_text(sample_copy, 1) == NEW
    assert window.model.index(0, COL_TEXT).data() == NEW
    assert NEW in window.detail.claim_label.text()

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_text(sample_copy, 1) == before
    assert window.model.index(0, COL_TEXT).data() == before


def test_cancel_leaves_the_wording_as_it_was(make_window, sample_copy, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    before = stored_text(sample_copy, 2)
    window.go_to_claim.go_to(2)

    def type_then_cancel(dialog: WordingDialog) -> QDialog.DialogCode:
        dialog.wording_edit.setPlainText("Something else entirely")
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(WordingDialog, "exec", type_then_cancel)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    assert stored_text(sample_copy, 2) == before
    assert window.undo_stack.count() == 0


def test_an_empty_wording_cannot_be_accepted(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = WordingDialog("The words.", "A claim", parent, title="t", accept_text="&Save", hint="h")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.wording_edit.setPlainText("   ")
    assert not ok.isEnabled()
