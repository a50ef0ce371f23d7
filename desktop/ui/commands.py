"""Undoable edits. One edit = one QUndoCommand = one store transaction = one change-log row.

QUndoStack moves its position after `undo()`/`redo()` return, whatever happened inside, so a
command whose save is refused (a full disk) must not raise: it keeps the error in `failure` and
makes its next opposite step a no-op. The window then steps the stack back (see
`MainWindow.undo`), so the history still matches the file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desktop.core.edits import Applied, Edit
from desktop.core.errors import CorroborateError
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.model import ReviewField, ReviewValue
from desktop.store import Store

EditApplied = Callable[[int], None]
AppliedCallback = Callable[[int | None], None]


def describe(review_field: ReviewField, value: ReviewValue) -> str:
    """Words for the Edit menu, e.g. 'Set reliability B (Usually reliable)'."""
    if review_field is ReviewField.RELIABILITY:
        return f"Set reliability {value} ({RELIABILITY_LABELS[str(value)]})" if value else "Clear reliability"
    if review_field is ReviewField.CREDIBILITY:
        return f"Set credibility {value} ({CREDIBILITY_LABELS[int(value)]})" if value else "Clear credibility"
    if review_field is ReviewField.STATUS:
        return f"Mark {Status(value).label}"
    return "Edit rationale"


class SavedStep(QUndoCommand):
    """An undo step whose save may be refused; see the module description."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.failure: CorroborateError | None = None
        self._skip_next = True  # the window saved the edit before pushing this step

    def redo(self) -> None:
        self._step(self.save_redo)

    def undo(self) -> None:
        self._step(self.save_undo)

    def _step(self, save: Callable[[], None]) -> None:
        if self._skip_next:
            self._skip_next = False
            return
        try:
            save()
        except CorroborateError as error:
            self.failure = error
            self._skip_next = True  # the stack is stepped back over this command: nothing to save

    def take_failure(self) -> CorroborateError | None:
        """The error of the last undo or redo, if it was refused (and forget it)."""
        failure, self.failure = self.failure, None
        return failure

    def save_redo(self) -> None:
        raise NotImplementedError

    def save_undo(self) -> None:
        raise NotImplementedError


class SetReviewField(SavedStep):
    """Set one field of the reviewer's review of one claim.

    The window saves the edit first (so a failure is reported before anything
    enters the undo history) and pushes the command with `already_applied`.
    """

    def __init__(
        self,
        store: Store,
        claim_id: int,
        reviewer: str,
        review_field: ReviewField,
        old: ReviewValue,
        new: ReviewValue,
        on_applied: EditApplied,
    ) -> None:
        super().__init__(f"{describe(review_field, new)} on claim {claim_id}")
        self._store = store
        self._claim_id = claim_id
        self._reviewer = reviewer
        self._field = review_field
        self._old = old
        self._new = new
        self._on_applied = on_applied

    @property
    def review_field(self) -> ReviewField:
        return self._field

    def save_redo(self) -> None:
        self._store.set_review_field(self._claim_id, self._reviewer, self._field, self._new)
        self._on_applied(self._claim_id)

    def save_undo(self) -> None:
        self._store.set_review_field(self._claim_id, self._reviewer, self._field, self._old)
        self._on_applied(self._claim_id)


class SetReviewFieldOnMany(SavedStep):
    """Set one field of the reviewer's review on several selected claims: one step, one transaction."""

    def __init__(
        self,
        store: Store,
        reviewer: str,
        review_field: ReviewField,
        olds: dict[int, ReviewValue],
        new: ReviewValue,
        on_applied: Callable[[list[int]], None],
    ) -> None:
        super().__init__(f"{describe(review_field, new)} on {len(olds):,} claims")
        self._store = store
        self._reviewer = reviewer
        self._field = review_field
        self._olds = olds
        self._new = new
        self._on_applied = on_applied

    @property
    def review_field(self) -> ReviewField:
        return self._field

    def save_redo(self) -> None:
        self._store.set_review_values(self._reviewer, self._field, dict.fromkeys(self._olds, self._new))
        self._on_applied(list(self._olds))

    def save_undo(self) -> None:
        self._store.set_review_values(self._reviewer, self._field, self._olds)
        self._on_applied(list(self._olds))


class ApplyEdit(SavedStep):
    """Any edit of sources, chains, evidence or media (desktop.core.edits), made undoable.

    `Store.apply` returns the edit's inverse; applying that inverse returns the
    redo. The window applies the edit first and pushes this with the result.
    """

    def __init__(self, store: Store, reviewer: str, applied: Applied, on_applied: AppliedCallback) -> None:
        super().__init__(applied.text)
        self._store = store
        self._reviewer = reviewer
        self._pending: Edit = applied.inverse  # what the next undo (or redo) applies
        self._claim_id = applied.claim_id
        self._on_applied = on_applied

    @property
    def pending(self) -> Edit:
        """The edit the next undo (or redo) of this step applies."""
        return self._pending

    def saved_elsewhere(self, applied: Applied) -> None:
        """The next step was saved already (in the background): the stack's next move only records it."""
        self._pending = applied.inverse
        self._skip_next = True

    def _flip(self) -> None:
        applied = self._store.apply(self._pending, self._reviewer)
        self._pending = applied.inverse
        self._on_applied(applied.claim_id if applied.claim_id is not None else self._claim_id)

    def save_redo(self) -> None:
        self._flip()

    def save_undo(self) -> None:
        self._flip()
