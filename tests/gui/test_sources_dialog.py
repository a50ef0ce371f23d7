"""The Sources view: each correction is saved to the file at once and Ctrl+Z takes it back."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from desktop.core.model import Source
from desktop.core.vocabulary import SourceKind
from desktop.ui import long_edits
from desktop.ui.main_window import MainWindow
from desktop.ui.sources_dialog import COL_CLAIMS, COL_NAME, MergeDialog, SourcesDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def stored(path: Path, sql: str, *params: object) -> list[tuple]:  # type: ignore[type-arg]
    """Read the saved file through its own connection, as another program would."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def source_row(path: Path, source_id: int) -> tuple:  # type: ignore[type-arg]
    rows = stored(
        path,
        "SELECT name, kind, url, notes, default_reliability, reliability_rationale FROM sources WHERE id = ?",
        source_id,
    )
    return rows[0] if rows else ()


def aliases(path: Path, source_id: int) -> list[str]:
    return [
        r[0]
        for r in stored(
            path, "SELECT alias FROM source_aliases WHERE source_id = ? ORDER BY alias", source_id
        )
    ]


def open_sources(qtbot, window: MainWindow) -> SourcesDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.table, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(SourcesDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=20_000)
    return dialog


def pick(qtbot, dialog: SourcesDialog, name: str) -> int:  # type: ignore[no-untyped-def]
    """Put the cursor on a source by typing in the filter, then come back to the table."""
    dialog.filter_edit.setFocus()
    qtbot.keyClicks(dialog.filter_edit, name)
    assert dialog.model.rowCount() >= 1
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.record(r).source.name == name)
    dialog.table.setCurrentIndex(dialog.model.index(row, COL_NAME))
    source_id = dialog.current_source_id()
    assert source_id is not None and dialog.name_edit.text() == name
    return source_id


def activate(qtbot, dialog: SourcesDialog) -> None:  # type: ignore[no-untyped-def]
    """Make the Sources window the active one again (the offscreen platform does not after a modal)."""
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=20_000)


def undo(qtbot, dialog: SourcesDialog) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, dialog)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, CTRL)


def when_modal(kind: type[QWidget], handle: Callable[[QWidget], None]) -> None:
    """Run `handle` on the next modal window of this kind once it is up (a modal exec blocks the test)."""

    def poll(tries_left: int) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            handle(modal)
        elif tries_left:
            QTimer.singleShot(10, lambda: poll(tries_left - 1))

    QTimer.singleShot(0, lambda: poll(300))


@pytest.fixture
def sources(qtbot, make_window, sample_copy: Path) -> tuple[MainWindow, SourcesDialog]:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    return window, open_sources(qtbot, window)


def test_lists_every_source_and_filters_by_name_or_kind(qtbot, sources) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    assert dialog.model.rowCount() == len(window.store.list_sources()) == dialog.model.total()
    names = [dialog.model.record(r).source.name for r in range(dialog.model.rowCount())]
    assert "Yonhap" in names and "National Intelligence Service (NIS)" in names
    qtbot.keyClicks(dialog.filter_edit, "wire agency")  # a kind label matches too
    assert [dialog.model.record(r).source.name for r in range(dialog.model.rowCount())] == ["Yonhap"]
    assert dialog.name_edit.text() == "Yonhap"
    assert "relays others" in dialog.caveat_label.text()
    qtbot.keyClicks(dialog.filter_edit, " nothing like this")
    assert dialog.model.rowCount() == 0
    assert dialog.empty_label.isVisible() and "No source matches" in dialog.empty_label.text()
    assert not dialog.name_edit.isEnabled()


def test_sorting_by_a_count_column(qtbot, sources) -> None:  # type: ignore[no-untyped-def]
    _, dialog = sources
    dialog.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # claims
    counts = [dialog.model.record(r).track.claims for r in range(dialog.model.rowCount())]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3


