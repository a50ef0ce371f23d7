"""Go › Go to claim… (Ctrl+G): straight to a claim by its number, as an editor or a colleague names it.

A claim the present search or filters hide is shown by clearing them (the status bar says so);
a number the file does not have is said so, and nothing moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class GoToClaim:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = window._action("&Go to claim…", "Ctrl+G")
        self.action.setStatusTip("Go to a claim by its number")
        window.go_menu.addSeparator()
        window.go_menu.addAction(self.action)
        window.review_actions.append(self.action)
        self.action.setEnabled(window.store is not None)
        self.action.triggered.connect(self.ask)

    def ask(self) -> None:
        window = self.window
        if window.store is None:
            return
        largest = window.store.largest_claim_number()
        number, chosen = QInputDialog.getInt(
            window,
            "Go to claim",
            f"Claim number (1 to {largest:,}):",
            window.table.current_claim_id() or 1,
            1,
            max(1, largest),
        )
        if chosen:
            self.go_to(number)

    def go_to(self, number: int) -> bool:
        """Make claim `number` the current one; False (with the reason in the status bar) if there is none."""
        window = self.window
        if window.store is None or window.model is None:
            return False
        if not window.store.has_claim(number):
            window.statusBar().showMessage(f"There is no claim {number:,} in this file.", 8000)
            return False
        if window.table.go_to_claim(number):
            window.table.setFocus()
            return True
        window.clear_every_filter()
        window.table.go_to_claim(number)
        window.statusBar().showMessage(
            f"Claim {number:,} was not among the claims shown: filters cleared.", 8000
        )
        return True


def install(window: MainWindow) -> GoToClaim:
    return GoToClaim(window)
