"""View › Larger text / Smaller text / Normal text size: the claims and the detail pane, remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui import text_size
from desktop.ui.claims_model import COL_SOURCE, COL_STATUS
from desktop.ui.settings import Settings

CTRL = Qt.KeyboardModifier.ControlModifier


def row_height(window) -> int:  # type: ignore[no-untyped-def]
    return window.table.verticalHeader().defaultSectionSize()


def points(widget) -> float:  # type: ignore[no-untyped-def]
    return widget.font().pointSizeF()


def test_larger_and_smaller_text_change_the_reading_and_are_remembered(
    make_window, sample_copy, qtbot, tmp_path: Path
):  # type: ignore[no-untyped-def]
    system = QApplication.font().pointSizeF()
    window = make_window(sample_copy)
    rows, status_column = row_height(window), window.table.columnWidth(COL_STATUS)
    source_column = window.table.columnWidth(COL_SOURCE)
    window.table.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Equal, CTRL)
    assert points(window.table) == system + 3
    assert points(window.detail.rationale_edit) == system + 3
    assert points(window.detail.claim_label) > system + 3  # the claim itself stays larger than the rest
    assert points(window.menuBar()) == system and points(window.search_box) == system  # the chrome stays
    assert row_height(window) > rows and window.table.columnWidth(COL_STATUS) > status_column
    assert window.table.columnWidth(COL_SOURCE) == source_column  # as wide as the reviewer left it
    assert Settings(tmp_path / "config").text_points == system + 3
    assert window.statusBar().currentMessage() == f"Text size {system + 3:g} points"

    qtbot.keyClick(window.table, Qt.Key.Key_Minus, CTRL)
    assert points(window.table) == system + 2
    qtbot.keyClick(window.table, Qt.Key.Key_0, CTRL)
    assert points(window.table) == system
    assert row_height(window) == rows
    assert Settings(tmp_path / "config").text_points is None  # the system's own size again


def test_the_size_stays_within_reason(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.setFocus()
    for _ in range(40):
        qtbot.keyClick(window.table, Qt.Key.Key_Minus, CTRL)
    assert points(window.table) == text_size.SMALLEST
    for _ in range(40):
        qtbot.keyClick(window.table, Qt.Key.Key_Equal, CTRL)
    assert points(window.table) == text_size.LARGEST


def test_the_next_window_opens_at_the_remembered_size(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    system = QApplication.font().pointSizeF()
    first = make_window(sample_copy)
    first.table.setFocus()
    qtbot.keyClick(first.table, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(first.table, Qt.Key.Key_Equal, CTRL)
    first.close()
    again = make_window(sample_copy)
    assert points(again.table) == system + 2
    assert points(again.detail.rationale_edit) == system + 2
    assert row_height(again) == again.table.fontMetrics().height() + 10
