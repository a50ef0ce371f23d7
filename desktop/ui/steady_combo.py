"""A combo box that the mouse wheel scrolls past instead of changing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget


class SteadyComboBox(QComboBox):
    """A combo box whose value only a click or the keyboard changes, never the wheel.

    The detail pane scrolls, and each of its combos saves at once (a grade, a status, a hop's
    relation): a plain combo changes its value when the wheel turns over it, so scrolling the pane
    changed whichever combo passed under the pointer. Here the wheel goes on to the pane; the open
    list still scrolls as usual, and arrow keys still step through the values.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A plain combo also takes the focus from the wheel (Qt.WheelFocus).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # passed on to the scroll area around the combo
