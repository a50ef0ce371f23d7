"""Scrolling the detail pane with the wheel never changes a value that is saved at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox


def change_log(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT claim_id, field, old_value, new_value FROM change_log ORDER BY id"
        ).fetchall()


def turn_wheel_over(widget, notches: int) -> bool:
    """One wheel event of `notches` steps down over the middle of `widget`; True if it took it."""
    middle = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        middle,
        QPointF(widget.mapToGlobal(middle.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def detail_combos(window) -> list[QComboBox]:
    detail = window.detail
    return [
        detail.reliability_combo,
        detail.credibility_combo,
        detail.status_combo,
        detail.chain_editor.relation_combo,
    ]


def test_the_wheel_over_the_detail_panes_combos_changes_nothing(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.go_to_claim(1)
    combos = detail_combos(window)
    assert all(combo.isEnabled() for combo in combos)
    before = [combo.currentIndex() for combo in combos]

    for combo in combos:
        combo.setFocus()  # even the focused combo: a click to choose leaves the focus there
        assert not turn_wheel_over(combo, 2), combo.accessibleName()  # left for the pane to scroll

    assert [combo.currentIndex() for combo in combos] == before
    assert change_log(sample_copy) == []


def test_the_keyboard_still_changes_a_combo_and_saves_it(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.go_to_claim(1)
    status = window.detail.status_combo
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)
    assert status.currentData() != "unreviewed"
    assert change_log(sample_copy) == [(1, "review.status", "unreviewed", status.currentData())]


def test_a_plain_combo_would_have_changed(qtbot):
    """The check above can fail: the same wheel event moves an ordinary combo box."""
    combo = QComboBox()
    combo.addItems(["one", "two", "three"])
    qtbot.addWidget(combo)
    combo.show()
    qtbot.waitExposed(combo)
    assert turn_wheel_over(combo, 1)
    assert combo.currentIndex() == 1
