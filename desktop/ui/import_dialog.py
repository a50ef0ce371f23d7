"""File › Import dataset…: pick a file, check how it is read and mapped on a live preview, then import.

Reading the whole file, the near-duplicate search and the write run in the background through
desktop/ui/tasks.py, with progress and a Cancel that leaves the Corroborate file as it was. The
worker writes on its own connection to the open file (Store.worker_connection). Near-duplicates
are listed for the person to decide on before anything is written; nothing is ever merged. Just
before the write, a file of up to 256 MB is backed up (store/backup.py): restoring that backup takes
the import back, and the message after the import says so.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import CorroborateError
from desktop.core.grades import CREDIBILITY_LABELS
from desktop.core.wording import counted
from desktop.io.importing import (
    COMMON_ENCODINGS,
    DATASET_FORMATS,
    FIELD_LABELS,
    FIELDS,
    FORMAT_LABELS,
    PRESET_DESCRIPTIONS,
    PRESETS,
    Dataset,
    ImportPlan,
    ImportResult,
    Mapping,
    NearDuplicate,
    ReadOptions,
    detect_encoding,
    find_near_duplicates,
    guess_format,
    guess_mapping,
    guess_preset,
    load_dataset,
    load_preview,
    plan_import,
    write_import,
)
from desktop.io.importing.delimited import DELIMITER_NAMES
from desktop.io.importing.mapping import map_record
from desktop.ui.columns import set_starting_widths
from desktop.ui.look import compact, tone
from desktop.ui.safety import back_up_first
from desktop.ui.tasks import Cancelled, Progress, Task, TaskRunner, free_for_a_job, run_with_progress

if TYPE_CHECKING:
    from desktop.store import Store
    from desktop.ui.main_window import MainWindow

FILE_FILTER = "Datasets (*.csv *.tsv *.tab *.json *.jsonl *.ndjson *.jsonld *.html *.htm);;All files (*)"
PREVIEW_ROWS = 20
NO_COLUMN = "(none)"
_PREVIEW_HEADERS = [
    "Where",
    "Claim text",
    "Source",
    "Date",
    "Verdict",
    "Credibility",
    "Address",
    "Extra data",
]


class NearDuplicatesDialog(QDialog):
    """The near-duplicates found, each to be imported anyway (the default) or ticked to be left out."""

    def __init__(self, parent: QWidget, found: Sequence[NearDuplicate]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Near-duplicate claims")
        self.found = list(found)
        intro = QLabel(
            f"{counted(len(found), 'incoming claim')} read almost like another one. "
            "Nothing is merged: each comes in as its own claim unless you tick it to leave it out."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Near-duplicate claims; tick to leave out")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for near in self.found:
            item = QListWidgetItem(
                f"{near.describe()}\n   incoming:  {near.text}\n   resembles: {near.other_text}"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip("Space: leave this claim out of the import")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("&Back", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Tick (Space) the claims to leave out:"))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.list.setFocus()

    def left_out(self) -> set[int]:
        """Indexes (into the plan's claims) of the ticked near-duplicates."""
        return {
            near.index
            for row, near in enumerate(self.found)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }


class ImportDialog(QDialog):
    """Choose a dataset, how to read it and what each column means; preview; import."""

    def __init__(self, window: MainWindow, runner: TaskRunner, path: Path | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.runner = runner
        self.path: Path | None = None
        self.dataset: Dataset | None = None
        self.task: Task | None = None
        self.result_: ImportResult | None = None
        self.duplicates_dialog: NearDuplicatesDialog | None = None
        self.setWindowTitle("Import dataset")
        self._loading = False

        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("Choose a CSV, TSV, JSON, JSON Lines or ClaimReview file…")
        self.file_edit.setAccessibleName("Dataset file")
        self.choose_button = QPushButton("C&hoose…")
        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Format")
        for name in DATASET_FORMATS:
            self.format_combo.addItem(FORMAT_LABELS[name], name)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setEditable(True)
        self.encoding_combo.setAccessibleName("Encoding")
        self.encoding_combo.addItems(COMMON_ENCODINGS)
        self.encoding_note = QLabel()
        self.encoding_note.setStyleSheet("color: palette(placeholder-text);")
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setAccessibleName("Delimiter")
        self.delimiter_combo.addItem("Detect", None)
        for char, name in DELIMITER_NAMES.items():
            self.delimiter_combo.addItem(name.capitalize(), char)
        self.header_check = QCheckBox("First row holds column &names")
        self.header_check.setChecked(True)

        reading = QGroupBox("Reading the file")
        form = QGridLayout(reading)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        form.addWidget(_buddy("&File:", self.file_edit), 0, 0)
        form.addLayout(file_row, 0, 1, 1, 3)
        form.addWidget(_buddy("F&ormat:", self.format_combo), 1, 0)
        form.addWidget(self.format_combo, 1, 1)
        form.addWidget(_buddy("&Encoding:", self.encoding_combo), 1, 2)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(self.encoding_combo)
        encoding_row.addWidget(self.encoding_note, 1)
        form.addLayout(encoding_row, 1, 3)
        form.addWidget(_buddy("&Delimiter:", self.delimiter_combo), 2, 0)
        form.addWidget(self.delimiter_combo, 2, 1)
        form.addWidget(self.header_check, 2, 2, 1, 2)
        form.setColumnStretch(3, 1)

        self.field_combos: dict[str, QComboBox] = {}
        mapping_box = QGroupBox("Columns")
        mapping_form = QFormLayout(mapping_box)
        for name in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(FIELD_LABELS[name])
            compact(combo, 16)
            self.field_combos[name] = combo
            mapping_form.addRow(
                _buddy(f"{FIELD_LABELS[name]}{' *' if name == 'text' else ''}:", combo), combo
            )
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Verdict preset")
        self.preset_combo.addItem("Keep labels only", None)
        for name in PRESETS:
            self.preset_combo.addItem(f"Preset {name}", name)
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1, PRESET_DESCRIPTIONS[name], Qt.ItemDataRole.ToolTipRole
            )
        mapping_form.addRow(_buddy("&Verdicts → credibility:", self.preset_combo), self.preset_combo)
        self.load_mapping_button = QPushButton("&Load mapping…")
        self.save_mapping_button = QPushButton("&Save mapping…")
        mapping_buttons = QHBoxLayout()
        mapping_buttons.addWidget(self.load_mapping_button)
        mapping_buttons.addWidget(self.save_mapping_button)
        mapping_buttons.addStretch(1)
        mapping_form.addRow(mapping_buttons)
        extra_note = QLabel("Other columns are kept with each claim as extra data.")
        extra_note.setWordWrap(True)
        mapping_form.addRow(extra_note)

        self.preview = QTableWidget(0, len(_PREVIEW_HEADERS))
        self.preview.setAccessibleName("Preview of the first rows with the mapping applied")
        self.preview.setHorizontalHeaderLabels(_PREVIEW_HEADERS)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.verticalHeader().setVisible(False)
        self.preview.verticalHeader().setDefaultSectionSize(24)
        self.preview.setWordWrap(False)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        set_starting_widths(self.preview, dict(enumerate((18, 41, 18, 12, 13, 23, 21))))
        preview_box = QGroupBox(f"Preview (first {PREVIEW_ROWS} records, mapping applied)")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview)
        self.summary_label = QLabel("No file chosen yet: choose one above to see how it will be read.")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview_layout.addWidget(self.summary_label)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        # Enter means "import"; it must never press one of the file buttons because it had focus once.
        for button in (self.choose_button, self.load_mapping_button, self.save_mapping_button):
            button.setAutoDefault(False)

        mapping_box.setMaximumWidth(400)
        self.preset_note = QLabel()
        self.preset_note.setWordWrap(True)
        mapping_form.addRow(self.preset_note)
        top = QHBoxLayout()
        top.addWidget(mapping_box, 0)
        top.addWidget(preview_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(reading)
        layout.addLayout(top, 1)
        layout.addWidget(self.buttons)
        self.resize(1180, 640)

        self.choose_button.clicked.connect(self.choose_file)
        self.format_combo.currentIndexChanged.connect(lambda _: self.reload())
        self.encoding_combo.activated.connect(lambda _: self.reload())
        encoding_edit = self.encoding_combo.lineEdit()
        assert encoding_edit is not None  # the combo is editable: a name can be typed
        encoding_edit.editingFinished.connect(self._encoding_typed)
        self.delimiter_combo.currentIndexChanged.connect(lambda _: self.reload())
        self.header_check.toggled.connect(lambda _: self.reload())
        for combo in self.field_combos.values():
            combo.currentIndexChanged.connect(lambda _: self.update_preview())
        self.preset_combo.currentIndexChanged.connect(lambda _: self.update_preview())
        self.preset_combo.currentIndexChanged.connect(lambda _: self._describe_preset())
        self.load_mapping_button.clicked.connect(self.load_mapping)
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        self._set_mapping_enabled(False)
        if path is not None:
            self.set_file(path)
        else:
            self.file_edit.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the file box reads that file; it must not also start the import.
        if self.file_edit.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.file_edit.text().strip():
                self.set_file(Path(self.file_edit.text().strip()))
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            # Enter anywhere else (a column or preset box) imports, as the default button says.
            if self.import_button.isEnabled():
                self.import_button.click()
            event.accept()
            return
        super().keyPressEvent(event)

    # ---- reading ---------------------------------------------------------------------

    def choose_file(self) -> None:
        start = (
            str(self.path.parent)
            if self.path
            else str(self.window_.store.path.parent if self.window_.store else Path.home())
        )
        chosen, _ = QFileDialog.getOpenFileName(self, "Import a dataset", start, FILE_FILTER)
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        """A new file: guess its encoding and format, then read the preview."""
        self.path = path
        self.file_edit.setText(str(path))
        self._loading = True
        try:
            try:
                with path.open("rb") as handle:
                    head = handle.read(256 * 1024)
            except OSError as error:
                self._show_problem(f"{path} cannot be read ({error.strerror}).")
                return
            guess = detect_encoding(head)
            self.encoding_combo.setCurrentText(guess.encoding)
            self.encoding_note.setText(f"detected: {guess.reason}")
            try:
                kind = guess_format(path, head.decode(guess.encoding, errors="replace"))
            except CorroborateError:
                kind = "csv"
            if kind in DATASET_FORMATS:
                self.format_combo.setCurrentIndex(DATASET_FORMATS.index(kind))
            self.delimiter_combo.setCurrentIndex(0)
            self.dataset = None
        finally:
            self._loading = False
        self.reload(fresh=True)

    def _encoding_typed(self) -> None:
        if self.dataset is None or self.encoding_combo.currentText() != self.dataset.encoding:
            self.reload()

    def read_options(self) -> ReadOptions:
        return ReadOptions(
            format=self.format_combo.currentData(),
            encoding=self.encoding_combo.currentText().strip() or None,
            delimiter=self.delimiter_combo.currentData(),
            header=self.header_check.isChecked(),
        )

    def reload(self, *, fresh: bool = False) -> None:
        """Read the preview again with the current choices; keep the mapping where the columns allow."""
        if self._loading or self.path is None:
            return
        kind = self.format_combo.currentData()
        self.delimiter_combo.setEnabled(kind == "csv")
        self.header_check.setEnabled(kind in ("csv", "tsv"))
        previous = None if fresh else self.mapping()
        try:
            dataset = load_preview(self.path, self.read_options())
        except CorroborateError as error:
            self.dataset = None
            self._fill_columns([])
            self._show_problem(error.message)
            return
        self.dataset = dataset
        self._fill_columns(dataset.columns)
        guessed = guess_mapping(dataset)
        kept = {f: c for f, c in (previous.columns if previous else {}).items() if c in dataset.columns}
        self._set_mapping(Mapping({**guessed.columns, **kept} if kept else guessed.columns))
        if previous is not None:
            self._select_preset(previous.verdict_preset)
        else:
            verdict = guessed.columns.get("verdict")
            labels = [str(r.values.get(verdict) or "") for r in dataset.records[:200]] if verdict else []
            self._select_preset(guess_preset(labels))
        self._set_mapping_enabled(True)
        self.update_preview()

    def _fill_columns(self, columns: Sequence[str]) -> None:
        for combo in self.field_combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NO_COLUMN, None)
            for column in columns:
                combo.addItem(column, column)
            combo.blockSignals(False)

    def _set_mapping(self, mapping: Mapping) -> None:
        for name, combo in self.field_combos.items():
            combo.blockSignals(True)
            index = combo.findData(mapping.columns.get(name)) if mapping.columns.get(name) else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def _select_preset(self, preset: str | None) -> None:
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(preset), 0))
        self.preset_combo.blockSignals(False)
        self._describe_preset()

    def _describe_preset(self) -> None:
        preset = self.preset_combo.currentData()
        if preset is None:
            self.preset_note.setText("Verdict labels are kept as written; no grade is given.")
            return
        grades = ", ".join(f"{label} → {grade}" for label, grade in PRESETS[preset].items())
        self.preset_note.setText(f"Grades for your review (labels are kept too): {grades}.")

    def _set_mapping_enabled(self, enabled: bool) -> None:
        for combo in self.field_combos.values():
            combo.setEnabled(enabled)
        self.preset_combo.setEnabled(enabled)
        self.load_mapping_button.setEnabled(enabled)
        self.save_mapping_button.setEnabled(enabled)

    def _show_problem(self, message: str) -> None:
        self.preview.setRowCount(0)
        self.summary_label.setText(
            f"<span style='color:{tone('error')}'><b>Cannot read this file:</b> {html.escape(message)}</span>"
        )
        self.import_button.setEnabled(False)
        self._set_mapping_enabled(False)

    # ---- mapping and preview ---------------------------------------------------------

    def mapping(self) -> Mapping:
        columns = {
            name: combo.currentData() for name, combo in self.field_combos.items() if combo.currentData()
        }
        return Mapping(columns, self.preset_combo.currentData())

    def update_preview(self) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        mapping = self.mapping()
        self.preview.setRowCount(0)
        if not mapping.columns.get("text"):
            self.summary_label.setText("Choose the column that holds the claim text.")
            self.import_button.setEnabled(False)
            return
        shown = 0
        for record in dataset.records[:PREVIEW_ROWS]:
            claim = map_record(record, mapping)
            row = self.preview.rowCount()
            self.preview.insertRow(row)
            if claim is None:
                cells = [record.position, "— skipped: no claim text —", "", "", "", "", "", ""]
            else:
                shown += 1
                grade = (
                    f"{claim.credibility} {CREDIBILITY_LABELS[claim.credibility]}"
                    if claim.credibility
                    else ""
                )
                extra = ", ".join(f"{k}: {_cell(v)}" for k, v in claim.extra.items())
                cells = [
                    record.position,
                    claim.text,
                    claim.speaker or "(unattributed)",
                    claim.date or "",
                    claim.verdict_label or "",
                    grade,
                    claim.url or "",
                    extra,
                ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 40 else "")
                self.preview.setItem(row, column, item)
        parts = [f"{len(dataset.records):,} records, {len(dataset.columns)} columns"]
        if dataset.encoding:
            parts.append(f"read as {dataset.encoding}")
        if dataset.delimiter:
            parts.append(f"separated by {DELIMITER_NAMES.get(dataset.delimiter, repr(dataset.delimiter))}")
        text = ", ".join(parts) + "."
        if dataset.skipped:
            first = dataset.skipped[0]
            text += f" {len(dataset.skipped)} left out (first: {first.position}: {first.reason})."
        if dataset.notes:
            text += f" Note: {dataset.notes[0]}" + (
                f" (and {len(dataset.notes) - 1} more)" if len(dataset.notes) > 1 else ""
            )
        self.summary_label.setText(html.escape(text))
        self.import_button.setEnabled(self.window_.store is not None and bool(dataset.records))

    def load_mapping(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Load a mapping", "", "Mappings (*.json);;All files (*)"
        )
        if chosen:
            self.apply_mapping_file(Path(chosen))

    def apply_mapping_file(self, path: Path) -> None:
        try:
            mapping = Mapping.load(path)
            if self.dataset is not None:
                mapping = mapping.resolved(self.dataset)
        except CorroborateError as error:
            QMessageBox.warning(self, "Load mapping", error.message)
            return
        self._set_mapping(mapping)
        self._select_preset(mapping.verdict_preset)
        self.update_preview()

    def save_mapping(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the mapping", "mapping.json", "Mappings (*.json)")
        if chosen:
            try:
                self.mapping().save(Path(chosen))
            except OSError as error:
                QMessageBox.warning(self, "Save mapping", f"{chosen} cannot be written ({error.strerror}).")

    # ---- importing -------------------------------------------------------------------

    def start_import(self) -> Task | None:
        """Read the whole file and look for near-duplicates in the background, then confirm and write."""
        store = self.window_.store
        if store is None or self.path is None or self.dataset is None or not self.import_button.isEnabled():
            return None
        path, options, mapping = self.path, self.read_options(), self.mapping()

        def check(progress: Progress, cancelled: Cancelled) -> tuple[ImportPlan, list[NearDuplicate]]:
            plan = plan_import(load_dataset(path, options, cancelled), mapping, cancelled)
            progress(0, len(plan.claims))
            worker = store.worker_connection()
            try:
                near = find_near_duplicates(plan.claims, worker.claim_texts(), cancelled=cancelled)
            finally:
                worker.close()
            return plan, near

        self.setEnabled(False)
        self.task = run_with_progress(self.window_, self.runner, f"Reading {path.name}", check, self._checked)
        self.task.signals.refused.connect(lambda _: self.setEnabled(True), Qt.ConnectionType.QueuedConnection)
        return self.task

    def _checked(self, outcome: tuple[ImportPlan, list[NearDuplicate]]) -> None:
        plan, near = outcome
        if not near:
            self._write(plan, near, set())
            return
        confirm = NearDuplicatesDialog(self, near)
        self.duplicates_dialog = confirm
        confirm.accepted.connect(lambda: self._write(plan, near, confirm.left_out()))
        confirm.rejected.connect(lambda: self.setEnabled(True))
        confirm.open()

    def _write(self, plan: ImportPlan, near: list[NearDuplicate], leave_out: set[int]) -> None:
        store = self.window_.store
        if store is None:
            self.setEnabled(True)
            return
        reviewer = self.window_.reviewer

        def write(progress: Progress, cancelled: Cancelled) -> tuple[ImportResult, str]:
            how_to_take_it_back = back_up_first(
                store.path, f"The import of {plan.dataset.path.name}", cancelled
            )
            worker = store.worker_connection()
            try:
                result = write_import(
                    worker,
                    plan,
                    reviewer,
                    near_duplicates=near,
                    leave_out=leave_out,
                    progress=progress,
                    cancelled=cancelled,
                )
            finally:
                worker.close()
            return result, how_to_take_it_back

        self.task = run_with_progress(
            self.window_, self.runner, f"Importing {plan.dataset.path.name}", write, self._imported
        )
        self.task.signals.refused.connect(lambda _: self.setEnabled(True), Qt.ConnectionType.QueuedConnection)

    def _imported(self, outcome: tuple[ImportResult, str]) -> None:
        result, how_to_take_it_back = outcome
        self.result_ = result
        self.window_.reload_claims()
        written = result.written
        skipped = len(result.plan.skipped) + len(result.left_out)
        self.window_.statusBar().showMessage(
            f"Imported {counted(len(written.claim_ids), 'claim')} from {result.plan.dataset.path.name} "
            f"({counted(len(written.new_sources), 'new source')}, {counted(skipped, 'record')} left out, "
            f"{counted(len(result.near_duplicates), 'near-duplicate')} listed). {how_to_take_it_back}",
            20000,
        )
        self.accept()


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _cell(value: Any) -> str:
    from desktop.io.importing.dataset import value_text

    text = value_text(value)
    return text if len(text) <= 40 else text[:39] + "…"


class ImportFeature:
    """The File › Import dataset… action, enabled while a file is open for editing."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.runner = window.task_runner
        self.dialog: ImportDialog | None = None
        self.action = QAction("&Import dataset…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.action.setStatusTip("Add claims from a CSV, TSV, JSON, JSON Lines or ClaimReview file")
        window.addAction(self.action)
        window.file_menu.insertAction(window.file_menu_end, self.action)
        self.action.triggered.connect(lambda: self.open_dialog())
        window.store_opened.connect(self._follow)
        window.store_closed.connect(lambda: self.action.setEnabled(False))
        self._follow(window.store)

    def _follow(self, store: Store | None) -> None:
        self.action.setEnabled(store is not None and not store.read_only)

    def open_dialog(self, path: Path | None = None) -> ImportDialog | None:
        if self.window.store is None:
            return None
        if not free_for_a_job(self.window, self.runner, "Import"):
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()  # the previous one, kept until now so its result could be read
        self.dialog = ImportDialog(self.window, self.runner, path)
        self.dialog.open()
        return self.dialog


def install(window: MainWindow) -> ImportFeature:
    feature = ImportFeature(window)
    window.import_feature = feature  # type: ignore[attr-defined]
    return feature
