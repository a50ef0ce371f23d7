"""Provenance of a media claim (a photo or video): who it is credited to, and what it really is.

The credited account is often a re-poster, not the origin, so the form asks that separately, together
with what is known of the original and schema.org MediaReview's authenticity category. A save leaves as
an `edit_requested` signal carrying `SetMedia`; the window applies it as one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.edits import SetMedia
from desktop.core.evidence import MediaCategory, MediaDraft, MediaInfo
from desktop.core.model import ClaimDetail, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.ui.look import alarming, compact, muted
from desktop.ui.source_picker import NewSources, SourcePicker
from desktop.ui.steady_combo import SteadyComboBox

NOT_KNOWN = "— not known —"
NOT_ASSESSED = "— not assessed yet —"
# A name typed here that is not yet a source is almost always an account that posted the picture.
NEW_CREDIT_KIND = SourceKind.SOCIAL_MEDIA


def image_credit(detail: ClaimDetail) -> Source | None:
    """The source of the first image-credit hop in the claim's chains, if any."""
    for chain in detail.chains:
        for hop in chain:
            if hop.relation is Relation.IMAGE_CREDIT:
                return hop.source
    return None


def is_media_claim(detail: ClaimDetail, media: MediaInfo | None) -> bool:
    """A claim about a picture or video: one with recorded provenance or an image-credit hop."""
    return media is not None or image_credit(detail) is not None


