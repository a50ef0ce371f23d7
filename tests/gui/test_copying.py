"""Ctrl+C in the claims table copies the selected claims; Ctrl+Shift+C the article's own words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu
from qt_waits import ask_for_context_menu, when_menu_opens

from desktop.ui import copying
from desktop.ui.claims_model import COL_CHAIN

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


def right_click(qtbot, table, row: int, choose) -> list[str]:  # type: ignore[no-untyped-def]
    """Right-click `row` as a person would; `choose(menu)` picks from the menu that opens."""
    where = table.visualRect(table.model().index(row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=where)  # selects the row
    seen = when_menu_opens(choose)
    ask_for_context_menu(table.viewport(), where)
    return seen


def test_the_right_click_menu_grades_and_copies_the_claim_under_the_pointer(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    table = window.table

    def grade_c(menu: QMenu) -> None:
        [reliability] = [a.menu() for a in menu.actions() if a.text() == "Source &reliability"]
        [c] = [a for a in reliability.actions() if a.text().startswith("&C")]
        c.trigger()

    seen = right_click(qtbot, table, 3, grade_c)
    assert seen[:2] == ["&Copy claims", "Copy &passages"]
    assert {"Source &reliability", "Claim &credibility", "&Status"} <= set(seen)
    assert table.current_claim_id() == 4
    with sqlite3.connect(sample_copy) as conn:
        assert conn.execute("SELECT reliability FROM reviews WHERE claim_id = 4").fetchall() == [("C",)]

    QApplication.clipboard().setText("before")
    right_click(qtbot, table, 5, lambda menu: menu.actions()[0].trigger())
    assert QApplication.clipboard().text() == claim_texts(sample_copy, 6)[0][0]


def header_menu(qtbot, window, choose) -> list[str]:  # type: ignore[no-untyped-def]
    header = window.table.horizontalHeader()
    seen = when_menu_opens(choose)
    ask_for_context_menu(header.viewport(), QPoint(header.sectionViewportPosition(COL_CHAIN) + 5, 4))
    return seen


def test_the_header_menu_hides_columns_and_the_next_start_keeps_them_hidden(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)

    def hide_chain(menu: QMenu) -> None:
        [chain] = [a for a in menu.actions() if a.text() == "Chain"]
        chain.trigger()

    seen = header_menu(qtbot, window, hide_chain)
    assert "Claim" not in seen and {"Claim number", "Cited source", "Chain", "Show all columns"} <= set(seen)
    header = window.table.horizontalHeader()
    assert header.isSectionHidden(COL_CHAIN)
    window.close()

    again = make_window(sample_copy)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(COL_CHAIN)
    header_menu(
        qtbot, again, lambda menu: next(a for a in menu.actions() if a.text() == "Show all columns").trigger()
    )
    assert not any(header.isSectionHidden(c) for c in range(header.count()))
