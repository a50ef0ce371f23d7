"""Review › Remove claim… : take out a claim nobody has worked on (a wrong or doubled extraction).

Only a claim with no grades, rationale, status, chain, evidence or picture provenance from anyone,
drawn from an article (a dataset's claims stay); the store refuses any other, and says why. Asked
first, saved as one step Ctrl+Z undoes (the claim comes back under its own number), and logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from desktop.core.edits import RemoveClaim
from desktop.ui.features import install_editing_action

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TEXT = "Re&move claim…"
STATUS_TIP = "Take out the current claim, if nobody has worked on it (a wrong or doubled extraction)"


class ClaimRemoval:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = install_editing_action(
            window, window.review_menu, TEXT, self.remove_current, status_tip=STATUS_TIP
        )

    def remove_current(self) -> bool:
        store, claim_id = self.window.store, self.window.table.current_claim_id()
        if store is None or claim_id is None:
            self.window.statusBar().showMessage("Choose the claim to remove in the table first.", 5000)
            return False
        text = store.claim_detail(claim_id).text
        asked = QMessageBox.question(
            self.window,
            "Remove claim",
            f"Remove claim {claim_id}?\n\n“{text}”\n\nOnly a claim nobody has worked on (no grade, "
            "rationale, edited chain or evidence) can be removed; the chain it came with goes with it. "
            "Ctrl+Z brings it back under its number.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if asked != QMessageBox.StandardButton.Yes:
            return False
        removed = self.window.apply_store_edit(RemoveClaim(claim_id))
        if removed:
            self.window.statusBar().showMessage(f"Claim {claim_id} removed; Ctrl+Z brings it back.", 8000)
        return removed


def install(window: MainWindow) -> None:
    window.claim_removal = ClaimRemoval(window)  # type: ignore[attr-defined]
