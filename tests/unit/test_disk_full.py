"""A full disk while saving: the edit is refused at once as a StoreWriteError, nothing saved before is harmed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.edits import AddEvidence
from desktop.core.errors import StoreWriteError
from desktop.core.evidence import EvidenceDraft, Stance
from desktop.core.model import ReviewField
from desktop.store import Store

LONG_RATIONALE = "The harbour office confirmed the timetable in writing. " * 2_000


@pytest.fixture
def store(sample_copy: Path) -> Iterator[Store]:
    opened = Store.open(sample_copy, reviewer="ana")
    yield opened
    opened.close()


def _fill_the_disk(store: Store) -> None:
    # SQLite never lowers the cap below the file's size, so asking for 1 page caps it at "now".
    store.set_max_page_count_for_tests(1)


def test_full_disk_refuses_the_edit_and_keeps_earlier_ones(store: Store, sample_copy: Path) -> None:
    store.set_review_field(1, "ana", ReviewField.RELIABILITY, "B")
    store.set_review_field(1, "ana", ReviewField.RATIONALE, "short and saved")
    log_before = store.changes()
    _fill_the_disk(store)

    with pytest.raises(StoreWriteError, match="full") as raised:
        store.set_review_field(1, "ana", ReviewField.RATIONALE, LONG_RATIONALE)
    assert str(sample_copy) in raised.value.message

    review = store.review(1, "ana")
    assert review is not None and (review.reliability, review.rationale) == ("B", "short and saved")
    assert store.changes() == log_before  # no change-log row for the refused edit
    conn = sqlite3.connect(f"file:{sample_copy}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_the_same_edit_saves_once_there_is_room_again(store: Store) -> None:
    _fill_the_disk(store)
    with pytest.raises(StoreWriteError):
        store.set_review_field(3, "ana", ReviewField.RATIONALE, LONG_RATIONALE)
    store.set_max_page_count_for_tests(1 << 30)
    store.set_review_field(3, "ana", ReviewField.RATIONALE, LONG_RATIONALE)
    assert store.review(3, "ana").rationale == LONG_RATIONALE  # type: ignore[union-attr]


def test_full_disk_refuses_an_evidence_edit_whole(store: Store) -> None:
    source = store.list_sources()[0]
    before = store.evidence_of(2)
    _fill_the_disk(store)
    with pytest.raises(StoreWriteError):
        store.apply(AddEvidence(2, _draft(source.source.id)), "ana")
    assert store.evidence_of(2) == before


def _draft(source_id: int | None) -> EvidenceDraft:
    assert source_id is not None
    # The note has no length limit; a long one needs new pages, which a full disk cannot give.
    return EvidenceDraft(
        source_id, Stance.CORROBORATES, excerpt="Timetable notice.", note="Checked at the pier. " * 5_000
    )