def test_rename_by_keyboard_then_undo(qtbot, sources, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    source_id = pick(qtbot, dialog, "NHK")
    dialog.name_edit.setFocus()
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "NHK World")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert source_row(sample_copy, source_id)[0] == "NHK World"
    assert dialog.title_label.text() == "NHK World"
    assert "renamed “NHK” to “NHK World”" in dialog.history_list.item(0).text()
    assert "NHK World" in window.undo_stack.undoText()
    undo(qtbot, dialog)
    assert source_row(sample_copy, source_id)[0] == "NHK"
    assert dialog.name_edit.text() == "NHK"


def test_kind_by_keyboard_shows_its_caveat_then_undo(qtbot, sources, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    _, dialog = sources
    source_id = pick(qtbot, dialog, "Ukrainians")
    assert source_row(sample_copy, source_id)[1] == SourceKind.COLLECTIVE.value
    dialog.kind_combo.setFocus()
    qtbot.keyClicks(dialog.kind_combo, "party")  # keyboard search picks "party to a conflict"
    assert source_row(sample_copy, source_id)[1] == SourceKind.PARTY_TO_CONFLICT.value
    assert SourceKind.PARTY_TO_CONFLICT.caveat in dialog.caveat_label.text()
    undo(qtbot, dialog)
    assert source_row(sample_copy, source_id)[1] == SourceKind.COLLECTIVE.value
    assert dialog.kind_combo.currentData() == SourceKind.COLLECTIVE.value


def test_default_reliability_and_rationale_then_undo_each(qtbot, sources, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    _, dialog = sources
    source_id = pick(qtbot, dialog, "Yonhap")
    before = source_row(sample_copy, source_id)
    assert before[4] is None
    dialog.reliability_combo.setFocus()
    qtbot.keyClicks(dialog.reliability_combo, "B")
    assert source_row(sample_copy, source_id)[4:] == ("B", "")
    qtbot.mouseClick(dialog.rationale_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.rationale_edit, "Long record as a wire service")
    qtbot.keyClick(dialog.rationale_edit, Qt.Key.Key_Tab)  # leaving the field saves it
    assert source_row(sample_copy, source_id)[4:] == ("B", "Long record as a wire service")
    assert dialog.model.record(dialog.table.currentIndex().row()).default_reliability == "B"
    undo(qtbot, dialog)
    assert source_row(sample_copy, source_id)[4:] == ("B", "")
    undo(qtbot, dialog)
    assert source_row(sample_copy, source_id) == before
    assert dialog.reliability_combo.currentData() is None and dialog.rationale_edit.toPlainText() == ""


def test_address_is_checked_and_saved_with_notes(qtbot, sources, sample_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, dialog = sources
    source_id = pick(qtbot, dialog, "NHK")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    dialog.url_edit.setFocus()
    qtbot.keyClicks(dialog.url_edit, "nhk dot jp")
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert warnings and "http" in warnings[0]
    assert source_row(sample_copy, source_id)[2] is None
    assert dialog.url_edit.text() == ""  # the refused address is not left looking saved
    qtbot.keyClicks(dialog.url_edit, "https://www3.nhk.or.jp/")
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert source_row(sample_copy, source_id)[2] == "https://www3.nhk.or.jp/"


def test_alias_added_by_keyboard_and_removed_with_delete_each_undoable(
    qtbot, sources, sample_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    source_id = pick(qtbot, dialog, "National Intelligence Service (NIS)")
    dialog.alias_edit.setFocus()
    qtbot.keyClicks(dialog.alias_edit, "South Korean spy agency")
    qtbot.keyClick(dialog.alias_edit, Qt.Key.Key_Return)
    assert aliases(sample_copy, source_id) == ["South Korean spy agency"]
    assert dialog.alias_edit.text() == ""
    assert window.store.find_source("south korean SPY agency").id == source_id
    dialog.alias_list.setFocus()
    dialog.alias_list.setCurrentRow(0)
    qtbot.keyClick(dialog.alias_list, Qt.Key.Key_Delete)
    assert aliases(sample_copy, source_id) == []
    undo(qtbot, dialog)
    assert aliases(sample_copy, source_id) == ["South Korean spy agency"]
    undo(qtbot, dialog)
    assert aliases(sample_copy, source_id) == []


def hops_of(path: Path, source_id: int) -> list[tuple]:  # type: ignore[type-arg]
    return stored(
        path,
        "SELECT claim_id, chain, position FROM chain_hops WHERE source_id = ? ORDER BY 1, 2, 3",
        source_id,
    )


def merge_setup(window: MainWindow) -> int:
    """A second entry for NHK, as an import under its full name would leave it."""
    kept = window.store.ensure_source(Source("Japan Broadcasting Corporation", SourceKind.OUTLET))
    window.reload_claims()
    assert kept.id is not None
    return kept.id


def test_merge_by_mouse_names_both_and_undo_separates_them(qtbot, make_window, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    keep_id = merge_setup(window)
    dialog = open_sources(qtbot, window)
    merged_id = pick(qtbot, dialog, "NHK")
    nhk_hops = hops_of(sample_copy, merged_id)
    assert len(nhk_hops) == 2
    asked: list[str] = []

    def choose(modal: QWidget) -> None:
        assert isinstance(modal, MergeDialog)
        row = next(r for r in range(modal.list.count()) if modal.list.item(r).text().startswith("Japan"))
        rect = modal.list.visualItemRect(modal.list.item(row))
        qtbot.mouseClick(modal.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        when_modal(QMessageBox, confirm)
        qtbot.mouseClick(modal.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text() + " " + box.informativeText())
        merge = next(b for b in box.buttons() if b.text().replace("&", "") == "Merge")
        qtbot.mouseClick(merge, Qt.MouseButton.LeftButton)

    when_modal(MergeDialog, choose)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert asked and "“NHK”" in asked[0] and "“Japan Broadcasting Corporation”" in asked[0]
    assert "2 claims" in asked[0]
    assert source_row(sample_copy, merged_id) == ()
    assert aliases(sample_copy, keep_id) == ["NHK"]
    assert hops_of(sample_copy, keep_id) == nhk_hops
    assert dialog.current_source_id() == keep_id
    assert window.store.find_source("nhk").id == keep_id

    undo(qtbot, dialog)
    assert source_row(sample_copy, merged_id)[0] == "NHK"
    assert aliases(sample_copy, keep_id) == []
    assert hops_of(sample_copy, merged_id) == nhk_hops


def test_merge_by_keyboard(qtbot, make_window, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    keep_id = merge_setup(window)
    dialog = open_sources(qtbot, window)
    merged_id = pick(qtbot, dialog, "NHK")
    dialog.table.setFocus()

    def choose(modal: QWidget) -> None:
        assert isinstance(modal, MergeDialog)
        qtbot.keyClicks(modal.filter_edit, "japan")
        when_modal(QMessageBox, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))
        qtbot.keyClick(modal.filter_edit, Qt.Key.Key_Return)

    when_modal(MergeDialog, choose)
    # Alt+M is the button's mnemonic; a mnemonic presses its button a moment later (animated click).
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: source_row(sample_copy, merged_id) == (), timeout=20_000)
    assert aliases(sample_copy, keep_id) == ["NHK"]
    undo(qtbot, dialog)
    assert source_row(sample_copy, merged_id)[0] == "NHK"


def test_cancelled_merge_changes_nothing(qtbot, sources, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    source_id = pick(qtbot, dialog, "NHK")
    when_modal(MergeDialog, lambda modal: qtbot.keyClick(modal.filter_edit, Qt.Key.Key_Escape))
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert source_row(sample_copy, source_id)[0] == "NHK"
    assert window.undo_stack.count() == 0


def test_closing_the_file_closes_the_view(qtbot, sources) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    assert dialog.isVisible()
    action = next(a for a in window.view_menu.actions() if a.text() == "&Sources…")
    assert action.isEnabled()
    window._close_store()
    assert not dialog.isVisible()
    assert not action.isEnabled()


def test_grades_given_wait_for_refresh_and_f5_reads_them(qtbot, sources) -> None:  # type: ignore[no-untyped-def]
    window, dialog = sources
    yonhap_id = pick(qtbot, dialog, "Yonhap")
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    window.table.go_to_claim(2)  # cites Yonhap
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert window.store.review(2, "ana").reliability == "B"
    assert "Refresh (F5)" in dialog.count_label.text()
    activate(qtbot, dialog)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not dialog.counting, timeout=20_000)
    assert "Refresh" not in dialog.count_label.text()
    assert dialog.current_source_id() == yonhap_id
    assert dialog.model.record(dialog.table.currentIndex().row()).track.reliability == {"B": 1}


def test_track_records_are_counted_in_the_background_and_fill_in(qtbot, make_window, sample_copy) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    dialog = SourcesDialog(window)  # the count's result can only arrive through the event loop
    qtbot.addWidget(dialog)
    row = dialog.model.row_of(window.store.find_source("Yonhap").id)
    assert row is not None
    claims_cell = dialog.model.index(row, COL_CLAIMS)
    assert dialog.counting and "counting" in dialog.count_label.text()
    assert claims_cell.data() == "…"
    assert dialog.model.index(row, 0).data() == "Yonhap"  # names are there at once
    assert "Counting" in dialog.track_label.text()  # no "in 0 claims" before it is known

    qtbot.waitUntil(lambda: not dialog.counting, timeout=20_000)
    expected = window.store.source_record(window.store.find_source("Yonhap").id).track
    assert expected.claims > 0
    assert dialog.model.index(row, COL_CLAIMS).data() == str(expected.claims)
    assert "counting" not in dialog.count_label.text()
    assert "Counting" not in dialog.track_label.text() and "claims" in dialog.track_label.text()


class HeldSaves:
    """Store.apply as the window's worker thread calls it: which thread saved, and a hold until released.

    Only saves given `cancelled` (the background ones) are watched; the rest go straight through.
    """

    def __init__(self, monkeypatch, *, hold: bool) -> None:  # type: ignore[no-untyped-def]
        from desktop.store import Store

        self.threads: list[threading.Thread] = []
        self.release = threading.Event()
        if not hold:
            self.release.set()
        real = Store.apply

        def apply(store, edit, reviewer, *, cancelled=None):  # type: ignore[no-untyped-def]
            if cancelled is not None:
                self.threads.append(threading.current_thread())
                deadline = time.monotonic() + 10  # a failed test must not leave the worker waiting
                while not (self.release.is_set() or cancelled()) and time.monotonic() < deadline:
                    time.sleep(0.005)
            return real(store, edit, reviewer, cancelled=cancelled)

        monkeypatch.setattr(Store, "apply", apply)


def nhk_to_merge(qtbot, make_window, path: Path) -> tuple[MainWindow, SourcesDialog, int, int]:  # type: ignore[no-untyped-def]
    """A window on `path` with a second entry for NHK, its Sources view on NHK: (window, view, kept, merged)."""
    window = make_window(path)
    keep_id = merge_setup(window)
    dialog = open_sources(qtbot, window)
    return window, dialog, keep_id, pick(qtbot, dialog, "NHK")


def merge_state(path: Path, merged_id: int, keep_id: int) -> tuple[object, ...]:
    """What a merge of `merged_id` into `keep_id` changes: the merged source, its hops, the kept one's aliases."""
    return (source_row(path, merged_id), hops_of(path, merged_id), aliases(path, keep_id))


def start_keyboard_merge(qtbot, dialog: SourcesDialog) -> None:  # type: ignore[no-untyped-def]
    """Merge the selected source into Japan Broadcasting Corporation, choosing and confirming by keys."""

    def choose(modal: QWidget) -> None:
        qtbot.keyClicks(modal.filter_edit, "japan")
        when_modal(QMessageBox, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))
        qtbot.keyClick(modal.filter_edit, Qt.Key.Key_Return)

    when_modal(MergeDialog, choose)
    dialog.table.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)


def test_a_long_merge_and_its_undo_are_saved_off_the_window_thread(
    qtbot, make_window, sample_copy: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(long_edits, "BACKGROUND_EDIT_CLAIMS", 1)  # NHK's two claims count as many
    saves = HeldSaves(monkeypatch, hold=False)
    window, dialog, keep_id, merged_id = nhk_to_merge(qtbot, make_window, sample_copy)
    nhk_hops = hops_of(sample_copy, merged_id)

    start_keyboard_merge(qtbot, dialog)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=20_000)
    assert source_row(sample_copy, merged_id) == ()
    assert hops_of(sample_copy, keep_id) == nhk_hops and aliases(sample_copy, keep_id) == ["NHK"]
    assert dialog.current_source_id() == keep_id  # the view follows once the merge is saved
    assert len(saves.threads) == 1 and saves.threads[0] is not threading.main_thread()

    undo(qtbot, dialog)
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0, timeout=20_000)
    assert source_row(sample_copy, merged_id)[0] == "NHK"
    assert hops_of(sample_copy, merged_id) == nhk_hops and aliases(sample_copy, keep_id) == []
    assert len(saves.threads) == 2 and saves.threads[1] is not threading.main_thread()


def test_cancel_while_a_long_merge_is_saved_leaves_the_file_and_history_as_they_were(
    qtbot, make_window, sample_copy: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(long_edits, "BACKGROUND_EDIT_CLAIMS", 1)
    saves = HeldSaves(monkeypatch, hold=True)  # the save waits until Cancel is pressed
    window, dialog, keep_id, merged_id = nhk_to_merge(qtbot, make_window, sample_copy)
    before = merge_state(sample_copy, merged_id, keep_id)

    start_keyboard_merge(qtbot, dialog)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QProgressDialog), timeout=20_000)
    progress = QApplication.activeModalWidget()
    assert progress.labelText().startswith("Merging sources")
    qtbot.waitUntil(lambda: bool(saves.threads), timeout=20_000)  # the worker has started, and waits
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage(), timeout=20_000)
    assert merge_state(sample_copy, merged_id, keep_id) == before
    assert window.undo_stack.count() == 0
    assert not progress.isVisible()


