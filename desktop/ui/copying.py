"""Edit › Copy: the selected claims' wording, or the article's own passages, as plain text.

A fact-checker copies a claim to look for it elsewhere, and the passage to search for the
article's exact words. Both act on the claims table only (Ctrl+C in a text field copies that
field's selection as usual).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop.core.wording import counted

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

# More than this is an export's job: a clipboard of a million claims helps nobody.
MAX_COPIED = 10_000


class Copying:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.copy_claims_action = window._action("&Copy claims", "Ctrl+C", table_only=True)
        self.copy_claims_action.setStatusTip("Copy the selected claims' wording, one per line")
        self.copy_passages_action = window._action("Copy &passages", "Ctrl+Shift+C", table_only=True)
        self.copy_passages_action.setStatusTip("Copy the article's own words for the selected claims")
        window.edit_menu.insertActions(
            window.find_action, [self.copy_claims_action, self.copy_passages_action]
        )
        window.edit_menu.insertSeparator(window.find_action)
        self.copy_claims_action.triggered.connect(lambda: self.copy(passages=False))
        self.copy_passages_action.triggered.connect(lambda: self.copy(passages=True))
        window.review_actions.extend([self.copy_claims_action, self.copy_passages_action])
        for action in (self.copy_claims_action, self.copy_passages_action):
            action.setEnabled(window.store is not None)

    def copy(self, *, passages: bool) -> None:
        window = self.window
        if window.store is None or window.model is None:
            return
        status = window.statusBar()
        selected = window.table.selected_count()
        if selected == 0:
            status.showMessage("Select the claims to copy first.", 5000)
            return
        if selected > MAX_COPIED:
            status.showMessage(
                f"{counted(selected, 'claim')} selected: more than {MAX_COPIED:,} are copied by "
                "File › Export instead.",
                8000,
            )
            return
        ids = window.table.selected_claim_ids_in_order()
        texts = window.store.wordings_and_passages(ids)
        if passages:
            # A passage may run over several lines: a blank line keeps one apart from the next.
            copied = "\n\n".join(texts[i][1] or texts[i][0] for i in ids if i in texts)
        else:
            copied = "\n".join(" ".join(texts[i][0].split()) for i in ids if i in texts)
        QApplication.clipboard().setText(copied)
        what = "passage" if passages else "claim"
        status.showMessage(f"Copied {counted(len(ids), what)}.", 5000)


def install(window: MainWindow) -> Copying:
    return Copying(window)
