"""Text colours the window's hints and errors share, set through the palette.

Not style sheets: a style sheet on a panel hands all its children to Qt's style-sheet style, which
made a source picker lay out every one of a file's sources (5,000 of them: 0.2 s) each time the
picker was built for a picture claim.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

ERROR_COLOUR = QColor("#b00020")


def muted(widget: QWidget) -> None:
    """Secondary text: the palette's placeholder colour, which follows light and dark themes."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def alarming(widget: QWidget) -> None:
    """An error's text, in red."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
    widget.setPalette(palette)
