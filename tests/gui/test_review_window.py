"""The review window driven as a reviewer would: real keys on the real window, then the file read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.ui.claims_model import COL_CREDIBILITY, COL_RELIABILITY, COL_STATUS

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "sample"


def stored_review(path: Path, claim_id: int, reviewer: str) -> tuple | None:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT reliability, credibility, status, rationale FROM reviews "
            "WHERE claim_id = ? AND reviewer = ?",
            [claim_id, reviewer],
        ).fetchone()


def log_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT reviewer, claim_id, field, old_value, new_value FROM change_log ORDER BY id"
        ).fetchall()


def cell(window, row: int, column: int) -> str:
    return window.model.index(row, column).data()


def test_grades_by_single_keys_survive_quit_and_reopen(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.current_claim_id() == 2
    qtbot.keyClick(table, Qt.Key.Key_B)
    qtbot.keyClick(table, Qt.Key.Key_2)
    qtbot.keyClick(table, Qt.Key.Key_R)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.detail.rationale_edit.hasFocus()
    qtbot.keyClicks(window.detail.rationale_edit, "Relays the NIS; no second origin.")
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert table.hasFocus()
    assert (
        cell(window, 1, COL_RELIABILITY),
        cell(window, 1, COL_CREDIBILITY),
        cell(window, 1, COL_STATUS),
    ) == (
        "B",
        "2",
        "reviewed",
    )
    assert "1 of 15 reviewed" in window.progress_label.text()
    window.close()

    assert stored_review(sample_copy, 2, "ana") == ("B", 2, "reviewed", "Relays the NIS; no second origin.")
    again = make_window(sample_copy, reviewer="ana")
    again.table.go_to_claim(2)
    assert cell(again, 1, COL_RELIABILITY) == "B"
    assert again.detail.reliability_combo.currentData() == "B"
    assert again.detail.credibility_combo.currentData() == 2
    assert again.detail.rationale_edit.toPlainText() == "Relays the NIS; no second origin."
    assert "graded by ana" in again.detail.provenance_label.text()


def test_each_edit_is_one_change_log_row_with_the_reviewer(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ben")
    window.table.setFocus()
    for key in (Qt.Key.Key_F, Qt.Key.Key_6, Qt.Key.Key_P):
        qtbot.keyClick(window.table, key)
    assert log_rows(sample_copy) == [
        ("ben", 1, "review.reliability", None, "F"),
        ("ben", 1, "review.credibility", None, "6"),
        ("ben", 1, "review.status", "unreviewed", "in_progress"),
    ]


def test_j_and_k_move_through_claims(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.table.current_claim_id() == 3
    assert window.detail.claim_id == 3
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.table.current_claim_id() == 2


def test_undo_and_redo_restore_the_stored_values(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C)
    qtbot.keyClick(table, Qt.Key.Key_3)
    assert stored_review(sample_copy, 1, "ana")[:2] == ("C", 3)
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1, "ana")[:2] == ("C", None)
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1, "ana")[:2] == (None, None)
    assert cell(window, 0, COL_RELIABILITY) == "–"
    qtbot.keyClick(
        table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored_review(sample_copy, 1, "ana")[:2] == ("C", None)
    qtbot.keyClick(table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1, "ana")[:2] == ("C", 3)
    assert cell(window, 0, COL_CREDIBILITY) == "3"
    # Undo and redo are edits too: logged, never erased from the append-only log.
    assert [row[2:] for row in log_rows(sample_copy)] == [
        ("review.reliability", None, "C"),
        ("review.credibility", None, "3"),
        ("review.credibility", "3", None),
        ("review.reliability", "C", None),
        ("review.reliability", None, "C"),
        ("review.credibility", None, "3"),
    ]


def test_undo_of_a_rationale_edit_restores_the_text(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClicks(window.detail.rationale_edit, "First thought")
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert stored_review(sample_copy, 1, "ana")[3] == "First thought"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_review(sample_copy, 1, "ana")[3] == ""
    assert window.detail.rationale_edit.toPlainText() == ""


def test_typing_a_rationale_never_grades_the_claim(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClicks(window.detail.rationale_edit, "A 1 b 2 N r")
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert stored_review(sample_copy, 1, "ana") == (None, None, "unreviewed", "A 1 b 2 N r")
    assert window.table.current_claim_id() == 1
    # A review with a rationale and no grade says so, rather than showing "??" as if it were one.
    assert window.detail.provenance_label.text().startswith("No grades yet · review by ana, last changed")
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert window.detail.provenance_label.text().startswith("B? · graded by ana, last changed")


def test_n_jumps_to_the_next_claim_still_to_review(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_R)  # claim 2 reviewed
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_X)  # claim 3 disputed: also finished
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert table.current_claim_id() == 1
    qtbot.keyClick(table, Qt.Key.Key_N)
    assert table.current_claim_id() == 4
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_N)  # wraps round to the first unfinished claim
    assert table.current_claim_id() == 1


def test_ctrl_f_filters_by_text_over_claims_passages_and_sources(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "yonhap")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.table.hasFocus()
    shown = [window.model.claim_id(row) for row in range(window.model.rowCount())]
    described = json.loads((RESOURCES / "claims.json").read_text(encoding="utf-8"))
    names = {s["key"]: s["name"].lower() for s in described["sources"]}
    expected = [
        number
        for number, claim in enumerate(described["claims"], start=1)
        if "yonhap" in (claim["text"] + claim["passage"]).lower()
        or any("yonhap" in names[hop["source"]] for chain in claim["chains"] for hop in chain)
    ]
    assert shown == expected
    assert "showing" in window.progress_label.text()
    window.search_box.clear()
    window._apply_filters_now()
    assert window.model.rowCount() == 15


@pytest.mark.parametrize("hostile", ['"', "AND OR", "((", "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "-", "*"])
def test_any_search_text_is_safe(make_window, sample_copy, qtbot, hostile):
    window = make_window(sample_copy)
    window.search_box.setText(hostile)
    window._apply_filters_now()
    rows = window.model.rowCount()
    if rows == 0:
        assert window.detail.claim_id is None
        assert "No claim matches" in window.statusBar().currentMessage()
    else:
        assert window.detail.claim_id == window.model.claim_id(0)


def test_status_filter_shows_only_that_status(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    window.status_filter.setCurrentText("Reviewed")
    assert [window.model.claim_id(r) for r in range(window.model.rowCount())] == [2]
    window.status_filter.setCurrentText("Still to do")
    assert window.model.rowCount() == 14


def test_clicking_a_header_sorts_in_sql_and_keeps_the_claim(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.go_to_claim(6)
    header = window.table.horizontalHeader()
    centre = QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    ids = [window.model.claim_id(r) for r in range(window.model.rowCount())]
    assert ids == sorted(ids, reverse=True)
    assert window.table.current_claim_id() == 6
    assert window.detail.claim_id == 6


def test_grading_by_mouse_through_the_detail_pane(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    combo = window.detail.reliability_combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData("D"))
    combo.activated.emit(combo.currentIndex())
    assert stored_review(sample_copy, 1, "ana")[0] == "D"


def test_model_passes_qt_model_tester(make_window, sample_copy, qtmodeltester):
    window = make_window(sample_copy)
    qtmodeltester.check(window.model, force_py=True)


def test_not_a_database_gets_a_dialog_and_stays_untouched(make_window, tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"claims, sources\n1,2\n")
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.critical", lambda _parent, _title, text: shown.append(text)
    )
    window = make_window()
    assert not window.open_file(bad)
    assert bad.read_bytes() == b"claims, sources\n1,2\n"
    assert shown and "not an SQLite database" in shown[0]
    assert window.pages.currentWidget() is window.welcome


def test_without_a_file_the_window_offers_open_new_and_recent(make_window, sample_copy):
    first = make_window(sample_copy)
    first.close()
    window = make_window()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.recent_list.count() == 1
    assert window.welcome.recent_list.item(0).data(Qt.ItemDataRole.UserRole) == str(sample_copy.resolve())
    assert not window.next_unreviewed_action.isEnabled()
    # Nothing to filter yet: the search box and every filter wait for a file.
    assert not window.search_box.isEnabled()
    assert not window.filter_bar.source_combo.isEnabled()
    assert not window.filter_bar.clear_button.isEnabled()
    assert window.open_file(sample_copy)
    assert window.filter_bar.source_combo.isEnabled()


def test_new_file_starts_empty(make_window, tmp_path):
    window = make_window()
    assert window.open_file(tmp_path / "fresh.db", create=True)
    assert window.model.rowCount() == 0
    assert window.detail.claim_label.text() == "This file has no claims yet."


def test_a_window_destroyed_with_undo_steps_left_raises_nothing(sample_copy, tmp_path, qtbot):
    # As when the application is ended without the window being closed first (a logout, a signal).
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

    window = MainWindow(Settings(tmp_path / "config"), "ana")
    assert window.open_file(sample_copy)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert window.undo_stack.count() == 1
    store = window.store
    shiboken6.delete(window)  # the undo stack clears itself as it goes: its followers must not fail
    store.close()
    assert stored_review(sample_copy, 1, "ana")[0] == "B"
