"""What the window's widgets share in how they look: hint, warning and error colours, combo widths.

Colours go through the palette, not style sheets: a style sheet on a panel hands all its children
to Qt's style-sheet style, which made a source picker lay out every one of a file's sources (5,000
of them: 0.2 s) each time the picker was built for a picture claim.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

# Each tone's colour on a light theme and on a dark one: the light theme's dark red on a dark
# window is nearly black on black. Each keeps a contrast of at least 4.5:1 (WCAG AA) against the
# windows and text boxes of Qt's standard light palette and of a typical dark one (tests/gui/test_tones.py).
TONES = {
    "error": ("#b00020", "#ff8a80"),
    "warning": ("#a34f00", "#ffb74d"),
    "caveat": ("#8a4b00", "#ffcc80"),
    "accepted": ("#1b6e2a", "#81c784"),
    "rejected": ("#8a1c1c", "#ef9a9a"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text boxes are dark in `palette` (the application's when None)."""
    palette = palette if palette is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone(name: str, palette: QPalette | None = None) -> str:
    """The colour (#rrggbb) of tone `name` ("error", "warning", …) for `palette`'s theme."""
    light, dark = TONES[name]
    return dark if is_dark(palette) else light


def muted(widget: QWidget) -> None:
    """Secondary text: the palette's placeholder colour, which follows light and dark themes."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def alarming(widget: QWidget) -> None:
    """An error's text, in the theme's red."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(tone("error", palette)))
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
