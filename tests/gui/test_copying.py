"""Ctrl+C in the claims table copies the selected claims; Ctrl+Shift+C the article's own words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui import copying

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def claim_texts(path: Path, *ids: int) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        found = dict(
            (row[0], (row[1], row[2])) for row in conn.execute("SELECT id, text, passage FROM claims")
        )
    return [found[i] for i in ids]


def test_ctrl_c_copies_the_selected_claims_top_down(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # claim 2
    qtbot.keyClick(table, Qt.Key.Key_Down, SHIFT)  # and 3
    qtbot.keyClick(table, Qt.Key.Key_C, CTRL)
    (two, _), (three, _) = claim_texts(sample_copy, 2, 3)
    assert QApplication.clipboard().text() == f"{two}\n{three}"
    assert window.statusBar().currentMessage() == "Copied 2 claims."


def test_ctrl_shift_c_copies_the_articles_passage(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.go_to_claim(10)
    qtbot.keyClick(window.table, Qt.Key.Key_C, CTRL | SHIFT)
    [(text, passage)] = claim_texts(sample_copy, 10)
    assert passage and passage != text  # the sample's passages are the article's sentences
    assert QApplication.clipboard().text() == passage
    assert window.statusBar().currentMessage() == "Copied 1 passage."


def test_ctrl_c_in_the_rationale_copies_the_fields_own_selection(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    QApplication.clipboard().setText("before")
    field = window.detail.rationale_edit
    field.setFocus()
    qtbot.keyClicks(field, "only this")
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "only this"


def test_too_many_claims_are_left_to_an_export(make_window, sample_copy, qtbot, monkeypatch):
    monkeypatch.setattr(copying, "MAX_COPIED", 5)
    window = make_window(sample_copy)
    QApplication.clipboard().setText("before")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL)  # all 15
    qtbot.keyClick(window.table, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "before"
    assert "15 claims selected" in window.statusBar().currentMessage()
    assert "Export" in window.statusBar().currentMessage()
