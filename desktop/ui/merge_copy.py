"""File › Merge a colleague's copy…: a Corroborate file or its JSON export, merged into the open file.

The copy's claims that the file already has take in the copy's reviews and evidence; the rest are
added (desktop/store/merge_back.py). It runs on the window's background thread, on a connection of
its own, behind a progress dialog whose Cancel rolls everything back; what went where is shown after,
with the backup made just before it (for a file of up to 256 MB), which takes the merge back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.core.errors import CorroborateError
from desktop.ui.features import install_editing_action
from desktop.ui.safety import back_up_first
from desktop.ui.tasks import Cancelled, Progress, Task, free_for_a_job, run_with_progress

if TYPE_CHECKING:
    from desktop.io.import_json import LoadResult
    from desktop.ui.main_window import MainWindow

COPY_FILTER = "Corroborate files and exports (*.db *.sqlite *.corroborate *.json *.jsonl);;All files (*)"
TITLE = "Merge a colleague's copy"


class MergeCopyFeature:
    """The File menu entry, enabled while a file is open for editing."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.task: Task | None = None
        self.action = install_editing_action(
            window,
            window.file_menu,
            "&Merge a colleague's copy…",
            self.choose,
            status_tip="Bring in the reviews and evidence of a copy of these claims "
            "(a Corroborate file or its JSON export)",
            before=window.file_menu_end,
        )

    def choose(self) -> Task | None:
        store = self.window.store
        if store is None:
            return None
        chosen, _ = QFileDialog.getOpenFileName(self.window, TITLE, str(store.path.parent), COPY_FILTER)
        return self.merge(Path(chosen)) if chosen else None

    def merge(self, path: Path) -> Task | None:
        """Merge the copy at `path` into the open file in the background; the task, or None if refused."""
        store = self.window.store
        if store is None:
            return None
        if not free_for_a_job(self.window, self.window.task_runner, TITLE):
            return None

        def work(progress: Progress, cancelled: Cancelled) -> tuple[LoadResult, str]:
            from desktop.io.import_sqlite import load_copy

            how_to_take_it_back = back_up_first(store.path, f"The merge of {path.name}", cancelled)
            worker = store.worker_connection()
            try:
                result = load_copy(worker, path, progress=progress, cancelled=cancelled)
            except OSError as error:
                raise CorroborateError(f"{path} could not be read: {error.strerror or error}.") from error
            finally:
                worker.close()
            return result, how_to_take_it_back

        def merged(outcome: tuple[LoadResult, str]) -> None:
            result, how_to_take_it_back = outcome
            self.window.reload_claims()
            QMessageBox.information(
                self.window, TITLE, f"{path.name}: {result.summary()}.\n\n{how_to_take_it_back}"
            )

        self.task = run_with_progress(
            self.window, self.window.task_runner, f"Merging {path.name}", work, merged
        )
        return self.task


def install(window: MainWindow) -> MergeCopyFeature:
    feature = MergeCopyFeature(window)
    window.merge_copy = feature  # type: ignore[attr-defined]
    return feature
