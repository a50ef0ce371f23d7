"""Everything the window does so that nothing a reviewer saved is lost, and nothing goes wrong silently.

- Opening: a damaged file is refused with "Restore latest backup" offered; a file someone else
  is editing names them and offers "Open read-only"; any other refusal says what and where.
- After opening a large file: its quick check and the daily backup run on a thread of their own
  once the table is painted (see `Store.finish_open_checks`). Damage found then is explained in
  a dialog offering the newest backup, the window switches to read-only and the log says so.
  Closing the file stops them within moments.
- Read-only: a banner says why; an edit is not attempted, and the reviewer is told why not.
- Saving fails (disk full, I/O error): the edit is kept in the window, listed in a bar with
  "Retry" and "Export pending edits…"; later edits queue behind it, in order, so a retry
  can never overwrite a newer value with an older one. Closing the file with edits still pending
  writes them to a file in the data folder rather than dropping them.
- File › "Back up now" and "Restore from backup…" (the current file is kept aside, never deleted).
- Unexpected errors: logged in full, shown with the details and the log file's location; the
  window keeps going.

Dialogs are opened with `open()` (window-modal, not blocking), so the window's event loop keeps
running behind them and tests can drive them like a reviewer would.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import shiboken6
from platformdirs import user_log_dir
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.edits import Edit
from desktop.core.errors import CorroborateError, DamagedFileError, LockedError
from desktop.core.model import ReviewField, ReviewValue
from desktop.core.wording import counted
from desktop.store import Store, backup
from desktop.store.access import LaterChecks
from desktop.store.connection import preload_library
from desktop.store.durable import write_json
from desktop.ui.commands import describe
from desktop.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from desktop.ui.claims_view import ClaimsTableView
    from desktop.ui.main_window import MainWindow

log = logging.getLogger("corroborate")

LOG_MAX_BYTES = 2_000_000
LOG_KEEP = 3
# How many pending edits the bar lists by name before it says "and N more".
PENDING_SHOWN = 2
# The checks left for after opening start once the table is painted, or after this long at the
# latest (a window that is never painted, e.g. minimised, still gets its file checked).
LATER_CHECKS_AT_THE_LATEST_MS = 2000


# ---- the log ---------------------------------------------------------------------------------


def log_file() -> Path:
    """The log file, in the platform's log folder (or $CORROBORATE_LOG_DIR, which tests set)."""
    folder = Path(os.environ.get("CORROBORATE_LOG_DIR") or user_log_dir("corroborate", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "corroborate.log"


def setup_logging() -> Path:
    """Log to a size-capped, rotating file; returns where. Safe to call more than once."""
    path = log_file()
    root = logging.getLogger()
    if not any(getattr(handler, "baseFilename", None) == str(path) for handler in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_KEEP, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


# ---- pending edits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingEdit:
    """An edit the reviewer made that is not in the file yet: a review field, or a store edit."""

    claim_id: int | None
    review_field: ReviewField | None = None
    value: ReviewValue = None
    store_edit: Edit | None = None

    @classmethod
    def review(cls, claim_id: int, review_field: ReviewField, value: ReviewValue) -> PendingEdit:
        return cls(claim_id, review_field, value)

    @classmethod
    def of_store_edit(cls, edit: Edit) -> PendingEdit:
        return cls(getattr(edit, "claim_id", None), store_edit=edit)

    def describe(self) -> str:
        """E.g. "Set reliability B (Usually reliable) on claim 12"."""
        if self.review_field is not None:
            return f"{describe(self.review_field, self.value)} on claim {self.claim_id}"
        name = type(self.store_edit).__name__
        words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip().capitalize()
        return f"{words} on claim {self.claim_id}" if self.claim_id is not None else words

    def as_json(self) -> dict[str, Any]:
        if self.review_field is not None:
            return {"claim_id": self.claim_id, "field": self.review_field.value, "value": self.value}
        return {"claim_id": self.claim_id, "edit": type(self.store_edit).__name__, **_plain(self.store_edit)}


def _plain(value: Any) -> Any:
    """A dataclass edit as JSON-ready values (enums by value, paths as text)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def write_pending(path: Path, db_path: Path | None, reviewer: str, pending: list[PendingEdit]) -> None:
    """Write pending edits as one JSON document (written whole, then renamed into place)."""
    document = {
        "what": "Corroborate edits that could not be saved",
        "file": str(db_path) if db_path is not None else None,
        "reviewer": reviewer,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "edits": [edit.as_json() for edit in pending],
    }
    write_json(path, document)


# ---- widgets ---------------------------------------------------------------------------------


class _Bar(QToolBar):
    """A coloured strip under the toolbar, for states the reviewer must not miss."""

    def __init__(self, object_name: str, colours: tuple[str, str, str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not something to hide from the context menu
        background, border, text = colours
        self.setStyleSheet(
            f"QToolBar#{object_name} {{ background: {background}; border: 1px solid {border}; "
            f"padding: 4px 8px; spacing: 10px; }}"
            f"QToolBar#{object_name} QLabel {{ color: {text}; }}"
        )
        # One expanding row (text, then any buttons) so the text gets the window's width.
        row = QWidget()
        row.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.row_layout = QHBoxLayout(row)
        self.row_layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        # No word wrap: a wrapping label in a toolbar is sized for a narrow column and comes out
        # far too tall. Lines are broken by hand instead; a narrow window clips, the tooltip has it all.
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(200)
        self.row_layout.addWidget(self.label, 1)
        self.addWidget(row)
        self.hide()


class ReadOnlyBanner(_Bar):
    """Says that the open file is read-only, and why."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("readOnlyBanner", ("#fff4ce", "#c8a600", "#3d3000"), parent)
        self.label.setAccessibleName("Read-only notice")

    def show_reason(self, path: Path, reason: str) -> None:
        self.label.setText(
            f"<b>Read-only:</b> {_html(path.name)} — {_html(reason)}.<br>"
            "You can read, search and export; grades and edits cannot be saved in this window."
        )
        self.label.setToolTip(f"{path}: {reason}")
        self.show()


class PendingEditsBar(_Bar):
    """Lists edits that could not be saved yet, with Retry and Export pending edits…"""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("pendingEditsBar", ("#fde7e9", "#c50f1f", "#5c0010"), parent)
        self.label.setAccessibleName("Edits not saved")
        self.retry_button = QPushButton("Retr&y")
        self.export_button = QPushButton("E&xport pending edits…")
        self.row_layout.addWidget(self.retry_button)
        self.row_layout.addWidget(self.export_button)

    def show_pending(self, pending: list[PendingEdit], problem: str) -> None:
        names = [edit.describe() for edit in pending[:PENDING_SHOWN]]
        if len(pending) > PENDING_SHOWN:
            names.append(f"and {len(pending) - PENDING_SHOWN} more")
        count = counted(len(pending), "edit")
        self.label.setText(
            f"<b>{count} not saved yet</b> ({_html(problem)}): {_html('; '.join(names))}.<br>"
            "They are kept in this window. Free some space and press Retry, or export them to a file elsewhere."
        )
        self.label.setToolTip("\n".join(edit.describe() for edit in pending))
        self.show()


class RestoreDialog(QDialog):
    """The backups of one file (date, reason, size); the chosen one replaces the file."""

    def __init__(self, db_path: Path, backups: list[backup.Backup], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Choose a backup of <b>{_html(db_path.name)}</b> to bring back. The file as it is now is "
            "kept beside it as <i>…before-restore-…</i>; nothing is deleted."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels(["Made", "Why", "Size"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Backups")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, item in enumerate(backups):
            made = item.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            cells = [made, _REASONS.get(item.reason, item.reason), _size(item.size)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        layout.addWidget(self.table)
        self.empty_label = QLabel("There are no backups of this file yet. File › Back up now makes one.")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.empty_label.setVisible(not backups)
        self.table.setVisible(bool(backups))
        where = QLabel(f"Backups are kept in {_html(str(backup.backup_dir(db_path)))}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(where)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if backups:
            self.table.selectRow(0)
            self.table.setFocus()
        self.resize(620, 360 if backups else 220)

    def chosen(self) -> backup.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


_REASONS = {
    backup.DAILY: "daily",
    backup.BEFORE_UPGRADE: "before upgrade",
    backup.BEFORE_IMPORT: "before an import or merge",
    backup.MANUAL: "made by hand",
}


def back_up_first(db_path: Path, what: str, cancelled: Callable[[], bool]) -> str:
    """Back `db_path` up before `what` changes it (backup.backup_before_import, on a worker thread);
    returns what to say once it is done: the backup that takes it back, or why there is none."""
    return _way_back(backup.backup_before_import(db_path, what, cancelled=cancelled), db_path)


def _way_back(kept: Path | None, db_path: Path) -> str:
    if kept is not None:
        return "A backup from just before it is kept: File › Restore from backup… takes it back."
    newest = backup.latest_backup(db_path)
    limit = backup.BACKUP_BEFORE_IMPORT_UP_TO // 2**20
    if newest is None:
        return f"No backup was made first (the file is over {limit} MB): File › Back up now makes one."
    made = newest.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"No backup was made first (the file is over {limit} MB); the newest, from {made}, is in "
        "File › Restore from backup…."
    )


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- the controller --------------------------------------------------------------------------


class Safety(QObject):
    """The window's safety features; reached as `window.safety`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending: list[PendingEdit] = []
        self.last_problem = ""
        self.dialog: QWidget | None = None  # the dialog shown last (tests look at it)
        self._retrying = False
        self._runner = window.task_runner
        # The checks after opening only read, on connections of their own: a runner of their own
        # keeps imports and exports from waiting behind a check of a million claims.
        self._checks = TaskRunner(self)
        self._check_task: Task | None = None
        self._first_paint: _AfterFirstPaint | None = None
        self._preload: _AfterFirstPaint | None = None

        self.banner = ReadOnlyBanner(window)
        self.pending_bar = PendingEditsBar(window)
        for bar in (self.banner, self.pending_bar):
            window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.pending_bar.retry_button.clicked.connect(self.retry)
        self.pending_bar.export_button.clicked.connect(self.export_pending)

        self.backup_action = QAction("&Back up now", window)
        self.backup_action.setStatusTip("Make a verified copy of the open file in the backups folder")
        self.restore_action = QAction("Res&tore from backup…", window)
        self.restore_action.setStatusTip("Replace the open file with one of its backups; it is kept aside")
        window.file_menu.insertActions(window.file_menu_end, [self.backup_action, self.restore_action])
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action.triggered.connect(self.choose_backup_to_restore)
        window.store_opened.connect(self._on_store_opened)
        window.store_closed.connect(self._on_store_closed)
        self._on_store_closed()

    # -- following the open file

    def _on_store_opened(self, store: Store) -> None:
        report = store.open_report
        self.restore_action.setEnabled(True)
        self.backup_action.setEnabled(True)
        if report.read_only_reason is not None:
            self.banner.show_reason(store.path, report.read_only_reason)
        else:
            self.banner.hide()
        # Typing a rationale that could never be saved would be work thrown away: refuse the keys.
        self.window.detail.rationale_edit.setReadOnly(report.read_only_reason is not None)
        notes = []
        if report.unclean_shutdown:
            notes.append("It was not closed properly last time; a full check found it sound.")
        if report.backup_problem:
            notes.append(f"The automatic backup failed: {report.backup_problem}")
            log.warning("Automatic backup of %s failed: %s", store.path, report.backup_problem)
        if notes:
            self.window.statusBar().showMessage(" ".join(notes), 15000)
        if report.read_only_reason is None:
            # Saving an edit needs sqlite-utils, which opening the file did not load (see
            # store/connection.py): load it once the table is on screen, before the first edit.
            self._preload = _AfterFirstPaint(self.window.table, preload_library)
        if report.check_later or report.backup_later:
            self._first_paint = _AfterFirstPaint(self.window.table, lambda: self._start_later_checks(store))

    # -- checks left for after opening

    def _start_later_checks(self, store: Store) -> None:
        self._first_paint = None
        if self.window.store is not store:
            return  # closed, or another file opened, before the table was painted
        log.info("Checking %s in the background", store.path)
        self._check_task = self._checks.start(
            lambda _progress, cancelled: store.finish_open_checks(cancelled),
            lambda outcome: self._later_checks_done(store, outcome),
            lambda error: self._damage_found(store, error),
        )

    def stop_later_checks(self) -> None:
        """Stop the checks after opening (the file is being closed) and wait the moment they take."""
        if self._first_paint is not None:
            self._first_paint.cancel()
            self._first_paint = None
        if self._check_task is not None:
            self._check_task.cancel()
            self._check_task = None
        self._checks.wait()

    def wait_for_later_checks(self, timeout_ms: int = -1) -> bool:
        return self._checks.wait(timeout_ms)

    @property
    def later_checks_pending(self) -> bool:
        """Whether checks left for after opening are waiting for the first paint or running."""
        task = self._check_task
        return self._first_paint is not None or (task is not None and not task.done.is_set())

    def _later_checks_done(self, store: Store, outcome: LaterChecks) -> None:
        self._check_task = None
        if outcome.interrupted:
            log.info("Background check of %s stopped: the file was closed", store.path)
            return
        if store.open_report.check_later:
            log.info("Background check of %s found it sound", store.path)
        if outcome.backup_made is not None:
            log.info("Daily backup of %s made and verified: %s", store.path, outcome.backup_made)
        if outcome.backup_problem is not None:
            log.warning("Automatic backup of %s failed: %s", store.path, outcome.backup_problem)
            if self.window.store is store:
                self.window.statusBar().showMessage(
                    f"The automatic backup failed: {outcome.backup_problem}", 15000
                )

    def _damage_found(self, store: Store, error: CorroborateError) -> None:
        self._check_task = None
        if not isinstance(error, DamagedFileError):
            raise error  # nothing else is expected from a check: a bug, shown as one
        current = self.window.store is store
        if current:
            store.mark_damaged()
        log.error(
            "%s%s",
            error.message,
            " The window switched to read-only: nothing more is written to it." if current else "",
        )
        if not current:
            return
        reason = store.open_report.read_only_reason or "damaged"
        self.banner.show_reason(store.path, reason)
        self.window.detail.rationale_edit.setReadOnly(True)
        box = self._box(
            QMessageBox.Icon.Critical,
            "File damaged",
            f"{error.message}\n\nThe file is now read-only in this window: nothing more is written to "
            "it. You can still read, search and export what it holds.",
        )
        if error.problems:
            box.setDetailedText("\n".join(error.problems))
        latest = error.latest_backup
        if latest is not None:
            restore = box.addButton("&Restore latest backup", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.setDefaultButton(restore)
            self._on_click(box, restore, lambda: self.restore(latest, store.path))
        else:
            box.addButton(QMessageBox.StandardButton.Ok)
        box.open()

    def _on_store_closed(self) -> None:
        self.banner.hide()
        self.window.detail.rationale_edit.setReadOnly(False)
        self.backup_action.setEnabled(False)
        self.restore_action.setEnabled(False)
        if self.pending:
            self._save_pending_on_close()

    def _save_pending_on_close(self) -> None:
        # The file is gone from the window, but the reviewer's work must not go with it.
        folder = backup.data_dir() / "unsaved-edits"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"unsaved-edits-{stamp}.json"
        write_pending(target, None, self.window.reviewer, self.pending)
        log.warning("%d unsaved edits written to %s", len(self.pending), target)
        self.window.statusBar().showMessage(f"Edits that could not be saved were written to {target}", 30000)
        self.pending = []
        self.pending_bar.hide()

    # -- opening

    def report_open_error(self, path: Path, error: CorroborateError) -> None:
        """Explain why `path` did not open, offering the way out there is (backup, read-only)."""
        log.info("Refused to open %s: %s", path, error.message)
        if isinstance(error, LockedError):
            box = self._box(QMessageBox.Icon.Warning, "File in use", error.message)
            read_only = box.addButton("Open &read-only", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(read_only)
            self._on_click(box, read_only, lambda: self.window.open_file(path, read_only=True))
        elif isinstance(error, DamagedFileError) and error.latest_backup is not None:
            latest = error.latest_backup
            box = self._box(
                QMessageBox.Icon.Critical, "File damaged", f"{error.message}\n\nThe file was not changed."
            )
            restore = box.addButton("&Restore latest backup", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(restore)
            if error.problems:
                box.setDetailedText("\n".join(error.problems))
            self._on_click(box, restore, lambda: self.restore(latest, path))
        else:
            # Nothing to offer but the explanation: the plain modal box.
            QMessageBox.critical(
                self.window, "Cannot open file", f"{error.message}\n\nThe file was not changed."
            )
            return
        box.open()

    # -- read-only and failed saves

    def holds_back(self, edit: PendingEdit) -> bool:
        """True when `edit` must not be tried now: the file is read-only (explained), or earlier
        edits are still pending (queued behind them, then all retried in order)."""
        store = self.window.store
        if store is not None and store.read_only:
            reason = store.open_report.read_only_reason
            self.window.statusBar().showMessage(f"Not changed: this file is read-only ({reason}).", 8000)
            self.banner.show_reason(store.path, reason or "read-only")
            return True
        if self.pending and not self._retrying:
            self.pending.append(edit)
            self.retry()
            return True
        return False

    def keep_pending(self, edit: PendingEdit, error: CorroborateError) -> None:
        """A save failed (disk full, I/O error): keep the edit, show it, tell the reviewer at once."""
        first = not self.pending
        self.pending.append(edit)
        self.last_problem = error.message
        log.warning("Edit kept pending (%s): %s", edit.describe(), error.message)
        self.pending_bar.show_pending(self.pending, _short(error.message))
        self.window.statusBar().showMessage("Not saved — kept in the window; see the red bar.", 15000)
        if first and not self._retrying:
            box = self._box(
                QMessageBox.Icon.Critical,
                "Not saved",
                f"{error.message}\n\nYour edit is kept in this window and listed in the red bar: press "
                "Retry once there is room again, or save the pending edits to a file elsewhere. "
                "Everything saved before is unharmed.",
            )
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()

    def retry(self) -> None:
        """Save the pending edits in the order they were made; stop at the first that fails again."""
        queue, self.pending = self.pending, []
        self._retrying = True
        try:
            for index, edit in enumerate(queue):
                before = len(self.pending)
                saved = self._save(edit)
                if not saved and len(self.pending) > before:
                    self.pending.extend(queue[index + 1 :])  # still failing: keep the rest in order
                    break
        finally:
            self._retrying = False
        if self.pending:
            self.pending_bar.show_pending(self.pending, _short(self.last_problem))
        else:
            self.pending_bar.hide()
            if queue:
                self.window.statusBar().showMessage("Pending edits saved.", 8000)

    def _save(self, edit: PendingEdit) -> bool:
        if edit.store_edit is not None:
            # Saved here and now: the retry reports each pending edit saved or not as it goes.
            return self.window.apply_store_edit(edit.store_edit, allow_background=False)
        assert edit.claim_id is not None and edit.review_field is not None
        return self.window.apply_edit(edit.claim_id, edit.review_field, edit.value)

    def export_pending(self) -> Path | None:
        """Write the pending edits to a JSON file the reviewer chooses (somewhere with room)."""
        if not self.pending:
            return None
        store = self.window.store
        suggestion = str(Path.home() / "corroborate-unsaved-edits.json")
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, "Export pending edits", suggestion, "JSON (*.json)"
        )
        if not chosen:
            return None
        target = Path(chosen)
        try:
            write_pending(target, store.path if store else None, self.window.reviewer, self.pending)
        except OSError as error:
            box = self._box(
                QMessageBox.Icon.Critical,
                "Not written",
                f"{target} could not be written: {error.strerror}. The edits are still kept in the window.",
            )
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()
            return None
        self.window.statusBar().showMessage(
            f"{len(self.pending)} pending edits written to {target}; they stay listed until saved.", 15000
        )
        return target

    # -- backups

    def back_up_now(self) -> None:
        store = self.window.store
        if store is None:
            return
        path = store.path
        self.backup_action.setEnabled(False)
        self.window.statusBar().showMessage(f"Backing up {path.name}…")

        def done(made: Path) -> None:
            self.backup_action.setEnabled(self.window.store is not None)
            self.window.statusBar().showMessage(f"Backed up and verified: {made}", 15000)

        def refused(error: CorroborateError) -> None:
            self.backup_action.setEnabled(self.window.store is not None)
            self.window.statusBar().clearMessage()
            box = self._box(QMessageBox.Icon.Warning, "Backup failed", error.message)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()

        self._runner.start(
            lambda _progress, _cancelled: backup.make_backup(path, reason=backup.MANUAL), done, refused
        )

    def wait_for_backup(self, timeout_ms: int = -1) -> bool:
        return self._runner.wait(timeout_ms)

    def choose_backup_to_restore(self) -> None:
        store = self.window.store
        if store is None:
            return
        path = store.path
        dialog = RestoreDialog(path, backup.list_backups(path), self.window)
        self.dialog = dialog

        def accepted() -> None:
            chosen = dialog.chosen()
            if chosen is not None:
                self.restore(chosen.path, path)

        dialog.accepted.connect(accepted)
        dialog.open()

    def restore(self, backup_path: Path, target: Path) -> None:
        """Replace `target` with `backup_path` (the current file kept aside) and open it."""
        if self.window.store is not None and self.window.store.path.resolve() == target.resolve():
            self.window._close_store()  # our own lock must go before the file can be replaced
        try:
            aside = backup.restore_backup(backup_path, target, reviewer=self.window.reviewer)
        except CorroborateError as error:
            box = self._box(QMessageBox.Icon.Critical, "Not restored", error.message)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()
            return
        log.info("Restored %s from %s; the previous file is kept at %s", target, backup_path, aside)
        if self.window.open_file(target):
            kept = f" The file as it was is kept at {aside}." if aside else ""
            self.window.statusBar().showMessage(f"Restored the backup {backup_path.name}.{kept}", 30000)
            box = self._box(
                QMessageBox.Icon.Information,
                "Backup restored",
                f"{target} was restored from {backup_path}.{kept}",
            )
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()

    # -- helpers

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(self.window)
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = box
        return box

    @staticmethod
    def _on_click(box: QMessageBox, button: QPushButton, then: Any) -> None:
        box.buttonClicked.connect(lambda clicked: then() if clicked is button else None)


class _AfterFirstPaint(QObject):
    """Calls `then` once, just after the claims table is next painted (or after a while if it never is)."""

    def __init__(self, table: ClaimsTableView, then: Any) -> None:
        super().__init__(table)
        self._table = table
        self._then = then
        table.after_next_paint(self._painted)
        # A child of this object: it dies with it, so `then` is never called once this is gone.
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start(LATER_CHECKS_AT_THE_LATEST_MS)

    def _painted(self) -> None:
        # A zero timer runs once this paint has been handled: the frame is on screen first.
        self._fallback.start(0)

    def _fire(self) -> None:
        then, self._then = self._then, None
        self.cancel()
        if then is not None:
            then()

    def cancel(self) -> None:
        self._then = None
        self._fallback.stop()
        self._table.forget_after_paint(self._painted)
        self.deleteLater()


def _short(message: str) -> str:
    """The gist of a save error for the bar: the full text is in the dialog and the log."""
    lowered = message.lower()
    if "full" in lowered:
        return "the disk is full"
    if "i/o" in lowered or "disk i/o" in lowered:
        return "the disk reported an error"
    return "the file could not be written"


# ---- unexpected errors -----------------------------------------------------------------------


class ErrorReporter(QObject):
    """sys.excepthook for the window: log in full, show a dialog with the details, keep going.

    Qt calls the hook on whichever thread the error escaped on (a worker's QRunnable too), and a
    dialog may only be built on the window's thread: an error from elsewhere is logged there and
    shown by the window's thread. Once the window is gone, the error is logged and printed.
    """

    _from_another_thread = Signal(object, object, object)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QMessageBox | None = None
        self.more = 0  # errors that arrived while the dialog was still open
        self._window_thread = threading.get_ident()  # made on the window's thread
        self._from_another_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("Unexpected error\n%s", details)
        if isinstance(error, KeyboardInterrupt) or not (
            shiboken6.isValid(self) and shiboken6.isValid(self.window)
        ):
            sys.__excepthook__(kind, error, tb)
            return
        if threading.get_ident() != self._window_thread:
            self._from_another_thread.emit(kind, error, details)
            return
        self._show(kind, error, details)

    def _show(self, kind: type[BaseException], error: BaseException, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            # One dialog at a time: a burst of errors must not bury the window in boxes.
            self.more += 1
            self.dialog.setInformativeText(f"{self.more} more error(s) since; all are in the log.")
            return
        self.more = 0
        box = QMessageBox(self.window)
        if isinstance(error, CorroborateError):
            # An expected error that escaped a path without its own handling (an undo or redo on a
            # full disk): say what it is, not that something unexpected happened.
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Not done")
            box.setText(f"{error.message}\n\nNothing else was changed; the file holds what it held before.")
        else:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle("Unexpected error")
            box.setText(
                f"Something went wrong that Corroborate did not expect:\n{kind.__name__}: {error}\n\n"
                "Edits shown as saved are in the file, and the window carries on. Please report this, "
                f"with the details below. They are also in the log file:\n{log_file()}"
            )
        box.setDetailedText(details)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._forget)
        self.dialog = box
        box.open()

    def _forget(self) -> None:
        self.dialog = None


def install_error_reporter(window: QWidget) -> ErrorReporter:
    """Make unexpected errors show a dialog (and go to the log) instead of passing unseen."""
    setup_logging()  # the dialog names the log file: it must really be written
    reporter = ErrorReporter(window)
    sys.excepthook = reporter

    def from_a_thread(args: threading.ExceptHookArgs) -> None:
        # A plain thread's error (the cancel watcher of a long check, the background import of
        # sqlite-utils) would otherwise only be printed to a terminal the reviewer never sees.
        if args.exc_type is SystemExit or args.exc_value is None:  # a thread asked to end: not an error
            return
        reporter(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = from_a_thread
    return reporter


def install_safety(window: MainWindow) -> Safety:
    """Add the safety features to the window (called once from MainWindow._install_features)."""
    return Safety(window)
