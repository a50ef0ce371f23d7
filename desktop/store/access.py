"""How a Store gets at its file: for editing under the writer lock, or read-only; checks and backups first.

For editing, in this order, so that nothing is written before the file is known to be sound:
  1. take the writer lock (`lock.py`); someone else holding it -> LockedError naming them;
  2. recognise the file (`opening.inspect_existing`): not SQLite, not ours, newer -> refused;
  3. check it: `quick_check`, or the full `integrity_check` when the last writer ended without
     closing the file -> DamagedFileError carrying the newest backup;
  4. back it up (`backup.py`): always before a schema upgrade (no backup, no upgrade), and
     otherwise when the newest backup is a day old (a failure there is reported, not fatal);
  5. upgrade it to this version's schema, if it needs that, in one transaction;
  6. connect and set the pragmas (`opening.connect`).
Any refusal releases the lock and leaves the file exactly as it was.

Steps 3 to 5 may read the whole file: seconds for a million claims. The window asks for them to
be left for later (`background=True`): then a large file (over CHECK_BEFORE_OPEN_BYTES) that
was closed cleanly and needs no upgrade opens after step 2 alone, with `check_later` and
`backup_later` in its report, and the window runs `finish_checks` on a worker thread once the
file is shown. What never waits: recognising the file (step 2), the full check after an
unclean end, the backup before an upgrade and the upgrade: nothing is written before those.
For a large file the window runs those on a worker thread behind a dialog with Cancel (`long_step`), and
after a full check has found it sound the daily backup is left for later as well.

Read-only when asked, or when the file or its folder cannot be written to (write permission
missing, or no write bit at all, which counts even for an administrator): no lock is taken,
the same recognition and checks run, and the connection is opened with `mode=ro` and
`query_only`, so an edit can only fail loudly, never half-save.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from desktop.core.errors import (
    BackupError,
    CorroborateError,
    DamagedFileError,
    OpeningCancelled,
    StoreWriteError,
)
from desktop.store import backup, integrity, lock, opening
from desktop.store.connection import Connection
from desktop.store.schema import migrations

# Why a file is read-only, as the window's banner says it.
ASKED_READ_ONLY = "it was opened read-only"
FILE_READ_ONLY = "the file is marked read-only"
FOLDER_READ_ONLY = "its folder cannot be written to"
DAMAGE_FOUND = "SQLite's check found damage in it after it was opened"

# Up to this size the quick check runs before the file opens even when the window would rather
# have it later: it takes a few tens of milliseconds, and a damaged file is then refused at once.
CHECK_BEFORE_OPEN_BYTES = 24 * 2**20

T = TypeVar("T")


# A step of opening that reads the whole of a large file (the full check after an unclean end, a
# backup), given what the reviewer should be told and the work, which takes `cancelled`; it returns
# what the work returns. By default it runs in place; the window passes one that runs it on a worker thread
# behind a progress dialog with Cancel, so a million claims' full check (half a minute) neither
# freezes the window nor leaves the reviewer wondering why nothing shows.
LongStep = Callable[[str, Callable[[integrity.Cancelled], Any]], Any]


def in_place(description: str, work: Callable[[integrity.Cancelled], T]) -> T:
    return work(lambda: False)


@dataclass(frozen=True)
class OpenReport:
    """What happened while a file was opened, for the window to show."""

    read_only_reason: str | None = None  # None when the file is open for editing
    unclean_shutdown: bool = False  # the last writer did not close it; the full check found it sound
    backup_made: Path | None = None  # the backup made while opening, if any
    backup_problem: str | None = None  # why the automatic backup failed (the file was opened anyway)
    check_later: bool = False  # the quick check is left for `finish_checks`, after the file is shown
    backup_later: bool = False  # the daily backup is left for `finish_checks`, which makes it if due


@dataclass(frozen=True)
class LaterChecks:
    """What `finish_checks` did once the file was shown (damage is raised, not returned)."""

    backup_made: Path | None = None
    backup_problem: str | None = None
    interrupted: bool = False  # stopped on request before it finished: nothing found, nothing made


@dataclass
class OpenedFile:
    """A connection with what the Store must keep: the report, and the lock to release on close."""

    db: Connection
    report: OpenReport
    lock: lock.WriterLock | None


def open_file(
    path: Path,
    *,
    read_only: bool,
    reviewer: str | None,
    background: bool = False,
    long_step: LongStep = in_place,
) -> OpenedFile:
    """Open `path` (which exists, or may be created) for a Store; see the module description.

    `background`: leave the quick check and the daily backup of a large, cleanly closed file to
    `finish_checks` (the report says which). `long_step` runs each step that must come first and
    reads the whole of a large file; if the reviewer stops one, OpeningCancelled is raised and the
    file is left as it was, its unclean-shutdown mark included.
    """
    reason = ASKED_READ_ONLY if read_only else unwritable_reason(path)
    if reason is None:
        try:
            held = lock.acquire(path, reviewer)
        except lock.LockUnavailable:
            reason = FOLDER_READ_ONLY
    if reason is not None:
        return _open_read_only(path, reason, background, long_step)
    unclean = held.previous is not None
    try:
        report = _check_and_back_up(path, unclean, background, long_step)
        try:
            db = opening.connect(path)
        except sqlite3.OperationalError as error:
            raise StoreWriteError(f"{path} could not be opened for writing: {error}.") from error
    except BaseException:
        # A refused file keeps any unclean-shutdown mark it had, so the next open checks it fully again.
        held.release(clean=not unclean)
        raise
    return OpenedFile(db, report, held)


def finish_checks(
    path: Path, report: OpenReport, cancelled: integrity.Cancelled | None = None
) -> LaterChecks:
    """Do what opening left for later (`report.check_later`, `report.backup_later`); for a worker thread.

    The quick check reads through a read-only connection of its own, so the window keeps reading
    and saving meanwhile. Damage raises DamagedFileError carrying the newest backup, and then no
    backup is made (its own check would refuse it, and a damaged copy must never push a good one
    out). A failed backup is returned, not raised: the file itself is fine. When `cancelled()`
    turns true the work stops within moments and returns `interrupted`, leaving nothing behind.
    """
    try:
        if report.check_later:
            try:
                # Read as the check before opening reads: with the window's -wal beside the file
                # that is never the immutable form, so what the window saves meanwhile is seen.
                integrity.require_sound(
                    path, full=False, uri=opening._read_only_uri(path), cancelled=cancelled
                )
            except DamagedFileError as error:
                raise _with_latest_backup(path, error) from error
        if not report.backup_later or not backup.backup_due(path):
            return LaterChecks()
        try:
            made = backup.make_backup(path, reason=backup.DAILY, cancelled=cancelled)
        except BackupError as error:
            return LaterChecks(backup_problem=error.message)
    except integrity.Interrupted:
        return LaterChecks(interrupted=True)
    return LaterChecks(backup_made=made)


def unwritable_reason(path: Path) -> str | None:
    """Why `path` cannot be edited in place, or None if it can."""
    if not path.absolute().parent.is_dir():
        raise StoreWriteError(
            f"{path} cannot be created: the folder {path.absolute().parent} does not exist."
        )
    if path.exists() and not _writable(path):
        return FILE_READ_ONLY
    if not _writable(path.absolute().parent):
        return FOLDER_READ_ONLY
    return None


# ---- helpers ---------------------------------------------------------------------------


def _writable(path: Path) -> bool:
    # os.access alone says yes to an administrator even when every write bit is off; a file or
    # folder its owner marked read-only is treated as read-only for everyone.
    return os.access(path, os.W_OK) and bool(
        path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    )


def _check_and_back_up(path: Path, unclean: bool, background: bool, long_step: LongStep) -> OpenReport:
    if not path.exists() or path.stat().st_size == 0:
        return OpenReport()  # new or empty: nothing to check, nothing to lose
    _recognise(path)
    applied, pending = _migrations_of(path)
    # An upgrade writes, so it never goes ahead on a file that was not checked first.
    later = background and not unclean and not pending and _large(path)
    if not later:
        _check(path, unclean, long_step)
    if not applied:
        return OpenReport(unclean_shutdown=unclean)  # a blank SQLite file about to be set up
    if pending:
        try:
            made = _backed_up(path, backup.BEFORE_UPGRADE, long_step)
        except BackupError as error:
            raise BackupError(
                f"{path} must be upgraded for this version of Corroborate, but it could not be backed up "
                f"first, so it was left unchanged. {error.message}"
            ) from error
        _upgraded(path, long_step)
        return OpenReport(unclean_shutdown=unclean, backup_made=made)
    if later:
        # Whether the daily backup is due is decided later too: finding out lists the backups'
        # folder, whose name is a digest, and loading the digest's library costs the start memory.
        return OpenReport(check_later=True, backup_later=True)
    if background and _large(path):
        # Checked in full just now (an unclean end): the daily backup need not keep it waiting too.
        return OpenReport(unclean_shutdown=unclean, backup_later=True)
    if backup.backup_due(path):
        try:
            made = _backed_up(path, backup.DAILY, long_step)
        except BackupError as error:
            return OpenReport(unclean_shutdown=unclean, backup_problem=error.message)
        return OpenReport(unclean_shutdown=unclean, backup_made=made)
    return OpenReport(unclean_shutdown=unclean, check_later=later)


def _open_read_only(path: Path, reason: str, background: bool, long_step: LongStep) -> OpenedFile:
    if not path.exists():
        raise StoreWriteError(f"{path} cannot be created: {reason}.")
    if path.stat().st_size == 0:
        raise CorroborateError(f"{path} is empty, and an empty file cannot be set up read-only ({reason}).")
    unclean = lock.stale_record(path) is not None
    _recognise(path)
    later = background and not unclean and _large(path)
    if not later:
        _check(path, unclean, long_step)
    applied, pending = _migrations_of(path)
    if not applied or migrations.needed_for_reading(pending):
        raise CorroborateError(
            f"{path} must be set up or upgraded for this version of Corroborate before it can be read, "
            f"and that needs it open for editing ({reason})."
        )
    return OpenedFile(
        _connect_read_only(path),
        OpenReport(read_only_reason=reason, unclean_shutdown=unclean, check_later=later),
        None,
    )


def _large(path: Path) -> bool:
    return path.stat().st_size > CHECK_BEFORE_OPEN_BYTES


def _recognise(path: Path) -> None:
    try:
        opening.inspect_existing(path)
    except DamagedFileError as error:
        raise _with_latest_backup(path, error) from error


def _check(path: Path, unclean: bool, long_step: LongStep) -> None:
    def check(cancelled: integrity.Cancelled) -> None:
        try:
            integrity.require_sound(path, full=unclean, uri=opening._read_only_uri(path), cancelled=cancelled)
        except DamagedFileError as error:
            raise _with_latest_backup(path, error) from error

    if unclean:
        told = f"{path.name} was not closed properly last time: checking all of it before it opens…"
        # The unclean-shutdown mark stays when opening stops, so the full check comes again.
        _step(path, told, check, long_step, stopped_note=" and will be checked in full when next opened")
    else:
        _step(path, f"Checking {path.name} before it opens…", check, long_step)


def _backed_up(path: Path, reason: str, long_step: LongStep) -> Path:
    return _step(
        path,
        f"Backing up {path.name} before it opens…",
        lambda cancelled: backup.make_backup(path, reason=reason, cancelled=cancelled),
        long_step,
    )


def _upgraded(path: Path, long_step: LongStep) -> None:
    """Apply the schema steps the file lacks, all in one transaction, on a connection of its own.

    Some steps rework a whole table or the search index (seconds for a million claims): for a
    large file this runs behind the window's dialog with Cancel, and a Cancel rolls every step
    back, so the file stays as it was, at its old version, and is upgraded when next opened.
    """

    def upgrade(cancelled: integrity.Cancelled) -> None:
        db = opening.configured(Connection.to_file(path))
        db.conn.set_progress_handler(lambda: bool(cancelled()), 20_000)
        try:
            with db.atomic():
                migrations.apply(db.database())
        except sqlite3.OperationalError as error:
            if cancelled():
                raise integrity.Interrupted() from error
            raise
        finally:
            db.close()

    _step(path, f"Upgrading {path.name} for this version of Corroborate…", upgrade, long_step)


def _step(
    path: Path,
    description: str,
    work: Callable[[integrity.Cancelled], T],
    long_step: LongStep,
    *,
    stopped_note: str = "",
) -> T:
    """Run a step of opening: in place for a small file (it takes moments), else by `long_step`."""
    if not _large(path):
        return in_place(description, work)

    def stoppable(cancelled: integrity.Cancelled) -> T:
        try:
            return work(cancelled)
        except integrity.Interrupted as stop:
            raise OpeningCancelled(
                f"Opening {path.name} was stopped before it finished; the file is unchanged{stopped_note}."
            ) from stop

    result: T = long_step(description, stoppable)
    return result


def _with_latest_backup(path: Path, error: DamagedFileError) -> DamagedFileError:
    newest = backup.latest_backup(path)
    if newest is None:
        return error
    made = newest.made_at.strftime("%Y-%m-%d %H:%M UTC")
    return type(error)(
        f"{error.message} The newest backup of it, made {made}, is {newest.path}; restoring it keeps "
        "the damaged file aside.",
        latest_backup=newest.path,
        problems=error.problems,
    )


def _migrations_of(path: Path) -> tuple[list[str], list[str]]:
    """The schema steps applied to the file, and those this version would still apply."""
    conn = sqlite3.connect(opening._read_only_uri(path), uri=True)
    try:
        applied = migrations.applied_names(conn)
    finally:
        conn.close()
    return applied, [name for name in migrations.names() if name not in applied]


def _connect_read_only(path: Path) -> Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        conn.close()
        if path.with_name(path.name + "-wal").exists():
            # Edits of an earlier session wait in the -wal, and SQLite cannot read them without
            # a -shm it is not allowed to create here; reading without them would show old data.
            raise StoreWriteError(
                f"{path} cannot be read here: its last session's edits are still in "
                f"{path.name}-wal and SQLite needs to write beside the file to read them ({error}). "
                "Open it once where its folder can be written to."
            ) from error
        # A WAL-mode file in a folder nobody can write to: SQLite cannot create the -shm it wants.
        # With no -wal there is no writer and nothing outside the main file, so immutable is exact.
        conn = sqlite3.connect(uri + "&immutable=1", uri=True)
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return Connection(conn)
