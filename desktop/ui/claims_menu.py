"""The claims table's right-click menus.

On a claim: copying, the three grades, the rationale and the claim's history, the same actions as the
Edit and Review menus (their keys shown beside them), so the mouse and the keyboard do exactly the
same thing.
On the column headers: which columns show (all but the claim itself may be hidden), remembered
with the rest of the header's layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from desktop.ui.claims_model import COL_NUMBER, COL_TEXT, COLUMNS

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    table = window.table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(where: QPoint) -> None:
        if window.model is None or not table.indexAt(where).isValid():
            return  # below the last row, or no file: nothing to act on
        menu = QMenu(table)
        menu.addActions([window.copying.copy_claims_action, window.copying.copy_passages_action])
        menu.addSeparator()
        for submenu in window.grade_menus:
            menu.addMenu(submenu)
        menu.addAction(window.rationale_action)
        # What features add to the Review menu (the claim's history), as they stand now: a feature not
        # used yet has its stand-in entry there, which installs it when chosen.
        entries = window.review_menu.actions()
        later = entries[entries.index(window.review_menu_end) + 1 :]
        if later:
            menu.addSeparator()
            menu.addActions(later)
        menu.exec(table.viewport().mapToGlobal(where))

    table.customContextMenuRequested.connect(show_menu)

    header = table.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_columns_menu(where: QPoint) -> None:
        if window.model is None:
            return
        menu = QMenu(header)
        for column, (label, _sort, description) in enumerate(COLUMNS):
            if column == COL_TEXT:
                continue  # the claim itself always shows
            action = menu.addAction("Claim number" if column == COL_NUMBER else label)
            action.setStatusTip(description)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda shown, column=column: header.setSectionHidden(column, not shown))
        menu.addSeparator()
        menu.addAction("Show all columns").triggered.connect(show_every_column)
        menu.exec(header.mapToGlobal(where))

    def show_every_column() -> None:
        for column in range(header.count()):
            header.showSection(column)

    header.customContextMenuRequested.connect(show_columns_menu)