def test_a_long_merge_the_file_has_no_room_for_is_kept_pending_and_retried(
    qtbot, make_window, sample_copy: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.store import Store

    monkeypatch.setattr(long_edits, "BACKGROUND_EDIT_CLAIMS", 1)
    real_worker = Store.worker_connection

    def full_disk_worker(store: Store) -> Store:
        worker = real_worker(store)
        worker.set_max_page_count_for_tests(1)  # no page more than the file has now
        return worker

    monkeypatch.setattr(Store, "worker_connection", full_disk_worker)
    window, dialog, keep_id, merged_id = nhk_to_merge(qtbot, make_window, sample_copy)
    before = merge_state(sample_copy, merged_id, keep_id)

    start_keyboard_merge(qtbot, dialog)
    bar = window.safety.pending_bar
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=20_000)
    assert "1 edit not saved" in bar.label.text() and "Merge sources" in bar.label.text()
    assert merge_state(sample_copy, merged_id, keep_id) == before
    assert window.undo_stack.count() == 0
    if window.safety.dialog is not None:
        window.safety.dialog.close()

    monkeypatch.setattr(Store, "worker_connection", real_worker)  # room again
    qtbot.mouseClick(bar.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    assert source_row(sample_copy, merged_id) == () and aliases(sample_copy, keep_id) == ["NHK"]
    assert window.undo_stack.count() == 1


def test_on_a_wide_screen_the_list_shows_every_column_whole(
    qtbot, make_window, sample_copy, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 2400, 1300))
    dialog = open_sources(qtbot, make_window(sample_copy))
    assert dialog.width() <= 2400
    assert dialog.table.horizontalHeader().length() <= dialog.table.viewport().width()
    assert dialog.table.horizontalScrollBar().maximum() == 0


def test_on_a_narrow_screen_the_list_keeps_names_readable_and_scrolls(qtbot, sources) -> None:  # type: ignore[no-untyped-def]
    _window, dialog = sources  # the offscreen screen is 800 pixels wide
    assert dialog.table.columnWidth(COL_NAME) >= dialog.table.fontMetrics().averageCharWidth() * 30
    assert dialog.table.horizontalScrollBar().maximum() > 0
