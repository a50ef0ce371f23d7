"""Importing an article: the reviewer goes through the extractor's proposals with single keys.

File › Import article… (a .txt, .md or .html file) and File › Paste article… lead to the
proposal dialog: A accept, R reject, E edit the claim's wording, S fix its source or chain,
J/K or the arrows move, Ctrl+Enter saves the accepted claims, Esc cancels. Nothing is written
before Save; saving is one transaction (desktop.io.extract.save_proposals), on the background
helper after a backup of the file (up to 256 MB) that takes the claims back.
"""

from __future__ import annotations

import html
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import CorroborateError
from desktop.core.imports import ImportCancelled
from desktop.core.model import Article, Chain, Hop, Source, chain_summary, source_key
from desktop.core.vocabulary import Relation, SourceKind
from desktop.core.wording import counted
from desktop.io.extract import Proposal, article_from_text, propose, read_article, save_proposals
from desktop.store import Store
from desktop.ui.look import alarming, tone
from desktop.ui.safety import back_up_first
from desktop.ui.source_picker import SourcePicker
from desktop.ui.tasks import Cancelled, Progress, free_for_a_job, run_with_progress
from desktop.ui.wording_dialog import WordingDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

ARTICLE_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)"
CONTEXT_CHARS = 600  # article text shown either side of the passage
KEYS_LINE = (
    "<b>A</b> accept · <b>R</b> reject · <b>E</b> edit wording · <b>S</b> fix source · "
    "<b>J</b>/<b>K</b> or <b>↑</b>/<b>↓</b> move · <b>Ctrl+Enter</b> save accepted · <b>Esc</b> cancel"
)


class Decision(Enum):
    """What the reviewer decided about one proposal."""

    UNDECIDED = "to decide"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


_MARKS = {Decision.UNDECIDED: "○", Decision.ACCEPTED: "✓", Decision.REJECTED: "✗"}
_TONES = {Decision.UNDECIDED: None, Decision.ACCEPTED: "accepted", Decision.REJECTED: "rejected"}


def describe_chain(chain: Chain) -> str:
    """A chain in words with each source's kind, marking the origin."""
    parts = []
    for hop in chain:
        origin = ", origin" if hop.is_origin else ""
        parts.append(f"{html.escape(hop.source.name)} <i>({hop.source.kind.label}{origin})</i>")
    return f"{html.escape(chain_summary(chain))}<br><span style='color:palette(mid)'>→</span> " + " → ".join(
        parts
    )


class _ChainRow:
    """One cited source in the source editor: name (existing sources complete), kind, relation."""

    def __init__(self, store: Store, chain: Chain | None) -> None:
        self.original = chain
        self.picker = SourcePicker(store)
        self.picker.setAccessibleName("Cited source")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of source")
        for kind in SourceKind:
            self.kind.addItem(kind.label, kind.value)
        self.relation = QComboBox()
        self.relation.setAccessibleName("Relation")
        for relation in Relation:
            self.relation.addItem(relation.label, relation.value)
        self.remove = QPushButton("Remove")
        self.tail = QLabel()
        self.tail.setStyleSheet("color: palette(placeholder-text);")
        if chain:
            first = chain[0]
            self.picker.setCurrentText(first.source.name)
            self.kind.setCurrentIndex(self.kind.findData(first.source.kind.value))
            self.relation.setCurrentIndex(self.relation.findData(first.relation.value))
            if len(chain) > 1:
                behind = " → ".join(
                    f"{hop.source.name} ({hop.relation.label}{', origin' if hop.is_origin else ''})"
                    for hop in chain[1:]
                )
                self.tail.setText(f"behind it: {behind} — kept while the name stays the same")
        else:
            self.relation.setCurrentIndex(self.relation.findData(Relation.STATES.value))
        self.picker.currentTextChanged.connect(self._follow_existing)
        self._follow_existing()

    def _follow_existing(self) -> None:
        existing = self.picker.existing()
        self.kind.setEnabled(existing is None)
        if existing is not None:
            self.kind.setCurrentIndex(self.kind.findData(existing.kind.value))

    def chain(self) -> Chain | None:
        name = self.picker.typed_name()
        if not source_key(name):
            return None
        relation = Relation(self.relation.currentData())
        if self.original and source_key(self.original[0].source.name) == source_key(name):
            first = self.original[0]
            kind = SourceKind(self.kind.currentData())
            return (Hop(replace(first.source, kind=kind), relation), *self.original[1:])
        # Looked up, never created: nothing is written to the file before Save.
        existing = self.picker.existing()
        source = existing or Source(name, SourceKind(self.kind.currentData()))
        return (Hop(source, relation),)


