"""View › Larger text, Smaller text, Normal text size: the claims and the detail pane, for a long shift.

What a reviewer reads all day grows and shrinks: the claims table and the detail pane. Menus,
toolbars and the filter bar keep the system's size, so the window never grows wider than the
screen. The size is remembered and set before the first file opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

SMALLEST, LARGEST = 7.0, 24.0


class TextSize:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.normal = QApplication.font().pointSizeF()  # the system's own size
        self.larger_action = window._action("&Larger text")
        self.larger_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self.smaller_action = window._action("S&maller text", QKeySequence.StandardKey.ZoomOut)
        self.normal_action = window._action("&Normal text size", "Ctrl+0")
        window.view_menu.addSeparator()
        window.view_menu.addActions([self.larger_action, self.smaller_action, self.normal_action])
        self.larger_action.triggered.connect(lambda: self.set_points(self.points() + 1))
        self.smaller_action.triggered.connect(lambda: self.set_points(self.points() - 1))
        self.normal_action.triggered.connect(lambda: self.set_points(self.normal))
        remembered = window.settings.text_points
        if remembered is not None and remembered != self.normal:
            self._apply(remembered)  # nothing to do, and nothing paid, at the system's size

    def points(self) -> float:
        return self.window.table.font().pointSizeF()

    def set_points(self, points: float) -> None:
        points = max(SMALLEST, min(LARGEST, points))
        before = self.points()
        self._apply(points)
        self.window.table.fit_columns_to_text(points / before)
        self.window.settings.text_points = None if points == self.normal else points
        self.window.statusBar().showMessage(f"Text size {points:g} points", 3000)

    def _apply(self, points: float) -> None:
        window = self.window
        for reading in (window.table, window.detail):
            font = QFont(reading.font())
            font.setPointSizeF(points)
            reading.setFont(font)  # and so to everything inside it
        window.table.fit_rows_to_text()
        window.detail.fit_to_text()


def install(window: MainWindow) -> TextSize:
    return TextSize(window)
