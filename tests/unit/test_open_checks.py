"""Checks on open: damaged files are refused untouched with the newest backup offered; older files are
backed up before they are upgraded; read-only files and folders open read-only."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core.errors import (
    BackupError,
    DamagedFileError,
    NewerSchemaError,
    OpeningCancelled,
    StoreWriteError,
)
from desktop.core.model import ReviewField
from desktop.store import Store, access, backup, integrity
from desktop.store.lock import lock_path
from desktop.store.schema import known_migration_names, migrations

Damage = Callable[[Path], None]


def _not_sqlite(path: Path) -> None:
    path.write_text("claim;source\nThe ferry runs again;harbour office\n", encoding="utf-8")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _scribbled(path: Path) -> None:
    """Overwrite the middle of every page after the first few, as a failing disk might."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    for start in range(page_size * 4, len(data), page_size):
        data[start + 100 : start + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


DAMAGES: list[tuple[str, Damage]] = [
    ("not-sqlite", _not_sqlite),
    ("truncated", _truncated),
    ("scribbled", _scribbled),
]


def _settle(path: Path) -> None:
    """Fold the -wal into the main file, so the file is one thing whose bytes can be compared."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize("damage", [d for _, d in DAMAGES], ids=[n for n, _ in DAMAGES])
def test_damaged_file_is_refused_untouched_with_the_newest_backup_offered(
    sample_copy: Path, damage: Damage
) -> None:
    _settle(sample_copy)
    backup.make_backup(sample_copy, reason=backup.DAILY)
    newest = backup.make_backup(sample_copy, reason=backup.MANUAL)
    damage(sample_copy)
    before = sample_copy.read_bytes()
    siblings = sorted(p.name for p in sample_copy.parent.iterdir())

    for read_only in (False, True):
        with pytest.raises(DamagedFileError) as raised:
            Store.open(sample_copy, read_only=read_only)
        assert raised.value.latest_backup == newest
        assert str(sample_copy) in raised.value.message and str(newest) in raised.value.message

    assert sample_copy.read_bytes() == before
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == siblings
    # No backup was made of the damaged file, and none was pruned.
    assert len(backup.list_backups(sample_copy)) == 2


def test_damaged_file_without_backups_says_so_plainly(sample_copy: Path) -> None:
    _truncated(sample_copy)
    with pytest.raises(DamagedFileError) as raised:
        Store.open(sample_copy)
    assert raised.value.latest_backup is None


def test_offered_backup_restores_a_working_file(sample_copy: Path, dump_content: Callable) -> None:
    made = backup.make_backup(sample_copy)
    _scribbled(sample_copy)
    with pytest.raises(DamagedFileError) as raised:
        Store.open(sample_copy)
    assert raised.value.latest_backup is not None
    aside = backup.restore_backup(raised.value.latest_backup, sample_copy)
    store = Store.open(sample_copy)
    store.close()
    assert dump_content(sample_copy) == dump_content(made)
    assert aside is not None and aside.exists()


def _break_an_index(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX claims_article ON claims(unattributed)' "
        "WHERE name = 'claims_article'"
    )
    conn.commit()
    conn.close()


def test_unclean_shutdown_gets_the_full_check(sample_copy: Path) -> None:
    _break_an_index(sample_copy)  # damage that only the full check sees
    # After a clean close the quick check runs: the file opens, though its daily backup is refused.
    store = Store.open(sample_copy)
    try:
        assert store.open_report.backup_problem is not None
        assert "integrity check" in store.open_report.backup_problem
    finally:
        store.close()
    lock_path(sample_copy).write_bytes(b"")  # the mark an unclean end leaves
    with pytest.raises(DamagedFileError, match="full integrity check"):
        Store.open(sample_copy)
    assert lock_path(sample_copy).exists()  # still marked: the next open checks fully again


def _version_one_file(path: Path) -> None:
    """A file as the first released schema left it: only migration 0001 applied, one review in it."""
    db = Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before=known_migration_names()[1])
    db.execute("INSERT INTO articles (title, text) VALUES ('Harbour', 'The ferry runs again.')")
    db.execute(
        "INSERT INTO claims (article_id, text, passage) VALUES (1, 'The ferry runs', 'The ferry runs')"
    )
    db.execute(
        "INSERT INTO reviews (claim_id, reviewer, reliability, created_at, updated_at) "
        "VALUES (1, 'ana', 'C', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"
    )
    db.conn.commit()
    db.close()


def test_older_file_is_backed_up_before_it_is_upgraded(tmp_path: Path, dump_content: Callable) -> None:
    old = tmp_path / "old.db"
    _version_one_file(old)
    _settle(old)
    as_it_was = dump_content(old)

    store = Store.open(old, reviewer="ana")
    try:
        assert store.schema_version == len(known_migration_names())
        made = store.open_report.backup_made
        assert store.review(1, "ana").reliability == "C"  # type: ignore[union-attr]
    finally:
        store.close()
    assert made is not None
    [listed] = backup.list_backups(old)
    assert listed.reason == backup.BEFORE_UPGRADE and listed.path == made
    assert dump_content(made) == as_it_was  # the backup is the file before the upgrade


def test_older_file_that_cannot_be_backed_up_is_not_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _version_one_file(old)
    _settle(old)
    before = old.read_bytes()
    (tmp_path / "data").write_text("a file where the data folder should be")
    with pytest.raises(BackupError, match="upgraded"):
        Store.open(old)
    assert old.read_bytes() == before
    assert not lock_path(old).exists()


def test_newer_file_is_refused_naming_both_versions(sample_copy: Path) -> None:
    conn = sqlite3.connect(sample_copy)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('corroborate', '9999_later', '2031-01-01 00:00:00+00:00')"
    )
    conn.commit()
    conn.close()
    _settle(sample_copy)
    before = sample_copy.read_bytes()
    ours = len(known_migration_names())
    with pytest.raises(NewerSchemaError, match=rf"schema version {ours + 1}\b.*up to {ours}\b"):
        Store.open(sample_copy)
    assert sample_copy.read_bytes() == before


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths whose permissions a test changes; put back afterwards so the folder can be cleaned."""
    changed: list[Path] = []
    yield changed
    for path in changed:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _no_write_bits(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder_opens_read_only_and_refuses_edits(
    sample_copy: Path, restore_modes: list[Path], what: str
) -> None:
    _settle(sample_copy)
    target = sample_copy if what == "file" else sample_copy.parent
    _no_write_bits(target)
    restore_modes.append(target)
    before = sample_copy.read_bytes()

    store = Store.open(sample_copy, reviewer="ana")
    try:
        assert store.read_only
        expected = access.FILE_READ_ONLY if what == "file" else access.FOLDER_READ_ONLY
        assert store.open_report.read_only_reason == expected
        assert store.count_claims() > 0
        with pytest.raises(StoreWriteError, match=expected):
            store.set_review_field(1, "ana", ReviewField.CREDIBILITY, 2)
    finally:
        store.close()
    assert sample_copy.read_bytes() == before


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_refuses_a_damaged_file_in_one_line_naming_the_backup(sample_copy: Path) -> None:
    made = backup.make_backup(sample_copy)
    _scribbled(sample_copy)
    before = sample_copy.read_bytes()
    done = _cli("stats", str(sample_copy))
    assert done.returncode == 2
    assert done.stderr.startswith("corroborate: ") and done.stderr.count("\n") == 1
    assert str(sample_copy) in done.stderr and str(made) in done.stderr
    assert sample_copy.read_bytes() == before


def test_cli_names_the_holder_of_a_locked_file_and_still_counts_read_only(
    sample_copy: Path, tmp_path: Path
) -> None:
    dataset = tmp_path / "claims.csv"
    dataset.write_text("claim,speaker\nThe bridge reopened in March.,City council\n", encoding="utf-8")
    store = Store.open(sample_copy, reviewer="Bea")
    try:
        writing = _cli("import", str(sample_copy), str(dataset))
        counting = _cli("stats", str(sample_copy), "--json")
    finally:
        store.close()
    assert writing.returncode == 2
    assert "Bea" in writing.stderr and "read-only" in writing.stderr
    assert counting.returncode == 0, counting.stderr
    assert '"claims": 15' in counting.stdout


def test_file_in_a_missing_folder_is_refused_plainly(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "review.db"
    with pytest.raises(StoreWriteError, match="does not exist"):
        Store.open(target, create=True)
    assert not target.parent.exists()


# ---- checks left for after opening (the window, large files) ----------------------------------


def _damage_an_index_page(path: Path, index: str = "saved_set_claims_claim") -> None:
    """Overwrite one index page that opening does not read: only SQLite's check notices it."""
    _settle(path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


@pytest.fixture
def checks_left_for_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat every file as large, so opening with background checks leaves them for later."""
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)


def _review_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (
            conn.execute("SELECT * FROM reviews ORDER BY claim_id, reviewer").fetchall()
            + conn.execute("SELECT count(*) FROM change_log").fetchall()
        )
    finally:
        conn.close()


@pytest.mark.usefixtures("checks_left_for_later")
def test_large_file_is_checked_and_backed_up_after_opening(sample_copy: Path, dump_content: Callable) -> None:
    store = Store.open(sample_copy, reviewer="ana", background_checks=True)
    try:
        report = store.open_report
        assert report.check_later and report.backup_later and report.backup_made is None
        assert backup.list_backups(sample_copy) == []  # nothing yet: the file opened at once
        store.set_review_field(1, "ana", ReviewField.RELIABILITY, "B")  # the window saves meanwhile
        done = store.finish_open_checks()
        assert done.backup_made is not None and done.backup_problem is None and not done.interrupted
        [made] = backup.list_backups(sample_copy)
        assert made.path == done.backup_made and made.reason == backup.DAILY
        assert integrity.check_file(made.path, full=True) == []
    finally:
        store.close()
    assert dump_content(made.path) == dump_content(sample_copy)  # with the grade saved meanwhile
    # The next open that same day leaves its check and backup for later, and then makes no backup.
    store = Store.open(sample_copy, reviewer="ana", background_checks=True)
    try:
        assert store.open_report.check_later and store.open_report.backup_later
        assert store.finish_open_checks() == access.LaterChecks()
        assert backup.list_backups(sample_copy) == [made]
    finally:
        store.close()


def test_small_files_and_headless_opens_are_checked_before_they_open(sample_copy: Path) -> None:
    _damage_an_index_page(sample_copy)
    # A file under the size limit: the check costs little, so the window is refused at once too.
    with pytest.raises(DamagedFileError, match="quick check"):
        Store.open(sample_copy, background_checks=True)
    access.CHECK_BEFORE_OPEN_BYTES, limit = 0, access.CHECK_BEFORE_OPEN_BYTES
    try:
        with pytest.raises(DamagedFileError):
            Store.open(sample_copy)  # the command line and exports never leave it for later
    finally:
        access.CHECK_BEFORE_OPEN_BYTES = limit


@pytest.mark.usefixtures("checks_left_for_later")
def test_damage_found_later_offers_the_backup_and_the_file_stays_as_it_was(sample_copy: Path) -> None:
    good = backup.make_backup(sample_copy, reason=backup.DAILY)
    _damage_an_index_page(sample_copy)
    before = _review_rows(sample_copy)
    store = Store.open(sample_copy, reviewer="ana", background_checks=True)
    try:
        assert store.open_report.check_later and not store.read_only
        with pytest.raises(DamagedFileError, match="quick check") as raised:
            store.finish_open_checks()
        assert raised.value.latest_backup == good and raised.value.problems
        store.mark_damaged()
        assert store.read_only and store.open_report.read_only_reason == access.DAMAGE_FOUND
        with pytest.raises(StoreWriteError, match="read-only"):
            store.set_review_field(1, "ana", ReviewField.CREDIBILITY, 2)
        with pytest.raises(StoreWriteError):
            store.worker_connection()  # no background job can write either
    finally:
        store.close()
    assert _review_rows(sample_copy) == before
    assert [b.path for b in backup.list_backups(sample_copy)] == [good]  # no copy of the damaged file
    # Closed with the unclean mark kept: the next open runs the full check first and refuses it.
    assert lock_path(sample_copy).exists()
    with pytest.raises(DamagedFileError, match="full integrity check"):
        Store.open(sample_copy, background_checks=True)


@pytest.mark.usefixtures("checks_left_for_later")
def test_after_an_unclean_end_or_before_an_upgrade_nothing_waits(sample_copy: Path, tmp_path: Path) -> None:
    _damage_an_index_page(sample_copy)
    lock_path(sample_copy).write_bytes(b"")  # the mark an unclean end leaves
    with pytest.raises(DamagedFileError, match="full integrity check"):
        Store.open(sample_copy, background_checks=True)
    old = tmp_path / "old.db"
    _version_one_file(old)
    store = Store.open(old, background_checks=True)
    try:
        report = store.open_report
        assert not report.check_later and not report.backup_later
        assert report.backup_made is not None  # made before the upgrade, as always
    finally:
        store.close()


@pytest.mark.usefixtures("checks_left_for_later")
def test_stopped_later_checks_find_nothing_and_leave_nothing(sample_copy: Path) -> None:
    store = Store.open(sample_copy, reviewer="ana", background_checks=True)
    try:
        assert store.finish_open_checks(cancelled=lambda: True) == access.LaterChecks(interrupted=True)
    finally:
        store.close()
    folder = backup.backup_dir(sample_copy)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_backup_stopped_midway_leaves_no_file(sample_copy: Path) -> None:
    backup.make_backup(sample_copy)
    earlier = backup.list_backups(sample_copy)
    with pytest.raises(integrity.Interrupted):
        backup.make_backup(sample_copy, cancelled=lambda: True)  # stopped after its first step
    assert backup.list_backups(sample_copy) == earlier
    assert sorted(p.name for p in backup.backup_dir(sample_copy).iterdir()) == [earlier[0].path.name]


@pytest.mark.usefixtures("checks_left_for_later")
def test_read_only_open_leaves_its_check_for_later_too(sample_copy: Path) -> None:
    _settle(sample_copy)
    store = Store.open(sample_copy, read_only=True, background_checks=True)
    try:
        assert store.open_report.check_later and not store.open_report.backup_later
        assert store.finish_open_checks() == access.LaterChecks()
    finally:
        store.close()
    _damage_an_index_page(sample_copy)
    store = Store.open(sample_copy, read_only=True, background_checks=True)
    try:
        with pytest.raises(DamagedFileError, match="quick check"):
            store.finish_open_checks()
    finally:
        store.close()
    assert not sample_copy.with_name(sample_copy.name + "-wal").exists()  # read, never written


@pytest.mark.usefixtures("checks_left_for_later")
def test_a_large_file_after_an_unclean_end_is_checked_in_full_through_the_long_step(
    sample_copy: Path,
) -> None:
    lock_path(sample_copy).write_bytes(b"")  # the mark an unclean end leaves
    told: list[str] = []

    def long_step(description: str, work: Callable[[integrity.Cancelled], None]) -> None:
        told.append(description)
        work(lambda: False)

    store = Store.open(sample_copy, reviewer="ana", background_checks=True, long_step=long_step)
    try:
        report = store.open_report
        assert told == [
            f"{sample_copy.name} was not closed properly last time: checking all of it before it opens…"
        ]
        # Found sound: the daily backup no longer keeps the file waiting; it is made afterwards.
        assert report.unclean_shutdown and report.backup_later and not report.check_later
        assert backup.list_backups(sample_copy) == []
        assert store.finish_open_checks().backup_made is not None
    finally:
        store.close()
    assert not lock_path(sample_copy).exists()  # closed cleanly: the next open needs no full check


@pytest.mark.usefixtures("checks_left_for_later")
def test_stopping_the_full_check_leaves_the_file_and_its_unclean_mark(sample_copy: Path) -> None:
    lock_path(sample_copy).write_bytes(b"")
    before = _review_rows(sample_copy)
    stopped: list[bool] = []

    def long_step(description: str, work: Callable[[integrity.Cancelled], None]) -> None:
        work(lambda: stopped.append(True) or True)  # the reviewer pressed Cancel at once

    with pytest.raises(
        OpeningCancelled, match=r"stopped before it finished.*checked in full when next opened"
    ):
        Store.open(sample_copy, reviewer="ana", background_checks=True, long_step=long_step)
    assert stopped  # the check asked, and stopped
    assert _review_rows(sample_copy) == before
    assert lock_path(sample_copy).exists()  # still marked: the next open checks it fully again
    seen: list[str] = []
    store = Store.open(
        sample_copy,
        reviewer="ana",
        background_checks=True,
        long_step=lambda description, work: (seen.append(description), work(lambda: False)),
    )
    store.close()
    assert seen and "checking all of it" in seen[0]


def test_a_small_file_never_goes_through_the_long_step(sample_copy: Path) -> None:
    lock_path(sample_copy).write_bytes(b"")

    def long_step(description: str, work: Callable[[integrity.Cancelled], None]) -> None:
        raise AssertionError(f"a small file waited on a long step: {description}")

    store = Store.open(sample_copy, reviewer="ana", background_checks=True, long_step=long_step)
    try:
        assert store.open_report.unclean_shutdown
    finally:
        store.close()
