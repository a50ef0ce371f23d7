"""Review › Claim history… (Ctrl+H): who changed the current claim, what, and when.

A window beside the main one that follows the claim the table is on: where the claim came from,
then every logged change to it (grades, status, rationale, chain, evidence, media), a colleague's
merged changes included, and the changes to the sources it relies on, newest first, in local time.
The selected change's detail (a whole rationale before and after, an evidence item) shows below.
It reads again after every edit, undo or redo, and when it comes to the front. The words come from
desktop/core/history.py, the rows from the store: nothing here knows how the log is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from desktop.core.errors import CorroborateError
from desktop.core.history import ClaimHistory, HistoryEntry
from desktop.core.wording import local_time
from desktop.ui.features import FeatureWindow, install_feature_window
from desktop.ui.look import muted

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TITLE = "Claim history"
COL_WHEN, COL_WHO, COL_WHAT = range(3)
NO_DETAIL = "Nothing more to show for this change: its line above says it all."


class HistoryWindow(FeatureWindow):
    """The history of the claim the main window is on, kept up to date."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.history: ClaimHistory | None = None
        self.setWindowTitle(TITLE)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.claim_label = QLabel()
        self.claim_label.setWordWrap(True)
        self.claim_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.claim_label.font()
        font.setBold(True)
        self.claim_label.setFont(font)
        self.came_from_label = QLabel()
        self.came_from_label.setWordWrap(True)
        self.came_from_label.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.came_from_label)
        self.sources_box = QCheckBox("&Include changes to the sources it relies on")
        self.sources_box.setToolTip(
            "Renames, kinds, default grades, other names and merges of the sources in its chains, "
            "its evidence and its media credit"
        )
        self.sources_box.setChecked(True)
        self.sources_box.toggled.connect(self.refresh)

        self.changes = QTreeWidget()
        self.changes.setAccessibleName("Changes, newest first")
        self.changes.setColumnCount(3)
        self.changes.setHeaderLabels(["When", "Who", "What"])
        self.changes.setRootIsDecorated(False)
        self.changes.setUniformRowHeights(True)
        self.changes.setAlternatingRowColors(True)
        self.changes.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.changes.setAllColumnsShowFocus(True)
        header = self.changes.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(COL_WHEN, QHeaderView.ResizeMode.Interactive)
        self.changes.setColumnWidth(COL_WHEN, starting_width_for(self.changes, "2026-12-31 23:59"))
        self.changes.setColumnWidth(COL_WHO, starting_width_for(self.changes, "reviewer name"))
        self.changes.currentItemChanged.connect(lambda *_: self._show_detail())
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(12, 24, 12, 12)
        muted(self.empty_label)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.changes)
        self.list_stack.addWidget(self.empty_label)

        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("Detail of the selected change")
        self.detail.setPlaceholderText(NO_DETAIL)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        # Most changes say it all in their line: the detail starts a few lines tall.
        splitter.setSizes([400, self.detail.fontMetrics().lineSpacing() * 6])

        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the selected changes, or all of them, as lines of text (Ctrl+C)")
        self.copy_button.clicked.connect(self.copy)
        copy_action = QAction(self)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_action.triggered.connect(self.copy)
        self.changes.addAction(copy_action)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in buttons.buttons():
            # Enter belongs to the find box or the list, never to a default button closing the window.
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.claim_label)
        layout.addWidget(self.came_from_label)
        options = QHBoxLayout()
        options.addWidget(self.sources_box)
        options.addStretch()
        layout.addLayout(options)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(860, 560)

        window.table.current_claim_changed.connect(lambda _: self.refresh())
        window.undo_stack.indexChanged.connect(lambda _: self.refresh())
        if window.model is not None:
            # Listed again after a merge of a colleague's copy, which brings their changes in.
            window.model.modelReset.connect(self.refresh)
        self.refresh()
        self.changes.setFocus()

    # ---- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the history of the claim the main window is on (again)."""
        if not self.isVisible() and self.history is not None:
            return  # hidden: read when shown again (see showEvent)
        store, claim_id = self._window.store, self._window.table.current_claim_id()
        if store is None or claim_id is None:
            self._show_nothing("No claim is selected. Choose one in the claims table to see its history.")
            return
        try:
            history = store.claim_history(claim_id, with_sources=self.sources_box.isChecked())
        except CorroborateError as error:  # the claim went away meanwhile (a file closed, replaced)
            self._show_nothing(error.message)
            return
        kept = self._selected_ids()
        self.history = history
        self.setWindowTitle(f"{TITLE} — claim {claim_id}")
        self.claim_label.setText(f"Claim {claim_id}: {history.text}")
        self.came_from_label.setText(history.came_from)
        self._fill(history.entries, kept)

    def _show_nothing(self, message: str) -> None:
        self.history = None
        self.setWindowTitle(TITLE)
        self.claim_label.setText("")
        self.came_from_label.setText("")
        self.changes.clear()
        self.empty_label.setText(message)
        self._show_list(False)

    def _show_list(self, shown: bool) -> None:
        """The list of changes and its detail, or (nothing to list) the empty label alone."""
        self.list_stack.setCurrentWidget(self.changes if shown else self.empty_label)
        self.detail.setVisible(shown)
        self.copy_button.setEnabled(shown)
        self._show_detail()

    def _fill(self, entries: tuple[HistoryEntry, ...], kept: set[int]) -> None:
        self.changes.clear()
        if not entries:
            self.empty_label.setText(
                "No changes yet: nobody has graded or edited this claim, and its sources have not changed."
                if self.sources_box.isChecked()
                else "No changes to this claim yet: nobody has graded or edited it."
            )
            self._show_list(False)
            return
        items = []
        for entry in entries:
            item = QTreeWidgetItem([local_time(entry.at), entry.reviewer, entry.what])
            item.setData(COL_WHEN, Qt.ItemDataRole.UserRole, entry.change_id)
            item.setToolTip(COL_WHEN, f"{entry.at} (UTC)")
            item.setToolTip(COL_WHAT, entry.what + (f"\n\n{entry.detail}" if entry.detail else ""))
            if entry.about_source:
                font = item.font(COL_WHAT)
                font.setItalic(True)
                item.setFont(COL_WHAT, font)
            items.append(item)
        self.changes.addTopLevelItems(items)
        chosen = [item for item in items if item.data(COL_WHEN, Qt.ItemDataRole.UserRole) in kept]
        self.changes.setCurrentItem(chosen[0] if chosen else items[0])
        for item in chosen:
            item.setSelected(True)
        self._show_list(True)

    def _selected_ids(self) -> set[int]:
        return {int(item.data(COL_WHEN, Qt.ItemDataRole.UserRole)) for item in self.changes.selectedItems()}

    def _entry(self, item: QTreeWidgetItem | None) -> HistoryEntry | None:
        if item is None or self.history is None:
            return None
        change_id = item.data(COL_WHEN, Qt.ItemDataRole.UserRole)
        return next((entry for entry in self.history.entries if entry.change_id == change_id), None)

    def _show_detail(self) -> None:
        entry = self._entry(self.changes.currentItem())
        self.detail.setPlainText(entry.detail if entry is not None else "")

    # ---- acting ----------------------------------------------------------------------------

    def copy(self) -> None:
        """The selected changes (all, when none is selected) as the command line prints them."""
        if self.history is None:
            return
        chosen = self._selected_ids()
        entries = [e for e in self.history.entries if not chosen or e.change_id in chosen]
        lines = [self.claim_label.text(), self.history.came_from] if not chosen else []
        for entry in entries:
            lines.append(f"{local_time(entry.at)}\t{entry.reviewer}\t{entry.what}")
            lines.extend(f"\t\t{line}" for line in entry.detail.splitlines())
        QGuiApplication.clipboard().setText("\n".join(lines))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Back to the front after a merge or an import elsewhere in the window: read again.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh()


def starting_width_for(tree: QTreeWidget, sample: str) -> int:
    """A column wide enough for `sample` in the tree's font, and for its header."""
    return max(tree.fontMetrics().horizontalAdvance(sample) + 24, tree.header().sectionSizeHint(0))


def install(window: MainWindow) -> None:
    """Review › Claim history… (Ctrl+H): one history window per main window, following its claim."""
    action = install_feature_window(window, window.review_menu, "Claim &history…", "Ctrl+H", HistoryWindow)
    action.setStatusTip("Who changed this claim and its sources, what, and when")
