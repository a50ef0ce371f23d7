"""Backups: verified before they get a name, rotated by the retention policy, restored without deleting."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.errors import BackupError, LockedError
from desktop.core.model import ReviewField
from desktop.store import Store, backup

Dump = Callable[[Path], dict]


def _break_an_index(path: Path) -> None:
    """Damage only an index, so the file still opens but SQLite's full check fails on it."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX claims_article ON claims(unattributed)' "
        "WHERE name = 'claims_article'"
    )
    conn.commit()
    conn.close()


def _folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_backup_is_a_verified_self_contained_copy(sample_copy: Path, dump_content: Dump) -> None:
    made = backup.make_backup(sample_copy)
    assert made.parent == backup.backup_dir(sample_copy)
    assert dump_content(made) == dump_content(sample_copy)
    conn = sqlite3.connect(f"file:{made}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    # Nothing but the backup itself: no temporary file, no -wal or -shm.
    assert _folder_listing(made.parent) == [made.name]
    [listed] = backup.list_backups(sample_copy)
    assert (listed.path, listed.reason, listed.size) == (made, backup.MANUAL, made.stat().st_size)


def test_backup_of_an_open_file_holds_every_saved_edit(sample_copy: Path) -> None:
    store = Store.open(sample_copy, reviewer="ana")
    try:
        store.set_review_field(1, "ana", ReviewField.RELIABILITY, "B")
        made = backup.make_backup(sample_copy)
    finally:
        store.close()
    restored = Store.open(made, read_only=True)
    try:
        assert restored.review(1, "ana").reliability == "B"  # type: ignore[union-attr]
    finally:
        restored.close()


def test_backup_that_fails_verification_replaces_and_prunes_nothing(sample_copy: Path) -> None:
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    for day in range(20):
        backup.make_backup(sample_copy, reason=backup.DAILY, now=start + timedelta(days=day))
    folder = backup.backup_dir(sample_copy)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _break_an_index(sample_copy)

    with pytest.raises(BackupError, match="integrity check"):
        backup.make_backup(sample_copy, reason=backup.DAILY, now=start + timedelta(days=40))

    # The failed copy never got a name, its temporary file is gone, and no older backup was pruned.
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_backup_into_an_unwritable_place_is_a_clear_error(sample_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(BackupError, match="backup folder"):
        backup.make_backup(sample_copy)


def test_abandoned_temporary_files_of_dead_processes_are_removed(sample_copy: Path) -> None:
    folder = backup.backup_dir(sample_copy)
    folder.mkdir(parents=True)
    dead = folder / f".sample.20250101T000000000000Z.daily.db.{2**22 + 11}.tmp"
    alive = folder / f".sample.20250101T000000000000Z.daily.db.{os.getpid()}.tmp"
    dead.write_bytes(b"half a copy")
    alive.write_bytes(b"a copy in progress")
    made = backup.make_backup(sample_copy)
    assert _folder_listing(folder) == sorted([alive.name, made.name])


def test_retention_keeps_newest_daily_weekly_and_last_upgrade(sample_copy: Path) -> None:
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)  # a Wednesday
    upgrade = backup.make_backup(sample_copy, reason=backup.BEFORE_UPGRADE, now=start)
    made = {start: upgrade}
    for hours in range(6, 60 * 24, 6):  # four backups a day for two months
        moment = start + timedelta(hours=hours)
        made[moment] = backup.make_backup(sample_copy, reason=backup.DAILY, now=moment)

    kept = backup.list_backups(sample_copy)
    kept_times = [b.made_at for b in kept]
    newest = sorted(made)[-3:]
    assert set(newest) <= set(kept_times)
    # One per day for the 7 most recent days, the newest of each.
    days = sorted({t.date() for t in made}, reverse=True)[:7]
    for day in days:
        assert max(t for t in made if t.date() == day) in kept_times
    # One per ISO week for the 4 most recent weeks.
    weeks = sorted({t.isocalendar()[:2] for t in made}, reverse=True)[:4]
    for week in weeks:
        assert max(t for t in made if t.isocalendar()[:2] == week) in kept_times
    assert upgrade in [b.path for b in kept]
    assert len(kept) <= 15
    # Everything else is gone from the disk, not just from the listing.
    assert len(list(backup.backup_dir(sample_copy).iterdir())) == len(kept)


def test_backup_due_after_a_day(sample_copy: Path) -> None:
    now = datetime(2025, 5, 5, 8, tzinfo=UTC)
    assert backup.backup_due(sample_copy, now=now)
    backup.make_backup(sample_copy, now=now)
    assert not backup.backup_due(sample_copy, now=now + timedelta(hours=23))
    assert backup.backup_due(sample_copy, now=now + timedelta(days=1))


def test_open_makes_a_daily_backup_only_when_the_last_is_a_day_old(sample_copy: Path) -> None:
    store = Store.open(sample_copy)
    first = store.open_report.backup_made
    store.close()
    assert first is not None and first.exists()
    store = Store.open(sample_copy)
    assert store.open_report.backup_made is None
    store.close()
    assert [b.path for b in backup.list_backups(sample_copy)] == [first]


def test_restore_keeps_the_current_file_aside_and_brings_the_backup_back(
    sample_copy: Path, dump_content: Dump
) -> None:
    made = backup.make_backup(sample_copy)
    store = Store.open(sample_copy, reviewer="ana")
    store.set_review_field(2, "ana", ReviewField.CREDIBILITY, 3)
    store.close()
    current = dump_content(sample_copy)

    aside = backup.restore_backup(made, sample_copy)

    assert aside is not None and aside.parent == sample_copy.parent
    assert "before-restore" in aside.name
    assert dump_content(aside) == current
    assert dump_content(sample_copy) == dump_content(made)
    assert not sample_copy.with_name(sample_copy.name + "-wal").exists()
    reopened = Store.open(sample_copy, reviewer="ana")
    try:
        assert reopened.review(2, "ana") is None
    finally:
        reopened.close()


def test_restore_is_refused_while_the_file_is_open_for_editing(sample_copy: Path) -> None:
    made = backup.make_backup(sample_copy)
    store = Store.open(sample_copy, reviewer="ana")
    try:
        before = sorted(p.name for p in sample_copy.parent.iterdir())
        with pytest.raises(LockedError):
            backup.restore_backup(made, sample_copy)
        assert sorted(p.name for p in sample_copy.parent.iterdir()) == before
    finally:
        store.close()


def test_damaged_backup_is_never_restored(sample_copy: Path, tmp_path: Path) -> None:
    made = backup.make_backup(sample_copy)
    _break_an_index(made)
    before = sample_copy.read_bytes()
    listing = sorted(p.name for p in sample_copy.parent.iterdir())
    with pytest.raises(BackupError, match="damaged"):
        backup.restore_backup(made, sample_copy)
    assert sample_copy.read_bytes() == before
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == listing


def test_the_backup_before_an_import_is_the_way_back_from_it(sample_copy: Path, dump_content: Dump) -> None:
    before = dump_content(sample_copy)
    kept = backup.backup_before_import(sample_copy, "The import of tides.csv")
    assert kept is not None
    assert [(b.path, b.reason) for b in backup.list_backups(sample_copy)] == [(kept, backup.BEFORE_IMPORT)]
    store = Store.open(sample_copy, reviewer="ana")
    store.set_review_field(1, "ana", ReviewField.RATIONALE, "written after the import")
    store.close()
    assert dump_content(sample_copy) != before
    backup.restore_backup(kept, sample_copy)
    assert dump_content(sample_copy) == before


def test_a_file_over_the_limit_is_not_backed_up_before_an_import(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "BACKUP_BEFORE_IMPORT_UP_TO", sample_copy.stat().st_size - 1)
    assert backup.backup_before_import(sample_copy, "The import of tides.csv") is None
    assert backup.list_backups(sample_copy) == []
    monkeypatch.setattr(backup, "BACKUP_BEFORE_IMPORT_UP_TO", sample_copy.stat().st_size)
    assert backup.backup_before_import(sample_copy, "The import of tides.csv") is not None


def test_cancelling_the_backup_before_an_import_stops_the_import_and_keeps_no_backup(
    sample_copy: Path,
) -> None:
    from desktop.core.imports import ImportCancelled

    with pytest.raises(
        ImportCancelled, match=r"The merge of copy\.db was cancelled before it began; nothing"
    ):
        backup.backup_before_import(sample_copy, "The merge of copy.db", cancelled=lambda: True)
    assert backup.list_backups(sample_copy) == []
    assert _folder_listing(backup.backup_dir(sample_copy)) == []


def test_a_failed_backup_before_an_import_says_the_import_did_not_start(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_args: object, **_kwargs: object) -> Path:
        raise BackupError("The disk is full.")

    monkeypatch.setattr(backup, "make_backup", fails)
    with pytest.raises(
        BackupError,
        match=r"^The import of tides.csv did not start: the backup made first failed\. The disk is full\.$",
    ):
        backup.backup_before_import(sample_copy, "The import of tides.csv")
