"""What the window's widgets share in how they look: hint and error colours, combo widths.

Colours go through the palette, not style sheets: a style sheet on a panel hands all its children
to Qt's style-sheet style, which made a source picker lay out every one of a file's sources (5,000
of them: 0.2 s) each time the picker was built for a picture claim.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QWidget

ERROR_COLOUR = QColor("#b00020")


def muted(widget: QWidget) -> None:
    """Secondary text: the palette's placeholder colour, which follows light and dark themes."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def alarming(widget: QWidget) -> None:
    """An error's text, in red."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
    widget.setPalette(palette)


def compact(combo: QComboBox, characters: int, *, list_characters: int = 0) -> None:
    """A combo as wide as `characters` of its font, never as wide as its longest entry.

    Sized by its longest entry, a combo pushes a form or a bar past the screen, and measuring a
    long list (every source of a file) takes time besides. With `list_characters` the open list is
    at least that wide and shows every entry whole.
    """
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    if list_characters:
        combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        combo.view().setMinimumWidth(combo.fontMetrics().averageCharWidth() * list_characters)
