"""The empty state: shown when no file is open, offering to open, create or reopen a recent file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    """What a reviewer sees before any file is open."""

    open_requested = Signal()
    new_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        column = QWidget()
        column.setMaximumWidth(760)
        outer.addStretch(1)
        outer.addWidget(column, 4)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 60, 24, 40)
        layout.setSpacing(14)
        title = QLabel("Corroborate")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Review who says what in an article, through which chain of sources, and how well it holds up.\n"
            "Open a review file (.db) to start, or create a new one."
        )
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open a file…")
        self.new_button = QPushButton("&New file…")
        self.open_button.setDefault(True)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        self.recent_heading = QLabel("<b>Recent files</b>")
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent files")
        self.empty_recent = QLabel("No recent files yet. Files you open are listed here.")
        # The palette's own role rather than a style sheet: a style sheet costs the window's start.
        self.empty_recent.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for widget in (title, intro):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.recent_heading)
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.empty_recent)
        layout.addStretch(0)
        self.open_button.clicked.connect(self.open_requested)
        self.new_button.clicked.connect(self.new_requested)
        self.recent_list.itemActivated.connect(
            lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def set_recent_files(self, paths: list[str]) -> None:
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        has_recent = bool(paths)
        self.recent_list.setVisible(has_recent)
        self.empty_recent.setVisible(not has_recent)
        if has_recent:
            self.recent_list.setCurrentRow(0)
