"""View › Article… (Ctrl+Shift+R): the whole article the current claim was drawn from, to read it in context.

A window beside the main one. Every claim's passage is marked in the text, and the current claim's
is in amber and scrolled to; it follows the claims table, loading another article when the claim
comes from one. Text that no claim covers stays plain, which shows at a glance what the claims leave
out. A marked passage is a link: a click, or Tab to it and Enter, goes to its claim; pointing at one
names its claim below. Where the claims sit in the text comes from desktop/core/passages.py.

Text the claims leave out can become a claim: select it and choose "New claim from selection…",
word what it asserts, and it is saved as any edit is (one undo step), unattributed, for its chain to
be added in the detail pane.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
)

from desktop.core.edits import AddClaim, Applied, ClaimEdit
from desktop.core.errors import CorroborateError
from desktop.core.grades import grade_pair
from desktop.core.model import ReviewField
from desktop.core.passages import ArticleText, anchor_at
from desktop.core.wording import counted
from desktop.ui.commands import ApplyEdit, SetReviewField, SetReviewFieldOnMany
from desktop.ui.features import FeatureWindow, install_feature_window
from desktop.ui.look import is_dark, muted
from desktop.ui.wording_dialog import WordingDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TITLE = "Article"
# Passages of claims, on a light theme and on a dark one: two tones taken in turn, so that where one
# claim's passage ends and the next begins shows even when they touch (pale yellow, pale blue; dark
# amber, dark blue), each under the theme's own text colour.
PASSAGE_BACKGROUNDS = (("#fff1b8", "#dcebff"), ("#4a3b00", "#123a5c"))
# The current claim's passage: black on a strong amber, on a light theme and a dark one alike (10:1).
CURRENT_PASSAGE = ("#ffb300", "#000000")
# Places counted for the find box at the most: beyond, it says "1,000+".
FIND_COUNT_LIMIT = 1_000
# Claims not found in the text are named up to this many; a file whose articles are stubs has thousands.
NOT_PLACED_NAMED = 10


class ArticleWindow(FeatureWindow):
    """The article of the claim the main window is on, its claims' passages marked."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.shown: ArticleText | None = None
        self.claim_id: int | None = None
        self.setWindowTitle(TITLE)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        self.about_label.setTextFormat(Qt.TextFormat.PlainText)
        self.about_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(self.about_label)

        self.text = QTextBrowser()
        self.text.setAccessibleName("Article text; the claims' passages are links")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._go)
        self.text.highlighted.connect(self._point_at)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        muted(self.note_label)
        self.pointed_label = QLabel(" ")
        self.pointed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pointed_label.setWordWrap(True)

        self.new_claim_button = QPushButton("&New claim from selection…")
        self.new_claim_button.setToolTip(
            "Select words of the article no claim covers, then word the claim they make"
        )
        self.new_claim_button.setEnabled(False)
        self.new_claim_button.clicked.connect(self.new_claim_from_selection)
        self.uncovered_button = QPushButton("Next &uncovered text")
        self.uncovered_button.setToolTip(
            "Select the next stretch of the article no claim covers: a claim may have been missed there"
        )
        self.uncovered_button.clicked.connect(self.select_next_uncovered)
        self.text.copyAvailable.connect(lambda _: self._follow_selection())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.uncovered_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.new_claim_button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in buttons.buttons():
            # Enter belongs to the find box or the list, never to a default button closing the window.
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find in the article (Ctrl+F; Enter: next, Shift+Enter: previous)")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setAccessibleName("Find in the article")
        self.find_box.textChanged.connect(lambda _: self.find_words(forward=True, again=False))
        self.find_box.returnPressed.connect(lambda: self.find_words(forward=True))
        previous = QShortcut(
            QKeySequence("Shift+Return"), self.find_box, lambda: self.find_words(forward=False)
        )
        previous.setContext(Qt.ShortcutContext.WidgetShortcut)  # in the find box only
        QShortcut(QKeySequence.StandardKey.Find, self, self._to_find_box)
        self.found_label = QLabel()
        muted(self.found_label)
        finding = QHBoxLayout()
        finding.addWidget(self.find_box, 1)
        finding.addWidget(self.found_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.about_label)
        layout.addLayout(finding)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.pointed_label)
        layout.addWidget(self.note_label)
        layout.addWidget(buttons)
        self.resize(760, 720)

        window.table.current_claim_changed.connect(lambda _: self.refresh())
        self._history_index = window.undo_stack.index()
        window.undo_stack.indexChanged.connect(self._history_moved)
        if window.model is not None:
            # Listed again (an import, a merge of a colleague's copy): its article may hold new claims.
            window.model.modelReset.connect(self._read_again)
        self.refresh()
        self.text.setFocus()

    # ---- following the table ---------------------------------------------------------------

    def refresh(self) -> None:
        """Show the current claim's article (read again when it is another one) and select its passage."""
        if not self.isVisible() and self.claim_id is not None:
            return  # hidden: read when shown again (see showEvent)
        store, claim_id = self._window.store, self._window.table.current_claim_id()
        self.claim_id = claim_id
        if store is None or claim_id is None:
            self._show_nothing("No claim is selected. Choose one in the claims table to read its article.")
            return
        try:
            article_id = store.article_id_of(claim_id)
            if article_id is None:
                self._show_nothing(
                    f"Claim {claim_id} was not drawn from an article in this file (it came from a "
                    "dataset): there is no article text to show."
                )
                return
            if self.shown is None or self.shown.article.id != article_id:
                self._show_article(store.article_text(article_id))
        except CorroborateError as error:  # the claim went away meanwhile (a file replaced)
            self._show_nothing(error.message)
            return
        self._select(claim_id)

    def _history_moved(self, index: int) -> None:
        previous, self._history_index = self._history_index, index
        step = self._window.undo_stack.command(min(previous, index))
        # A claim drawn by hand, taken back or brought back, or a status set (finished passages are
        # underlined): its article's marks are read again.
        if (
            abs(index - previous) != 1
            or (isinstance(step, ApplyEdit) and isinstance(step.pending, ClaimEdit))
            or (
                isinstance(step, SetReviewField | SetReviewFieldOnMany)
                and step.review_field is ReviewField.STATUS
            )
        ):
            self._read_again()

    def _read_again(self) -> None:
        self.shown = None
        self.refresh()

    def _show_nothing(self, message: str) -> None:
        self.shown = None
        self.setWindowTitle(TITLE)
        self.title_label.setText("")
        self.about_label.setText("")
        self.text.setPlainText(message)
        self.text.setExtraSelections([])
        self.note_label.setText("")

    def _show_article(self, shown: ArticleText) -> None:
        self.shown = shown
        article = shown.article
        self.setWindowTitle(f"{TITLE} — {article.title}")
        self.title_label.setText(article.title)
        about = [part for part in (article.outlet, article.author, article.published, article.url) if part]
        self.about_label.setText(" · ".join(about))
        self.about_label.setVisible(bool(about))
        store = self._window.store
        ids = [passage.claim_id for passage in shown.passages]
        unfinished = store.unfinished_among(ids, self._window.reviewer) if store is not None else set(ids)
        finished = set(ids) - unfinished
        self.text.setHtml(self._marked_html(shown, finished))
        note = (
            f"The passages of its {counted(len(shown.passages), 'claim')} are marked, underlined once "
            f"you have reviewed or disputed the claim ({len(finished):,} so far); the current claim's is "
            "in amber. Click one (or Tab to it and press Enter) to go to its claim."
            if shown.passages
            else "No claim's passage was found in this text."
        )
        if shown.not_placed:
            first = ", ".join(str(claim_id) for claim_id in shown.not_placed[:NOT_PLACED_NAMED])
            more = len(shown.not_placed) > NOT_PLACED_NAMED
            note += (
                f" Not found in this text, so not marked: {counted(len(shown.not_placed), 'claim')} "
                f"({first}{', …' if more else ''})."
            )
        self.note_label.setText(note)

    def _marked_html(self, shown: ArticleText, finished: set[int]) -> str:
        text = shown.article.text
        palette = self.text.palette()
        tones = PASSAGE_BACKGROUNDS[1 if is_dark(palette) else 0]
        foreground = palette.color(QPalette.ColorRole.Text).name()
        # Passages come in text order: each takes the other tone from the one before it.
        turn = {passage.claim_id: index % 2 for index, passage in enumerate(shown.passages)}
        starts = {passage.claim_id: passage.start for passage in shown.passages}
        parts = []
        for stretch in shown.stretches():
            piece = html.escape(text[stretch.start : stretch.end])
            if stretch.claim_ids:
                # Where passages overlap, the one that began last is the one a reader has just entered.
                claim_id = max(stretch.claim_ids, key=lambda claim: (starts[claim], claim))
                line = "underline" if claim_id in finished else "none"
                parts.append(
                    f'<a href="claim:{claim_id}" style="background-color:{tones[turn[claim_id]]}; '
                    f'color:{foreground}; text-decoration:{line}">{piece}</a>'
                )
            else:
                parts.append(piece)
        return f'<div style="white-space: pre-wrap">{"".join(parts)}</div>'

    def _select(self, claim_id: int) -> None:
        """Select claim `claim_id`'s passage in the text and bring it into view."""
        passage = self.shown.passage_of(claim_id) if self.shown is not None else None
        if passage is None or self.shown is None:
            self.text.setExtraSelections([])
            return
        text = self.shown.article.text
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(_qt_position(text, passage.start))
        cursor.setPosition(_qt_position(text, passage.end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        marked = QTextCharFormat()
        # Not the selection's colours: the reader's own selection (to draw a new claim) must not look
        # like the current claim.
        # (A selection's format takes colours only: a bolder font would not show.)
        marked.setBackground(QColor(CURRENT_PASSAGE[0]))
        marked.setForeground(QColor(CURRENT_PASSAGE[1]))
        selection.format = marked
        self.text.setExtraSelections([selection])
        # The passage's end, then its start, into view: a long passage shows from its first line.
        for position in (passage.end, passage.start):
            place = QTextCursor(self.text.document())
            place.setPosition(_qt_position(text, position))
            self.text.setTextCursor(place)
            self.text.ensureCursorVisible()

    # ---- acting ----------------------------------------------------------------------------

    def _selected_span(self) -> tuple[int, int] | None:
        """The article's characters the reader selected (Python offsets, spaces trimmed), if any."""
        if self.shown is None:
            return None
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.shown.article.text
        start = _python_offset(text, cursor.selectionStart())
        end = _python_offset(text, cursor.selectionEnd())
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def _follow_selection(self) -> None:
        store = self._window.store
        writable = store is not None and not store.read_only
        self.new_claim_button.setEnabled(writable and self._selected_span() is not None)

    def new_claim_from_selection(self) -> bool:
        """Ask for the wording of a claim drawn from the selected words; save it as one undo step."""
        span = self._selected_span()
        if span is None or self.shown is None or self.shown.article.id is None:
            return False
        text = self.shown.article.text
        passage = text[span[0] : span[1]]
        dialog = WordingDialog(
            passage,
            " ".join(passage.split()),
            self,
            title="New claim from the article",
            accept_text="&Add claim",
            hint="It is saved unattributed, as one step Ctrl+Z undoes; give it its chain in the detail pane.",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        edit = AddClaim(self.shown.article.id, dialog.wording(), passage, anchor_at(text, *span))
        self.shown = None  # read again: the new claim's passage is marked

        def saved(applied: Applied) -> None:
            if applied.created_id is not None:
                self._window.go_to_claim.go_to(applied.created_id)
            self.refresh()

        if not self._window.apply_store_edit(edit, saved):
            self.refresh()  # refused (and said why): the article as it was
            return False
        return True

    def _go(self, link: QUrl) -> None:
        target = link.toString()
        if target.startswith("claim:") and target[6:].isdigit():
            self._window.go_to_claim.go_to(int(target[6:]))

    def select_next_uncovered(self) -> bool:
        """Select the next stretch no claim covers after the cursor (wrapping round); say which it is."""
        if self.shown is None:
            return False
        places = self.shown.uncovered()
        if not places:
            self.found_label.setText("every stretch is covered by a claim")
            return False
        text = self.shown.article.text
        here = _python_offset(text, self.text.textCursor().selectionEnd())
        index = next((i for i, (start, _) in enumerate(places) if start >= here), 0)
        start, end = places[index]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(_qt_position(text, start))
        cursor.setPosition(_qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        self.found_label.setText(f"uncovered {index + 1} of {len(places)}")
        return True

    def _to_find_box(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def find_words(self, *, forward: bool, again: bool = True) -> bool:
        """Select the next (or previous) place the find box's words occur, wrapping round; say which
        of how many it is. With `again` False (the words were just typed), the search starts from the
        top: the first place they occur."""
        words = self.find_box.text()
        document = self.text.document()
        if not words:
            self.found_label.setText("")
            return False
        places: list[tuple[int, int]] = []
        cursor = document.find(words, 0)
        while not cursor.isNull() and len(places) < FIND_COUNT_LIMIT:
            places.append((cursor.selectionStart(), cursor.selectionEnd()))
            cursor = document.find(words, cursor)
        if not places:
            self.found_label.setText("not found")
            return False
        here = self.text.textCursor().selectionStart() if again else -1
        if forward:
            index = next((i for i, (start, _) in enumerate(places) if start > here), 0)
        else:
            index = next((i for i in range(len(places) - 1, -1, -1) if places[i][0] < here), len(places) - 1)
        chosen = QTextCursor(document)
        chosen.setPosition(places[index][0])
        chosen.setPosition(places[index][1], QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(chosen)
        self.text.ensureCursorVisible()
        more = "+" if len(places) == FIND_COUNT_LIMIT else ""
        self.found_label.setText(f"{index + 1} of {len(places):,}{more}")
        return True

    def _point_at(self, link: QUrl) -> None:
        target = link.toString()
        store = self._window.store
        if not (target.startswith("claim:") and target[6:].isdigit()) or store is None:
            self.pointed_label.setText(" ")
            return
        claim_id = int(target[6:])
        row = store.claim_rows([claim_id], self._window.reviewer).get(claim_id)
        if row is None:
            self.pointed_label.setText(f"Claim {claim_id} is not in this file any more.")
            return
        # Where the reviewer stands with it, beside what it says: which passages are still to do.
        graded = (
            ""
            if row.reliability is None and row.credibility is None
            else f"{grade_pair(row.reliability, row.credibility)}, "
        )
        self.pointed_label.setText(f"Claim {claim_id} ({graded}{row.status.label}): {row.text}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.shown is not None:
            # A theme switched between light and dark: the marks take the new theme's colours.
            shown, self.shown = self.shown, None
            self._show_article(shown)
            if self.claim_id is not None:
                self._select(self.claim_id)


def _qt_position(text: str, index: int) -> int:
    """Qt's position in the document for Python offset `index` of `text`: Qt counts UTF-16 units."""
    return len(text[:index].encode("utf-16-le")) // 2


def _python_offset(text: str, position: int) -> int:
    """The Python offset in `text` of Qt's document position `position` (UTF-16 units)."""
    return len(text.encode("utf-16-le")[: 2 * position].decode("utf-16-le", errors="ignore"))


def install(window: MainWindow) -> None:
    """View › Article… (Ctrl+Shift+R): one article window per main window, following its claim."""
    action = install_feature_window(window, window.view_menu, "A&rticle…", "Ctrl+Shift+R", ArticleWindow)
    action.setStatusTip("Read the whole article of the current claim, its claims' passages marked")
