"""A grade or status key on several selected claims sets it on all of them as one undo step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.ui import main_window

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def reliability(path: Path) -> dict[int, str | None]:
    with sqlite3.connect(path) as conn:
        return dict(
            conn.execute("SELECT claim_id, reliability FROM reviews WHERE reviewer = 'ana'").fetchall()
        )


def select_first(window, qtbot, rows: int) -> None:  # type: ignore[no-untyped-def]
    window.table.setFocus()
    window.table.go_to_row(0)
    for _ in range(rows - 1):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, SHIFT)
    assert window.table.selected_count() == rows


def test_a_key_grades_every_selected_claim_and_one_undo_takes_all_back(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_C)  # claim 1 has C already
    select_first(window, qtbot, 3)
    steps = window.undo_stack.count()

    qtbot.keyClick(window.table, Qt.Key.Key_B)

    assert reliability(sample_copy) == {1: "B", 2: "B", 3: "B"}
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Set reliability B (Usually reliable) on 3 claims"
    assert "on 3 selected claims; Ctrl+Z undoes it" in window.statusBar().currentMessage()
    assert [window.model.index(row, 4).data() for row in range(3)] == ["B", "B", "B"]

    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert reliability(sample_copy) == {1: "C", 2: None, 3: None}
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert reliability(sample_copy) == {1: "B", 2: "B", 3: "B"}


def test_a_selection_larger_than_the_limit_is_refused_with_nothing_changed(
    make_window, sample_copy, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main_window, "MAX_EDITED_AT_ONCE", 2)
    window = make_window(sample_copy)
    select_first(window, qtbot, 3)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert "3 claims are selected; a grade or status is set on at most 2 at once" in (
        window.statusBar().currentMessage()
    )
    with sqlite3.connect(sample_copy) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
    assert window.undo_stack.count() == 0