class SourceFixDialog(QDialog):
    """Fix who a proposed claim is attributed to, or mark it as citing nobody."""

    def __init__(self, store: Store, proposal: Proposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Source or chain")
        self._store = store
        self.rows: list[_ChainRow] = []
        self.grid = QGridLayout()
        for column, title in enumerate(("Cited source", "Kind", "How it passes it on")):
            label = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(label, 0, column)
        self.nobody = QCheckBox("The article cites &nobody for this claim (unattributed)")
        self.nobody.setChecked(proposal.unattributed)
        self.nobody.toggled.connect(self._update_enabled)
        self.add_button = QPushButton("&Add a source")
        self.add_button.clicked.connect(lambda: self._add_row(None, by_reviewer=True))
        hint = QLabel(
            "Kinds were guessed from the article's words; a source already in the file keeps its kind."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        wording = QLabel(proposal.text, wordWrap=True)
        wording.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(wording)
        layout.addLayout(self.grid)
        layout.addWidget(self.add_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.nobody)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        for chain in proposal.chains:
            self._add_row(chain)
        if not proposal.chains:
            self._add_row(None)
        self._update_enabled()
        self.resize(760, self.sizeHint().height())
        self.rows[0].picker.setFocus()

    def _add_row(self, chain: Chain | None, *, by_reviewer: bool = False) -> None:
        row = _ChainRow(self._store, chain)
        line = 1 + 2 * len(self.rows)
        self.grid.addWidget(row.picker, line, 0)
        self.grid.addWidget(row.kind, line, 1)
        self.grid.addWidget(row.relation, line, 2)
        self.grid.addWidget(row.remove, line, 3)
        self.grid.addWidget(row.tail, line + 1, 0, 1, 4)
        row.remove.clicked.connect(lambda: self._remove_row(row))
        self.rows.append(row)
        if by_reviewer:
            self.nobody.setChecked(False)
        row.picker.setFocus()

    def _remove_row(self, row: _ChainRow) -> None:
        for widget in (row.picker, row.kind, row.relation, row.remove, row.tail):
            widget.hide()
        self.rows.remove(row)
        if not self.rows:
            self.nobody.setChecked(True)

    def _update_enabled(self) -> None:
        citing = not self.nobody.isChecked()
        for row in self.rows:
            for widget in (row.picker, row.kind, row.relation, row.remove):
                widget.setEnabled(citing)
            if citing:
                row._follow_existing()
        self.add_button.setEnabled(citing)

    def chains(self) -> tuple[Chain, ...]:
        """The chains as fixed; none when the claim cites nobody or no name was typed."""
        if self.nobody.isChecked():
            return ()
        return tuple(chain for row in self.rows if (chain := row.chain()) is not None)


class ProposalsDialog(QDialog):
    """Every proposal of one article, decided one by one; Save writes the accepted ones at once."""

    saved = Signal(list, str)  # ids of the claims just added; how to take them back

    def __init__(self, store: Store, article: Article, proposals: list[Proposal], window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.store = store
        self.article = article
        self.proposals = list(proposals)
        self.decisions = [Decision.UNDECIDED] * len(proposals)
        self._touched = False
        self.setWindowTitle(f"Claims proposed from “{article.title}”")
        self.resize(1240, 760)

        self.list = QListWidget()
        self.list.setAccessibleName("Proposed claims")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.context = QTextBrowser()
        self.context.setAccessibleName("Passage in its context")
        self.context.setOpenLinks(False)
        self.wording = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.wording.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attribution = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.why = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.note = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        details = QFormLayout()
        details.addRow("<b>Claim</b>", self.wording)
        details.addRow("<b>Attributed to</b>", self.attribution)
        details.addRow("<b>Found by</b>", self.why)
        details.addRow("<b>Guesses</b>", self.note)

        self.accept_button = QPushButton("&Accept")
        self.reject_button = QPushButton("&Reject")
        self.edit_button = QPushButton("&Edit wording…")
        self.source_button = QPushButton("Fix &source…")
        actions = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.edit_button, self.source_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # single keys go to the list, not a button
            actions.addWidget(button)
        actions.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>The passage in the article</b>"))
        right_layout.addWidget(self.context, 3)
        right_layout.addLayout(details)
        right_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([520, 720])
        splitter.setChildrenCollapsible(False)

        self.counts = QLabel()
        self.message = QLabel()
        alarming(self.message)  # the theme's red, legible on a dark theme too
        keys = QLabel(KEYS_LINE)
        keys.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Save accepted", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{len(proposals)} claims proposed from <b>{html.escape(article.title)}</b>. "
            "Sources and kinds are guesses from the wording: check each one. Nothing is saved until you save."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        already = store.same_articles(article.title, article.text)
        if already:
            article_id, claims = already[0]
            twice = QLabel(
                f"This article is already in the file as article {article_id} ({counted(claims, 'claim')}): "
                "saving adds it again, with the claims you accept. Cancel to keep one copy."
            )
            twice.setWordWrap(True)
            alarming(twice)
            self.already_label: QLabel | None = twice
            layout.addWidget(twice)
        else:
            self.already_label = None
        layout.addWidget(splitter, 1)
        layout.addWidget(keys)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        for index in range(len(self.proposals)):
            self.list.addItem(QListWidgetItem())
            self._refresh_item(index)
        self._shortcuts()
        self.accept_button.clicked.connect(lambda: self.decide(Decision.ACCEPTED))
        self.reject_button.clicked.connect(lambda: self.decide(Decision.REJECTED))
        self.edit_button.clicked.connect(self.edit_wording)
        self.source_button.clicked.connect(self.fix_source)
        self.list.currentRowChanged.connect(self._show)
        if self.proposals:
            self.list.setCurrentRow(0)
        else:
            self.context.setPlainText(article.text)
            self.message.setText("The rules found no claims in this article: nothing to save.")
            for button in (self.accept_button, self.reject_button, self.edit_button, self.source_button):
                button.setEnabled(False)
        self._update_counts()
        self.list.setFocus()

    # ---- keys ----------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        bindings = {
            "A": lambda: self.decide(Decision.ACCEPTED),
            "R": lambda: self.decide(Decision.REJECTED),
            "E": self.edit_wording,
            "S": self.fix_source,
            "J": lambda: self.move_by(1),
            "K": lambda: self.move_by(-1),
            "Ctrl+Return": self.save,
            "Ctrl+Enter": self.save,
        }
        for keys, slot in bindings.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def move_by(self, step: int) -> None:
        row = self.list.currentRow() + step
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)

    # ---- showing -----------------------------------------------------------------------

    def current(self) -> int | None:
        row = self.list.currentRow()
        return row if 0 <= row < len(self.proposals) else None

    def _refresh_item(self, index: int) -> None:
        proposal, decision = self.proposals[index], self.decisions[index]
        cited = "; ".join(chain[0].source.name for chain in proposal.chains) or "unattributed"
        item = self.list.item(index)
        item.setText(f"{_MARKS[decision]}  {proposal.text}\n      {cited} · {decision.value}")
        item.setToolTip(f"{decision.value}: {proposal.text}")
        name = _TONES[decision]
        item.setForeground(QBrush(QColor(tone(name))) if name is not None else QBrush())

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.proposals):
            return
        proposal = self.proposals[index]
        text, anchor = self.article.text, proposal.anchor
        # Context cut at whole words, so it never starts or ends mid-word.
        before = text[max(0, anchor.start - CONTEXT_CHARS) : anchor.start]
        if anchor.start > CONTEXT_CHARS:
            before = before.split(maxsplit=1)[-1] if " " in before.strip() else before
        after = text[anchor.end : anchor.end + CONTEXT_CHARS]
        if anchor.end + CONTEXT_CHARS < len(text) and " " in after.strip():
            after = after.rsplit(maxsplit=1)[0]

        def block(part: str) -> str:
            return html.escape(part).replace("\n", "<br>")

        self.context.setHtml(
            f"<div style='line-height:140%'>{'…' if anchor.start > CONTEXT_CHARS else ''}{block(before)}"
            f"<a name='hit'></a><span style='background-color:#ffe58a; color:#000'>{block(anchor.exact)}</span>"
            f"{block(after)}{'…' if anchor.end + CONTEXT_CHARS < len(text) else ''}</div>"
        )
        self.context.scrollToAnchor("hit")
        self.wording.setText(proposal.text)
        if proposal.chains:
            self.attribution.setText("<br>".join(describe_chain(chain) for chain in proposal.chains))
        else:
            self.attribution.setText("<i>nobody: the article states this itself (unattributed)</i>")
        self.why.setText(", ".join(f"“{cue}”" for cue in proposal.cues))
        self.note.setText(proposal.note)

    def _update_counts(self) -> None:
        accepted = self.decisions.count(Decision.ACCEPTED)
        rejected = self.decisions.count(Decision.REJECTED)
        undecided = self.decisions.count(Decision.UNDECIDED)
        self.counts.setText(f"{accepted} accepted · {rejected} rejected · {undecided} to decide")
        self.save_button.setText(f"Save {accepted} accepted" if accepted else "Save accepted")

    # ---- deciding and fixing ----------------------------------------------------------------

    def decide(self, decision: Decision) -> None:
        index = self.current()
        if index is None:
            return
        self.decisions[index] = decision
        self._touched = True
        self.message.clear()
        self._refresh_item(index)
        self._update_counts()
        self.move_by(1)

    def edit_wording(self) -> None:
        index = self.current()
        if index is None:
            return
        proposal = self.proposals[index]
        dialog = WordingDialog(
            proposal.passage,
            proposal.text,
            self,
            title="Claim wording",
            accept_text="&Keep wording",
            hint="Kept with this proposal; the accepted claims are saved together (Ctrl+Enter in the list).",
        )
        dialog.accepted.connect(lambda: self._reword(index, " ".join(dialog.wording().split())))
        dialog.open()

    def _reword(self, index: int, wording: str) -> None:
        self.proposals[index] = replace(self.proposals[index], text=wording)
        self._touched = True
        self._refresh_item(index)
        self._show(index)

    def fix_source(self) -> None:
        index = self.current()
        if index is None:
            return
        dialog = SourceFixDialog(self.store, self.proposals[index], self)
        dialog.accepted.connect(lambda: self._reattribute(index, dialog.chains()))
        dialog.open()

    def _reattribute(self, index: int, chains: tuple[Chain, ...]) -> None:
        proposal = self.proposals[index]
        note = proposal.note if chains == proposal.chains else "Source set by the reviewer."
        self.proposals[index] = replace(proposal, chains=chains, unattributed=not chains, note=note)
        self._touched = True
        self._refresh_item(index)
        self._show(index)

    def accepted_proposals(self) -> list[Proposal]:
        return [p for p, d in zip(self.proposals, self.decisions, strict=True) if d is Decision.ACCEPTED]

    # ---- leaving ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A plain Enter would press the button box's default button (Save): saving takes Ctrl+Enter.
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            event.accept()
            return
        super().keyPressEvent(event)

    def save(self) -> None:
        """Back the file up (up to 256 MB), then write the accepted claims, on the background helper."""
        chosen = self.accepted_proposals()
        if not chosen:
            self.message.setText("Accept at least one claim (A) before saving.")
            return
        runner = self.window_.task_runner
        if not free_for_a_job(self, runner, "Save"):
            return
        store, article = self.store, self.article

        def work(_progress: Progress, cancelled: Cancelled) -> tuple[list[int], str]:
            how_to_take_it_back = back_up_first(
                store.path, f"Adding the claims of “{article.title}”", cancelled
            )
            worker = store.worker_connection()
            try:
                ids = save_proposals(worker, article, chosen)
            finally:
                worker.close()
            return ids, how_to_take_it_back

        self.setEnabled(False)
        task = run_with_progress(self, runner, "Saving the accepted claims", work, self._saved)
        task.signals.refused.connect(lambda _: self.setEnabled(True), Qt.ConnectionType.QueuedConnection)

    def _saved(self, outcome: tuple[list[int], str]) -> None:
        ids, how_to_take_it_back = outcome
        self._touched = False
        self.saved.emit(ids, how_to_take_it_back)
        self.accept()

    def reject(self) -> None:
        """Esc or Cancel: ask first when decisions or edits would be lost."""
        if self._touched:
            answer = QMessageBox.question(
                self,
                "Discard decisions?",
                "Close without saving? The decisions and edits made here will be lost; the file stays as it was.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


class PasteArticleDialog(QDialog):
    """A title and the article's text, pasted in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste article")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Guessed from the first line when left empty")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Article text")
        self.text.setPlaceholderText("Paste the article's text here")
        self.text.setMinimumSize(640, 360)
        self.url = QLineEdit()
        self.url.setAccessibleName("Address")
        self.url.setPlaceholderText("Optional: where it was published")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Address", self.url)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.next_button = buttons.addButton("Find claims", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept_if_text)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._accept_if_text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        text_label = QLabel("&Text")
        text_label.setBuddy(self.text)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.text.setFocus()

    def _accept_if_text(self) -> None:
        if self.text.toPlainText().strip():
            self.accept()

    def article(self) -> Article:
        url = self.url.text().strip() or None
        return article_from_text(self.text.toPlainText(), title=self.title.text(), url=url)


class ArticleImport:
    """The two File menu entries and the path from an article to saved claims."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.import_action = QAction("Import &article…", window)
        self.paste_action = QAction("&Paste article…", window)
        window.file_menu.insertActions(window.file_menu_end, [self.import_action, self.paste_action])
        self.import_action.triggered.connect(self.choose_file)
        self.paste_action.triggered.connect(self.paste)
        window.store_opened.connect(lambda _store: self._enable(True))
        window.store_closed.connect(lambda: self._enable(False))
        self._enable(window.store is not None)

    def _enable(self, enabled: bool) -> None:
        self.import_action.setEnabled(enabled)
        self.paste_action.setEnabled(enabled)

    def _writable_store(self) -> Store | None:
        store = self.window.store
        if store is None:
            return None
        if store.read_only:
            QMessageBox.information(
                self.window,
                "Read-only file",
                f"{store.path.name} is open read-only: nothing can be imported.",
            )
            return None
        return store

    def choose_file(self) -> None:
        if self._writable_store() is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import an article", str(Path.home()), ARTICLE_FILTER
        )
        if not path:
            return
        try:
            article = read_article(Path(path))
        except CorroborateError as error:
            QMessageBox.warning(self.window, "Cannot import article", error.message)
            return
        self.review(article)

    def paste(self) -> None:
        if self._writable_store() is None:
            return
        dialog = PasteArticleDialog(self.window)
        dialog.accepted.connect(lambda: self._pasted(dialog))
        dialog.open()

    def _pasted(self, dialog: PasteArticleDialog) -> None:
        try:
            article = dialog.article()
        except CorroborateError as error:
            QMessageBox.warning(self.window, "Cannot import article", error.message)
            return
        self.review(article)

    def review(self, article: Article) -> None:
        """Find the claims of an article read or pasted a moment ago, then open them for review.

        The rules run in the background (about a second for a long article) with a progress
        dialog whose Cancel stops them; nothing is written before the reviewer saves.
        """
        if self._writable_store() is None:
            return

        def work(progress: Progress, cancelled: Cancelled) -> list[Proposal] | None:
            try:
                return propose(article, progress, cancelled)
            except ImportCancelled:
                return None  # the reviewer pressed Cancel: nothing to say or show

        run_with_progress(
            self.window,
            self.window.task_runner,
            f"Finding the claims of “{article.title}”",
            work,
            lambda proposals: self._show_proposals(article, proposals),
        )

    def _show_proposals(self, article: Article, proposals: list[Proposal] | None) -> None:
        store = self._writable_store()
        if proposals is None or store is None:
            return
        if not proposals:
            QMessageBox.information(
                self.window,
                "No claims found",
                f"The rules found no claims in “{article.title}”. Nothing was imported.",
            )
            return
        dialog = ProposalsDialog(store, article, proposals, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda ids, how: self._saved(article, ids, how))
        dialog.open()

    def _saved(self, article: Article, ids: list[int], how_to_take_it_back: str) -> None:
        self.window.reload_claims()
        if ids:
            self.window.table.go_to_claim(ids[0])
        self.window.statusBar().showMessage(
            f"Added {len(ids)} claims from “{article.title}”. {how_to_take_it_back}", 20000
        )


def install(window: MainWindow) -> ArticleImport:
    """Add File › Import article… and Paste article… to the window."""
    feature = ArticleImport(window)
    window.article_import = feature  # type: ignore[attr-defined]  # kept alive with the window
    return feature