class MediaPanel(QWidget):
    """The media-provenance form for one claim; `show_claim` fills it, Save emits `edit_requested`."""

    edit_requested = Signal(object)  # SetMedia

    def __init__(self, store: Store | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._detail: ClaimDetail | None = None
        self._stored: MediaDraft | None = None

        self.credit_picker: SourcePicker | None = None
        # What the picker was filled from: the file and its sources' ids and names.
        self._picker_store: Store | None = None
        self._picker_sources: list[tuple[int, str]] = []
        self._picker_slot = QHBoxLayout()
        self._picker_slot.setContentsMargins(0, 0, 0, 0)
        self.credit_hint = QLabel(f"A new name is added as a {NEW_CREDIT_KIND.label}.")
        muted(self.credit_hint)
        self.credit_hint.setWordWrap(True)  # a hint never sets the pane's width

        # No letter of their own: the question's letter reaches the chosen one, arrows the others.
        self.origin_yes = QRadioButton("Yes, it made the picture")
        self.origin_no = QRadioButton("No, it passes on someone else's")
        self.origin_unknown = QRadioButton("Not known")
        self.origin_group = QButtonGroup(self)
        # Stacked, so the form fits the narrow detail pane without a horizontal scroll bar.
        origin_row = QVBoxLayout()
        origin_row.setContentsMargins(0, 0, 0, 0)
        origin_row.setSpacing(2)
        for button in (self.origin_yes, self.origin_no, self.origin_unknown):
            self.origin_group.addButton(button)
            origin_row.addWidget(button)

        self.original_edit = QPlainTextEdit()
        self.original_edit.setAccessibleName("What is known of the original")
        self.original_edit.setPlaceholderText(
            "Earliest copy found, who first posted it, when and where it was taken…"
        )
        self.original_edit.setTabChangesFocus(True)
        self.fit_to_text()

        self.category_combo = SteadyComboBox()
        self.category_combo.setAccessibleName("Authenticity (schema.org MediaReview)")
        # Sized to the pane, not to its longest label: that one pushed the pane past its width
        # and gave the whole detail pane a horizontal scroll bar. The open list shows labels whole.
        compact(self.category_combo, 20)
        self.category_combo.addItem(NOT_ASSESSED, None)
        for category in MediaCategory:
            self.category_combo.addItem(category.label.capitalize(), category.value)
            self.category_combo.setItemData(
                self.category_combo.count() - 1,
                f"schema.org {category.value} ({category.url})",
                Qt.ItemDataRole.ToolTipRole,
            )
        labels = (self.category_combo.itemText(i) for i in range(self.category_combo.count()))
        widest = max(self.category_combo.fontMetrics().horizontalAdvance(label) for label in labels)
        self.category_combo.view().setMinimumWidth(widest + 32)

        self.state_label = QLabel()
        muted(self.state_label)
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes source names
        self.error_label = QLabel()
        alarming(self.error_label)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.save_button = QPushButton("Save &provenance")
        self.save_button.setToolTip("Save what the form says (one undo step)")
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Put back what is saved")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Forget the saved provenance of this picture")

        picker_holder = QWidget()
        picker_holder.setLayout(self._picker_slot)
        form = QFormLayout()
        # A row too wide for the pane (a larger text size) puts its label above its field.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Mnemonics avoid the letters the detail pane and the menu bar already use
        # (tests/gui/test_mnemonics.py checks the whole window).
        self._credit_label = QLabel("Cred&ited to")
        form.addRow(self._credit_label, picker_holder)
        form.addRow("", self.credit_hint)
        origin_label = QLabel("Is the credit the origi&n?")
        origin_label.setWordWrap(True)
        origin_label.setBuddy(self.origin_unknown)
        self.origin_group.buttonToggled.connect(
            lambda button, checked: origin_label.setBuddy(button) if checked else None
        )
        form.addRow(origin_label, origin_row)
        original_label = QLabel("What is &known of the original")
        original_label.setBuddy(self.original_edit)
        original_label.setWordWrap(True)
        form.addRow(original_label, self.original_edit)
        category_label = QLabel("A&uthenticity")
        category_label.setBuddy(self.category_combo)
        form.addRow(category_label, self.category_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        self.clear_button.clicked.connect(self._clear)
        self.show_claim(None, None)

    # ---- showing -------------------------------------------------------------------

    def fit_to_text(self) -> None:
        """Boxes as tall as the lines they should show, at the present text size."""
        self.original_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def set_store(self, store: Store | None) -> None:
        """The open file, whose sources the credit picker offers."""
        self._store = store

    @property
    def claim_id(self) -> int | None:
        return self._detail.id if self._detail is not None else None

    def show_claim(self, detail: ClaimDetail | None, media: MediaInfo | None) -> None:
        """Fill the form from what is saved; with nothing saved, suggest the chain's image credit."""
        self._detail = detail
        self._stored = media.draft if media is not None else None
        self._rebuild_picker()
        self.error_label.hide()
        enabled = detail is not None and self._store is not None
        for widget in (
            self.origin_yes,
            self.origin_no,
            self.origin_unknown,
            self.original_edit,
            self.category_combo,
            self.save_button,
            self.revert_button,
        ):
            widget.setEnabled(enabled)
        self.clear_button.setEnabled(enabled and media is not None)
        if detail is None:
            self.state_label.setText("No claim selected.")
            self._fill(MediaDraft())
            return
        if media is not None:
            self._fill(media.draft)
            self.state_label.setText("Saved provenance of this picture.")
            return
        credit = image_credit(detail)
        self._fill(MediaDraft(credited_to_id=credit.id if credit is not None else None))
        self.state_label.setText(
            f"Nothing saved yet. “Credited to” is suggested from the chain's image credit ({credit.name})."
            if credit is not None
            else "Nothing saved yet."
        )

    def _rebuild_picker(self) -> None:
        """Offer the file's sources as they are now (renamed, merged or new ones included).

        The picker is built again only when that list has changed: a file may hold thousands of
        sources, and filling a new picker with them costs far more than reading them.
        """
        if self._store is None:
            self._drop_picker()
            return
        if self._detail is None:
            return  # the form is hidden for claims that are not about a picture
        sources = self._store.source_names()
        if (
            self.credit_picker is not None
            and self._picker_store is self._store
            and self._picker_sources == sources
        ):
            self.credit_picker.setCurrentIndex(-1)  # forget a name typed for the previous claim
            return
        self._drop_picker()
        self.credit_picker = SourcePicker(self._store, allow_none=NOT_KNOWN)
        self.credit_picker.setAccessibleName("Credited to")
        # Narrower than a dialog's picker: the pane must fit its width at a larger text size too.
        compact(self.credit_picker, 16, list_characters=36)
        self._picker_slot.addWidget(self.credit_picker)
        self._credit_label.setBuddy(self.credit_picker)
        self.setTabOrder(self.credit_picker, self.origin_yes)
        self._picker_store, self._picker_sources = self._store, sources

    def _drop_picker(self) -> None:
        if self.credit_picker is not None:
            self._picker_slot.removeWidget(self.credit_picker)
            self.credit_picker.deleteLater()
            self.credit_picker = None
        self._picker_store, self._picker_sources = None, []

    def _fill(self, draft: MediaDraft) -> None:
        if self.credit_picker is not None:
            self.credit_picker.select_source(draft.credited_to_id)
        button = {True: self.origin_yes, False: self.origin_no, None: self.origin_unknown}[
            draft.credit_is_origin
        ]
        button.setChecked(True)
        self.original_edit.setPlainText(draft.original_known)
        category = draft.category.value if draft.category is not None else None
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(category)))

    # ---- editing -------------------------------------------------------------------

    def draft(self) -> MediaDraft:
        """What the form says now (a new name typed as the credit has a placeholder id)."""
        return self._draft_with_new_sources()[0]

    def _draft_with_new_sources(self) -> tuple[MediaDraft, NewSources]:
        new = NewSources()
        credited: Source | None = None
        if self.credit_picker is not None:
            credited = self.credit_picker.choice(NEW_CREDIT_KIND)
        is_origin = True if self.origin_yes.isChecked() else False if self.origin_no.isChecked() else None
        category = self.category_combo.currentData()
        draft = MediaDraft(
            credited_to_id=new.id_or_none(credited),
            credit_is_origin=is_origin,
            original_known=self.original_edit.toPlainText().strip(),
            category=MediaCategory(category) if category is not None else None,
        )
        return draft, new

    def save(self) -> None:
        if self._detail is None or self._store is None:
            return
        draft, new = self._draft_with_new_sources()
        if draft.credit_is_origin and draft.credited_to_id is None:
            self._show_error("Say who the picture is credited to before calling the credit its origin.")
            return
        self.error_label.hide()
        if draft == self._stored:
            self.state_label.setText("Nothing changed since the last save.")
            return
        self.edit_requested.emit(new.around(SetMedia(self._detail.id, draft)))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _revert(self) -> None:
        if self._detail is not None:
            media = self._store.media_info(self._detail.id) if self._store is not None else None
            self.show_claim(self._detail, media)

    def _clear(self) -> None:
        if self._detail is not None and self._stored is not None:
            self.edit_requested.emit(SetMedia(self._detail.id, None))
