"""View › Article… (Ctrl+Shift+R): the current claim's article, its claims' passages marked and linked,
the current one selected; it follows the table and sends a click on a passage back to the table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog
from qt_waits import open_by_key

from desktop.core.model import Anchor, Article, NewClaim
from desktop.store import Store
from desktop.ui.article_view import ArticleWindow
from desktop.ui.wording_dialog import WordingDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

# Made up for this test; the emoji and the Korean make Qt's positions (UTF-16) differ from Python's.
TEXT = (
    "Storm warning 🌊🌊 for the coast.\n"
    "항구 The harbour office said the pier is shut. Nobody else confirms it.\n"
    "Boats stayed in port."
)


def article_file(tmp_path: Path) -> tuple[Path, list[int]]:
    path = tmp_path / "harbour.db"
    store = Store.open(path, create=True, reviewer="ana")
    try:
        article_id = store.add_article(Article("Storm at the harbour", TEXT, outlet="Coast Radio"))

        def anchored(words: str) -> Anchor:
            start = TEXT.index(words)
            return Anchor(words, "", "", start, start + len(words))

        said, stayed = "The harbour office said the pier is shut.", "Boats stayed in port."
        ids = store.add_claims(
            article_id,
            [
                NewClaim("The pier is shut", said, anchored(said)),
                NewClaim("Boats stayed in", stayed, anchored(stayed)),
            ],
        )
        ids += store.add_claims(None, [NewClaim("Fuel prices rose", "From a spreadsheet row", None)])
    finally:
        store.close()
    return path, ids


def open_article(window, qtbot) -> ArticleWindow:  # type: ignore[no-untyped-def]
    return open_by_key(window, qtbot, Qt.Key.Key_R, CTRL_SHIFT, ArticleWindow)


def selected(article: ArticleWindow) -> str:
    (selection,) = article.text.extraSelections()
    return selection.cursor.selectedText()


def test_the_article_marks_its_claims_and_follows_the_table(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path, (pier, boats, fuel) = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)

    assert article.title_label.text() == "Storm at the harbour"
    assert article.about_label.text() == "Coast Radio"
    assert article.text.toPlainText() == TEXT
    assert selected(article) == "The harbour office said the pier is shut."
    html = article.text.toHtml()
    assert f'href="claim:{pier}"' in html and f'href="claim:{boats}"' in html
    assert "The passages of its 2 claims are marked" in article.note_label.text()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert selected(article) == "Boats stayed in port."

    qtbot.keyClick(window.table, Qt.Key.Key_J)  # a claim from a dataset: no article to show
    assert window.table.current_claim_id() == fuel
    assert article.text.extraSelections() == []
    assert "was not drawn from an article" in article.text.toPlainText()

    article.text.anchorClicked.emit(QUrl(f"claim:{pier}"))  # what a click on its passage sends
    assert window.table.current_claim_id() == pier
    assert article.text.toPlainText() == TEXT
    assert selected(article) == "The harbour office said the pier is shut."


def test_pointing_at_a_passage_names_its_claim(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path, (pier, _boats, _fuel) = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)
    article.text.highlighted.emit(QUrl(f"claim:{pier}"))
    assert article.pointed_label.text() == f"Claim {pier} (unreviewed): The pier is shut"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B)  # graded by this reviewer: their grades show
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    article.text.highlighted.emit(QUrl(f"claim:{pier}"))
    assert article.pointed_label.text() == f"Claim {pier} (B?, reviewed): The pier is shut"
    article.text.highlighted.emit(QUrl())
    assert article.pointed_label.text().strip() == ""


def test_the_sample_article_places_every_claim(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    article = open_article(window, qtbot)
    assert "The passages of its 15 claims are marked" in article.note_label.text()
    assert "Not found" not in article.note_label.text()
    assert selected(article).startswith("According to information from the South Korean")


def test_claims_not_found_in_the_text_are_counted_and_the_first_few_named(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path = tmp_path / "stub.db"
    store = Store.open(path, create=True, reviewer="ana")
    try:
        article_id = store.add_article(Article("A stub", "Only a headline survives."))
        store.add_claims(
            article_id, [NewClaim(f"Claim {n}", f"Sentence {n} that is gone.", None) for n in range(12)]
        )
    finally:
        store.close()
    window = make_window(path)
    article = open_article(window, qtbot)
    assert article.note_label.text().startswith("No claim's passage was found in this text. Not found")
    assert "Not found in this text, so not marked: 12 claims (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)." in (
        article.note_label.text()
    )
    assert article.text.extraSelections() == []


def select_words(article: ArticleWindow, words: str) -> None:
    """Select `words` in the article's text as a drag of the mouse would (Qt positions)."""
    text = article.text.toPlainText()
    start = text.index(words)
    cursor = article.text.textCursor()
    cursor.setPosition(len(text[:start].encode("utf-16-le")) // 2)
    cursor.setPosition(
        len(text[: start + len(words)].encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor
    )
    article.text.setTextCursor(cursor)


def test_a_claim_drawn_from_selected_words_is_saved_listed_and_undone(
    make_window, tmp_path, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    path, ids = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)
    assert not article.new_claim_button.isEnabled()  # nothing selected yet

    select_words(article, " Nobody else confirms it.\n")  # the spaces around are not part of the passage
    assert article.new_claim_button.isEnabled()

    def word_it(dialog: WordingDialog) -> QDialog.DialogCode:
        assert dialog.wording() == "Nobody else confirms it."
        dialog.wording_edit.setPlainText("No one else confirms the pier is shut")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WordingDialog, "exec", word_it)
    qtbot.mouseClick(article.new_claim_button, Qt.MouseButton.LeftButton)

    new = max(ids) + 1
    assert window.table.current_claim_id() == new
    assert window.model.rowCount() == 4
    assert selected(article) == "Nobody else confirms it."
    assert "its 3 claims are marked" in article.note_label.text()
    with sqlite3.connect(path) as conn:
        assert conn.execute(
            "SELECT text, passage, unattributed FROM claims WHERE id = ?", [new]
        ).fetchone() == (
            "No one else confirms the pier is shut",
            "Nobody else confirms it.",
            1,
        )

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.rowCount() == 3
    assert "its 2 claims are marked" in article.note_label.text()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE id = ?", [new]).fetchone() == (0,)

    qtbot.keyClick(
        window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.model.rowCount() == 4
    assert "its 3 claims are marked" in article.note_label.text()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT text FROM claims WHERE id = ?", [new]).fetchone() == (
            "No one else confirms the pier is shut",
        )


def test_a_read_only_file_offers_no_new_claim(make_window, tmp_path, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    path, _ids = article_file(tmp_path)
    path.chmod(0o444)
    try:
        window = make_window(path)
        if window.store is None or not window.store.read_only:
            pytest.skip("this user can write a read-only file (an administrator)")
        article = open_article(window, qtbot)
        select_words(article, "Boats stayed in port.")
        assert not article.new_claim_button.isEnabled()
    finally:
        path.chmod(0o644)


def test_claims_listed_again_after_a_merge_are_marked(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path, _ids = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)
    assert "its 2 claims are marked" in article.note_label.text()
    # What an import or a colleague's merged copy does: claims arrive, and the table lists them again.
    with sqlite3.connect(path) as conn:
        start = TEXT.index("Storm warning")
        conn.execute(
            "INSERT INTO claims (article_id, text, passage, anchor_exact, anchor_start, anchor_end) "
            "VALUES (1, 'A storm is coming', 'Storm warning', 'Storm warning', ?, ?)",
            [start, start + len("Storm warning")],
        )
    window.model.reload()
    assert "its 3 claims are marked" in article.note_label.text()


def test_read_it_whole_under_the_passage_opens_the_article(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.go_to_claim.go_to(4)
    assert "read it whole" in window.detail.passage_label.text()
    window.detail.passage_label.linkActivated.emit("article")  # what a click on the link sends
    qtbot.waitUntil(lambda: window.findChild(ArticleWindow) is not None, timeout=20_000)
    article = window.findChild(ArticleWindow)
    qtbot.waitUntil(article.isVisible)
    assert selected(article).startswith("So far, as part of aid to the Russian army")
    article.close()
    window.detail.passage_label.linkActivated.emit("article")  # installed now: the same window again
    qtbot.waitUntil(article.isVisible)
    assert len(window.findChildren(ArticleWindow)) == 1


def test_find_in_the_article_steps_through_each_place_and_wraps(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    article = open_article(window, qtbot)
    count = article.text.toPlainText().lower().count("yonhap")
    assert count >= 2
    qtbot.keyClick(article.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert article.find_box.hasFocus()
    qtbot.keyClicks(article.find_box, "yonhap")
    assert article.found_label.text() == f"1 of {count}"
    assert article.text.textCursor().selectedText().lower() == "yonhap"
    qtbot.keyClick(article.find_box, Qt.Key.Key_Return)
    assert article.found_label.text() == f"2 of {count}"
    qtbot.keyClick(article.find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(article.find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert article.found_label.text() == f"{count} of {count}"  # back past the first: the last
    qtbot.keyClicks(article.find_box, "zzq")
    assert article.found_label.text() == "not found"


def test_enter_never_closes_the_article_or_the_history(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    from desktop.ui.history_view import HistoryWindow

    window = make_window(sample_copy)
    article = open_article(window, qtbot)
    for widget in (article.find_box, article.text):
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert article.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    qtbot.keyClick(window.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(HistoryWindow) is not None)
    history = window.findChild(HistoryWindow)
    history.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is history, timeout=20_000)
    qtbot.keyClick(history.changes, Qt.Key.Key_Return)
    assert history.isVisible()


def test_next_uncovered_text_steps_through_what_no_claim_covers_and_wraps(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path, _ids = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)  # on the first claim: the pier
    qtbot.mouseClick(article.uncovered_button, Qt.MouseButton.LeftButton)
    assert article.text.textCursor().selectedText() == "Nobody else confirms it."
    assert article.found_label.text() == "uncovered 2 of 2"
    assert article.new_claim_button.isEnabled()  # ready to become a claim
    qtbot.mouseClick(article.uncovered_button, Qt.MouseButton.LeftButton)
    assert (
        article.text.textCursor().selectedText().replace("\u2029", "\n")
        == "Storm warning 🌊🌊 for the coast.\n항구"
    )
    assert article.found_label.text() == "uncovered 1 of 2"


def test_the_article_window_opens_again_where_it_was_left(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    article = open_article(window, qtbot)
    article.resize(640, 480)
    qtbot.waitUntil(lambda: article.size().width() == 640)
    window.close()  # closing the file closes the article window, which remembers its size

    again = make_window(sample_copy)
    reopened = open_article(again, qtbot)
    assert reopened is not article
    assert (reopened.width(), reopened.height()) == (640, 480)


def test_passages_of_claims_you_finished_are_underlined(make_window, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path, (pier, boats, _fuel) = article_file(tmp_path)
    window = make_window(path)
    article = open_article(window, qtbot)
    assert "(0 so far)" in article.note_label.text()

    def underlined(claim_id: int) -> bool:
        cursor = article.text.document().find("pier" if claim_id == pier else "Boats")
        return cursor.charFormat().fontUnderline()

    assert not underlined(pier) and not underlined(boats)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_R)  # reviewed
    assert underlined(pier) and not underlined(boats)
    assert "(1 so far)" in article.note_label.text()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not underlined(pier)
