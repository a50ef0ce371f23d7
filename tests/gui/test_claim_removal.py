"""Review › Remove claim…: asked first, refused for a claim with review work, one undo step."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox


def review_action(window, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.review_menu.actions() if a.text() == text)


def claim_count(path) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])


def test_an_untouched_claim_is_removed_after_asking_and_ctrl_z_brings_it_back(
    make_window, sample_copy, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window = make_window(sample_copy)
    window.go_to_claim.go_to(12)
    review_action(window, "Re&move claim…").trigger()

    assert asked and asked[0].startswith("Remove claim 12?")
    assert claim_count(sample_copy) == 14
    assert window.model.rowCount() == 14
    assert "Claim 12 removed; Ctrl+Z brings it back." in window.statusBar().currentMessage()

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert claim_count(sample_copy) == 15
    assert window.model.rowCount() == 15


def test_a_claim_with_a_grade_is_kept_and_the_reviewer_told_why(make_window, sample_copy, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: told.append(text))
    window = make_window(sample_copy)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_3)  # claim 1 graded
    review_action(window, "Re&move claim…").trigger()
    assert told == [
        "Claim 1 has grades, a rationale, an edited chain or evidence now: it is kept, with them."
    ]
    assert claim_count(sample_copy) == 15


def test_cancel_keeps_the_claim(make_window, sample_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Cancel)
    window = make_window(sample_copy)
    review_action(window, "Re&move claim…").trigger()
    assert claim_count(sample_copy) == 15
    assert window.undo_stack.count() == 0
