"""Saves leave the log to a background checkpoint, which copies every saved grade into the main file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from desktop.core.model import ReviewField
from desktop.store import Store


def grade_in_main_file_alone(path: Path, tmp_path: Path, claim_id: int) -> str | None:
    """The grade as the main file holds it without its write-ahead log (copied without the -wal)."""
    alone = tmp_path / "alone.db"
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as conn:
        row = conn.execute(
            "SELECT reliability FROM reviews WHERE claim_id = ? AND reviewer = 'ana'", [claim_id]
        ).fetchone()
    return row[0] if row else None


def test_deferred_saves_reach_the_main_file_at_the_background_checkpoint(
    sample_copy: Path, tmp_path: Path
) -> None:
    store = Store.open(sample_copy, reviewer="ana")
    try:
        store.defer_checkpoints()
        store.checkpoint()  # start from an empty log
        store.set_review_field(4, "ana", ReviewField.RELIABILITY, "C")
        assert grade_in_main_file_alone(sample_copy, tmp_path, 4) is None  # still only in the log
        worker = store.worker_connection()
        try:
            worker.checkpoint()
        finally:
            worker.close()
        assert grade_in_main_file_alone(sample_copy, tmp_path, 4) == "C"
        assert store.review(4, "ana").reliability == "C"
    finally:
        store.close()
