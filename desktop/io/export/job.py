"""What every export format receives: the store, the chosen claims, the options, and progress/cancel.

Writers read claims through `ExportJob.records()`, which reads in batches and,
between batches, reports progress and stops with ExportCancelled when asked.
That is what lets the window run an export on a worker thread with a Cancel button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.core.evidence import SourceRecord
from desktop.core.model import Article
from desktop.store import Store
from desktop.store.snapshot import BATCH_SIZE, ClaimRecord, articles_of, batches, claim_records, sources_of

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ExportCancelled(CorroborateError):
    """The person cancelled the export; nothing was written and a previous file is untouched."""

    def __init__(self, target: Path) -> None:
        super().__init__(f"Export to {target} cancelled; nothing was written.")
        self.target = target


@dataclass(frozen=True)
class ExportOptions:
    """Choices that shape an export; each format uses the ones that concern it."""

    reviewer: str | None = None
    """Whose reviews to include; None includes every reviewer's."""
    bom: bool = False
    """CSV: start with a byte-order mark so spreadsheet programs read UTF-8 correctly."""
    include_log: bool = False
    """JSON and JSONL: add each claim's change-log rows (the SQLite export always has them)."""
    publisher_name: str = ""
    """ClaimReview: the fact-checking organisation publishing the reviews."""
    publisher_url: str = ""
    """ClaimReview: the absolute base URL of its fact-check pages; a claim's page is this plus its id."""


@dataclass
class ExportJob:
    """One export being written."""

    store: Store
    claim_ids: Sequence[int]
    options: ExportOptions
    target: Path
    progress: Progress | None = None
    cancelled: Cancelled | None = None

    @property
    def total(self) -> int:
        return len(self.claim_ids)

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled(self.target)

    def record_batches(self, *, include_changes: bool | None = None) -> Iterator[list[ClaimRecord]]:
        """The chosen claims in selection order, a batch at a time, with progress and cancel between."""
        changes = self.options.include_log if include_changes is None else include_changes
        for batch in self.id_batches():
            yield claim_records(self.store, batch, reviewer=self.options.reviewer, include_changes=changes)

    def id_batches(self, size: int = BATCH_SIZE) -> Iterator[Sequence[int]]:
        """The chosen ids in selection order, `size` at a time; progress and cancel between batches.

        Progress for a batch is reported when the next one is asked for, i.e. once it is written.
        """
        done = 0
        self._report(0)
        for batch in batches(self.claim_ids, size):
            self.check_cancelled()
            yield batch
            done += len(batch)
            self._report(done)
        # A cancel during the last batch still counts: nothing may be left behind.
        self.check_cancelled()

    def records(self, *, include_changes: bool | None = None) -> Iterator[ClaimRecord]:
        """Every chosen claim in selection order (see `record_batches`)."""
        for batch in self.record_batches(include_changes=include_changes):
            yield from batch

    def articles(self) -> list[Article]:
        return articles_of(self.store, self.claim_ids)

    def sources(self) -> list[SourceRecord]:
        return sources_of(self.store, self.claim_ids)

    def _report(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.total)


Writer = Callable[[ExportJob, Path], int]
"""Writes the whole export into the given (temporary) file path; returns how many items it wrote."""
