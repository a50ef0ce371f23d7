"""Verified, rotating backups of a Corroborate file, and restoring one.

Where: `<data folder>/backups/<file stem>-<hash>/`, the data folder being the platform's
user data folder for "corroborate" (or `$CORROBORATE_DATA_DIR` when set, which the tests
use). The short hash of the file's absolute path keeps two `review.db` files in different
folders apart.

How: SQLite's online backup API copies a consistent snapshot (readers never block the
writer in WAL mode) into a temporary file in the backup folder. The copy is switched to a
single self-contained file (no -wal), checked with `PRAGMA integrity_check`, flushed to
disk, and only then renamed to its final name. A copy that fails its check is deleted and
reported; it never appears under a backup name and never causes an older backup to be
pruned. Each backup has its own name (`<stem>.<UTC time>.<reason>.db`), so nothing is
ever overwritten.

When: on open if the newest backup is a day old or more (for a large file the window makes
that one in the background after showing it), and always before a schema upgrade, before
anything is changed (see `access.py`); just before an import or a merge, for a file of up to
BACKUP_BEFORE_IMPORT_UP_TO bytes, as the way to take it back (`backup_before_import`);
`make_backup` can also be called at any time.

Retention (applied after each successful backup, never after a failed one). Kept:
  - the 3 newest backups, whatever their age;
  - the newest backup of each of the 7 most recent days that have a backup;
  - the newest backup of each of the 4 most recent ISO weeks that have a backup;
  - the newest backup taken before a schema upgrade, the only way back for someone who
    must return to an older version of the program.
Counting days and weeks that have backups (rather than the last 7 calendar days) means a
file left alone for a month still keeps a week of history. At most 15 files are kept.

Restoring never deletes: the current file (with its -wal) is first copied aside as
`<stem>.before-restore-<time>.db` next to it, then the backup replaces it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import platformdirs

from desktop.core.errors import BackupError
from desktop.core.imports import ImportCancelled
from desktop.store import integrity, lock
from desktop.store.durable import fsync_file, fsync_folder

DATA_DIR_ENV = "CORROBORATE_DATA_DIR"
BACKUP_INTERVAL = timedelta(days=1)
KEEP_NEWEST = 3
KEEP_DAILY = 7
KEEP_WEEKLY = 4

DAILY = "daily"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_IMPORT = "before-import"
MANUAL = "manual"

# Files up to this size (with their -wal) are backed up before an import or a merge: a few seconds
# at most. A larger one would make a small import wait half a minute; it has its daily backup.
BACKUP_BEFORE_IMPORT_UP_TO = 256 * 2**20

# Pages copied per step of the backup API (8 MB of 4 KB pages): between steps a cancel is noticed.
_BACKUP_STEP_PAGES = 2048

_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.*)\.(?P<stamp>\d{8}T\d{12}Z)\.(?P<reason>[a-z][a-z-]*)\.db$")
_TEMP = re.compile(r"^\..*\.(?P<pid>\d+)\.tmp$")


@dataclass(frozen=True)
class Backup:
    """One backup file of a Corroborate file."""

    path: Path
    made_at: datetime  # UTC
    reason: str  # DAILY, BEFORE_UPGRADE, BEFORE_IMPORT or MANUAL
    size: int  # bytes


def data_dir() -> Path:
    """The folder for Corroborate's own data (backups, logs)."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("corroborate", appauthor=False))


def backup_dir(db_path: Path) -> Path:
    """The folder holding the backups of `db_path` (it may not exist yet)."""
    # Imported here: hashlib loads OpenSSL (about 4 MB), which a large file's start does not need
    # (its daily backup runs after the first paint).
    import hashlib

    absolute = Path(os.path.abspath(db_path))
    digest = hashlib.sha256(str(absolute).encode("utf-8")).hexdigest()[:10]
    return data_dir() / "backups" / f"{absolute.stem}-{digest}"


