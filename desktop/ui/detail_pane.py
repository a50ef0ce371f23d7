"""The detail pane: the whole claim, its passage in context, the chain hop by hop, and the review controls."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status, grade_pair
from desktop.core.model import ClaimDetail, ReviewField, ReviewValue, chains_summary
from desktop.core.search_words import found_spans, words_not_in
from desktop.core.wording import local_time
from desktop.store import Store
from desktop.ui.chain_editor import ChainEditor
from desktop.ui.evidence_panel import EvidencePanel
from desktop.ui.look import muted
from desktop.ui.media_panel import MediaPanel, is_media_claim
from desktop.ui.steady_combo import SteadyComboBox

NOT_GRADED = "— not graded —"


class RationaleEdit(QPlainTextEdit):
    """Multi-line rationale; leaving it (focus out or Esc) completes one edit."""

    editing_finished = Signal()
    escape_pressed = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.editing_finished.emit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.editing_finished.emit()
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


def _wrapping_label(text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _grades_or_none(reliability: str | None, credibility: int | None) -> str:
    """ "B2", "B?"; "no grades" when neither axis is graded ("??" would read like a grade)."""
    if reliability is None and credibility is None:
        return "no grades"
    return grade_pair(reliability, credibility)


NO_CLAIM_CHOSEN = "No claim selected. Choose one in the table."


class ClaimDetailPane(QScrollArea):
    """Shows one claim and lets the reviewer grade it, edit its chain and add evidence.

    Grades leave as `review_edited` signals, chain and evidence edits as `store_edit_requested`
    (a desktop.core.edits edit); the window saves them and makes each one undo step.
    """

    review_edited = Signal(int, object, object)  # claim id, ReviewField, new value
    store_edit_requested = Signal(object)  # an Edit
    leave_requested = Signal()  # Esc in the rationale: back to the table
    history_requested = Signal()  # "history" after who graded it: the claim's history
    article_requested = Signal()  # "read it whole" under the passage: the article view
    rationale_handed_over = Signal()  # the rationale left the field: saved as an edit, or unchanged

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._detail: ClaimDetail | None = None
        self._store: Store | None = None
        self._reviewer = ""
        self._search = ""  # the table's search text: its words are marked in the claim shown
        self._rationale_saved = ""
        self._empty_text = NO_CLAIM_CHOSEN

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)

        self.context_label = _wrapping_label()
        muted(self.context_label)
        self.claim_label = _wrapping_label(rich=True)  # escaped, with the search's words marked
        self.claim_label.setObjectName("claimText")
        self._emphasise_claim_text()

        passage_box = QGroupBox("Passage in the article")
        passage_layout = QVBoxLayout(passage_box)
        self.passage_label = _wrapping_label(rich=True)
        self.passage_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.passage_label.linkActivated.connect(lambda _link: self.article_requested.emit())
        passage_layout.addWidget(self.passage_label)

        # What a dataset said of the claim when it was imported: its date, address, verdict and
        # any other columns, as they were written (hidden for claims that came from an article).
        self.dataset_box = QGroupBox("From the imported dataset")
        dataset_layout = QVBoxLayout(self.dataset_box)
        self.dataset_label = _wrapping_label(rich=True)
        self.dataset_label.setOpenExternalLinks(True)
        self.dataset_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        dataset_layout.addWidget(self.dataset_label)

        chain_box = QGroupBox("Attribution chain")
        chain_layout = QVBoxLayout(chain_box)
        self.chain_label = _wrapping_label(rich=True)
        self.chain_editor = ChainEditor()
        chain_layout.addWidget(self.chain_label)
        chain_layout.addWidget(self.chain_editor)

        self.media_box = QGroupBox("Media provenance")
        media_layout = QVBoxLayout(self.media_box)
        self.media_panel = MediaPanel()
        media_layout.addWidget(self.media_panel)

        evidence_box = QGroupBox("Evidence and independent origins")
        evidence_layout = QVBoxLayout(evidence_box)
        self.evidence_panel = EvidencePanel()
        evidence_layout.addWidget(self.evidence_panel)

        review_box = QGroupBox("Your review")
        form = QFormLayout(review_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # see the media form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.reliability_combo = SteadyComboBox()
        self.reliability_combo.addItem(NOT_GRADED, None)
        for letter, label in RELIABILITY_LABELS.items():
            self.reliability_combo.addItem(f"{letter} · {label}", letter)
        self.credibility_combo = SteadyComboBox()
        self.credibility_combo.addItem(NOT_GRADED, None)
        for number, label in CREDIBILITY_LABELS.items():
            self.credibility_combo.addItem(f"{number} · {label}", number)
        self.status_combo = SteadyComboBox()
        for status in Status:
            self.status_combo.addItem(status.label.capitalize(), status.value)
        self.rationale_edit = RationaleEdit()
        self.rationale_edit.setPlaceholderText(
            "Why these grades? Sources checked, doubts, what would change your mind…"
        )
        self.rationale_edit.setTabChangesFocus(True)
        self.rationale_edit.setMinimumHeight(90)
        self.rationale_edit.setMaximumHeight(160)
        self.provenance_label = _wrapping_label(rich=True)
        self.provenance_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.provenance_label.linkActivated.connect(lambda _link: self.history_requested.emit())
        muted(self.provenance_label)
        form.addRow("Source re&liability", self.reliability_combo)
        form.addRow("Claim credi&bility", self.credibility_combo)
        form.addRow("&Status", self.status_combo)
        form.addRow("Ra&tionale", self.rationale_edit)
        form.addRow("", self.provenance_label)

        others_box = QGroupBox("Other reviewers")
        others_layout = QVBoxLayout(others_box)
        self.others_label = _wrapping_label(rich=True)
        others_layout.addWidget(self.others_label)
        self.others_box = others_box

        for widget in (
            self.context_label,
            self.claim_label,
            passage_box,
            self.dataset_box,
            review_box,
            chain_box,
            self.media_box,
            evidence_box,
            others_box,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(body)

        self.reliability_combo.activated.connect(
            lambda _: self._emit(ReviewField.RELIABILITY, self.reliability_combo.currentData())
        )
        self.credibility_combo.activated.connect(
            lambda _: self._emit(ReviewField.CREDIBILITY, self.credibility_combo.currentData())
        )
        self.status_combo.activated.connect(
            lambda _: self._emit(ReviewField.STATUS, self.status_combo.currentData())
        )
        self.rationale_edit.editing_finished.connect(self.commit_rationale)
        self.rationale_edit.escape_pressed.connect(self.leave_requested)
        self.chain_editor.edit_requested.connect(self.store_edit_requested)
        self.evidence_panel.edit_requested.connect(self.store_edit_requested)
        self.media_panel.edit_requested.connect(self.store_edit_requested)
        self.show_claim(None, "")

    # ---- showing -------------------------------------------------------------------

    @property
    def claim_id(self) -> int | None:
        return self._detail.id if self._detail else None

    def set_empty_text(self, text: str) -> None:
        """What the pane says while no claim is shown: why the table lists none, or to choose one."""
        self._empty_text = text
        if self._detail is None:
            self.claim_label.setText(text)

    def set_search(self, text: str) -> None:
        """Mark the words of this search in the claim and its passage, now and in claims shown later."""
        if text == self._search:
            return
        self._search = text
        if self._detail is not None:
            self._show_texts(self._detail)

    def _show_texts(self, detail: ClaimDetail) -> None:
        """The claim's wording, its passage and its chain, with the search's words marked; the
        line above the claim names any word of the search found only where the pane does not show it."""
        context = f"Claim {detail.id}" + (f" · {detail.article_title}" if detail.article_title else "")
        summary = chains_summary(detail.chains) if detail.chains else ""
        shown = [detail.text, detail.passage, summary]
        if detail.anchor is not None:
            shown += [detail.anchor.prefix, detail.anchor.suffix]
        unseen = words_not_in(self._search, shown) if self._search else []
        if unseen:
            quoted = ", ".join(f"“{word}”" for word in unseen)
            context += f" · {quoted} found only in a rationale, an evidence item or a source's other name"
        self.context_label.setText(context)
        self.claim_label.setText(_marked(detail.text, self._search))
        self.passage_label.setText(_passage_html(detail, self._search))
        self.chain_label.setText(_chain_html(detail, self._search))

    def fit_to_text(self) -> None:
        """After the text size changed: the claim's larger text and the boxes sized by lines follow it."""
        self._emphasise_claim_text()
        self.chain_editor.fit_to_text()
        self.media_panel.fit_to_text()

    def _emphasise_claim_text(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.claim_label.setFont(font)

    def set_store(self, store: Store | None) -> None:
        """The open file, which the chain, media and evidence editors read sources and evidence from."""
        self._store = store
        self.media_panel.set_store(store)

    def show_claim(self, detail: ClaimDetail | None, reviewer: str) -> None:
        """Show `detail` as `reviewer` sees it (None: the empty state)."""
        self._detail = detail
        self._reviewer = reviewer
        self.chain_editor.show_claim(self._store if detail else None, detail)
        self.evidence_panel.show_claim(
            self._store if detail else None, detail.id if detail else None, reviewer
        )
        # Only claims about a picture or video (an image credit in the chain, or provenance already
        # recorded) show the media form; the others would only get an empty box.
        media = self._store.media_info(detail.id) if detail is not None and self._store is not None else None
        show_media = detail is not None and is_media_claim(detail, media)
        self.media_box.setVisible(show_media)
        self.media_panel.show_claim(detail if show_media else None, media)
        enabled = detail is not None
        for widget in (
            self.reliability_combo,
            self.credibility_combo,
            self.status_combo,
            self.rationale_edit,
        ):
            widget.setEnabled(enabled)
        imported = self._store.imported_fields(detail.id) if detail is not None and self._store else {}
        dataset_html = _dataset_html(imported)
        self.dataset_box.setVisible(bool(dataset_html))
        self.dataset_label.setText(dataset_html)
        if detail is None:
            self.context_label.setText("")
            self.claim_label.setText(self._empty_text)
            self.passage_label.setText("")
            self.chain_label.setText("")
            self._set_review_controls(None, None, Status.UNREVIEWED.value, "")
            self.provenance_label.setText("")
            self.others_box.setVisible(False)
            return
        self._show_texts(detail)
        review = detail.review_by(reviewer)
        if review is None:
            self._set_review_controls(None, None, Status.UNREVIEWED.value, "")
            self.provenance_label.setText(f"Not yet graded by {html.escape(reviewer)}.{_HISTORY_LINK}")
        else:
            self._set_review_controls(
                review.reliability, review.credibility, review.status.value, review.rationale
            )
            when = local_time(review.updated_at)  # the reviewer's own clock, as the history shows it
            if review.reliability is None and review.credibility is None:
                # A rationale or status alone: "??" would read like a grade.
                summary = f"No grades yet · review by {review.reviewer}"
            else:
                summary = (
                    f"{grade_pair(review.reliability, review.credibility)} · graded by {review.reviewer}"
                )
            self.provenance_label.setText(f"{html.escape(summary)}, last changed {when}{_HISTORY_LINK}")
        others = [r for r in detail.reviews if r.reviewer != reviewer]
        self.others_box.setVisible(bool(others))
        self.others_label.setText(
            "<br>".join(
                f"<b>{html.escape(r.reviewer)}</b>: {_grades_or_none(r.reliability, r.credibility)}, "
                f"{html.escape(r.status.label)}" + (f" — {html.escape(r.rationale)}" if r.rationale else "")
                for r in others
            )
        )

    def _set_review_controls(
        self, reliability: str | None, credibility: int | None, status: str, rationale: str
    ) -> None:
        for combo, value in (
            (self.reliability_combo, reliability),
            (self.credibility_combo, credibility),
            (self.status_combo, status),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self._rationale_saved = rationale
        if self.rationale_edit.toPlainText() != rationale:
            self.rationale_edit.blockSignals(True)
            self.rationale_edit.setPlainText(rationale)
            self.rationale_edit.blockSignals(False)

    # ---- editing -------------------------------------------------------------------

    def focus_rationale(self) -> None:
        self.rationale_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.rationale_edit.moveCursor(self.rationale_edit.textCursor().MoveOperation.End)

    def commit_rationale(self) -> None:
        """Save the rationale as one edit if it changed since it was shown or last saved."""
        if self._detail is None:
            return
        text = self.rationale_edit.toPlainText()
        if text != self._rationale_saved:
            self._rationale_saved = text
            self._emit(ReviewField.RATIONALE, text)
        self.rationale_handed_over.emit()

    def rationale_text(self) -> str:
        return self.rationale_edit.toPlainText()

    def rationale_is_saved(self) -> bool:
        """Whether the field holds what was last shown or saved (nothing typed since)."""
        return self.rationale_edit.toPlainText() == self._rationale_saved

    def put_back_rationale(self, text: str) -> None:
        """Fill the field with `text` as if the reviewer had typed it (saved on leaving the field)."""
        self.rationale_edit.setPlainText(text)
        self.focus_rationale()

    def _emit(self, review_field: ReviewField, value: ReviewValue) -> None:
        if self._detail is not None:
            self.review_edited.emit(self._detail.id, review_field, value)


def _dataset_html(fields: dict[str, Any]) -> str:
    """The imported date, address, verdict and extra columns as label: value lines ("" if none)."""
    lines = []
    for key, label in (("verdict_label", "Verdict as published"), ("date", "Date"), ("url", "Address")):
        value = fields.get(key)
        if not value:
            continue
        text = html.escape(str(value))
        if key == "url" and str(value).lower().startswith(("http://", "https://")):
            text = f"<a href='{html.escape(str(value), quote=True)}'>{text}</a>"
        lines.append(f"<b>{label}:</b> {text}")
    for name, value in (fields.get("extra") or {}).items():
        if value not in (None, ""):
            lines.append(f"<b>{html.escape(str(name))}:</b> {html.escape(str(value))}")
    return "<br>".join(lines)


# After who graded the claim and when: the whole story, in the claim history window.
_HISTORY_LINK = " · <a href='history'>history</a> (Ctrl+H)"

# Dark text on a light yellow: legible whatever the palette.
_MARK = "<span style='background-color:#ffe066; color:#000000'>{}</span>"


def _marked(text: str, search: str) -> str:
    """`text` as HTML, each of its words that `search` found marked (the search's own rules)."""
    if not search:
        return html.escape(text)
    parts, at = [], 0
    for start, end in found_spans(text, search):
        parts.append(html.escape(text[at:start]))
        parts.append(_MARK.format(html.escape(text[start:end])))
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def _passage_html(detail: ClaimDetail, search: str = "") -> str:
    passage = _marked(detail.passage, search).replace("\n", "<br>")
    if detail.anchor is None:
        return f"<i>{passage}</i>"
    anchor = detail.anchor
    before, after = _context_before(anchor.prefix, anchor.start), _context_after(anchor.suffix)
    return (
        f"<span style='color:gray'>{_marked(before, search)}</span> <b>{passage}</b> "
        f"<span style='color:gray'>{_marked(after, search)}</span>"
        f"<br><span style='color:gray; font-size:small'>characters {detail.anchor.start}–{detail.anchor.end}"
        " of the article · <a href='article'>read it whole</a> (Ctrl+Shift+R)</span>"
    )


def _context_before(prefix: str, start: int) -> str:
    """The article's words before a passage, from a whole word on ("…." and "…ia gain" read badly)."""
    text = " ".join(prefix.split())
    if len(prefix) >= start:
        return text  # the passage is near the article's start: this is all there is before it
    # The stored context is cut at a character count: drop the cut word and any punctuation after it.
    words = text.split(" ", 1)
    rest = words[1] if len(words) == 2 else ""
    rest = rest.lstrip(".,;:!?)]}»”’ ")
    return f"…{rest}" if rest else ""


def _context_after(suffix: str) -> str:
    """The article's words after a passage, up to the last whole word."""
    text = " ".join(suffix.split())
    if not text:
        return ""
    whole = text.rsplit(" ", 1)[0] if " " in text else ""
    return f"{whole}…" if whole else ""


def _chain_html(detail: ClaimDetail, search: str = "") -> str:
    """A sentence above the hop list: what the chain amounts to, with the search's words marked."""
    if detail.unattributed:
        return (
            "<b>Unattributed.</b> The article cites nobody for this claim: "
            "an unattributed assertion is a finding in itself. Add a chain if another source stands behind it."
        )
    return _marked(chains_summary(detail.chains), search)
