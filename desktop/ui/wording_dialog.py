"""The dialog that asks for a claim's wording: our neutral statement of what the article's words assert.

Used to draw a new claim from the article's text and to reword an existing claim. The article's own
words stay in view above the field; Ctrl+Enter accepts, and an empty wording cannot be accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.ui.look import muted


class WordingDialog(QDialog):
    def __init__(
        self, passage: str, wording: str, parent: QWidget, *, title: str, accept_text: str, hint: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        words = QLabel("The article's words:")
        shown = QLabel(passage)
        shown.setWordWrap(True)
        shown.setTextFormat(Qt.TextFormat.PlainText)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(shown)
        self.wording_edit = QPlainTextEdit(wording)
        self.wording_edit.setTabChangesFocus(True)
        self.wording_edit.setAccessibleName("Claim wording")
        self.wording_edit.selectAll()
        label = QLabel("Claim &wording (what it asserts, in neutral words):")
        label.setBuddy(self.wording_edit)
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        muted(hint_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(accept_text)
        ok.setToolTip("Ctrl+Enter")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.wording_edit.textChanged.connect(lambda: ok.setEnabled(bool(self.wording().strip())))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._accept_if_worded)
        layout = QVBoxLayout(self)
        layout.addWidget(words)
        layout.addWidget(shown)
        layout.addWidget(label)
        layout.addWidget(self.wording_edit, 1)
        layout.addWidget(hint_label)
        layout.addWidget(self.buttons)
        self.resize(560, 340)
        self.wording_edit.setFocus()

    def wording(self) -> str:
        return self.wording_edit.toPlainText()

    def _accept_if_worded(self) -> None:
        if self.wording().strip():
            self.accept()
