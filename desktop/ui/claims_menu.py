"""The claims table's right-click menu: copying, the three grades and the rationale, in one place.

The same actions as the Edit and Review menus (their keys shown beside them), so the mouse and
the keyboard do exactly the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

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
        menu.exec(table.viewport().mapToGlobal(where))

    table.customContextMenuRequested.connect(show_menu)
