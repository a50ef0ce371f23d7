"""Chains, evidence and filters in the real window: keys and clicks, the file read back, undo of each."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from qt_waits import when_dialog_opens

from desktop.core.vocabulary import SourceKind
from desktop.ui.chain_editor import HopDialog
from desktop.ui.claims_model import COL_ORIGINS
from desktop.ui.evidence_panel import EvidenceDialog


def chain_rows(path: Path, claim_id: int) -> list[tuple]:
    """(chain, position, source name, relation, is_origin) of a claim, as stored."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT h.chain, h.position, s.name, h.relation, h.is_origin FROM chain_hops h "
            "JOIN sources s ON s.id = h.source_id WHERE h.claim_id = ? ORDER BY h.chain, h.position",
            [claim_id],
        ).fetchall()


def evidence_rows(path: Path, claim_id: int) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT s.name, e.stance, o.name, e.url, e.date, e.excerpt FROM evidence e "
            "JOIN sources s ON s.id = e.source_id LEFT JOIN sources o ON o.id = e.origin_source_id "
            "WHERE e.claim_id = ? ORDER BY e.id",
            [claim_id],
        ).fetchall()


def log_fields(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT field FROM change_log ORDER BY id")]


def reactivate(qtbot, window) -> None:
    """The offscreen platform does not hand activation back to the window after a dialog closes."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)


def undo(qtbot, window) -> None:
    reactivate(qtbot, window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window) -> None:
    window.table.setFocus()
    qtbot.keyClick(
        window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )


def test_adding_a_hop_by_keyboard_then_moving_and_removing_it_each_undoable(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(1)
    original = chain_rows(sample_copy, 1)
    hops = window.detail.chain_editor.hop_list
    hops.setFocus()

    def type_new_source(dialog: QDialog) -> None:
        assert isinstance(dialog, HopDialog)
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Government briefing of 3 May")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(SourceKind.GOVERNMENT.value))
        dialog.relation_combo.setFocus()
        qtbot.keyClicks(dialog.relation_combo, "based")  # keyboard search in the combo
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_dialog_opens(HopDialog, type_new_source)
    qtbot.keyClick(hops, Qt.Key.Key_Insert)
    added = chain_rows(sample_copy, 1)
    assert added == [
        *original,
        (0, 1, "Government briefing of 3 May", "based_on_unnamed_sources", 0),
    ]
    assert hops.count() == 2

    # The new hop is selected; Alt+Up moves it toward the article and the selection follows it.
    assert hops.currentRow() == 1
    reactivate(qtbot, window)
    assert hops.hasFocus()  # focus came back to the hop list after the dialog
    qtbot.keyClick(hops, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    moved = chain_rows(sample_copy, 1)
    assert [row[2] for row in moved] == ["Government briefing of 3 May", original[0][2]]
    assert hops.currentRow() == 0

    qtbot.keyClick(hops, Qt.Key.Key_Delete)
    assert chain_rows(sample_copy, 1) == original
    assert log_fields(sample_copy)[-4:] == [
        "source.create",
        "chain.add_hop",
        "chain.move_hop",
        "chain.remove_hop",
    ]

    undo(qtbot, window)
    assert chain_rows(sample_copy, 1) == moved
    undo(qtbot, window)
    assert chain_rows(sample_copy, 1) == added
    undo(qtbot, window)
    assert chain_rows(sample_copy, 1) == original
    # The source typed for the hop was stored with it, and goes and comes back with it.
    assert window.store.find_source("Government briefing of 3 May") is None
    redo(qtbot, window)
    assert chain_rows(sample_copy, 1) == added
    briefing = window.store.find_source("Government briefing of 3 May")
    assert briefing is not None and briefing.kind is SourceKind.GOVERNMENT


def test_marking_the_origin_and_changing_a_relation_with_the_mouse(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(2)  # Yonhap reports, according to the NIS (marked origin)
    editor = window.detail.chain_editor
    before = chain_rows(sample_copy, 2)
    assert [row[4] for row in before] == [0, 1]

    editor.hop_list.setCurrentRow(0)
    assert editor.origin_button.text().replace("&", "") == "Mark origin"
    qtbot.mouseClick(editor.origin_button, Qt.MouseButton.LeftButton)
    assert [row[4] for row in chain_rows(sample_copy, 2)] == [1, 0]

    editor.relation_combo.setCurrentIndex(editor.relation_combo.findData("interprets"))
    editor.relation_combo.activated.emit(editor.relation_combo.currentIndex())
    assert chain_rows(sample_copy, 2)[0][3] == "interprets"

    undo(qtbot, window)
    assert chain_rows(sample_copy, 2)[0][3] == "reports"
    undo(qtbot, window)
    assert chain_rows(sample_copy, 2) == before


def test_evidence_from_the_claims_own_origin_warns_and_an_independent_item_counts(
    make_window, sample_copy, qtbot
):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(1)  # according to the NIS
    panel = window.detail.evidence_panel
    assert "No evidence yet" in panel.empty_label.text() and panel.empty_label.isVisible()

    def relay_of_the_nis(dialog: QDialog) -> None:
        assert isinstance(dialog, EvidenceDialog)
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Seoul Morning Wire")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(SourceKind.NEWS_AGENCY.value))
        dialog.origin_picker.lineEdit().clear()
        qtbot.keyClicks(dialog.origin_picker.lineEdit(), "National Intelligence Service (NIS)")
        qtbot.keyClicks(dialog.url_edit, "https://example.org/wire/114")
        qtbot.keyClicks(dialog.date_edit, "2025-02-03")
        qtbot.keyClicks(dialog.excerpt_edit, "Citing the intelligence service, the wire repeats the finding.")
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)

    when_dialog_opens(EvidenceDialog, relay_of_the_nis)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert evidence_rows(sample_copy, 1) == [
        (
            "Seoul Morning Wire",
            "corroborates",
            "National Intelligence Service (NIS)",
            "https://example.org/wire/114",
            "2025-02-03",
            "Citing the intelligence service, the wire repeats the finding.",
        )
    ]
    summary = panel.summary_label.text()
    assert "0 independent origins" in summary
    assert "Circular reporting" in summary and "National Intelligence Service (NIS)" in summary
    assert window.model.index(0, COL_ORIGINS).data() == "0 / 1  ⚠"

    def independent_outlet(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Frontline Monitor")
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)

    when_dialog_opens(EvidenceDialog, independent_outlet)
    panel.add_button.setFocus()
    qtbot.keyClick(panel.add_button, Qt.Key.Key_Space)
    assert [row[0] for row in evidence_rows(sample_copy, 1)] == ["Seoul Morning Wire", "Frontline Monitor"]
    assert "1 independent origin" in panel.summary_label.text()
    assert "Suggested credibility: <b>1" in panel.summary_label.text()
    assert window.model.index(0, COL_ORIGINS).data() == "1 / 2  ⚠"

    undo(qtbot, window)
    assert [row[0] for row in evidence_rows(sample_copy, 1)] == ["Seoul Morning Wire"]
    undo(qtbot, window)
    assert evidence_rows(sample_copy, 1) == []
    assert window.model.index(0, COL_ORIGINS).data() == "–"
    # The two new sources were stored with their items, and went with them.
    assert log_fields(sample_copy)[-8:] == [
        "source.create",
        "evidence.add",
        "source.create",
        "evidence.add",
        "evidence.remove",
        "source.delete",
        "evidence.remove",
        "source.delete",
    ]
    assert window.store.find_source("Seoul Morning Wire") is None
    assert window.store.find_source("Frontline Monitor") is None


def test_an_invalid_date_is_explained_in_the_dialog_and_nothing_is_saved(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(6)
    seen: list[str] = []

    def wrong_date(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Frontline Monitor")
        qtbot.keyClicks(dialog.date_edit, "3 May")
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
        seen.append(dialog.error_label.text())
        assert dialog.isVisible()
        assert dialog.focusWidget() is dialog.date_edit  # back in the field to put right
        assert dialog.date_edit.selectedText() == "3 May"
        when_dialog_opens(QMessageBox, lambda box: answer(box, "&Discard"))
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Escape)

    when_dialog_opens(EvidenceDialog, wrong_date)
    qtbot.mouseClick(window.detail.evidence_panel.add_button, Qt.MouseButton.LeftButton)
    assert seen and "date" in seen[0].lower()
    assert evidence_rows(sample_copy, 6) == []


def answer(box: QMessageBox, label: str) -> None:
    [button] = [b for b in box.buttons() if b.text() == label]
    button.click()


def test_escape_asks_before_throwing_away_a_typed_excerpt(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(6)
    outcome: list[str] = []

    def type_then_escape_twice(dialog: QDialog) -> None:
        assert isinstance(dialog, EvidenceDialog)
        qtbot.keyClicks(dialog.excerpt_edit, "Two weeks of satellite images show no such camp.")
        questions: list[str] = []

        def keep_editing(box: QMessageBox) -> None:
            questions.append((box.text(), box.informativeText()))
            answer(box, "&Keep editing")

        when_dialog_opens(QMessageBox, keep_editing)
        qtbot.keyClick(dialog.excerpt_edit, Qt.Key.Key_Escape)
        assert questions == [("Discard this evidence?", "What you typed in this form is not saved yet.")]
        assert dialog.isVisible()
        assert dialog.excerpt_edit.toPlainText() == "Two weeks of satellite images show no such camp."
        when_dialog_opens(QMessageBox, lambda box: answer(box, "&Discard"))
        qtbot.keyClick(dialog.excerpt_edit, Qt.Key.Key_Escape)
        outcome.append("visible" if dialog.isVisible() else "closed")

    when_dialog_opens(EvidenceDialog, type_then_escape_twice)
    qtbot.mouseClick(window.detail.evidence_panel.add_button, Qt.MouseButton.LeftButton)
    assert outcome == ["closed"]
    assert evidence_rows(sample_copy, 6) == []


def test_escape_closes_an_untouched_form_at_once(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(6)
    outcome: list[object] = []

    def escape(dialog: QDialog) -> None:
        qtbot.keyClick(dialog.source_picker, Qt.Key.Key_Escape)
        outcome.append((dialog.isVisible(), QApplication.activeModalWidget() is dialog))

    when_dialog_opens(EvidenceDialog, escape)
    qtbot.mouseClick(window.detail.evidence_panel.add_button, Qt.MouseButton.LeftButton)
    assert outcome == [(False, False)]  # closed, and no question was asked


def test_filter_bar_narrows_the_table_in_sql_and_clears(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    bar = window.filter_bar
    shown = lambda: [window.model.claim_id(row) for row in range(window.model.rowCount())]  # noqa: E731

    bar.kind_combo.setCurrentIndex(bar.kind_combo.findText(SourceKind.ARTICLE.label))
    assert shown() == [4, 5, 8, 9, 13, 14]  # the unattributed claims
    assert "showing 6 of 15" in window.progress_label.text()

    bar.clear()
    bar.source_combo.reload()
    nhk = bar.source_combo.findText("NHK")
    bar.source_combo.setCurrentIndex(nhk)
    assert shown() == [11, 12]
    assert window.current_query().source_ids

    window.table.go_to_claim(11)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_C)
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    bar.clear()
    bar.reliability_combo.setCurrentIndex(bar.reliability_combo.findText("C", Qt.MatchFlag.MatchStartsWith))
    assert shown() == [11]
    bar.reliability_combo.setCurrentIndex(bar.reliability_combo.findText("Not graded"))
    assert 11 not in shown() and len(shown()) == 14

    bar.clear()
    assert shown() == list(range(1, 16))


def media_row(path: Path, claim_id: int) -> tuple | None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT s.name, m.credit_is_origin, m.original_known, m.mediareview_rating FROM media m "
            "LEFT JOIN sources s ON s.id = m.credited_to_source_id WHERE m.claim_id = ?",
            [claim_id],
        ).fetchone()


def test_media_provenance_shows_for_the_photo_only_and_saves_undoably(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    detail = window.detail
    window.table.go_to_claim(1)
    assert detail.media_box.isHidden()  # a statement, not a picture
    window.table.go_to_claim(3)  # the photo credited to an X account
    assert not detail.media_box.isHidden()
    panel = detail.media_panel
    qtbot.mouseClick(panel.origin_no, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.original_edit, "Earliest copy found on a Telegram channel a day before.")
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("DecontextualizedContent"))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert media_row(sample_copy, 3) == (
        "X account @polymarketintel",
        0,
        "Earliest copy found on a Telegram channel a day before.",
        "DecontextualizedContent",
    )
    undo(qtbot, window)
    assert media_row(sample_copy, 3) is None
    redo(qtbot, window)
    assert media_row(sample_copy, 3) is not None


def test_a_new_origin_gets_its_own_kind_and_known_names_ask_for_none(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.go_to_claim(1)
    panel = window.detail.evidence_panel
    seen: dict[str, bool] = {}

    def wire_relaying_a_new_ministry(dialog: QDialog) -> None:
        assert isinstance(dialog, EvidenceDialog)
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Yonhap")  # already in the file
        seen["known source asks kind"] = dialog.kind_combo.isEnabled()
        dialog.source_picker.lineEdit().clear()
        qtbot.keyClicks(dialog.source_picker.lineEdit(), "Harbour Wire Service")
        seen["new source asks kind"] = dialog.kind_combo.isEnabled()
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(SourceKind.NEWS_AGENCY.value))
        dialog.origin_picker.lineEdit().clear()
        qtbot.keyClicks(dialog.origin_picker.lineEdit(), "Ministry of Harbours")
        seen["new origin asks kind"] = dialog.origin_kind_combo.isEnabled()
        dialog.origin_kind_combo.setCurrentIndex(
            dialog.origin_kind_combo.findData(SourceKind.GOVERNMENT.value)
        )
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)

    when_dialog_opens(EvidenceDialog, wire_relaying_a_new_ministry)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert seen == {
        "known source asks kind": False,
        "new source asks kind": True,
        "new origin asks kind": True,
    }
    conn = sqlite3.connect(f"file:{sample_copy}?mode=ro", uri=True)
    try:
        kinds = dict(
            conn.execute(
                "SELECT name, kind FROM sources WHERE name IN ('Harbour Wire Service', 'Ministry of Harbours')"
            ).fetchall()
        )
    finally:
        conn.close()
    assert kinds == {"Harbour Wire Service": "news_agency", "Ministry of Harbours": "government"}