def list_backups(db_path: Path) -> list[Backup]:
    """The backups of `db_path`, newest first. Temporary files of a backup in progress are not listed."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        made_at = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(Backup(entry, made_at, match["reason"], entry.stat().st_size))
    return sorted(found, key=lambda backup: backup.made_at, reverse=True)


def latest_backup(db_path: Path) -> Backup | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None


def backup_due(db_path: Path, now: datetime | None = None) -> bool:
    """Whether the newest backup of `db_path` is at least BACKUP_INTERVAL old (or there is none)."""
    newest = latest_backup(db_path)
    return newest is None or (now or _now()) - newest.made_at >= BACKUP_INTERVAL


def make_backup(
    db_path: Path,
    *,
    reason: str = MANUAL,
    now: datetime | None = None,
    cancelled: integrity.Cancelled | None = None,
) -> Path:
    """Back up `db_path` now; returns the new backup's path. Raises BackupError if that fails.

    Safe while the file is open for editing elsewhere. `now` stamps the backup (for tests of
    the retention policy); it defaults to the current time. When `cancelled()` turns true the
    copy or its check stops, the temporary file is deleted and integrity.Interrupted is raised:
    no backup is added and none is pruned.
    """
    made_at = now or _now()
    folder = backup_dir(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"The backup folder {folder} cannot be created: {error.strerror}.") from error
    _remove_abandoned_temporaries(folder)
    stem = Path(os.path.abspath(db_path)).stem
    final = folder / f"{stem}.{_stamp(made_at)}.{reason}.db"
    while final.exists():  # two backups within one microsecond: give the second the next one
        made_at += timedelta(microseconds=1)
        final = folder / f"{stem}.{_stamp(made_at)}.{reason}.db"
    temporary = folder / f".{final.name}.{os.getpid()}.tmp"
    try:
        _copy_verified(db_path, temporary, cancelled)
        os.replace(temporary, final)
        fsync_folder(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    prune(db_path)
    return final


def backup_before_import(
    db_path: Path, what: str, *, cancelled: integrity.Cancelled | None = None
) -> Path | None:
    """A backup of `db_path` made just before `what` ("The import of data.csv") changes it, or None
    when the file is larger than BACKUP_BEFORE_IMPORT_UP_TO. Restoring it takes the change back.

    Raises BackupError when the backup cannot be made (the change must not start then), and
    ImportCancelled when `cancelled()` turns true meanwhile: nothing was changed.
    """
    wal = db_path.with_name(db_path.name + "-wal")
    size = db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    if size > BACKUP_BEFORE_IMPORT_UP_TO:
        return None
    try:
        return make_backup(db_path, reason=BEFORE_IMPORT, cancelled=cancelled)
    except integrity.Interrupted:
        raise ImportCancelled(f"{what} was cancelled before it began; nothing was changed.") from None
    except BackupError as error:
        raise BackupError(f"{what} did not start: the backup made first failed. {error.message}") from error


def retained(backups: Iterable[Backup]) -> set[Path]:
    """The backups the retention policy keeps (see the module description)."""
    newest_first = sorted(backups, key=lambda backup: backup.made_at, reverse=True)
    keep = {backup.path for backup in newest_first[:KEEP_NEWEST]}
    keep |= _newest_per_period(newest_first, lambda b: b.made_at.date().isoformat(), KEEP_DAILY)
    keep |= _newest_per_period(
        newest_first, lambda b: "{}-W{:02d}".format(*b.made_at.isocalendar()[:2]), KEEP_WEEKLY
    )
    upgrades = [backup for backup in newest_first if backup.reason == BEFORE_UPGRADE]
    if upgrades:
        keep.add(upgrades[0].path)
    return keep


def prune(db_path: Path) -> list[Path]:
    """Delete the backups of `db_path` the retention policy does not keep; returns what was deleted."""
    backups = list_backups(db_path)
    keep = retained(backups)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink()
            removed.append(backup.path)
    return removed


def restore_backup(backup: Path, target: Path, *, reviewer: str | None = None) -> Path | None:
    """Replace `target` with the backup, keeping the current file aside; returns where it was kept.

    The backup is checked first; the current file (with its -wal, if any) is copied to
    `<stem>.before-restore-<time>.db` beside it and never deleted. Close the file in this
    process before calling: an open Store holds the lock and this raises LockedError. Returns
    None when there was no current file to keep.
    """
    problems = integrity.check_file(backup, full=True)
    if problems:
        raise BackupError(f"The backup {backup} is damaged ({'; '.join(problems[:3])}); nothing was changed.")
    try:
        held = lock.acquire(target, reviewer)
    except lock.LockUnavailable as error:
        raise BackupError(f"{target} cannot be replaced: its folder is read-only ({error}).") from error
    try:
        aside = _keep_aside(target) if target.exists() else None
        incoming = target.with_name(f".{target.name}.restoring.{os.getpid()}.tmp")
        try:
            shutil.copyfile(backup, incoming)
            fsync_file(incoming)
            # The copy, not only the backup it came from, must be sound before it replaces anything.
            problems = integrity.check_file(incoming, full=True)
            if problems:
                raise BackupError(
                    f"The copy of {backup} made for restoring failed its integrity check "
                    f"({'; '.join(problems[:3])}); {target} was left unchanged."
                )
            # The -wal and -shm belong to the old content, which is now safe in the copy aside;
            # left in place they would be replayed into the restored file.
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    target.with_name(target.name + suffix).unlink()
            os.replace(incoming, target)
            fsync_folder(target.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                incoming.unlink()
            raise
    except OSError as error:
        raise BackupError(f"{target} could not be restored from {backup}: {error}.") from error
    finally:
        held.release()
    return aside


# ---- helpers ---------------------------------------------------------------------------


def _copy_verified(db_path: Path, temporary: Path, cancelled: integrity.Cancelled | None = None) -> None:
    source_uri = f"file:{quote(str(db_path.resolve()))}?mode=ro"
    try:
        source = sqlite3.connect(source_uri, uri=True, isolation_level=None)
        try:
            copy = sqlite3.connect(temporary)
            try:
                # One read transaction for the whole copy: the steps all read the same snapshot, so
                # grades saved meanwhile by the window neither restart the copy nor tear it.
                source.execute("BEGIN")
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                source.backup(copy, pages=_BACKUP_STEP_PAGES, progress=_stop_when(cancelled))
                source.execute("COMMIT")
                # One self-contained file: a backup must never depend on a -wal beside it.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        fsync_file(temporary)
    except sqlite3.Error as error:
        raise BackupError(f"{db_path} could not be backed up: {error}.") from error
    except OSError as error:
        raise BackupError(f"{db_path} could not be backed up to {temporary.parent}: {error}.") from error
    # Checked through a fresh connection after the copy is on disk, so what is verified is the
    # file itself, not pages still cached by the connection that wrote it.
    problems = integrity.check_file(temporary, full=True, cancelled=cancelled)
    if problems:
        raise BackupError(
            f"The backup of {db_path} failed its integrity check ({'; '.join(problems[:3])}), "
            "so it was discarded; the existing backups are kept. The file itself may be damaged."
        )


def _stop_when(cancelled: integrity.Cancelled | None) -> Callable[[int, int, int], None] | None:
    """A progress callback for the backup API that stops the copy once `cancelled()` is true."""
    if cancelled is None:
        return None

    def progress(_status: int, _remaining: int, _total: int) -> None:
        if cancelled():
            raise integrity.Interrupted("the backup was stopped")

    return progress


def _keep_aside(target: Path) -> Path:
    stamp = _now().strftime("%Y%m%dT%H%M%SZ")
    suffix = target.suffix or ".db"
    aside = target.with_name(f"{target.stem}.before-restore-{stamp}{suffix}")
    number = 2
    while aside.exists():
        aside = target.with_name(f"{target.stem}.before-restore-{stamp}-{number}{suffix}")
        number += 1
    # Copies, not renames: until the very end the current file stays complete where it was, so
    # a crash part-way leaves either the old file in place or a complete copy aside.
    wal = target.with_name(target.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, aside.with_name(aside.name + "-wal"))
        fsync_file(aside.with_name(aside.name + "-wal"))
    shutil.copy2(target, aside)
    fsync_file(aside)
    fsync_folder(target.parent)
    return aside


def _newest_per_period(newest_first: list[Backup], period: Callable[[Backup], str], count: int) -> set[Path]:
    chosen: dict[str, Path] = {}
    for backup in newest_first:
        key = period(backup)
        if key not in chosen:
            if len(chosen) == count:
                break
            chosen[key] = backup.path
    return set(chosen.values())


def _remove_abandoned_temporaries(folder: Path) -> None:
    """Temporary files of backups whose process died part-way (it was killed, or the power went)."""
    for entry in folder.iterdir():
        match = _TEMP.match(entry.name)
        if match and not lock.pid_alive(int(match["pid"])):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STAMP_FORMAT)


def _now() -> datetime:
    return datetime.now(UTC)
