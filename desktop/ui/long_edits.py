"""Source edits that rewrite many claims' search documents, saved on a worker thread with Cancel.

A source's name and aliases are part of the search document of every claim that cites it, so
merging two sources, separating them again, renaming a source or changing its aliases rewrites
all of those documents: half a second for a thousand claims at a million, tens of seconds for a
source cited by tens of thousands. Such an edit (and its undo and redo) is saved by the window's
TaskRunner on a connection of its own, behind a progress dialog whose Cancel rolls everything back;
the undo history moves only once the edit is saved, so it always matches the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.edits import (
    AddAlias,
    Applied,
    Edit,
    EditCancelled,
    MergeSources,
    RemoveAlias,
    RenameSource,
    UnmergeSources,
)
from desktop.core.errors import StoreWriteError
from desktop.core.wording import counted
from desktop.store import Store
from desktop.ui.tasks import Cancelled, Progress, Task, TaskRunner, run_with_progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# Edits that rewrite more claims' search documents than this are saved in the background: about a
# third of a second's work on a file of a million claims, where a window that froze longer would
# feel stuck.
BACKGROUND_EDIT_CLAIMS = 500


def is_long(store: Store, edit: Edit) -> bool:
    """Whether saving `edit` rewrites enough claims to be done off the window's thread."""
    return store.claims_reindexed_by(edit) >= BACKGROUND_EDIT_CLAIMS


def progress_title(edit: Edit) -> str:
    """What the progress dialog says while the edit is saved."""
    if isinstance(edit, MergeSources):
        return "Merging sources"
    if isinstance(edit, UnmergeSources):
        return f"Separating “{edit.snapshot.name}” again"
    if isinstance(edit, RenameSource):
        return f"Renaming the source to “{edit.name}”"
    if isinstance(edit, AddAlias | RemoveAlias):
        return f"Updating the names of the source (alias “{edit.alias}”)"
    return "Saving the change"


def apply_in_background(
    parent: QWidget,
    runner: TaskRunner,
    store: Store,
    edit: Edit,
    reviewer: str,
    on_saved: Callable[[Applied], None],
    on_cancelled: Callable[[], None],
    on_unwritable: Callable[[StoreWriteError], None],
) -> Task:
    """Save `edit` on a worker connection; `on_saved` gets what was applied, on the window's thread.

    Nothing is saved when Cancel is pressed (`on_cancelled`), when the file cannot be written (a
    full disk: `on_unwritable`, so the window can keep the edit pending as it does any other), or
    when the edit is refused (a source gone meanwhile: the progress helper's dialog says why).
    """

    def work(_progress: Progress, cancelled: Cancelled) -> Applied | StoreWriteError | None:
        worker = store.worker_connection()
        try:
            return worker.apply(edit, reviewer, cancelled=cancelled)
        except EditCancelled:
            return None
        except StoreWriteError as error:
            return error
        finally:
            worker.close()

    def done(outcome: Applied | StoreWriteError | None) -> None:
        if outcome is None:
            on_cancelled()
        elif isinstance(outcome, StoreWriteError):
            on_unwritable(outcome)
        else:
            on_saved(outcome)

    title = progress_title(edit)
    claims = store.claims_reindexed_by(edit)
    label = f"{title}…\n\nThe search text of {counted(claims, 'claim')} is being rewritten."
    return run_with_progress(parent, runner, title, work, done, blocking=True, label=label)
