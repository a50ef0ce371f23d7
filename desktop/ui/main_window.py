"""The main window: claims table and detail pane over one open Corroborate file."""

from __future__ import annotations

import linecache
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
)

from desktop import __version__
from desktop.core.edits import Applied, Edit
from desktop.core.errors import CorroborateError, OpeningCancelled, StoreWriteError
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.model import ClaimQuery, ReviewField, ReviewValue
from desktop.store import Store
from desktop.ui.claims_menu import install as install_claims_menu
from desktop.ui.claims_model import ClaimsTableModel
from desktop.ui.claims_view import ClaimsTableView
from desktop.ui.commands import ApplyEdit, SavedStep, SetReviewField, SetReviewFieldOnMany, describe
from desktop.ui.copying import install as install_copying
from desktop.ui.detail_pane import NO_CLAIM_CHOSEN, ClaimDetailPane
from desktop.ui.drafts import install as install_drafts
from desktop.ui.features import LazyFeatures
from desktop.ui.filter_bar import FilterBar
from desktop.ui.go_to_claim import install as install_go_to_claim
from desktop.ui.long_edits import apply_in_background, is_long
from desktop.ui.safety import PendingEdit, install_safety
from desktop.ui.settings import Settings
from desktop.ui.tasks import Cancelled, TaskRunner, run_and_wait
from desktop.ui.text_size import install as install_text_size
from desktop.ui.welcome import WelcomePage

FILE_FILTER = "Corroborate files (*.db *.sqlite *.corroborate);;All files (*)"
NEXT_UNREVIEWED_BATCH = 500
# A grade or status key on a selection sets it on at most this many claims (one transaction, one undo
# step); a larger selection is refused with a message rather than a long wait.
MAX_EDITED_AT_ONCE = 1_000
# How often the write-ahead log is copied into the file by the background thread (see Store.checkpoint).
CHECKPOINT_INTERVAL_MS = 20_000
# How often, after opening, the window looks whether the listing has reached the claim it was left on.
RESUME_LOOK_MS = 50

_STATUS_FILTERS: list[tuple[str, frozenset[Status]]] = [
    ("All statuses", frozenset()),
    ("Still to do", frozenset({Status.UNREVIEWED, Status.IN_PROGRESS})),
    *((status.label.capitalize(), frozenset({status})) for status in Status),
]

KEYS_HELP = """<table cellspacing=4>
<tr><td><b>↑ ↓</b>, <b>J K</b></td><td>previous / next claim</td></tr>
<tr><td><b>A</b> … <b>F</b></td><td>source reliability (Admiralty A–F)</td></tr>
<tr><td><b>1</b> … <b>6</b></td><td>claim credibility (1 confirmed … 6 cannot be judged)</td></tr>
<tr><td><b>R</b> / <b>P</b> / <b>X</b> / <b>U</b></td><td>status: reviewed / in progress / disputed / unreviewed</td></tr>
<tr><td><b>Shift+↑ ↓</b>, then a key above</td><td>the same grade or status on every selected claim (one undo step)</td></tr>
<tr><td><b>N</b></td><td>next claim still to review</td></tr>
<tr><td><b>Ctrl+G</b></td><td>go to a claim by its number</td></tr>
<tr><td><b>Enter</b>, <b>Esc</b></td><td>write the rationale; back to the table (from any field)</td></tr>
<tr><td><b>Alt</b> + underlined letter</td><td>that field or button of the detail pane (Alt+L reliability, Alt+T rationale…)</td></tr>
<tr><td><b>Insert</b>, <b>Delete</b>, <b>Alt+↑ ↓</b></td><td>in the hop list: add, remove, move a hop</td></tr>
<tr><td><b>Ctrl+C</b>, <b>Ctrl+Shift+C</b></td><td>copy the selected claims, their passages in the article</td></tr>
<tr><td><b>Ctrl+F</b></td><td>filter by text (claims, passages, rationales, evidence, sources)</td></tr>
<tr><td><b>Ctrl+Shift+F</b></td><td>filter by source, grade, evidence…</td></tr>
<tr><td><b>Ctrl+Shift+L</b></td><td>clear the search and every filter: the whole file again</td></tr>
<tr><td><b>F2</b></td><td>reword the claim (the article's words stay as written)</td></tr>
<tr><td><b>Ctrl+H</b></td><td>the claim's history: who changed what, and when</td></tr>
<tr><td><b>Ctrl+Shift+R</b></td><td>the claim's article, its claims' passages marked</td></tr>
<tr><td><b>Ctrl+Shift+S</b>, <b>Ctrl+Shift+A</b></td><td>sources, attribution picture</td></tr>
<tr><td><b>Ctrl+Shift+I</b>, <b>Ctrl+Shift+E</b></td><td>import a dataset, export</td></tr>
<tr><td><b>Ctrl+Z</b>, <b>Ctrl+Shift+Z</b> / <b>Ctrl+Y</b></td><td>undo, redo</td></tr>
<tr><td><b>Ctrl++</b>, <b>Ctrl+-</b>, <b>Ctrl+0</b></td><td>larger, smaller, normal text in the table and the detail pane</td></tr>
<tr><td><b>Ctrl+O</b>, <b>Ctrl+N</b>, <b>Ctrl+Q</b></td><td>open, new file, quit</td></tr>
<tr><td><b>F1</b></td><td>this list</td></tr>
</table>"""


