"""Acting on a dialog or menu that opens modally, as a person would: the code that opened it waits
for it to close, so the actions are scheduled on the event loop before it is opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget


def when_dialog_opens(dialog_type: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Call `act` on the next modal dialog of `dialog_type`, once it is shown.

    A failing step closes the dialog, so the test fails instead of waiting for it for ever.
    """

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, dialog_type):
            QTimer.singleShot(20, look)
            return
        try:
            act(dialog)
        except BaseException:
            dialog.done(QDialog.DialogCode.Rejected)
            raise

    QTimer.singleShot(0, look)


def when_menu_opens(act: Callable[[QMenu], None]) -> list[str]:
    """Call `act` on the next popup menu, then close it; returns the texts of its entries."""
    seen: list[str] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, look)
            return
        seen.extend(action.text() for action in menu.actions() if action.text())
        try:
            act(menu)
        finally:
            menu.close()

    QTimer.singleShot(0, look)
    return seen


def ask_for_context_menu(widget: QWidget, where: QPoint) -> None:
    """What a right-click at `where` sends a widget (the offscreen platform sends none itself)."""
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, widget.mapToGlobal(where), Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


Opened = TypeVar("Opened", bound=QDialog)


def open_by_key(
    window: Any, qtbot: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier, kind: type[Opened]
) -> Opened:
    """Press `key` in the claims table and wait for the window of `kind` it opens; made the active
    window, as a window manager would, so keys reach it."""
    window.table.setFocus()
    qtbot.keyClick(window.table, key, modifiers)
    qtbot.waitUntil(lambda: window.findChild(kind) is not None, timeout=20_000)
    opened: Opened = window.findChild(kind)
    qtbot.waitUntil(opened.isVisible)
    opened.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened, timeout=20_000)
    return opened
