"""Importing an article through the window: the proposal dialog driven by keyboard, as a reviewer would."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.io.extract import propose, read_article
from desktop.ui.proposals_dialog import (
    Decision,
    PasteArticleDialog,
    ProposalsDialog,
    SourceFixDialog,
)
from desktop.ui.wording_dialog import WordingDialog

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
HARBOUR = ARTICLES / "harbour-strike.txt"
CTRL = Qt.KeyboardModifier.ControlModifier


def _action(window, text: str):
    return next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text)


def _open_article(window, qtbot, monkeypatch, path: Path = HARBOUR) -> ProposalsDialog:
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), "")
    )
    _action(window, "Import article…").trigger()
    qtbot.waitUntil(lambda: window.findChild(ProposalsDialog) is not None, timeout=20_000)
    dialog = window.findChild(ProposalsDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=20_000)
    return dialog


def _child(parent, kind, qtbot):
    qtbot.waitUntil(lambda: parent.findChild(kind) is not None and parent.findChild(kind).isVisible())
    child = parent.findChild(kind)
    child.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is child, timeout=20_000)
    return child


def test_import_entries_follow_the_open_file(make_window, sample_copy):
    window = make_window()
    assert not _action(window, "Import article…").isEnabled()
    assert not _action(window, "Paste article…").isEnabled()
    window.open_file(sample_copy)
    assert _action(window, "Import article…").isEnabled()
    assert _action(window, "Paste article…").isEnabled()


def closed(dialog: QWidget) -> bool:
    """Closed, or already deleted (the proposal dialog deletes itself once saved)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_accept_reject_edit_and_save_by_keyboard(make_window, sample_copy, qtbot, monkeypatch):
    window = make_window(sample_copy)
    before = window.store.count_claims()
    dialog = _open_article(window, qtbot, monkeypatch)
    expected = propose(read_article(HARBOUR))
    assert dialog.list.count() == len(expected)
    assert dialog.list.hasFocus() and dialog.list.currentRow() == 0

    qtbot.keyClick(dialog.list, Qt.Key.Key_A)  # accept the first, move on
    qtbot.keyClick(dialog.list, Qt.Key.Key_R)  # reject the second
    qtbot.keyClick(dialog.list, Qt.Key.Key_J)  # skip the third
    qtbot.keyClick(dialog.list, Qt.Key.Key_K)  # and back to it
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # skip it after all
    assert dialog.list.currentRow() == 3
    qtbot.keyClick(dialog.list, Qt.Key.Key_E)
    wording = _child(dialog, WordingDialog, qtbot)
    qtbot.keyClick(wording.wording_edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(wording.wording_edit, "The dispute started in March over a crane trial.")
    qtbot.keyClick(wording.wording_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not wording.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_A)
    assert dialog.decisions[:4] == [
        Decision.ACCEPTED,
        Decision.REJECTED,
        Decision.UNDECIDED,
        Decision.ACCEPTED,
    ]
    assert "2 accepted · 1 rejected" in dialog.counts.text()

    # Only the press: the dialog is disabled while it saves, so a release would reach a disabled list.
    qtbot.keyPress(dialog.list, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: closed(dialog), timeout=20_000)  # saved in the background, then closed
    store = window.store
    assert store.count_claims() == before + 2
    assert window.model.rowCount() == before + 2
    added = [store.claim_detail(claim_id) for claim_id in window.model.claim_ids()[-2:]]
    assert [claim.text for claim in added] == [
        expected[0].text,
        "The dispute started in March over a crane trial.",
    ]
    assert [claim.anchor for claim in added] == [expected[0].anchor, expected[3].anchor]
    assert added[0].unattributed and added[0].article_title == read_article(HARBOUR).title
    message = window.statusBar().currentMessage()
    assert message.startswith("Added 2 claims from ")
    assert message.endswith(
        "A backup from just before it is kept: File › Restore from backup… takes it back."
    )
    assert window.table.current_claim_id() == added[0].id


def test_fixing_the_source_of_a_pasted_article(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    _action(window, "Paste article…").trigger()
    paste = _child(window, PasteArticleDialog, qtbot)
    qtbot.keyClicks(paste.title, "Ferry news")
    paste.text.setFocus()
    qtbot.keyClicks(paste.text, "The harbour office said that 40 ferries were cancelled on Sunday.")
    qtbot.keyClick(paste.text, Qt.Key.Key_Return, CTRL)
    dialog = _child(window, ProposalsDialog, qtbot)
    assert dialog.proposals[0].chains[0][0].source.name == "Harbour office"

    qtbot.keyClick(dialog.list, Qt.Key.Key_S)
    fix = _child(dialog, SourceFixDialog, qtbot)
    picker = fix.rows[0].picker
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), "NHK")  # a source already in the file: its kind is kept
    assert not fix.rows[0].kind.isEnabled()
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    fix.accept()
    qtbot.waitUntil(lambda: not fix.isVisible())
    assert "NHK" in dialog.attribution.text()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_A)
    # Only the press: the dialog is disabled while it saves, so a release would reach a disabled list.
    qtbot.keyPress(dialog.list, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: closed(dialog), timeout=20_000)  # saved in the background, then closed
    claim = window.store.claim_detail(window.table.current_claim_id())
    assert claim.article_title == "Ferry news"
    assert [chain[0].source.name for chain in claim.chains] == ["NHK"]
    nhk = window.store.find_source("NHK")
    assert claim.chains[0][0].source.id == nhk.id


