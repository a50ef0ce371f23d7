"""Review › Edit claim wording… (F2): reword the current claim, the article's words in view.

The wording is ours (a neutral statement of what the article asserts); the passage is the
article's and stays as written. Saved as one undo step, logged in the claim's history, and found
by search at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from desktop.core.edits import SetClaimText
from desktop.ui.features import install_editing_action
from desktop.ui.wording_dialog import WordingDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TEXT = "E&dit claim wording…"
STATUS_TIP = "Reword the current claim; the article's words stay as written"


class Rewording:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = install_editing_action(
            window, window.review_menu, TEXT, self.reword_current, shortcut="F2", status_tip=STATUS_TIP
        )

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
