"""Plumbing shared by the window's optional features (Sources view, attribution picture…)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class RefreshableWindow(Protocol):
    """A feature window that can re-read the open file when it is asked for again."""

    def refresh(self) -> None: ...
    def show(self) -> None: ...
    def raise_(self) -> None: ...
    def activateWindow(self) -> None: ...
    def close(self) -> bool: ...
    def deleteLater(self) -> None: ...


def install_feature_window(
    window: MainWindow,
    menu: QMenu,
    text: str,
    shortcut: str,
    make: Callable[[MainWindow], RefreshableWindow],
) -> QAction:
    """One action opening one non-modal window per main window, enabled while a file is open.

    The window is built on first use, refreshed when asked for again, and closed with the file.
    """
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.setEnabled(window.store is not None)
    window.addAction(action)
    menu.addAction(action)
    holder: dict[str, RefreshableWindow] = {}

    def show() -> None:
        if window.store is None:
            return
        shown = holder.get("window")
        if shown is None:
            shown = holder["window"] = make(window)
        else:
            shown.refresh()
        shown.show()
        shown.raise_()
        shown.activateWindow()

    def file_closed() -> None:
        action.setEnabled(False)
        shown = holder.pop("window", None)
        if shown is not None:
            shown.close()
            shown.deleteLater()

    action.triggered.connect(show)
    window.store_opened.connect(lambda _: action.setEnabled(True))
    window.store_closed.connect(file_closed)
    return action