def test_save_with_nothing_accepted_says_why(make_window, sample_copy, qtbot, monkeypatch):
    window = make_window(sample_copy)
    before = window.store.count_claims()
    dialog = _open_article(window, qtbot, monkeypatch)
    qtbot.keyClick(dialog.list, Qt.Key.Key_R)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and "Accept at least one" in dialog.message.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_A)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # a plain Enter does not save
    assert dialog.isVisible()
    assert window.store.count_claims() == before


def test_escape_leaves_the_file_as_it_was(make_window, sample_copy, qtbot, monkeypatch, dump_content):
    window = make_window(sample_copy)
    window.close()
    before = dump_content(sample_copy)

    window = make_window(sample_copy)
    dialog = _open_article(window, qtbot, monkeypatch)
    qtbot.keyClick(dialog.list, Qt.Key.Key_A)
    asked: list[str] = []

    def answer(parent, title, text, *args):
        asked.append(title)
        return QMessageBox.StandardButton.Cancel if len(asked) == 1 else QMessageBox.StandardButton.Discard

    monkeypatch.setattr("desktop.ui.proposals_dialog.QMessageBox.question", answer)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # the first answer was Cancel: the decisions are kept
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert asked == ["Discard decisions?", "Discard decisions?"]
    window.close()
    assert dump_content(sample_copy) == before


def test_escape_without_decisions_does_not_ask(make_window, sample_copy, qtbot, monkeypatch):
    window = make_window(sample_copy)
    dialog = _open_article(window, qtbot, monkeypatch)
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QMessageBox.question",
        lambda *a: (_ for _ in ()).throw(AssertionError("asked for nothing to lose")),
    )
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_an_unreadable_article_is_explained(make_window, sample_copy, qtbot, monkeypatch, tmp_path):
    window = make_window(sample_copy)
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QMessageBox.warning", lambda parent, title, text: shown.append(text)
    )
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(tmp_path / "gone.txt"), ""),
    )
    _action(window, "Import article…").trigger()
    assert len(shown) == 1 and "gone.txt" in shown[0]
    assert window.findChild(ProposalsDialog) is None


def test_an_article_without_claims_imports_nothing(make_window, sample_copy, qtbot, monkeypatch, tmp_path):
    window = make_window(sample_copy)
    before = window.store.count_claims()
    bare = tmp_path / "bare.txt"
    bare.write_text("A heading\n\nshort note\n", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QMessageBox.information", lambda parent, title, text: shown.append(text)
    )
    monkeypatch.setattr(
        "desktop.ui.proposals_dialog.QFileDialog.getOpenFileName", lambda *a, **k: (str(bare), "")
    )
    _action(window, "Import article…").trigger()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=20_000)
    assert "no claims" in shown[0]
    assert window.findChild(ProposalsDialog) is None
    assert window.store.count_claims() == before


def test_an_article_already_in_the_file_is_said_so_before_saving(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    store = window.store
    article = store.article_text(1).article
    dialog = ProposalsDialog(store, replace(article, id=None), propose(replace(article, id=None)), window)
    qtbot.addWidget(dialog)
    assert dialog.already_label is not None
    assert dialog.already_label.text().startswith(
        "This article is already in the file as article 1 (15 claims): saving adds it again"
    )
    other = replace(article, id=None, text=article.text + "\nA late correction.")
    assert ProposalsDialog(store, other, [], window).already_label is None