class MainWindow(QMainWindow):
    """One window, at most one open file; every edit is saved at once and can be undone.

    Features beyond grading (import, export, sources, backups…) live in their own modules and
    plug in through `_install_features`: they add actions to the menus kept here as attributes
    and follow the open file through `store_opened` / `store_closed`.
    """

    store_opened = Signal(object)  # the Store just opened
    store_closed = Signal()

    def __init__(self, settings: Settings, reviewer: str) -> None:
        super().__init__()
        # PySide6 reads the source of every module imported after it (looking for its __feature__
        # switches) and linecache keeps it all: megabytes that nothing reads again. A traceback
        # reads the lines it needs afresh.
        linecache.clearcache()
        self.settings = settings
        self.reviewer = reviewer
        self.store: Store | None = None
        self.model: ClaimsTableModel | None = None
        # (claims in the file, claims this reviewer has reviewed), counted after every change.
        self._file_counts: tuple[int, int] | None = None
        self._ending = False  # the system asked the program to end (close_for_ending)
        self.undo_stack = QUndoStack(self)
        # One background thread per window for imports, exports and saves retried after a full disk:
        # long jobs queue behind each other instead of writing the file at the same time.
        self.task_runner = TaskRunner(self)
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.setInterval(CHECKPOINT_INTERVAL_MS)
        self._checkpoint_timer.timeout.connect(self._checkpoint_in_background)
        self.setWindowTitle("Corroborate")
        self.resize(1360, 820)

        self.welcome = WelcomePage()
        self.table = ClaimsTableView()
        self.detail = ClaimDetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 460])
        self.splitter.setChildrenCollapsible(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Filter claims, passages, rationales, sources…  (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(360)
        self.search_box.setAccessibleName("Filter by text")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        for label, _ in _STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.filter_bar = FilterBar()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)

        self.progress_label = QLabel()
        self.statusBar().addPermanentWidget(self.progress_label)

        self._build_actions()
        self._build_menus_and_toolbar()
        self._connect()
        self._install_features()
        self._restore_window_state()
        self._show_welcome()

    # ---- construction ----------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        *,
        table_only: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if table_only:
            # Single-key shortcuts act only while the claims table has focus, so typing a
            # rationale or a search never grades a claim by accident.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        else:
            self.addAction(action)
        return action

    def _history_action(self, prefix: str, step: Callable[[], None], *, forward: bool) -> QAction:
        """An Undo or Redo action that follows the stack's text and state, as Qt's own would."""
        action = QAction(prefix, self)
        stack = self.undo_stack

        def follow(*_: object) -> None:
            if not (shiboken6.isValid(stack) and shiboken6.isValid(action)):
                return  # a stack still holding steps clears itself as it is destroyed, with the window
            possible = stack.canRedo() if forward else stack.canUndo()
            text = stack.redoText() if forward else stack.undoText()
            action.setEnabled(possible)
            action.setText(f"{prefix} {text}" if possible and text else prefix)

        stack.indexChanged.connect(follow)
        stack.cleanChanged.connect(follow)
        follow()
        action.triggered.connect(step)
        return action

    def undo(self) -> None:
        """Undo the last step; if its save is refused, say so and keep the history as it was."""
        self._step_history(forward=False)

    def redo(self) -> None:
        """Redo the next step; if its save is refused, say so and keep the history as it was."""
        self._step_history(forward=True)

    def _step_history(self, *, forward: bool) -> None:
        stack = self.undo_stack
        index = stack.index()
        command = stack.command(index if forward else index - 1)
        if not isinstance(command, SavedStep):
            return
        go, back = (stack.redo, stack.undo) if forward else (stack.undo, stack.redo)
        store = self.store
        if isinstance(command, ApplyEdit) and store is not None and is_long(store, command.pending):
            self._step_in_background(command, go, forward=forward)
            return
        go()
        failure = command.take_failure()
        if failure is None:
            return
        back()  # the command made this step a no-op: it only moves the stack back
        self._history_step_refused(failure, forward=forward)

    def _history_step_refused(self, failure: CorroborateError, *, forward: bool) -> None:
        QMessageBox.warning(
            self,
            "Not redone" if forward else "Not undone",
            f"{failure.message}\n\nThe file holds what it held before, and "
            f"{'Redo' if forward else 'Undo'} can be tried again once the problem is solved.",
        )

    def _step_in_background(self, command: ApplyEdit, go: Callable[[], None], *, forward: bool) -> None:
        """Undo or redo a long source edit on a worker thread; the history moves once it is saved."""
        assert self.store is not None

        def saved(applied: Applied) -> None:
            if self.undo_stack.command(self.undo_stack.index() - (0 if forward else 1)) is not command:
                return  # the file was closed meanwhile, and its history with it
            command.saved_elsewhere(applied)
            go()
            self._after_store_edit(applied.claim_id)

        apply_in_background(
            self,
            self.task_runner,
            self.store,
            command.pending,
            self.reviewer,
            saved,
            lambda: self.statusBar().showMessage(
                f"{'Redo' if forward else 'Undo'} cancelled; nothing was changed.", 8000
            ),
            lambda error: self._history_step_refused(error, forward=forward),
        )

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open)
        self.new_action = self._action("&New…", QKeySequence.StandardKey.New)
        self.quit_action = self._action("&Quit", "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        # Not QUndoStack.createUndoAction: a refused undo must leave the history where it was.
        self.undo_action = self._history_action("&Undo", self.undo, forward=False)
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self._history_action("&Redo", self.redo, forward=True)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.find_action = self._action("&Filter by text", QKeySequence.StandardKey.Find)
        self.focus_filters_action = self._action("Filter by source, &grade, evidence…", "Ctrl+Shift+F")
        self.show_every_claim_action = self._action("&Clear search and filters", "Ctrl+Shift+L")
        self.next_action = self._action("&Next claim", "J", table_only=True)
        self.previous_action = self._action("&Previous claim", "K", table_only=True)
        self.next_unreviewed_action = self._action("Next claim &still to review", "N", table_only=True)
        # Enter reaches it through the table's key handling; the menu shows the key.
        self.rationale_action = self._action("&Write rationale\tEnter")
        self.reliability_actions = [
            self._action(f"&{letter}  {label}", letter, table_only=True)
            for letter, label in RELIABILITY_LABELS.items()
        ]
        self.credibility_actions = [
            self._action(f"&{number}  {label}", str(number), table_only=True)
            for number, label in CREDIBILITY_LABELS.items()
        ]
        status_keys = {
            Status.REVIEWED: "R",
            Status.IN_PROGRESS: "P",
            Status.DISPUTED: "X",
            Status.UNREVIEWED: "U",
        }
        self.status_actions = {
            status: self._action(status.label.capitalize(), key, table_only=True)
            for status, key in status_keys.items()
        }
        self.keys_action = self._action("&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("&About Corroborate")
        self.review_actions = [
            self.next_action,
            self.previous_action,
            self.next_unreviewed_action,
            self.rationale_action,
            self.find_action,
            *self.reliability_actions,
            *self.credibility_actions,
            *self.status_actions.values(),
        ]

    def _build_menus_and_toolbar(self) -> None:
        menu = self.menuBar()
        self.file_menu = file_menu = menu.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        # Import, export and backup entries are inserted before this separator by their features.
        self.file_menu_end = file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.edit_menu = edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        self.view_menu = menu.addMenu("&View")
        self.review_menu = review_menu = menu.addMenu("&Review")
        reliability_menu = review_menu.addMenu("Source &reliability")
        reliability_menu.addActions(self.reliability_actions)
        credibility_menu = review_menu.addMenu("Claim &credibility")
        credibility_menu.addActions(self.credibility_actions)
        status_menu = review_menu.addMenu("&Status")
        status_menu.addActions(list(self.status_actions.values()))
        review_menu.addAction(self.rationale_action)
        # The claim's history comes after this, from its feature; the right-click menu offers it too.
        self.review_menu_end = review_menu.addSeparator()
        # Also offered by the claims table's right-click menu (claims_menu.py).
        self.grade_menus = [reliability_menu, credibility_menu, status_menu]
        self.go_menu = go_menu = menu.addMenu("&Go")
        go_menu.addActions([self.next_action, self.previous_action, self.next_unreviewed_action])
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.keys_action, self.about_action])

        toolbar = QToolBar("Filter")
        toolbar.setObjectName("filterToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_box)
        toolbar.addWidget(self.status_filter)
        toolbar.addSeparator()
        toolbar.addAction(self.next_unreviewed_action)
        self.addToolBar(toolbar)
        self.addToolBarBreak()
        self.filter_toolbar = QToolBar("Filters")
        self.filter_toolbar.setObjectName("filterBar")
        self.filter_toolbar.setMovable(False)
        self.filter_toolbar.addWidget(self.filter_bar)
        self.addToolBar(self.filter_toolbar)
        filter_toggle = self.filter_toolbar.toggleViewAction()
        filter_toggle.setText("&Filter bar")
        self.view_menu.addAction(filter_toggle)
        self.view_menu.addAction(self.focus_filters_action)
        self.view_menu.addAction(self.show_every_claim_action)

    def _connect(self) -> None:
        self.open_action.triggered.connect(self.choose_and_open)
        self.new_action.triggered.connect(self.choose_and_create)
        self.quit_action.triggered.connect(self.close)
        self.find_action.triggered.connect(self._focus_search)
        self.next_action.triggered.connect(lambda: self.table.move_by(1))
        self.previous_action.triggered.connect(lambda: self.table.move_by(-1))
        self.next_unreviewed_action.triggered.connect(self.go_to_next_unreviewed)
        self.rationale_action.triggered.connect(self.detail.focus_rationale)
        for letter, action in zip(RELIABILITY_LABELS, self.reliability_actions, strict=True):
            action.triggered.connect(lambda _=False, v=letter: self._edit_current(ReviewField.RELIABILITY, v))
        for number, action in zip(CREDIBILITY_LABELS, self.credibility_actions, strict=True):
            action.triggered.connect(lambda _=False, v=number: self._edit_current(ReviewField.CREDIBILITY, v))
        for status, action in self.status_actions.items():
            action.triggered.connect(
                lambda _=False, v=status.value: self._edit_current(ReviewField.STATUS, v)
            )
        self.keys_action.triggered.connect(self.show_keys)
        self.about_action.triggered.connect(self.show_about)
        self.table.current_claim_changed.connect(self._show_claim)
        self.detail.review_edited.connect(self.apply_edit)
        self.detail.article_requested.connect(lambda: self.features.trigger("desktop.ui.article_view"))
        self.detail.history_requested.connect(lambda: self.features.trigger("desktop.ui.history_view"))
        self.detail.store_edit_requested.connect(self.apply_store_edit)
        self.detail.leave_requested.connect(self.table.setFocus)
        self.table.rationale_requested.connect(self.detail.focus_rationale)
        self.search_box.textChanged.connect(lambda _: self._search_timer.start())
        self.search_box.returnPressed.connect(self._apply_filters_now)
        self._search_timer.timeout.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(lambda _: self._apply_filters())
        self.filter_bar.changed.connect(self._apply_filters)
        self.focus_filters_action.triggered.connect(self._focus_filters)
        self.show_every_claim_action.triggered.connect(self.clear_every_filter)
        self.store_opened.connect(self.filter_bar.set_store)
        self.store_closed.connect(lambda: self.filter_bar.set_store(None))
        self.welcome.open_requested.connect(self.choose_and_open)
        self.welcome.new_requested.connect(self.choose_and_create)
        self.welcome.recent_chosen.connect(self.open_file)

    def _install_features(self) -> None:
        """Let each feature module add its actions and follow the open file (one line per feature)."""
        self.safety = install_safety(self)
        self.drafts = install_drafts(self)
        self.copying = install_copying(self)
        self.go_to_claim = install_go_to_claim(self)
        install_claims_menu(self)
        # Import, export, the Sources view and the attribution picture are imported on first use.
        self.features = LazyFeatures(self)
        self.text_size = install_text_size(self)  # last in the View menu

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not found: one a feature sets (`export_feature`) before that
        # feature was first used installs it now.
        features = self.__dict__.get("features")
        found = features.attribute(name) if features is not None else None
        if found is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return found

    # ---- files -----------------------------------------------------------------------

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a Corroborate file", self._start_folder(), FILE_FILTER
        )
        if path:
            self.open_file(path)

    def choose_and_create(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Create a Corroborate file", self._start_folder(), FILE_FILTER
        )
        if path:
            self.open_file(path, create=True)

    def open_file(self, path: str | Path, *, create: bool = False, read_only: bool = False) -> bool:
        """Open (or create) a file; on an expected error, explain it and keep what was open.

        The explanation offers the way out there is: restoring the latest backup of a damaged
        file, or opening read-only a file someone else is editing (see safety.py).
        """
        path = Path(path)
        if create and path.exists():
            QMessageBox.warning(
                self, "File exists", f"{path} already exists. Open it instead, or choose a new name."
            )
            return False
        if self.store is not None and self.store.path.resolve() == path.resolve() and not read_only:
            # Reopening the file this window already has: close it first, or our own lock refuses us.
            self._close_store()
        try:
            # A large file's quick check and daily backup run after the table is painted (safety.py).
            store = Store.open(
                path,
                create=create,
                read_only=read_only,
                reviewer=self.reviewer,
                background_checks=True,
                long_step=self._open_step,
            )
        except OpeningCancelled as stopped:
            self.statusBar().showMessage(stopped.message, 15_000)  # asked for: no dialog
            return False
        except CorroborateError as error:
            self.safety.report_open_error(path, error)
            return False
        if self._ending:  # asked to end while a long step of opening ran: the window is gone
            store.close()
            return False
        self._close_store()
        self.store = store
        self._file_counts = None  # another file's: counted afresh
        self.detail.set_store(store)
        self.settings.remember_file(path)
        query = self._current_query()
        self.detail.set_search(query.text)
        self.model = ClaimsTableModel(store, query)
        self.table.setModel(self.model)
        header_state = self.settings.header_state()
        if header_state is not None:
            self.table.restore_columns(header_state)
        self.pages.setCurrentWidget(self.splitter)
        self.setWindowTitle(f"{path.name} — Corroborate")
        for action in self.review_actions:
            action.setEnabled(True)
        self.search_box.setEnabled(True)
        self.status_filter.setEnabled(True)
        self._go_to_where_left(path)
        self.table.setFocus()
        current = self.table.current_claim_id()
        if current is None or self.detail.claim_id != current:  # usually shown already by go_to_row
            self._show_claim(current)
        self._update_status()
        if not store.read_only:
            store.defer_checkpoints()
            self._checkpoint_timer.start()
        self.store_opened.emit(store)
        return True

    def _go_to_where_left(self, path: Path) -> None:
        """The claim the reviewer was on when this file was last closed; else the first one."""
        assert self.model is not None
        last = self.settings.last_claim(path)
        row = self.model.listed_row_of(last) if last is not None else None
        self.table.go_to_row(row or 0)
        if last is not None and row is None and not self.model.fully_loaded:
            # Further down than the ids read so far: gone to once the idle loader has listed it
            # (a million claims take about half a second), not by reading them all before the paint.
            self._resume_later(self.model, last, self.table.current_claim_id())

    def _resume_later(self, model: ClaimsTableModel, claim_id: int, starting_claim: int | None) -> None:
        def look() -> None:
            if self.model is not model or self.table.current_claim_id() != starting_claim:
                return  # another file, filter or sort, or the reviewer has moved on: stay
            row = model.listed_row_of(claim_id)
            if row is not None:
                self.table.go_to_row(row)
            elif not model.fully_loaded:
                QTimer.singleShot(RESUME_LOOK_MS, look)

        QTimer.singleShot(RESUME_LOOK_MS, look)

    def _checkpoint_in_background(self) -> None:
        store = self.store
        if store is None or store.read_only or self.task_runner.busy:
            return  # an import or export is running: its own commits checkpoint as they go

        def work(_progress: object, _cancelled: object) -> None:
            worker = store.worker_connection()
            try:
                worker.checkpoint()
            finally:
                worker.close()

        self.task_runner.start(
            work, lambda _: None, lambda error: self.statusBar().showMessage(error.message, 8000)
        )

    def _open_step(self, description: str, work: Callable[[Cancelled], Any]) -> Any:
        # A full check or backup of a large file before it opens: on a worker, the window painted.
        return run_and_wait(self, "Opening", description, work)

    def _close_store(self) -> None:
        self.detail.commit_rationale()
        self.undo_stack.clear()
        self._checkpoint_timer.stop()
        self.safety.stop_later_checks()
        # Background jobs use their own connections under this window's lock: let them finish
        # before the lock is released.
        self.task_runner.wait()
        if self.store is not None:
            if self.model is not None:
                self.settings.remember_last_claim(self.store.path, self.table.current_claim_id())
            self.detail.set_store(None)
            self.store.close()
            self.store = None
            self.store_closed.emit()

    def _start_folder(self) -> str:
        recent = self.settings.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _show_welcome(self) -> None:
        self.welcome.set_recent_files(self.settings.recent_files())
        self.pages.setCurrentWidget(self.welcome)
        for action in self.review_actions:
            action.setEnabled(False)
        self.search_box.setEnabled(False)
        self.status_filter.setEnabled(False)
        self.filter_bar.setEnabled(False)  # on a start with no file no store_closed comes to do it
        self._refresh_recent_menu()
        self._update_status()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(recent))

    # ---- filtering -------------------------------------------------------------------

    def current_query(self) -> ClaimQuery:
        """The query behind what the table shows now: export "what I see" uses exactly this."""
        return self.model.query if self.model is not None else self._current_query()

    def selected_claim_ids(self) -> list[int]:
        return self.table.selected_claim_ids() if self.model is not None else []

    def reload_claims(self) -> None:
        """Re-read the listing after claims were added or removed outside the table (an import)."""
        if self.model is not None:
            self.model.reload()
            self._show_claim(self.table.current_claim_id())
        self._update_status()

    def _current_query(self) -> ClaimQuery:
        statuses = _STATUS_FILTERS[max(0, self.status_filter.currentIndex())][1]
        base = self.model.query if self.model else ClaimQuery(self.reviewer)
        return self.filter_bar.apply_to(
            replace(base, reviewer=self.reviewer, text=self.search_box.text(), statuses=statuses)
        )

    def clear_every_filter(self) -> None:
        """The whole file again, in the present order: no search text, status or filter-bar choice."""
        quiet = (self.search_box, self.status_filter, self.filter_bar)  # one new listing, not three
        for widget in quiet:
            widget.blockSignals(True)
        self.search_box.clear()
        self.status_filter.setCurrentIndex(0)
        self.filter_bar.clear()
        for widget in quiet:
            widget.blockSignals(False)
        self._apply_filters_now()

    def _focus_filters(self) -> None:
        self.filter_toolbar.setVisible(True)
        self.filter_bar.focus_first()

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _apply_filters_now(self) -> None:
        self._search_timer.stop()
        self._apply_filters()
        self.table.setFocus()

    def _apply_filters(self) -> None:
        if self.model is None:
            return
        query = self._current_query()
        self.detail.set_search(query.text)  # before the listing: a claim shown by it is marked too
        self.model.set_query(query)
        self._update_status(recount=False)
        if self.model.rowCount() == 0 and self._file_counts is not None and self._file_counts[0]:
            self.statusBar().showMessage("No claim matches this filter.", 8000)
        else:
            self.statusBar().clearMessage()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc goes back to the table from the search box, the filter bar and the detail pane (a grade
        # chosen with Alt+L, a hop moved, a button pressed), so the next claim is one key away.
        # What handles Esc itself (an open list, the rationale) never passes it on to here.
        focus = self.focusWidget()
        if event.key() == Qt.Key.Key_Escape and (
            self.search_box.hasFocus()
            or self.filter_bar.isAncestorOf(focus)
            or self.detail.isAncestorOf(focus)
        ):
            self.table.setFocus()
            return
        super().keyPressEvent(event)

    # ---- reviewing -------------------------------------------------------------------

    def _show_claim(self, claim_id: int | None) -> None:
        if self.detail.claim_id is not None and self.detail.claim_id != claim_id:
            self.detail.commit_rationale()
        if self.store is None or claim_id is None:
            self.detail.show_claim(None, self.reviewer)
            return
        self.detail.show_claim(self.store.claim_detail(claim_id), self.reviewer)

    def _edit_current(self, review_field: ReviewField, value: ReviewValue) -> None:
        """A grade or status key: on the current claim, or on every selected claim when several are."""
        claim_id = self.table.current_claim_id()
        if claim_id is None:
            return
        if self.table.selected_count() > 1:
            self.apply_edit_to_selected(review_field, value)
            return
        self.apply_edit(claim_id, review_field, value)

    def apply_edit_to_selected(self, review_field: ReviewField, value: ReviewValue) -> bool:
        """Save one grade or status on every selected claim as one undo step (one transaction)."""
        if self.store is None or self.model is None:
            return False
        count = self.table.selected_count()
        if count > MAX_EDITED_AT_ONCE:
            self.statusBar().showMessage(
                f"{count:,} claims are selected; a grade or status is set on at most "
                f"{MAX_EDITED_AT_ONCE:,} at once. Nothing was changed.",
                10000,
            )
            return False
        ids = self.table.selected_claim_ids_in_order()
        if self.store.read_only:
            return self.apply_edit(ids[0], review_field, value)  # refused, with its reason, once
        if self.safety.pending:
            # Queued behind the edits waiting to be saved, claim by claim, as single edits are (safety.py).
            return all([self.apply_edit(claim_id, review_field, value) for claim_id in ids])
        try:
            olds = self.store.set_review_values(self.reviewer, review_field, dict.fromkeys(ids, value))
        except StoreWriteError as error:
            for claim_id in ids:
                self.safety.keep_pending(PendingEdit.review(claim_id, review_field, value), error)
            return False
        except CorroborateError as error:
            QMessageBox.warning(self, "Not saved", error.message)
            return False
        changed = {claim_id: old for claim_id, old in olds.items() if old != value}
        if changed:
            self.undo_stack.push(
                SetReviewFieldOnMany(
                    self.store, self.reviewer, review_field, changed, value, self._after_edits
                )
            )
        self._after_edits(ids)
        self.statusBar().showMessage(
            f"{describe(review_field, value)} on {len(ids):,} selected claims"
            + (f" ({len(ids) - len(changed):,} had it already)" if len(changed) < len(ids) else "")
            + "; Ctrl+Z undoes it.",
            8000,
        )
        return True

    def _after_edits(self, claim_ids: list[int]) -> None:
        if self.model is not None:
            self.model.refresh_claims(claim_ids)
        current = self.table.current_claim_id()
        if self.store is not None and current is not None and current in claim_ids:
            self.detail.show_claim(self.store.claim_detail(current), self.reviewer)
        self._update_status()

    def apply_edit(self, claim_id: int, review_field: ReviewField, value: ReviewValue) -> bool:
        """Save one edit now and make it one undo step; returns whether it was saved.

        Read-only: nothing is tried and the reviewer is told why. A save that fails (disk full,
        I/O error) keeps the edit pending in the window for Retry or export (see safety.py).
        """
        if self.store is None:
            return False
        if self.safety.holds_back(PendingEdit.review(claim_id, review_field, value)):
            self._after_edit(claim_id)  # the controls show what is saved, not what was refused
            return False
        try:
            old = self.store.set_review_field(claim_id, self.reviewer, review_field, value)
        except StoreWriteError as error:
            self.safety.keep_pending(PendingEdit.review(claim_id, review_field, value), error)
            self._after_edit(claim_id)
            return False
        except CorroborateError as error:
            QMessageBox.warning(self, "Not saved", error.message)
            self._after_edit(claim_id)
            return False
        if old == value:
            return True
        self.undo_stack.push(
            SetReviewField(
                self.store, claim_id, self.reviewer, review_field, old, value, self._after_undo_redo
            )
        )
        self._after_edit(claim_id)
        return True

    def apply_store_edit(
        self,
        edit: Edit,
        on_saved: Callable[[Applied], None] | None = None,
        *,
        allow_background: bool = True,
    ) -> bool:
        """Save a source, chain or evidence edit as one undo step; a refused edit is explained.

        An edit that rewrites many claims (see long_edits.py) is saved in the background unless
        `allow_background` is False: the result then only says it is under way, and `on_saved`
        (called with what was saved, whenever it is) is the moment to show its outcome.
        """
        if self.store is None:
            return False
        if self.safety.holds_back(PendingEdit.of_store_edit(edit)):
            return False
        if allow_background and is_long(self.store, edit):
            apply_in_background(
                self,
                self.task_runner,
                self.store,
                edit,
                self.reviewer,
                lambda applied: self._push_applied(applied, on_saved),
                lambda: self.statusBar().showMessage("Cancelled; nothing was changed.", 8000),
                lambda error: self.safety.keep_pending(PendingEdit.of_store_edit(edit), error),
            )
            return True
        try:
            applied = self.store.apply(edit, self.reviewer)
        except StoreWriteError as error:
            self.safety.keep_pending(PendingEdit.of_store_edit(edit), error)
            return False
        except CorroborateError as error:
            QMessageBox.warning(self, "Not saved", error.message)
            return False
        self._push_applied(applied, on_saved)
        return True

    def _push_applied(self, applied: Applied, on_saved: Callable[[Applied], None] | None) -> None:
        if self.store is None:
            return  # saved in the background as the file was closed: its history went with it
        self.undo_stack.push(ApplyEdit(self.store, self.reviewer, applied, self._after_store_edit))
        self._after_store_edit(applied.claim_id)
        if on_saved is not None:
            on_saved(applied)

    def _after_store_edit(self, claim_id: int | None) -> None:
        """Source edits (claim_id None) can change many rows: refresh the visible page and the detail."""
        if claim_id is not None:
            if self.table.current_claim_id() != claim_id:
                self.table.go_to_claim(claim_id)
            self._after_edit(claim_id)
            return
        if self.model is not None:
            self.model.reload()
        self._show_claim(self.table.current_claim_id())
        self._update_status()

    def _after_undo_redo(self, claim_id: int) -> None:
        self.table.go_to_claim(claim_id)
        self._after_edit(claim_id)

    def _after_edit(self, claim_id: int) -> None:
        if self.model is not None:
            self.model.refresh_claim(claim_id)
        if self.store is not None and self.detail.claim_id == claim_id:
            self.detail.show_claim(self.store.claim_detail(claim_id), self.reviewer)
        self._update_status()

    def go_to_next_unreviewed(self) -> None:
        """Next claim (after the current one, wrapping round) that this reviewer has not finished."""
        if self.model is None or self.store is None:
            return
        ids = self.model.claim_ids()
        if not ids:
            return
        start = self.table.currentIndex().row() + 1
        order = [*range(start, len(ids), NEXT_UNREVIEWED_BATCH), *range(0, start, NEXT_UNREVIEWED_BATCH)]
        for batch_start in order:
            batch_end = min(batch_start + NEXT_UNREVIEWED_BATCH, len(ids) if batch_start >= start else start)
            batch = ids[batch_start:batch_end]
            unfinished = self.store.unfinished_among(batch, self.reviewer)
            for offset, claim_id in enumerate(batch):
                if claim_id in unfinished:
                    self.table.go_to_row(batch_start + offset)
                    return
        self.statusBar().showMessage("Every claim in this list is reviewed or disputed.", 5000)

    def _update_status(self, *, recount: bool = True) -> None:
        """The status line: the file's claims and the reviewer's progress, and what the table shows.

        A new filter or sort changes only what is shown: `recount=False` keeps the file's counts
        from the last edit (two counts over a million claims would slow every keystroke of a search).
        """
        if self.store is None or self.model is None:
            self._file_counts = None
            self.progress_label.setText("No file open")
            return
        if recount or self._file_counts is None:
            before = self._file_counts
            self._file_counts = (self.store.count_claims(), self.store.count_reviewed(self.reviewer))
            if before is None or before[0] != self._file_counts[0]:  # claims came or went (an import)
                self.table.fit_number_column(self.store.largest_claim_number())
        total, reviewed = self._file_counts
        shown = self.model.rowCount()
        self._say_why_nothing_is_listed(total, shown)
        listing = f"showing {shown:,} of {total:,}" if shown != total else f"{total:,} claims"
        self.progress_label.setText(
            f"{reviewed:,} of {total:,} reviewed  ·  {listing}  ·  "
            f"reviewer: {self.reviewer}  ·  {self.store.path.name}"
        )

    def _say_why_nothing_is_listed(self, total: int, shown: int) -> None:
        """An empty table and detail pane say why: the file has no claims, or none matches."""
        if total == 0:
            writable = self.store is not None and not self.store.read_only
            self.table.set_empty_text(
                "This file has no claims yet."
                + (" File › Import dataset… (Ctrl+Shift+I) or Import article… adds some." if writable else "")
            )
            self.detail.set_empty_text("This file has no claims yet.")
        elif shown == 0:
            self.table.set_empty_text(
                f"No claim matches the search and filters. View › Clear search and filters "
                f"(Ctrl+Shift+L) lists all {total:,} again."
            )
            self.detail.set_empty_text("No claim matches the search and filters.")
        else:
            self.table.set_empty_text("")
            self.detail.set_empty_text(NO_CLAIM_CHOSEN)

    # ---- help ------------------------------------------------------------------------

    def show_keys(self) -> None:
        # A dialog of its own, not a message box: a message box narrows its text to about 400
        # pixels and wrapped every description of this table onto two or three lines. Imported
        # here: Qt builds a class's enums when it is first imported, which the start need not pay.
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        table = QLabel(KEYS_HELP)
        table.setTextFormat(Qt.TextFormat.RichText)
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Corroborate",
            f"<b>Corroborate {__version__}</b><br>Grade sources (A–F) and claims (1–6), trace attribution "
            "chains, and export reviewed sets. Everything is saved at once to the local file.",
        )

    # ---- window state ----------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._fit_default_size_to_screen()
        splitter = self.settings.splitter_state()
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _fit_default_size_to_screen(self) -> None:
        # A first start on a 1366 × 768 laptop: the default 1360 × 820 would run past the
        # screen's foot and hide the status bar, so the window is kept to the room the screen has.
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width = max(self.minimumSizeHint().width(), min(self.width(), room.width()))
        height = max(self.minimumSizeHint().height(), min(self.height(), room.height() - 40))  # title bar
        self.resize(width, height)

    def close_for_ending(self) -> None:
        """The system or the terminal asks the program to end (logout, shutdown, `kill`, Ctrl+C).

        Background jobs are cancelled, so an import or merge rolls back instead of keeping the end
        waiting; then the window closes as Quit closes it: the rationale being typed is saved, the
        window's layout remembered and the file closed cleanly (no full check at its next opening).
        """
        self._ending = True
        self.task_runner.cancel_all()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.detail.commit_rationale()
        # With no file open the table has no columns: the layout saved with the last file stays.
        header = self.table.horizontalHeader().saveState() if self.model is not None else None
        self.settings.save_window(self.saveGeometry(), self.splitter.saveState(), header)
        self._close_store()
        event.accept()
