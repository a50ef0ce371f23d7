"""Review › Claim history… (Ctrl+H): follows the claim the table is on and reads again after every edit."""

from __future__ import annotations

import shutil
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_waits import ask_for_context_menu, open_by_key, when_menu_opens

from desktop.core.edits import RenameSource
from desktop.core.model import ReviewField
from desktop.store import Store
from desktop.ui.history_view import HistoryWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def open_history(window, qtbot) -> HistoryWindow:  # type: ignore[no-untyped-def]
    return open_by_key(window, qtbot, Qt.Key.Key_H, CTRL, HistoryWindow)


def shown(history: HistoryWindow) -> list[tuple[str, str]]:
    changes = history.changes
    return [
        (changes.topLevelItem(row).text(1), changes.topLevelItem(row).text(2))
        for row in range(changes.topLevelItemCount())
    ]


def test_grading_with_keys_shows_in_the_history_and_it_follows_the_table(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    history = open_history(window, qtbot)
    assert history.claim_label.text().startswith("Claim 1: North Korean soldiers")
    assert history.came_from_label.text().startswith("From the article “North Korean troops")
    assert history.list_stack.currentWidget() is history.empty_label
    assert "No changes yet" in history.empty_label.text()
    assert not history.copy_button.isEnabled()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert shown(history) == [
        ("ana", "Claim credibility: not graded → 2, probably true"),
        ("ana", "Source reliability: not graded → B, usually reliable"),
    ]

    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.table.current_claim_id() == 2
    assert history.claim_label.text().startswith("Claim 2:")
    assert history.list_stack.currentWidget() is history.empty_label

    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)  # undoes the credibility on claim 1, going back to it
    assert window.table.current_claim_id() == 1
    assert shown(history)[0] == ("ana", "Claim credibility: 2, probably true → not graded")
    assert len(shown(history)) == 3


def test_the_detail_shows_a_whole_rationale_and_copy_gives_the_lines(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    rationale = "Only the NIS says so.\nYonhap relays the briefing; no second origin yet."
    store = Store.open(sample_copy, reviewer="ben")
    try:
        store.set_review_field(1, "ben", ReviewField.RATIONALE, rationale)
        store.set_review_field(1, "ben", ReviewField.STATUS, "disputed")
    finally:
        store.close()
    window = make_window(sample_copy)
    history = open_history(window, qtbot)
    assert history.changes.currentItem() is history.changes.topLevelItem(0)
    assert history.detail.toPlainText() == ""  # the status line says it all

    qtbot.keyClick(history.changes, Qt.Key.Key_Down)
    assert history.changes.currentItem().text(2).startswith("Rationale written: “Only the NIS says so.")
    assert history.detail.toPlainText() == rationale

    QApplication.clipboard().setText("before")
    qtbot.keyClick(history.changes, Qt.Key.Key_C, CTRL)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].endswith(
        "\tben\tRationale written: “Only the NIS says so. Yonhap relays the briefing; no second…”"
    )
    assert copied[1:] == [
        "\t\tOnly the NIS says so.",
        "\t\tYonhap relays the briefing; no second origin yet.",
    ]


def test_changes_to_a_cited_source_show_unless_left_out(make_window, sample_copy, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy, reviewer="ana")
    try:
        nhk = store.find_source("NHK")
        assert nhk is not None and nhk.id is not None
        store.apply(RenameSource(nhk.id, "NHK World"), "ana")
    finally:
        store.close()
    window = make_window(sample_copy)
    window.go_to_claim.go_to(11)  # cites NHK
    history = open_history(window, qtbot)
    assert shown(history) == [("ana", "Source renamed: NHK → NHK World")]
    assert history.changes.topLevelItem(0).font(2).italic()

    qtbot.mouseClick(history.sources_box, Qt.MouseButton.LeftButton)
    assert not history.sources_box.isChecked()
    assert history.list_stack.currentWidget() is history.empty_label
    assert history.empty_label.text() == "No changes to this claim yet: nobody has graded or edited it."

    other = tmp_path / "other.db"
    shutil.copyfile(sample_copy, other)
    assert window.open_file(other)  # another file: the history of this one goes with it
    qtbot.waitUntil(lambda: window.findChild(HistoryWindow) is None)


def test_the_right_click_menu_opens_the_history_of_the_claim_under_the_pointer(
    make_window, sample_copy, qtbot
):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    table = window.table
    where = table.visualRect(table.model().index(4, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=where)
    seen = when_menu_opens(
        lambda menu: next(a for a in menu.actions() if a.text() == "Claim &history…").trigger()
    )
    ask_for_context_menu(table.viewport(), where)
    assert "Claim &history…" in seen
    qtbot.waitUntil(lambda: window.findChild(HistoryWindow) is not None, timeout=20_000)
    history = window.findChild(HistoryWindow)
    qtbot.waitUntil(history.isVisible)
    assert history.claim_label.text().startswith("Claim 5:")
    # Once installed, the real entry (not the stand-in) is what the menu offers next time.
    again = when_menu_opens(lambda menu: menu.close())
    ask_for_context_menu(table.viewport(), where)
    assert again.count("Claim &history…") == 1


def test_changes_that_arrive_with_a_relisting_show(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    history = open_history(window, qtbot)
    assert history.list_stack.currentWidget() is history.empty_label
    # What merging a colleague's copy does: their change-log rows arrive, and the table lists again.
    with sqlite3.connect(sample_copy) as conn:
        conn.execute(
            "INSERT INTO change_log (at, reviewer, claim_id, field, old_value, new_value) "
            "VALUES ('2026-03-01T10:00:00Z', 'eve', 1, 'review.status', 'unreviewed', 'reviewed')"
        )
    window.model.reload()
    assert shown(history) == [("eve", "Status: unreviewed → reviewed")]


def test_the_history_link_under_the_review_opens_it(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.go_to_claim.go_to(3)
    assert "history</a> (Ctrl+H)" in window.detail.provenance_label.text()
    window.detail.provenance_label.linkActivated.emit("history")  # what a click on the link sends
    qtbot.waitUntil(lambda: window.findChild(HistoryWindow) is not None, timeout=20_000)
    history = window.findChild(HistoryWindow)
    qtbot.waitUntil(history.isVisible)
    assert history.claim_label.text().startswith("Claim 3:")
