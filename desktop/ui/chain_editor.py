"""Editing a claim's attribution chains hop by hop: add, remove, reorder, relation, origin.

Every change leaves as an `edit_requested` signal carrying a desktop.core.edits value;
the window applies it (one transaction, one log row, one undo step).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.edits import AddHop, MoveHop, RemoveHop, SetHopRelation, SetOrigin
from desktop.core.model import ClaimDetail, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.ui.source_picker import NewSources, SourcePicker
from desktop.ui.steady_combo import SteadyComboBox

HopRole = Qt.ItemDataRole.UserRole + 1  # (chain index, position)


class _HopList(QListWidget):
    """The list of hops; `width_changed` when its viewport's width changes (the pane resized, or a
    scroll bar came or went).

    A resize handler, not an event filter on the viewport: a Python event filter runs for every
    event there (each paint, each mouse move), this only when the list is resized.
    """

    width_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._width = -1

    def resizeEvent(self, event: QResizeEvent) -> None:  # the viewport's resizes arrive here too
        super().resizeEvent(event)
        width = self.hop_width()
        if width != self._width:
            self._width = width
            self.width_changed.emit()

    def hop_width(self) -> int:
        """The width the hops wrap to: inside the frame, less the scroll bar when it shows.

        Worked out rather than read from viewport(): the first time Python reaches a viewport the
        bindings set up some sixty widget classes (8 to 20 ms), and this runs before the first paint.
        """
        scroll_bar = self.verticalScrollBar()
        return self.contentsRect().width() - (scroll_bar.width() if scroll_bar.isVisible() else 0)


class HopDialog(QDialog):
    """Ask for a hop's source (existing or new, with its kind) and its relation."""

    def __init__(self, store: Store, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.source_picker = SourcePicker(store)
        self.source_picker.setAccessibleName("Source")
        self.kind_combo = QComboBox()
        for kind in SourceKind:
            self.kind_combo.addItem(f"{kind.label} — {kind.caveat}", kind.value)
        self.relation_combo = QComboBox()
        for relation in Relation:
            self.relation_combo.addItem(relation.label, relation.value)
        self.kind_hint = QLabel("Used only when the name is a new source.")
        self.kind_hint.setStyleSheet("color: palette(placeholder-text);")
        form = QFormLayout()
        form.addRow("&Source", self.source_picker)
        form.addRow("&Kind (new source)", self.kind_combo)
        form.addRow("", self.kind_hint)
        form.addRow("&Relation", self.relation_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_named)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.source_picker.setFocus()
        self.source_picker.currentTextChanged.connect(self._update_kind)
        self._update_kind()

    def _update_kind(self) -> None:
        existing = self.source_picker.existing()
        self.kind_combo.setEnabled(existing is None)
        if existing is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(existing.kind.value))

    def _accept_if_named(self) -> None:
        if self.source_picker.typed_name():
            self.accept()

    def chosen(self) -> tuple[Source, Relation] | None:
        """The source (new ones not yet stored: see NewSources) and how it passes the claim on."""
        source = self.source_picker.choice(SourceKind(self.kind_combo.currentData()))
        if source is None:
            return None
        return source, Relation(self.relation_combo.currentData())


