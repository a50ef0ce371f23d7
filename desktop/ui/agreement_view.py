"""View › Reviewers' agreement…: how far reviewers agree on the claims they all graded.

Counted on the window's background thread from a read-only connection of its own (a million claims
take about a second), then shown per axis: Krippendorff's alpha over every reviewer, and per pair
the claims both graded, how many alike, their alpha, and the claims two or more steps apart, each a
link that goes to that claim (desktop/core/agreement.py says how it is counted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from desktop.core.agreement import Agreement, Axis, agreement
from desktop.core.errors import CorroborateError
from desktop.io.export.agreement_html import agreement_section
from desktop.store import Store
from desktop.ui.tasks import Cancelled, Progress, Task, free_for_a_job, run_with_progress

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

TITLE = "Reviewers' agreement"


class AgreementDialog(QDialog):
    def __init__(self, window: MainWindow, results: list[Agreement]) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(TITLE)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Agreement between reviewers")
        self.text.setOpenLinks(False)
        self.text.setHtml(agreement_section(results, lambda claim_id: f"claim:{claim_id}"))
        self.text.anchorClicked.connect(self._go)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def _go(self, link: QUrl) -> None:
        text = link.toString()
        if text.startswith("claim:") and text[6:].isdigit():
            self.window_.go_to_claim.go_to(int(text[6:]))


class AgreementFeature:
    """The View menu entry, enabled while a file is open."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.task: Task | None = None
        self.dialog: AgreementDialog | None = None
        self.action = QAction("Reviewers' agr&eement…", window)
        self.action.setStatusTip("How far reviewers agree on the grades they gave the same claims")
        window.addAction(self.action)
        window.view_menu.addAction(self.action)
        self.action.triggered.connect(lambda: self.show_agreement())
        window.store_opened.connect(self._follow)
        window.store_closed.connect(lambda: self.action.setEnabled(False))
        self._follow(window.store)

    def _follow(self, store: Store | None) -> None:
        self.action.setEnabled(store is not None)

    def show_agreement(self) -> Task | None:
        store = self.window.store
        if store is None:
            return None
        if not free_for_a_job(self.window, self.window.task_runner, TITLE):
            return None
        path = store.path

        def work(progress: Progress, cancelled: Cancelled) -> list[Agreement]:
            # Two statements and two computations of about half a second each at a million claims:
            # Cancel is heard between them.
            def stop_if_asked() -> None:
                if cancelled():
                    raise CorroborateError("Counting agreement was cancelled; nothing was changed.")

            own = Store.open(path, read_only=True)
            try:
                results = []
                for done, axis in enumerate(Axis, start=1):
                    grades = own.grades_given(axis.value)
                    stop_if_asked()
                    results.append(agreement(axis, grades))
                    stop_if_asked()
                    progress(done, len(Axis))
                return results
            finally:
                own.close()

        self.task = run_with_progress(
            self.window, self.window.task_runner, "Counting agreement", work, self._show
        )
        return self.task

    def _show(self, results: list[Agreement]) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = AgreementDialog(self.window, results)
        self.dialog.open()


def install(window: MainWindow) -> AgreementFeature:
    feature = AgreementFeature(window)
    window.agreement_view = feature  # type: ignore[attr-defined]
    return feature
