"""Review › Edit claim wording… (F2): reword the current claim, the article's words in view.

The wording is ours (a neutral statement of what the article asserts); the passage is the
article's and stays as written. Saved as one undo step, logged in the claim's history, and found
by search at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from desktop.core.edits import SetClaimText
from desktop.store import Store
from desktop.ui.wording_dialog import WordingDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TEXT = "E&dit claim wording…"
STATUS_TIP = "Reword the current claim; the article's words stay as written"


class Rewording:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = QAction(TEXT, window)
        self.action.setShortcut(QKeySequence("F2"))
        self.action.setStatusTip(STATUS_TIP)
        window.addAction(self.action)
        window.review_menu.addAction(self.action)
        self.action.triggered.connect(self.reword_current)
        window.store_opened.connect(self._follow)
        window.store_closed.connect(lambda: self.action.setEnabled(False))
        self._follow(window.store)

    def _follow(self, store: Store | None) -> None:
        self.action.setEnabled(store is not None and not store.read_only)

    def reword_current(self) -> bool:
        store, claim_id = self.window.store, self.window.table.current_claim_id()
        if store is None or claim_id is None:
            self.window.statusBar().showMessage("Choose the claim to reword in the table first.", 5000)
            return False
        detail = store.claim_detail(claim_id)
        dialog = WordingDialog(
            detail.passage,
            detail.text,
            self.window,
            title=f"Reword claim {claim_id}",
            accept_text="&Save wording",
            hint="Saved as one step Ctrl+Z undoes, and kept in the claim's history (Ctrl+H).",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.window.apply_store_edit(SetClaimText(claim_id, dialog.wording()))


def install(window: MainWindow) -> None:
    window.rewording = Rewording(window)  # type: ignore[attr-defined]
