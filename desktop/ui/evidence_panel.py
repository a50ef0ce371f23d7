"""Evidence for one claim, the independence count behind it, and the form for one evidence item."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.edits import AddEvidence, EditEvidence, RemoveEvidence
from desktop.core.errors import CorroborateError
from desktop.core.evidence import Evidence, EvidenceDraft, Stance, parse_evidence_date, parse_url
from desktop.core.grades import CREDIBILITY_LABELS
from desktop.core.independence import Independence
from desktop.core.vocabulary import SourceKind
from desktop.core.wording import counted
from desktop.store import Store
from desktop.ui.look import alarming, tone
from desktop.ui.source_picker import NewSources, SourcePicker

EvidenceRole = Qt.ItemDataRole.UserRole + 1
ORIGIN_NOT_KNOWN = "— not known (the item's own source) —"


class EvidenceDialog(QDialog):
    """Add or edit one evidence item; invalid dates and URLs are explained, not saved."""

    def __init__(self, store: Store, parent: QWidget | None = None, existing: Evidence | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit evidence" if existing else "Add evidence")
        self.setMinimumWidth(560)
        self.source_picker = SourcePicker(store)
        # A kind is asked only for a name the file does not know yet, separately for the item's
        # source and for its origin (a newspaper relaying a ministry is not a ministry).
        self.kind_combo = _kind_combo(SourceKind.OUTLET)
        self.origin_kind_combo = _kind_combo(SourceKind.GOVERNMENT)
        self.stance_combo = QComboBox()
        for stance in Stance:
            self.stance_combo.addItem(stance.label, stance.value)
        self.origin_picker = SourcePicker(store, allow_none=ORIGIN_NOT_KNOWN)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://…")
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        self.excerpt_edit = QPlainTextEdit()
        self.excerpt_edit.setTabChangesFocus(True)
        self.excerpt_edit.setMaximumHeight(90)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(70)
        self.error_label = QLabel()
        alarming(self.error_label)
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Source", self.source_picker)
        form.addRow("&Kind (new source)", self.kind_combo)
        form.addRow("S&tance", self.stance_combo)
        form.addRow("&Relies on (origin)", self.origin_picker)
        form.addRow("K&ind (new origin)", self.origin_kind_combo)
        form.addRow("&URL", self.url_edit)
        form.addRow("&Date", self.date_edit)
        form.addRow("&Excerpt", self.excerpt_edit)
        form.addRow("&Note", self.note_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._validate_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._draft: EvidenceDraft | None = None
        self._new_sources = NewSources()
        if existing is not None:
            self.source_picker.select_source(existing.source.id)
            self.stance_combo.setCurrentIndex(self.stance_combo.findData(existing.stance.value))
            self.origin_picker.select_source(existing.origin.id if existing.origin else None)
            self.url_edit.setText(existing.url or "")
            self.date_edit.setText(existing.date or "")
            self.excerpt_edit.setPlainText(existing.excerpt)
            self.note_edit.setPlainText(existing.note)
        for picker, combo in (
            (self.source_picker, self.kind_combo),
            (self.origin_picker, self.origin_kind_combo),
        ):
            picker.currentTextChanged.connect(lambda _, p=picker, c=combo: _ask_kind_if_new(p, c))
            _ask_kind_if_new(picker, combo)
        self._as_opened = self._form()
        self.source_picker.setFocus()

    def _form(self) -> tuple[object, ...]:
        """What the reviewer can change here, to tell whether anything was typed."""
        return (
            self.source_picker.currentText(),
            self.kind_combo.currentIndex(),
            self.stance_combo.currentIndex(),
            self.origin_picker.currentText(),
            self.origin_kind_combo.currentIndex(),
            self.url_edit.text(),
            self.date_edit.text(),
            self.excerpt_edit.toPlainText(),
            self.note_edit.toPlainText(),
        )

    def reject(self) -> None:
        """Esc, Cancel or closing the window: a typed excerpt or note is thrown away only if the
        reviewer says so (one stray Esc lost it before)."""
        if self._form() != self._as_opened and not self._discard_confirmed():
            return
        super().reject()

    def _discard_confirmed(self) -> bool:
        # The question in the box itself: some systems show no title on a message box.
        box = QMessageBox(
            QMessageBox.Icon.Question, self.windowTitle(), "Discard this evidence?", parent=self
        )
        box.setInformativeText("What you typed in this form is not saved yet.")
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def _refuse(self, message: str, field: QWidget) -> None:
        """Explain what is wrong and put the cursor where it can be put right."""
        self.error_label.setText(message)
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()

    def _validate_and_accept(self) -> None:
        try:
            url = parse_url(self.url_edit.text())
        except ValueError as error:
            self._refuse(str(error).capitalize() + ".", self.url_edit)
            return
        try:
            date = parse_evidence_date(self.date_edit.text())
        except ValueError as error:
            self._refuse(str(error).capitalize() + ".", self.date_edit)
            return
        if not self.source_picker.typed_name():
            self._refuse("Name the source this evidence comes from.", self.source_picker)
            return
        source = self.source_picker.choice(SourceKind(self.kind_combo.currentData()))
        origin = self.origin_picker.choice(SourceKind(self.origin_kind_combo.currentData()))
        assert source is not None
        new = NewSources()
        self._draft = EvidenceDraft(
            source_id=new.id_of(source),
            stance=Stance(self.stance_combo.currentData()),
            url=url,
            date=date,
            excerpt=self.excerpt_edit.toPlainText().strip(),
            note=self.note_edit.toPlainText().strip(),
            origin_id=new.id_or_none(origin),
        )
        self._new_sources = new
        self.accept()

    def draft(self) -> EvidenceDraft | None:
        """The item as the form says; new sources in it have placeholder ids (see `new_sources`)."""
        return self._draft

    def new_sources(self) -> NewSources:
        """The names typed here that the file does not have yet; wrap the edit with `around`."""
        return self._new_sources


def _kind_combo(default: SourceKind) -> QComboBox:
    combo = QComboBox()
    for kind in SourceKind:
        combo.addItem(kind.label, kind.value)
    combo.setCurrentIndex(combo.findData(default.value))
    return combo


def _ask_kind_if_new(picker: SourcePicker, combo: QComboBox) -> None:
    """The kind combo is live only while the picker names a source the file does not have."""
    new = bool(picker.typed_name()) and not picker.is_none() and picker.existing() is None
    combo.setEnabled(new)
    combo.setToolTip("" if new else "Only asked for a source that is not in this file yet")


def independence_html(result: Independence) -> str:
    """The count, any circular-reporting warning, and the suggested grade with its reason, in words."""
    count = result.independent_count
    parts = [
        f"<b>{counted(count, 'independent origin')}</b> behind the corroboration"
        + (
            f" ({', '.join(html.escape(s.name) for s in result.corroborating_origins)})"
            if result.corroborating_origins
            else ""
        )
        + f" · {counted(result.evidence_items, 'evidence item')}"
    ]
    for warning in result.warnings:
        parts.append(f"<span style='color:{tone('warning')}'>⚠ {html.escape(warning)}</span>")
    suggested = result.suggested_credibility
    parts.append(
        f"Suggested credibility: <b>{suggested} · {CREDIBILITY_LABELS[suggested]}</b> — {html.escape(result.reason)}"
    )
    if result.second_look:
        parts.append(
            f"<span style='color:{tone('error')}'>⚑ Second look: your grade "
            f"{result.reviewer_credibility} differs from the suggestion.</span>"
        )
    return "<br>".join(parts)


class EvidencePanel(QWidget):
    """Evidence items of one claim with add / edit / remove, and the independence summary above them."""

    edit_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._claim_id: int | None = None
        self._items: list[Evidence] = []
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.evidence_list = QListWidget()
        self.evidence_list.setAccessibleName("Evidence items")
        self.evidence_list.setWordWrap(True)
        self.evidence_list.setMinimumHeight(70)
        self.empty_label = QLabel("No evidence yet. Add what other sources say about this claim.")
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        self.empty_label.setWordWrap(True)  # a hint never sets the pane's width
        self.add_button = QPushButton("&Add evidence…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.evidence_list)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_evidence)
        self.edit_button.clicked.connect(self.edit_evidence)
        self.remove_button.clicked.connect(self.remove_evidence)
        self.evidence_list.itemActivated.connect(lambda _: self.edit_evidence())
        self.evidence_list.currentRowChanged.connect(lambda _: self._update_buttons())
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.evidence_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_evidence)
        self.show_claim(None, None, None)

    def show_claim(self, store: Store | None, claim_id: int | None, reviewer: str | None) -> None:
        self._store = store
        self._claim_id = claim_id
        row = self.evidence_list.currentRow()
        self.evidence_list.clear()
        self._items = []
        if store is None or claim_id is None:
            self.summary_label.setText("")
            self._update_buttons()
            return
        self._items = store.evidence_of(claim_id)
        for item in self._items:
            origin = f"relies on {item.origin.name}" if item.origin else "origin not known"
            details = " · ".join(x for x in (item.date, item.url) if x)
            text = f"{item.stance.label.capitalize()}: {item.source.name} ({origin})"
            if details:
                text += f"\n   {details}"
            if item.excerpt:
                text += f"\n   “{item.excerpt}”"
            entry = QListWidgetItem(text)
            entry.setData(EvidenceRole, item.id)
            entry.setToolTip(item.note or text)
            self.evidence_list.addItem(entry)
        if self._items:
            self.evidence_list.setCurrentRow(min(max(row, 0), len(self._items) - 1))
        self.summary_label.setText(independence_html(store.claim_independence(claim_id, reviewer)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_items = bool(self._items)
        self.evidence_list.setVisible(has_items)
        self.empty_label.setVisible(not has_items and self._claim_id is not None)
        self.add_button.setEnabled(self._claim_id is not None)
        selected = self.evidence_list.currentItem() is not None
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _current(self) -> Evidence | None:
        item = self.evidence_list.currentItem()
        if item is None:
            return None
        wanted = item.data(EvidenceRole)
        return next((e for e in self._items if e.id == wanted), None)

    def _ask(self, existing: Evidence | None) -> tuple[EvidenceDraft, NewSources] | None:
        if self._store is None:
            return None
        try:
            dialog = EvidenceDialog(self._store, self, existing)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        except CorroborateError as error:
            QMessageBox.warning(self, "Evidence", error.message)
            return None
        draft = dialog.draft()
        return (draft, dialog.new_sources()) if draft is not None else None

    def add_evidence(self) -> None:
        if self._claim_id is None:
            return
        answer = self._ask(None)
        if answer is not None:
            draft, new = answer
            self.edit_requested.emit(new.around(AddEvidence(self._claim_id, draft)))

    def edit_evidence(self) -> None:
        current = self._current()
        if current is None:
            return
        answer = self._ask(current)
        if answer is not None and answer[0] != current.draft:
            draft, new = answer
            self.edit_requested.emit(new.around(EditEvidence(current.id, draft)))

    def remove_evidence(self) -> None:
        current = self._current()
        if current is not None:
            self.edit_requested.emit(RemoveEvidence(current.id))
