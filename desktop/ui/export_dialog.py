"""File › Export…: choose which claims (what the table shows, the selection, a saved set), a format and its options.

The export runs on the background thread with a progress dialog whose Cancel really stops it
(desktop/ui/tasks.py); the worker opens the file read-only on its own connection, so the window
stays usable and nothing it does can change the file. The publisher, the CSV byte-order mark, the
change-log choice and the last format are remembered in the settings. "Save as set…" keeps the
chosen claims under a name (a filter stays a filter; a selection stays those claims).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

# Importing the PDF writer registers the "pdf" format next to the others.
import desktop.ui.pdf_export  # noqa: F401
from desktop.core.errors import CorroborateError
from desktop.core.model import ClaimQuery
from desktop.io.export import FORMATS, ExportOptions, ExportResult, export
from desktop.store import Store
from desktop.ui.tasks import Cancelled, Progress, Task, TaskRunner, free_for_a_job, run_with_progress

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

DEFAULT_FORMAT = "csv"


class Scope(Enum):
    """Which claims to export."""

    TABLE = "table"
    SELECTION = "selection"
    SAVED_SET = "saved_set"


@dataclass(frozen=True)
class ExportRequest:
    """Everything the worker needs; plain values only, so it can cross to the background thread."""

    source: Path
    selection: ClaimQuery | tuple[int, ...] | str  # a query, explicit ids, or a saved set's name
    format: str
    target: Path
    options: ExportOptions


def run_export(request: ExportRequest, progress: Progress, cancelled: Cancelled) -> ExportResult:
    """Runs on the worker thread, on its own read-only connection to the file."""
    store = Store.open(request.source, read_only=True)
    try:
        selection = request.selection
        ids = store.saved_set_ids(selection) if isinstance(selection, str) else selection
        return export(store, ids, request.format, request.target, request.options, progress, cancelled)
    finally:
        store.close()


class ExportDialog(QDialog):
    """Choose the claims, the format and its options, then export or save the choice as a named set."""

    def __init__(self, window: MainWindow, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window_ = window
        self.runner = runner
        self.task: Task | None = None
        self.last_result: ExportResult | None = None
        self.setWindowTitle("Export claims")
        settings = window.settings
        store = window.store
        assert store is not None, "the Export action is only enabled with a file open"
        self.query = window.current_query()
        self.selected = tuple(window.selected_claim_ids())
        shown = len(store.claim_ids(self.query))

        scope_box = QGroupBox("Claims")
        self.scope_group = QButtonGroup(self)
        self.table_choice = QRadioButton(f"What the table shows now ({shown:,} claims)")
        self.selection_choice = QRadioButton(f"The selected claims ({len(self.selected):,})")
        self.set_choice = QRadioButton("A saved set:")
        self.set_list = QComboBox()
        self.set_list.setAccessibleName("Saved set")
        self.set_list.setMinimumContentsLength(24)
        self.delete_set_button = QPushButton("Delete set")
        for number, button in enumerate((self.table_choice, self.selection_choice, self.set_choice)):
            self.scope_group.addButton(button, number)
        self.selection_choice.setEnabled(bool(self.selected))
        set_row = QHBoxLayout()
        set_row.addWidget(self.set_choice)
        set_row.addWidget(self.set_list, 1)
        set_row.addWidget(self.delete_set_button)
        scope_layout = QVBoxLayout(scope_box)
        scope_layout.addWidget(self.table_choice)
        scope_layout.addWidget(self.selection_choice)
        scope_layout.addLayout(set_row)
        self.save_set_button = QPushButton("Save as set…")
        self.save_set_button.setToolTip("Keep these claims under a name, to export or come back to later")
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_set_button)
        scope_layout.addLayout(save_row)

        format_box = QGroupBox("Format")
        self.format_list = QComboBox()
        self.format_list.setAccessibleName("Format")
        for name, chosen in FORMATS.items():
            self.format_list.addItem(f"{chosen.description} ({chosen.suffix})", name)
        remembered = self.format_list.findData(settings.export_choice("format", DEFAULT_FORMAT))
        self.format_list.setCurrentIndex(max(remembered, 0))
        self.only_mine = QCheckBox(f"Only my reviews ({window.reviewer})")
        self.only_mine.setToolTip("Leave out other reviewers' grades and rationales")
        self.bom = QCheckBox("Start with a byte-order mark (for spreadsheet programs)")
        self.bom.setChecked(settings.export_choice("bom") == "yes")
        self.include_log = QCheckBox("Include each claim's change log")
        self.include_log.setChecked(settings.export_choice("include_log") == "yes")
        self.publisher_name = QLineEdit(settings.export_choice("publisher_name"))
        self.publisher_name.setPlaceholderText("e.g. Lantern Fact Desk")
        self.publisher_url = QLineEdit(settings.export_choice("publisher_url"))
        self.publisher_url.setPlaceholderText("https://example.org/fact-checks/  (the claim number is added)")
        self.publisher_url.setMinimumWidth(380)
        form = QFormLayout(format_box)
        form.addRow("&Format:", self.format_list)
        form.addRow("", self.only_mine)
        form.addRow("CSV:", self.bom)
        form.addRow("JSON:", self.include_log)
        form.addRow("&Publisher:", self.publisher_name)
        form.addRow("Fact-check &base URL:", self.publisher_url)
        self.format_hint = QLabel()
        self.format_hint.setWordWrap(True)
        self.format_hint.setStyleSheet("color: palette(placeholder-text);")
        form.addRow("", self.format_hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        layout = QVBoxLayout(self)
        self.setMinimumWidth(600)
        layout.addWidget(scope_box)
        layout.addWidget(format_box)
        layout.addWidget(self.buttons)

        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.choose_target_and_export)
        self.save_set_button.clicked.connect(self.ask_and_save_set)
        self.delete_set_button.clicked.connect(self.delete_chosen_set)
        self.format_list.currentIndexChanged.connect(lambda _: self._update())
        self.scope_group.idToggled.connect(lambda *_: self._update())
        self.set_list.currentIndexChanged.connect(lambda _: self._update())
        self._fill_sets()
        (self.selection_choice if len(self.selected) > 1 else self.table_choice).setChecked(True)
        self._update()
        self.format_list.setFocus()

    # ---- state --------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        store = self.window_.store
        if store is None:
            raise CorroborateError("The file was closed; open it again to export.")
        return store

    def scope(self) -> Scope:
        if self.set_choice.isChecked():
            return Scope.SAVED_SET
        if self.selection_choice.isChecked():
            return Scope.SELECTION
        return Scope.TABLE

    def format(self) -> str:
        return str(self.format_list.currentData())

    def options(self) -> ExportOptions:
        return ExportOptions(
            reviewer=self.window_.reviewer if self.only_mine.isChecked() else None,
            bom=self.bom.isChecked(),
            include_log=self.include_log.isChecked(),
            publisher_name=self.publisher_name.text().strip(),
            publisher_url=self.publisher_url.text().strip(),
        )

    def selection(self) -> ClaimQuery | tuple[int, ...] | str:
        scope = self.scope()
        if scope is Scope.SAVED_SET:
            return str(self.set_list.currentData())
        if scope is Scope.SELECTION:
            return self.selected
        return self.query

    def _fill_sets(self, chosen: str | None = None) -> None:
        self.set_list.clear()
        for saved in self.store.saved_sets():
            what = "a kept filter" if saved.query is not None else f"{saved.claim_count:,} claims"
            self.set_list.addItem(f"{saved.name} ({what})", saved.name)
            self.set_list.setItemData(self.set_list.count() - 1, saved.describe, Qt.ItemDataRole.ToolTipRole)
        has_sets = self.set_list.count() > 0
        if not has_sets:
            self.set_list.addItem("no saved set yet")
            if self.set_choice.isChecked():
                self.table_choice.setChecked(True)
        elif chosen is not None:
            self.set_list.setCurrentIndex(max(self.set_list.findData(chosen), 0))
        self.set_choice.setEnabled(has_sets)
        self.set_list.setEnabled(has_sets)
        self._update()

    def _update(self) -> None:
        name = self.format()
        self.bom.setEnabled(name == "csv")
        self.include_log.setEnabled(name in ("json", "jsonl"))
        for field in (self.publisher_name, self.publisher_url):
            field.setEnabled(name == "claimreview")
        hints = {
            "csv": "One row per claim and review; cells a spreadsheet would run as a formula are neutralised.",
            "json": "Complete and nested: article, anchor, chains, evidence, independence, reviews.",
            "jsonl": "As JSON, one record per line, for tools that stream.",
            "claimreview": "One ClaimReview per reviewed or disputed claim with a credibility grade.",
            "sqlite": "A Corroborate file holding just these claims, with their history.",
            "html": "A report to read or print: grades spelled out, chains, evidence, charts.",
            "pdf": "The HTML report laid out on A4 pages.",
        }
        self.format_hint.setText(hints.get(name, ""))
        has_sets = self.set_choice.isEnabled()
        self.delete_set_button.setEnabled(has_sets and self.set_choice.isChecked())
        self.save_set_button.setEnabled(self.scope() is not Scope.SAVED_SET and not self.store.read_only)

    def _remember(self) -> None:
        settings = self.window_.settings
        settings.set_export_choice("format", self.format())
        settings.set_export_choice("bom", "yes" if self.bom.isChecked() else "no")
        settings.set_export_choice("include_log", "yes" if self.include_log.isChecked() else "no")
        settings.set_export_choice("publisher_name", self.publisher_name.text().strip())
        settings.set_export_choice("publisher_url", self.publisher_url.text().strip())

    # ---- saved sets -----------------------------------------------------------------------

    def ask_and_save_set(self) -> None:
        name, ok = QInputDialog.getText(self, "Save as set", "Name of the set:")
        if ok:
            self.save_set(name)

    def save_set(self, name: str) -> bool:
        """Keep the chosen claims under `name`; a name in use is replaced only after asking."""
        selection = self.selection()
        kept = {"query": selection} if isinstance(selection, ClaimQuery) else {"claim_ids": selection}
        try:
            names = {saved.name for saved in self.store.saved_sets()}
            clean = " ".join(name.split())
            replace = False
            if clean in names:
                answer = QMessageBox.question(
                    self, "Save as set", f"There is already a set called {clean!r}. Replace it?"
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                replace = True
            saved = self.store.save_set(name, self.window_.reviewer, replace=replace, **kept)
        except CorroborateError as error:
            QMessageBox.warning(self, "Set not saved", error.message)
            return False
        self._fill_sets(saved.name)
        self.window_.statusBar().showMessage(f"Saved the set {saved.name!r}.", 5000)
        return True

    def delete_chosen_set(self) -> None:
        name = self.set_list.currentData()
        if not name:
            return
        answer = QMessageBox.question(
            self, "Delete set", f"Delete the saved set {name!r}? The claims themselves stay."
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.delete_saved_set(str(name))
        except CorroborateError as error:
            QMessageBox.warning(self, "Set not deleted", error.message)
            return
        self._fill_sets()

    # ---- exporting ------------------------------------------------------------------------

    def suggested_name(self) -> str:
        stem = self.store.path.stem
        if self.scope() is Scope.SAVED_SET:
            stem = f"{stem} - {self.set_list.currentData()}"
        return stem + FORMATS[self.format()].suffix

    def choose_target_and_export(self) -> None:
        chosen = FORMATS[self.format()]
        folder = self.window_.settings.export_choice("folder") or str(self.store.path.parent)
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export to",
            str(Path(folder) / self.suggested_name()),
            f"{chosen.description} (*{chosen.suffix});;All files (*)",
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, target: Path) -> Task | None:
        """Start the export on the background thread; the dialog closes when it is done."""
        options = self.options()
        checks = FORMATS[self.format()].check_options
        try:
            if checks is not None:
                checks(options)
        except CorroborateError as error:
            QMessageBox.warning(self, "Export", error.message)
            return None
        self._remember()
        self.window_.settings.set_export_choice("folder", str(target.parent))
        request = ExportRequest(self.store.path, self.selection(), self.format(), target, options)
        self.setEnabled(False)
        self.task = run_with_progress(
            self.window_,
            self.runner,
            f"Exporting to {target.name}",
            lambda progress, cancelled: run_export(request, progress, cancelled),
            self._exported,
        )
        # Cancelled or refused: the progress dialog has explained; let the person try again.
        self.task.signals.refused.connect(lambda _: self.setEnabled(True), Qt.ConnectionType.QueuedConnection)
        return self.task

    def _exported(self, result: ExportResult) -> None:
        self.last_result = result
        self.window_.statusBar().showMessage(
            f"Exported {result.claims:,} claims to {result.target} ({result.items:,} {result.format} items).",
            10000,
        )
        self.accept()


class ExportFeature:
    """The File › Export… action, enabled while a file is open."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.runner = window.task_runner
        self.dialog: ExportDialog | None = None
        self.action = QAction("&Export…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action.setStatusTip("Export what the table shows, the selected claims or a saved set")
        self.action.setEnabled(window.store is not None)
        window.addAction(self.action)
        window.file_menu.insertAction(window.file_menu_end, self.action)
        self.action.triggered.connect(self.open_dialog)
        window.store_opened.connect(lambda _: self.action.setEnabled(True))
        window.store_closed.connect(lambda: self.action.setEnabled(False))

    def open_dialog(self) -> ExportDialog | None:
        if self.window.store is None:
            return None
        if not free_for_a_job(self.window, self.runner, "Export"):
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()  # the previous one, kept until now so its result could be read
        self.dialog = ExportDialog(self.window, self.runner)
        self.dialog.open()
        return self.dialog


def install(window: MainWindow) -> ExportFeature:
    feature = ExportFeature(window)
    window.export_feature = feature  # type: ignore[attr-defined]
    return feature