class ChainEditor(QWidget):
    """The chains of one claim as a list of hops, with buttons and keys to change them."""

    edit_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._detail: ClaimDetail | None = None
        # Where the selection should land when the edited claim comes back (a moved or added hop).
        self._select_next: tuple[int, int] | None = None
        self.hop_list = _HopList()
        self.hop_list.setAccessibleName("Attribution chain hops")
        self.hop_list.setWordWrap(True)
        # Its width settles only once the window is laid out and shown, and a narrower list
        # wraps hops onto more lines, so it grows.
        self.hop_list.width_changed.connect(self._fit_list_height)
        self.relation_combo = SteadyComboBox()
        self.relation_combo.setAccessibleName("Relation of the selected hop")
        for relation in Relation:
            self.relation_combo.addItem(relation.label, relation.value)
        self.add_button = QPushButton("A&dd hop…")
        self.add_button.setToolTip("Add a hop after the selected one (Insert)")
        self.new_chain_button = QPushButton("New &chain…")
        self.new_chain_button.setToolTip("Another source the article cites for this claim")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected hop (Delete)")
        self.up_button = QPushButton("↑")
        self.up_button.setToolTip("Move the hop toward the article (Alt+Up)")
        self.down_button = QPushButton("↓")
        self.down_button.setToolTip("Move the hop toward the origin (Alt+Down)")
        self.origin_button = QPushButton("Mark &origin")
        self.origin_button.setToolTip("Mark the selected hop as where the information comes from")
        for button in (self.up_button, self.down_button):
            button.setFixedWidth(36)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.new_chain_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        relation_row = QHBoxLayout()
        relation_row.addWidget(QLabel("Relation:"))
        relation_row.addWidget(self.relation_combo, 1)
        relation_row.addWidget(self.origin_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hop_list)
        layout.addLayout(relation_row)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_hop)
        self.new_chain_button.clicked.connect(self.add_chain)
        self.remove_button.clicked.connect(self.remove_hop)
        self.up_button.clicked.connect(lambda: self.move_hop(-1))
        self.down_button.clicked.connect(lambda: self.move_hop(1))
        self.origin_button.clicked.connect(self.toggle_origin)
        self.relation_combo.activated.connect(lambda _: self.set_relation())
        self.hop_list.currentRowChanged.connect(lambda _: self._update_controls())
        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.remove_hop),
            ("Insert", self.add_hop),
            ("Alt+Up", lambda: self.move_hop(-1)),
            ("Alt+Down", lambda: self.move_hop(1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.hop_list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._update_controls()

    # ---- showing -------------------------------------------------------------------

    def show_claim(self, store: Store | None, detail: ClaimDetail | None) -> None:
        self._store = store
        same_claim = detail is not None and self._detail is not None and detail.id == self._detail.id
        previous = (self._select_next or self.selected()) if same_claim else None
        self._select_next = None
        self._detail = detail
        # Rebuilding emits currentRowChanged with items of the previous claim: keep it quiet.
        self.hop_list.blockSignals(True)
        self.hop_list.clear()
        if detail is not None:
            for chain_index, chain in enumerate(detail.chains):
                origin_position = next((i for i, hop in enumerate(chain) if hop.is_origin), len(chain) - 1)
                for position, hop in enumerate(chain):
                    prefix = f"Chain {chain_index + 1} · " if len(detail.chains) > 1 else ""
                    marks = []
                    if position == 0:
                        marks.append("cited by the article")
                    if position == origin_position:
                        marks.append("origin" + (" (marked)" if hop.is_origin else ""))
                    # No-break spaces inside the marks: a narrow pane moves "[cited by the article,
                    # origin]" to the next line whole instead of splitting it mid-phrase.
                    marked = f"[{', '.join(marks)}]".replace(" ", "\u00a0")
                    text = (
                        f"{prefix}{position + 1}. {hop.source.name} — {hop.relation.label}"
                        + (f"   {marked}" if marks else "")
                        + f"\n      {hop.source.kind.label}: {hop.source.kind.caveat}"
                    )
                    item = QListWidgetItem(text)
                    item.setData(HopRole, (chain_index, position))
                    item.setToolTip(html.escape(hop.source.notes or hop.source.name))
                    self.hop_list.addItem(item)
            if self.hop_list.count():
                self._select(previous if previous is not None else (0, 0))
        self.hop_list.blockSignals(False)
        self._fit_list_height()
        self._update_controls()

    def fit_to_text(self) -> None:
        """Refit the hop list to its hops at the present text size."""
        self._fit_list_height()

    def _fit_list_height(self) -> None:
        """As tall as its first four hops, so the pane neither fills with an empty box nor cuts a hop off."""
        hop_list = self.hop_list
        rows = min(4, max(1, hop_list.count()))
        if hop_list.count() and hop_list.hop_width() > 100:
            # Laid out now, at the list's present width: each hop as tall as the view itself wraps
            # it, margins and spacing included, whatever the style and font.
            hop_list.doItemsLayout()
            content = sum(hop_list.visualItemRect(hop_list.item(row)).height() for row in range(rows))
            content += 2 * hop_list.spacing() * rows
        else:
            # Not laid out yet (or empty): allow each hop three wrapped lines.
            content = rows * (3 * hop_list.fontMetrics().lineSpacing() + 6)
        hop_list.setFixedHeight(content + 2 * hop_list.frameWidth())

    def selected(self) -> tuple[int, int] | None:
        item = self.hop_list.currentItem()
        hop: tuple[int, int] | None = item.data(HopRole) if item is not None else None
        return hop

    def _select(self, wanted: tuple[int, int]) -> None:
        for row in range(self.hop_list.count()):
            if self.hop_list.item(row).data(HopRole) == wanted:
                self.hop_list.setCurrentRow(row)
                return
        self.hop_list.setCurrentRow(min(self.hop_list.count() - 1, 0))

    def _update_controls(self) -> None:
        has_claim = self._detail is not None
        selected = self.selected()
        for button in (self.add_button, self.new_chain_button):
            button.setEnabled(has_claim)
        for widget in (
            self.remove_button,
            self.up_button,
            self.down_button,
            self.origin_button,
            self.relation_combo,
        ):
            widget.setEnabled(selected is not None)
        if selected is not None and self._detail is not None:
            chain_index, position = selected
            hop = self._detail.chains[chain_index][position]
            self.relation_combo.setCurrentIndex(self.relation_combo.findData(hop.relation.value))
            self.origin_button.setText("Unmark &origin" if hop.is_origin else "Mark &origin")
            self.up_button.setEnabled(position > 0)
            self.down_button.setEnabled(position < len(self._detail.chains[chain_index]) - 1)

    # ---- editing -------------------------------------------------------------------

    def _ask_hop(self, title: str) -> tuple[Source, Relation] | None:
        if self._store is None:
            return None
        dialog = HopDialog(self._store, title, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def add_hop(self) -> None:
        if self._detail is None:
            return
        selected = self.selected()
        if selected is None:  # an unattributed claim: its first chain
            self.add_chain()
            return
        chosen = self._ask_hop("Add a hop to the chain")
        if chosen is not None:
            chain_index, position = selected
            source, relation = chosen
            new = NewSources()
            hop = AddHop(self._detail.id, chain_index, position + 1, new.id_of(source), relation)
            self._select_next = (chain_index, position + 1)
            self.edit_requested.emit(new.around(hop))

    def add_chain(self) -> None:
        if self._detail is None:
            return
        chosen = self._ask_hop("Add a source the article cites")
        if chosen is not None:
            source, relation = chosen
            new = NewSources()
            index = len(self._detail.chains)
            hop = AddHop(self._detail.id, index, 0, new.id_of(source), relation, new_chain=True)
            self._select_next = (index, 0)
            self.edit_requested.emit(new.around(hop))

    def remove_hop(self) -> None:
        selected = self.selected()
        if self._detail is not None and selected is not None:
            self.edit_requested.emit(RemoveHop(self._detail.id, *selected))

    def move_hop(self, offset: int) -> None:
        selected = self.selected()
        if self._detail is None or selected is None:
            return
        chain_index, position = selected
        if not 0 <= position + offset < len(self._detail.chains[chain_index]):
            return
        self._select_next = (chain_index, position + offset)
        self.edit_requested.emit(MoveHop(self._detail.id, chain_index, position, offset))

    def set_relation(self) -> None:
        selected = self.selected()
        if self._detail is None or selected is None:
            return
        relation = Relation(self.relation_combo.currentData())
        chain_index, position = selected
        if self._detail.chains[chain_index][position].relation != relation:
            self.edit_requested.emit(SetHopRelation(self._detail.id, chain_index, position, relation))

    def toggle_origin(self) -> None:
        selected = self.selected()
        if self._detail is None or selected is None:
            return
        chain_index, position = selected
        marked = self._detail.chains[chain_index][position].is_origin
        self.edit_requested.emit(SetOrigin(self._detail.id, chain_index, None if marked else position))
