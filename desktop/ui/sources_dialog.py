"""The Sources view: every source of the file with its track record, and the form to correct it.

A reviewer renames a source, changes its kind, sets its default reliability with a rationale, keeps its
address and notes, adds or removes the other names it goes by, and merges two entries that are the same
source. Every change goes through the window's `apply_store_edit`, so it is saved at once, logged, and one
undo step; the view re-reads the file whenever the undo history moves.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.edits import (
    AddAlias,
    Edit,
    MergeSources,
    RemoveAlias,
    RenameSource,
    SetSourceDetails,
    SetSourceKind,
    SetSourceReliability,
)
from desktop.core.errors import CorroborateError
from desktop.core.evidence import SourceRecord, TrackRecord
from desktop.core.grades import RELIABILITY_LABELS
from desktop.core.history import source_change_line
from desktop.core.vocabulary import SourceKind
from desktop.core.wording import counted
from desktop.store.sources import read_track_records
from desktop.ui.columns import set_starting_widths
from desktop.ui.commands import SetReviewField
from desktop.ui.features import FeatureWindow, install_feature_window
from desktop.ui.look import tone
from desktop.ui.steady_combo import SteadyComboBox
from desktop.ui.tasks import Task

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

SourceIdRole = Qt.ItemDataRole.UserRole + 1
NOT_SET = "— not set —"
_Index = QModelIndex | QPersistentModelIndex

COLUMNS: list[tuple[str, str]] = [
    ("Name", "The source's name in this file"),
    ("Kind", "What kind of source it is"),
    ("Aliases", "Other names the same source goes by"),
    ("Address", "Web address"),
    ("Rel.", "Default reliability, A (completely reliable) to F (cannot be judged)"),
    ("Claims", "Claims whose attribution chains include this source"),
    ("Cited", "Claims where the article cites this source directly"),
    ("Origin", "Claims whose information comes from this source (the origin of a chain)"),
    ("Evidence", "Evidence items from this source or resting on it"),
    ("Grades given", "Grades reviewers gave the claims that involve this source"),
]
(
    COL_NAME,
    COL_KIND,
    COL_ALIASES,
    COL_URL,
    COL_RELIABILITY,
    COL_CLAIMS,
    COL_CITED,
    COL_ORIGIN,
    COL_EVIDENCE,
    COL_GRADES,
) = range(len(COLUMNS))
_NUMBER_COLUMNS = (COL_CLAIMS, COL_CITED, COL_ORIGIN, COL_EVIDENCE)


def grades_text(record: SourceRecord) -> str:
    """The grade distribution in a compact form, e.g. 'B×2 C×1 · 2×1 3×2', or '—' when none."""
    track = record.track
    letters = " ".join(f"{letter}×{count}" for letter, count in track.reliability.items())
    numbers = " ".join(f"{number}×{count}" for number, count in track.credibility.items())
    return " · ".join(part for part in (letters, numbers) if part) or "—"


def _sort_key(record: SourceRecord, column: int) -> Any:
    track = record.track
    keys: dict[int, Callable[[], Any]] = {
        COL_NAME: lambda: record.source.name.casefold(),
        COL_KIND: lambda: record.source.kind.label,
        COL_ALIASES: lambda: (not record.aliases, ", ".join(record.aliases).casefold()),
        COL_URL: lambda: (not record.source.url, record.source.url or ""),
        # Unset reliability sorts after F, whichever way the column is ordered first.
        COL_RELIABILITY: lambda: record.default_reliability or "Z",
        COL_CLAIMS: lambda: track.claims,
        COL_CITED: lambda: track.cited_first,
        COL_ORIGIN: lambda: track.as_origin,
        COL_EVIDENCE: lambda: track.evidence_items,
        COL_GRADES: lambda: sum(track.reliability.values()) + sum(track.credibility.values()),
    }
    return (keys[column](), record.source.name.casefold())


def _matches(record: SourceRecord, words: list[str]) -> bool:
    source = record.source
    haystack = " ".join(
        [source.name, source.kind.label, source.url or "", source.notes or "", *record.aliases]
    ).casefold()
    return all(word in haystack for word in words)


class SourcesTableModel(QAbstractTableModel):
    """The file's sources (a few hundred at most, all in memory), filtered and sorted here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[SourceRecord] = []
        self._shown: list[SourceRecord] = []
        self._filter: list[str] = []
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.counted = False  # whether the track records (the count columns) have been read yet

    def set_records(self, records: list[SourceRecord], *, counted: bool) -> None:
        self.beginResetModel()
        self._all = records
        self.counted = counted
        self._arrange()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.casefold().split()
        self._arrange()
        self.endResetModel()

    def total(self) -> int:
        return len(self._all)

    def record(self, row: int) -> SourceRecord:
        return self._shown[row]

    def row_of(self, source_id: int) -> int | None:
        return next((row for row, r in enumerate(self._shown) if r.source.id == source_id), None)

    def _arrange(self) -> None:
        shown = [r for r in self._all if _matches(r, self._filter)] if self._filter else list(self._all)
        shown.sort(
            key=lambda r: _sort_key(r, self._sort_column),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._shown = shown

    # ---- Qt model contract ---------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = [r.source.id for r in self._shown]
        self._sort_column, self._sort_order = column, order
        self._arrange()
        rows = {r.source.id: row for row, r in enumerate(self._shown)}
        for index in self.persistentIndexList():
            moved = rows[old[index.row()]]
            self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        record = self._shown[index.row()]
        column = index.column()
        still_counting = not self.counted and column in (*_NUMBER_COLUMNS, COL_GRADES)
        if role == Qt.ItemDataRole.DisplayRole:
            return "…" if still_counting else _display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Still counting" if still_counting else _tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (*_NUMBER_COLUMNS, COL_RELIABILITY):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == SourceIdRole:
            return record.source.id
        return None


def _display(record: SourceRecord, column: int) -> str:
    source, track = record.source, record.track
    values = {
        COL_NAME: source.name,
        COL_KIND: source.kind.label,
        COL_ALIASES: ", ".join(record.aliases),
        COL_URL: source.url or "",
        COL_RELIABILITY: record.default_reliability or "",
        COL_CLAIMS: str(track.claims),
        COL_CITED: str(track.cited_first),
        COL_ORIGIN: str(track.as_origin),
        COL_EVIDENCE: str(track.evidence_items),
        COL_GRADES: grades_text(record),
    }
    return values[column]


def _tooltip(record: SourceRecord, column: int) -> str | None:
    source = record.source
    if column == COL_KIND:
        return f"{source.kind.label}: {source.kind.caveat}"
    if column == COL_RELIABILITY:
        if record.default_reliability is None:
            return "No default reliability set"
        label = RELIABILITY_LABELS[record.default_reliability]
        why = record.reliability_rationale or "no rationale written"
        return f"{record.default_reliability} · {label}\n{why}"
    if column == COL_NAME:
        return source.notes or source.name
    if column == COL_ALIASES and record.aliases:
        return "\n".join(record.aliases)
    if column == COL_GRADES:
        return "Reliability letters, then credibility numbers, with how many reviews gave each"
    return None


class _LeavingTextEdit(QPlainTextEdit):
    """Multi-line text that counts as one edit when the reviewer leaves it."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.editing_finished.emit()
        super().focusOutEvent(event)


class MergeDialog(QDialog):
    """Pick the source to keep when the selected one turns out to be the same source."""

    def __init__(
        self, merged: SourceRecord, others: list[SourceRecord], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Merge “{merged.source.name}” into…")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"Choose the source to keep. “{merged.source.name}” will become one of its "
            "aliases, and every chain, evidence item and picture credit that names it will name the kept "
            "source instead."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type to narrow the list…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the sources to keep")
        self.list = QListWidget()
        self.list.setAccessibleName("Source to keep")
        for record in others:
            item = QListWidgetItem(f"{record.source.name}  —  {record.source.kind.label}")
            item.setData(SourceIdRole, record.source.id)
            item.setData(Qt.ItemDataRole.UserRole, " ".join([record.source.name, *record.aliases]).casefold())
            self.list.addItem(item)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge…")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept_if_chosen)
        self.buttons.rejected.connect(self.reject)
        self.filter_edit.textChanged.connect(self._narrow)
        self.list.itemDoubleClicked.connect(lambda _: self._accept_if_chosen())
        # Down from the filter goes straight into the list, as in a search field.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.filter_edit)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.list.setFocus)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.filter_edit.setFocus()

    def _narrow(self, text: str) -> None:
        words = text.casefold().split()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not all(word in item.data(Qt.ItemDataRole.UserRole) for word in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = row
        current = self.list.currentItem()
        if (current is None or current.isHidden()) and first_visible is not None:
            self.list.setCurrentRow(first_visible)

    def _accept_if_chosen(self) -> None:
        if self.chosen_id() is not None:
            self.accept()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return int(item.data(SourceIdRole))


class SourcesDialog(FeatureWindow):
    """Sources of the open file: a sortable, filterable table and a form for the selected source."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._record: SourceRecord | None = None
        self._refreshing = False
        self._listing: list[SourceRecord] = []
        self._tracks: dict[int, TrackRecord] | None = None  # None until first counted
        self._count_task: Task | None = None
        self._counting = 0  # numbers each count, so only the newest one's result is shown
        self.setWindowTitle("Sources")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1320, 760)

        # ---- the list ----
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name, alias, kind, address or notes…  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter sources")
        self.model = SourcesTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sources")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Names must be readable first: they get a fixed start width, the last column takes the rest,
        # and a narrow window scrolls sideways rather than cutting names to a few letters.
        header.setStretchLastSection(True)
        set_starting_widths(
            self.table,
            {
                COL_NAME: 33,
                COL_KIND: 21,
                COL_ALIASES: 13,
                COL_URL: 10,
                COL_RELIABILITY: 4,
                COL_CLAIMS: 6,
                COL_CITED: 5,
                COL_ORIGIN: 6,
                COL_EVIDENCE: 7,
                COL_GRADES: 13,
            },
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label)
        self.refresh_button = QPushButton("Re&fresh")
        self.refresh_button.setToolTip("Read every source again from the file (F5)")
        self.refresh_button.setAutoDefault(False)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label, 1)
        count_row.addWidget(self.refresh_button)
        left_layout.addLayout(count_row)

        # ---- the form ----
        self.title_label = QLabel()
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # a source name is never markup
        self.track_label = QLabel()
        self.track_label.setWordWrap(True)
        self.track_label.setTextFormat(Qt.TextFormat.RichText)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setToolTip("Press Enter or leave the field to rename")
        self.kind_combo = SteadyComboBox()
        self.kind_combo.setAccessibleName("Kind")
        for kind in SourceKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.caveat_label = QLabel()
        self.caveat_label.setObjectName("caveat")
        self.caveat_label.setWordWrap(True)
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Web address")
        self.url_edit.setPlaceholderText("https://…")
        self.notes_edit = _LeavingTextEdit()
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Who runs it, its access to what it reports, known record…")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        identity = QGroupBox("Source")
        identity_form = QFormLayout(identity)
        identity_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        identity_form.addRow("&Name", self.name_edit)
        identity_form.addRow("&Kind", self.kind_combo)
        identity_form.addRow("", self.caveat_label)
        identity_form.addRow("Add&ress", self.url_edit)
        identity_form.addRow("N&otes", self.notes_edit)

        self.reliability_combo = SteadyComboBox()
        self.reliability_combo.setAccessibleName("Default reliability")
        self.reliability_combo.addItem(NOT_SET, None)
        for letter, label in RELIABILITY_LABELS.items():
            self.reliability_combo.addItem(f"{letter} · {label}", letter)
        self.rationale_edit = _LeavingTextEdit()
        self.rationale_edit.setAccessibleName("Why this reliability")
        self.rationale_edit.setPlaceholderText("Why? Track record, access to what it reports, interests…")
        self.rationale_edit.setTabChangesFocus(True)
        self.rationale_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        reliability = QGroupBox("Default reliability")
        reliability_form = QFormLayout(reliability)
        reliability_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        reliability_form.addRow("&Grade", self.reliability_combo)
        reliability_form.addRow("&Why", self.rationale_edit)

        self.alias_list = QListWidget()
        self.alias_list.setAccessibleName("Aliases")
        self.alias_list.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.alias_edit = QLineEdit()
        self.alias_edit.setAccessibleName("New alias")
        self.alias_edit.setPlaceholderText("Another name for the same source")
        self.add_alias_button = QPushButton("Add &alias")
        self.remove_alias_button = QPushButton("Remo&ve alias")
        self.remove_alias_button.setToolTip("Remove the selected alias (Delete)")
        aliases = QGroupBox("Aliases")
        alias_layout = QVBoxLayout(aliases)
        alias_layout.addWidget(self.alias_list)
        alias_row = QHBoxLayout()
        alias_row.addWidget(self.alias_edit, 1)
        alias_row.addWidget(self.add_alias_button)
        alias_row.addWidget(self.remove_alias_button)
        alias_layout.addLayout(alias_row)

        self.merge_button = QPushButton("&Merge into…")
        self.merge_button.setToolTip("This source is the same as another: fold it into that one")
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merge_button)
        merge_row.addStretch(1)

        self.history_list = QListWidget()
        self.history_list.setAccessibleName("History of this source")
        self.history_list.setWordWrap(True)
        self.history_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        history = QGroupBox("History")
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.history_list)

        form_body = QWidget()
        form_layout = QVBoxLayout(form_body)
        form_layout.setContentsMargins(8, 0, 8, 8)
        for widget in (self.title_label, self.track_label, identity, reliability, aliases):
            form_layout.addWidget(widget)
        form_layout.addLayout(merge_row)
        form_layout.addWidget(history)
        form_layout.addStretch(1)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setWidget(form_body)
        self.form_area.setMinimumWidth(440)
        self._form_widgets: list[QWidget] = [identity, reliability, aliases, history, self.merge_button]

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.form_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        list_width = self._fit_to_every_column(window)
        splitter.setSizes([list_width, self.form_area.minimumWidth()])
        splitter.setChildrenCollapsible(False)
        close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close_buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close_buttons)
        self.setStyleSheet(
            "#hint { color: palette(placeholder-text); } "
            f"#caveat {{ color: {tone('caveat')}; font-style: italic; }}"
        )

        # The window's undo and redo, so Ctrl+Z here takes back what was done here.
        for action in (window.undo_action, window.redo_action):
            self.addAction(action)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_filter)
        self.addAction(find)

        self.filter_edit.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.name_edit.editingFinished.connect(self._rename)
        self.kind_combo.activated.connect(lambda _: self._set_kind())
        self.reliability_combo.activated.connect(lambda _: self._set_reliability())
        self.rationale_edit.editing_finished.connect(self._set_reliability)
        self.url_edit.editingFinished.connect(self._set_details)
        self.notes_edit.editing_finished.connect(self._set_details)
        self.alias_edit.returnPressed.connect(self._add_alias)
        self.add_alias_button.clicked.connect(self._add_alias)
        self.remove_alias_button.clicked.connect(self._remove_alias)
        self.alias_list.currentRowChanged.connect(lambda _: self._update_alias_buttons())
        self.alias_edit.textChanged.connect(lambda _: self._update_alias_buttons())
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.alias_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove_alias)
        self.merge_button.clicked.connect(self.merge)
        self._history_index = window.undo_stack.index()
        self._grades_stale = False
        window.undo_stack.indexChanged.connect(self._history_moved)
        refresh = QAction(self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self.refresh())
        self.addAction(refresh)
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.refresh()
        self.table.setFocus()

    # ---- reading -------------------------------------------------------------------

    def _history_moved(self, index: int) -> None:
        """An edit, undo or redo anywhere in the window: sources or their counts may have changed."""
        previous, self._history_index = self._history_index, index
        if not self.isVisible():
            return  # opening the view again re-reads everything
        if step_was_grading(self._window.undo_stack, previous, index):
            # A grade changes only the "Grades given" column. Re-reading every source's record on each
            # grading key would slow grading down on a large file, so that column waits for F5.
            self._grades_stale = True
            self._update_count()
            return
        self.refresh()

    def current_source_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.record(index.row()).source.id

    def refresh(self, select: int | None = None) -> None:
        """Re-read every source (after any edit, undo or redo) and keep the same one selected.

        Names, kinds and aliases are read at once; the track records are counted over every chain
        of the file (seconds at a million claims), so that happens in the background and the count
        columns fill in when it is done. Until then they show the last counts, or "…".
        """
        store = self._window.store
        if store is None:
            return
        keep = select if select is not None else self.current_source_id()
        self._grades_stale = False
        self._listing = store.list_sources(counted=False)
        self._show_listing(keep)
        self._count_in_background(store.path)

    def _show_listing(self, keep: int | None) -> None:
        tracks = self._tracks
        records = self._listing
        if tracks is not None:
            records = [
                replace(
                    r,
                    track=tracks.get(r.source.id, TrackRecord())
                    if r.source.id is not None
                    else TrackRecord(),
                )
                for r in records
            ]
        self._refreshing = True
        try:
            self.model.set_records(records, counted=tracks is not None)
            self._select(keep)
        finally:
            self._refreshing = False
        self._show_current()

    def _count_in_background(self, path: Path) -> None:
        if self._count_task is not None:
            self._count_task.cancel()  # its result would be out of date: only the newest counts
        self._counting += 1
        generation = self._counting

        def work(_progress: object, cancelled: Callable[[], bool]) -> dict[int, TrackRecord] | None:
            return read_track_records(path, cancelled)

        def counted(tracks: dict[int, TrackRecord] | None) -> None:
            if generation != self._counting or tracks is None:
                return  # a newer count is on its way, or this one was cancelled
            self._count_task = None
            self._tracks = tracks
            self._show_listing(self.current_source_id())

        def refused(error: CorroborateError) -> None:
            if generation == self._counting:
                self._count_task = None
                self.count_label.setText(f"Track records could not be counted: {error.message}")

        self._count_task = self._window.task_runner.start_read(work, counted, refused)
        self._update_count()

    @property
    def counting(self) -> bool:
        """Whether track records are being counted in the background."""
        return self._count_task is not None

    def select_source(self, source_id: int) -> bool:
        """Put the cursor on a source (clearing the filter if it hides it)."""
        if self.model.row_of(source_id) is None and self.filter_edit.text():
            self.filter_edit.clear()
        found = self.model.row_of(source_id) is not None
        self._select(source_id)
        return found

    def _select(self, source_id: int | None) -> None:
        row = self.model.row_of(source_id) if source_id is not None else None
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is None:
            self.table.setCurrentIndex(QModelIndex())
            return
        self.table.setCurrentIndex(self.model.index(row, COL_NAME))
        self.table.scrollTo(self.model.index(row, COL_NAME))

    def _filter(self, text: str) -> None:
        keep = self.current_source_id()
        self.model.set_filter(text)
        self._select(keep)
        self._show_current()

    def _fit_to_every_column(self, window: QWidget) -> int:
        """Widen the dialog, where the screen has room, until the list shows every column whole;
        returns the list's width. A narrower screen keeps the first size and scrolls the list."""
        table = self.table
        wanted = (
            table.horizontalHeader().length()
            + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth()
            + 24  # the list's margins and the splitter's handle
        )
        form = self.form_area.minimumWidth()
        screen = window.screen()
        room = int(screen.availableGeometry().width() * 0.95) if screen is not None else 0
        width = max(self.width(), min(wanted + form + 40, room))
        self.resize(width, self.height())
        return width - form - 40

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _show_current(self) -> None:
        if self._refreshing:
            return
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        self._record = record
        self._update_count()
        total, shown = self.model.total(), self.model.rowCount()
        if total == 0:
            self.empty_label.setText(
                "This file has no sources yet. They appear here as claims and evidence name them."
            )
        elif shown == 0:
            self.empty_label.setText("No source matches this filter.")
        self.empty_label.setVisible(shown == 0)
        for widget in self._form_widgets:
            widget.setEnabled(record is not None)
        if record is None:
            self.title_label.setText("No source selected")
            self.track_label.setText("")
            self._fill_form(None)
            return
        self.title_label.setText(record.source.name)
        self.track_label.setText(_track_html(record, track_known=self.model.counted))
        self._fill_form(record)

    def _update_count(self) -> None:
        total, shown = self.model.total(), self.model.rowCount()
        text = counted(total, "source") if shown == total else f"{shown:,} of {total:,} sources"
        if self._count_task is not None:
            text += "  ·  counting claims and grades…"
        elif self._grades_stale:
            text += "  ·  grades given have changed since this list was read: Refresh (F5)"
        self.count_label.setText(text)

    def _fill_form(self, record: SourceRecord | None) -> None:
        widgets: tuple[QWidget, ...] = (self.name_edit, self.kind_combo, self.url_edit, self.notes_edit)
        widgets += (self.reliability_combo, self.rationale_edit, self.alias_list, self.history_list)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            source = record.source if record else None
            self.name_edit.setText(source.name if source else "")
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(source.kind.value) if source else -1)
            self.caveat_label.setText(f"Caveat: {source.kind.caveat}" if source else "")
            self.url_edit.setText((source.url or "") if source else "")
            self.notes_edit.setPlainText((source.notes or "") if source else "")
            letter = record.default_reliability if record else None
            self.reliability_combo.setCurrentIndex(max(0, self.reliability_combo.findData(letter)))
            self.rationale_edit.setPlainText(record.reliability_rationale if record else "")
            self.alias_list.clear()
            self.history_list.clear()
            if record is not None and self._window.store is not None:
                self.alias_list.addItems(list(record.aliases))
                changes = self._window.store.source_changes(int(record.source.id or 0))
                for change in reversed(changes):
                    self.history_list.addItem(source_change_line(change, int(record.source.id or 0)))
                if not changes:
                    item = QListWidgetItem("No edits yet: as it came into the file.")
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    self.history_list.addItem(item)
                if not record.aliases:
                    item = QListWidgetItem("No other names.")
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    self.alias_list.addItem(item)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._update_alias_buttons()

    def _update_alias_buttons(self) -> None:
        has_record = self._record is not None
        self.add_alias_button.setEnabled(has_record and bool(self.alias_edit.text().strip()))
        self.remove_alias_button.setEnabled(has_record and self._selected_alias() is not None)
        self.merge_button.setEnabled(has_record and self.model.total() > 1)

    def _selected_alias(self) -> str | None:
        item = self.alias_list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.text()

    # ---- editing -------------------------------------------------------------------

    def _apply(self, edit: Edit, on_saved: Callable[[], None] | None = None) -> bool:
        """Save through the window (one undo step); a refused edit puts the stored values back.

        A long edit is saved in the background: True then means under way, and `on_saved` runs
        once it is saved.
        """
        if self._refreshing:
            return False
        saved = self._window.apply_store_edit(edit, (lambda _applied: on_saved()) if on_saved else None)
        if not saved:
            self._show_current()
        return saved

    def _source_id(self) -> int | None:
        return self._record.source.id if self._record is not None else None

    def _rename(self) -> None:
        source_id, record = self._source_id(), self._record
        name = self.name_edit.text().strip()
        if source_id is None or record is None or name == record.source.name:
            return
        if not name:
            self.name_edit.setText(record.source.name)
            return
        self._apply(RenameSource(source_id, name))

    def _set_kind(self) -> None:
        source_id, record = self._source_id(), self._record
        kind = SourceKind(self.kind_combo.currentData())
        if source_id is not None and record is not None and kind != record.source.kind:
            self._apply(SetSourceKind(source_id, kind))

    def _set_reliability(self) -> None:
        source_id, record = self._source_id(), self._record
        if source_id is None or record is None:
            return
        letter = self.reliability_combo.currentData()
        rationale = self.rationale_edit.toPlainText().strip()
        if (letter, rationale) != (record.default_reliability, record.reliability_rationale):
            self._apply(SetSourceReliability(source_id, letter, rationale))

    def _set_details(self) -> None:
        source_id, record = self._source_id(), self._record
        if source_id is None or record is None:
            return
        url = self.url_edit.text().strip() or None
        notes = self.notes_edit.toPlainText().strip() or None
        if (url, notes) != (record.source.url, record.source.notes):
            self._apply(SetSourceDetails(source_id, url, notes))

    def _add_alias(self) -> None:
        source_id = self._source_id()
        alias = self.alias_edit.text().strip()
        if source_id is None or not alias:
            return
        if self._apply(AddAlias(source_id, alias)):
            self.alias_edit.clear()

    def _remove_alias(self) -> None:
        source_id, alias = self._source_id(), self._selected_alias()
        if source_id is not None and alias is not None:
            self._apply(RemoveAlias(source_id, alias))

    def merge(self) -> None:
        """Fold the selected source into one the reviewer picks, after a confirmation naming both."""
        record = self._record
        store = self._window.store
        if record is None or record.source.id is None or store is None:
            return
        others = [r for r in store.list_sources(counted=False) if r.source.id != record.source.id]
        if not others:
            return
        dialog = MergeDialog(record, others, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        keep_id = dialog.chosen_id()
        keep = next((r for r in others if r.source.id == keep_id), None)
        if keep is None or keep_id is None:
            return
        if not self.confirm_merge(store.source_record(record.source.id), keep):
            return

        def merged() -> None:
            self.select_source(keep_id)
            self._show_current()

        self._apply(MergeSources(keep_id, record.source.id), merged)

    def confirm_merge(self, merged: SourceRecord, keep: SourceRecord) -> bool:
        """Ask before merging, saying what moves; a separate method so it reads as one decision."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Merge sources")
        box.setText(f"Merge “{merged.source.name}” into “{keep.source.name}”?")
        track = merged.track
        names = [merged.source.name, *merged.aliases]
        box.setInformativeText(
            f"The {counted(track.claims, 'claim')} and {counted(track.evidence_items, 'evidence item')} "
            f"that name “{merged.source.name}” will name “{keep.source.name}”, and "
            f"{', '.join(f'“{n}”' for n in names)} become{'s' if len(names) == 1 else ''} "
            f"{'an alias' if len(names) == 1 else 'aliases'} of it. "
            f"“{keep.source.name}” keeps its own kind and default reliability.\n\n"
            "Ctrl+Z takes the merge back."
        )
        merge = box.addButton("&Merge", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(merge)
        box.exec()
        return box.clickedButton() is merge


def step_was_grading(stack: QUndoStack, previous: int, index: int) -> bool:
    """Whether one step of the undo history, from `previous` to `index`, was a grade or rationale edit."""
    if abs(index - previous) != 1:
        return False
    return isinstance(stack.command(min(previous, index)), SetReviewField)


def _track_html(record: SourceRecord, *, track_known: bool) -> str:
    track = record.track
    source = record.source
    kind = f"<span style='color:palette(placeholder-text)'>{html.escape(source.kind.label)}</span>"
    if not track_known:
        return f"{kind}<br>Counting the claims and evidence that name this source…"
    parts = [
        kind,
        f"In {counted(track.claims, 'claim')}: cited directly in {track.cited_first:,}, "
        f"origin of {track.as_origin:,}; {counted(track.evidence_items, 'evidence item')}.",
    ]
    if track.reliability or track.credibility:
        parts.append(f"Grades reviewers gave those claims: {html.escape(grades_text(record))}")
    else:
        parts.append("No reviewer has graded those claims yet.")
    return "<br>".join(parts)


def install(window: MainWindow) -> None:
    """View › Sources… (Ctrl+Shift+S): one Sources window per main window, open while a file is."""
    install_feature_window(window, window.view_menu, "&Sources…", "Ctrl+Shift+S", SourcesDialog)
