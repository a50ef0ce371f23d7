"""One writer per file: a lock file beside the database, held with an operating-system lock.

`sample.db` is locked through `sample.db.lock`. The lock file holds a small JSON record of
who opened the file for editing (process id, computer, reviewer, since when) so a second
window or process can be told who holds it. The record is only information; the lock itself
is the operating system's (`flock` on POSIX, `msvcrt.locking` on Windows), which the kernel
drops when the holding process ends for any reason. A process that crashed or was killed
therefore never leaves a lock behind: its record stays, but nobody holds the OS lock, and the
next opener takes it over.

That leftover record is also how an unclean shutdown is detected. A clean close deletes the
lock file; finding a record whose OS lock nobody holds means the last writer ended without
closing the file, and the file deserves a full integrity check. This is more precise than
looking for a `-wal` file, which is also present while any reader has the file open and
after a clean close whenever another connection was still open.

Where the file system offers no OS locks at all (some network shares), the record alone
decides: a live process on this computer, or any process on another computer, holds the
file; a record from a process on this computer that no longer exists is stale and taken over.

Windows support uses `msvcrt.locking` on one byte far past the record, so the record stays
readable; it follows the same rules but is not exercised by the test suite.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from desktop.core.errors import LockedError, LockHolder

LOCK_SUFFIX = ".lock"
# How often to retry when the OS lock is busy for a moment: a reader probing for a stale
# record, or a holder that is just closing, holds it for microseconds.
_BUSY_RETRIES = 5
_BUSY_PAUSE = 0.02
# Windows locks byte ranges; locking a byte far past the record leaves the record readable.
_WINDOWS_LOCK_OFFSET = 1 << 30

if sys.platform == "win32":  # pragma: no cover - exercised only on Windows
    import msvcrt

    def _try_os_lock(handle: IO[bytes], shared: bool) -> None:
        del shared  # msvcrt has exclusive locks only
        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as error:
            raise BlockingIOError(errno.EWOULDBLOCK, str(error)) from error
        finally:
            handle.seek(0)

    def _os_unlock(handle: IO[bytes]) -> None:
        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        handle.seek(0)

else:
    import fcntl

    def _try_os_lock(handle: IO[bytes], shared: bool) -> None:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)

    def _os_unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# Stands for a writer that left a lock file but no readable record of itself.
UNKNOWN_HOLDER = LockHolder(pid=None, host="", reviewer=None, since="")


class LockUnavailable(Exception):
    """Internal: no lock file can be created beside the database (read-only folder or file system).

    Not a CorroborateError: the caller answers it by opening the file read-only.
    """


def lock_path(db_path: Path) -> Path:
    """The lock file that guards `db_path`."""
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this computer (POSIX; assumed alive elsewhere)."""
    if os.name == "nt":  # pragma: no cover - no portable check without extra libraries
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just belongs to someone else
    return True


@dataclass
class WriterLock:
    """The lock this process holds on one database file; `release()` gives it up.

    `previous` is the record left by a writer that ended without closing the file (an
    unclean shutdown), or None when the file was closed cleanly last time.
    """

    db_path: Path
    holder: LockHolder
    previous: LockHolder | None
    _handle: IO[bytes] | None
    _os_locked: bool

    def release(self, *, clean: bool = True) -> None:
        """Give up the lock. `clean` deletes the record; otherwise it stays as an unclean-shutdown mark."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            if clean and os.name != "nt":
                # Deleted while still locked, so nobody can lock this file in between; an opener that
                # already has it open notices it is gone (see `acquire`) and tries again.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(lock_path(self.db_path))
            if self._os_locked:
                _os_unlock(handle)
        finally:
            handle.close()
        if clean and os.name == "nt":  # pragma: no cover - Windows cannot delete an open file
            with contextlib.suppress(OSError):
                os.unlink(lock_path(self.db_path))


def acquire(db_path: Path, reviewer: str | None) -> WriterLock:
    """Lock `db_path` for writing by this process.

    Raises LockedError naming the holder when someone else has it, and LockUnavailable when
    no lock file can be created (the caller opens the file read-only instead).
    """
    path = lock_path(db_path)
    for _attempt in range(_BUSY_RETRIES):
        handle, existed = _open_for_locking(path)
        try:
            locked = _lock_or_report_busy(handle, db_path)
            if locked is None:
                handle.close()
                time.sleep(_BUSY_PAUSE)
                continue
            os_locked = locked
            if os_locked and not _is_current(handle, path):
                # The holder deleted the record as it closed, after we opened it: start again.
                _os_unlock(handle)
                handle.close()
                continue
            previous = _parse(_read(handle))
            if previous is None and existed:
                # A lock file is deleted on every clean close, so one that was already there means
                # the last writer ended without closing, even if it died before its record was written.
                previous = UNKNOWN_HOLDER
            holder = LockHolder(os.getpid(), this_host(), reviewer, _utc_now())
            _write(handle, holder)
            return WriterLock(db_path, holder, previous, handle, os_locked)
        except BaseException:
            if not handle.closed:
                handle.close()
            raise
    raise _locked_error(db_path, current_holder_record(db_path))


def stale_record(db_path: Path) -> LockHolder | None:
    """The record of a writer that ended without closing `db_path`, or None.

    Read-only: creates nothing. None also when a live writer holds the file (that writer
    closes it properly or leaves its own record behind) or when the file was closed cleanly.
    """
    path = lock_path(db_path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        record = _parse(_read(handle))
        try:
            _try_os_lock(handle, shared=True)
        except BlockingIOError:
            return None  # a live writer holds it
        except OSError:
            return record if record is not None and _record_is_stale(record) else None
        _os_unlock(handle)
        # Clean closes delete the lock file, so even an empty one left behind marks an unclean end.
        return record or UNKNOWN_HOLDER


def current_holder_record(db_path: Path) -> LockHolder | None:
    """The record in the lock file as it stands, without judging whether its writer is alive."""
    try:
        with lock_path(db_path).open("rb") as handle:
            return _parse(_read(handle))
    except FileNotFoundError:
        return None


# ---- helpers ---------------------------------------------------------------------------


def _open_for_locking(path: Path) -> tuple[IO[bytes], bool]:
    """The lock file opened for reading and writing, and whether it was there already."""
    for _attempt in range(_BUSY_RETRIES):
        try:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                return os.fdopen(fd, "r+b"), False
            except FileExistsError:
                fd = os.open(path, os.O_RDWR)
                return os.fdopen(fd, "r+b"), True
        except FileNotFoundError:
            if not path.parent.is_dir():
                raise
            continue  # deleted between the two calls by a holder closing cleanly: it is free now
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise LockUnavailable(f"{path}: {error.strerror}") from error
            raise
    raise LockUnavailable(f"{path}: created and deleted by others too often to be opened")


def _lock_or_report_busy(handle: IO[bytes], db_path: Path) -> bool | None:
    """True: OS lock taken. False: no OS locks here, the record says the file is free.

    None: busy, but the record names nobody alive (a probe or a closing holder): try again.
    Raises LockedError when a live writer holds the file.
    """
    try:
        _try_os_lock(handle, shared=False)
    except BlockingIOError:
        record = _parse(_read(handle))
        if record is None or _record_is_stale(record):
            return None  # a holder that has not written its record yet, or a reader probing a stale one
        raise _locked_error(db_path, record) from None
    except OSError as error:
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            raise
        record = _parse(_read(handle))
        if record is not None and not _record_is_stale(record):
            raise _locked_error(db_path, record) from error
        return False
    return True


def _record_is_stale(record: LockHolder) -> bool:
    return record.host == this_host() and record.pid is not None and not pid_alive(record.pid)


def _is_current(handle: IO[bytes], path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _read(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return handle.read(64 * 1024)


def _write(handle: IO[bytes], holder: LockHolder) -> None:
    record = {"pid": holder.pid, "host": holder.host, "reviewer": holder.reviewer, "since": holder.since}
    # Written over the old record and only then cut to length: a kill in between leaves a
    # record that is unreadable or the old one, never an empty file that would look clean.
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    handle.seek(0)
    handle.write(data)
    handle.truncate(len(data))
    handle.flush()
    os.fsync(handle.fileno())


def _parse(data: bytes) -> LockHolder | None:
    """The holder a record names; an unreadable record still counts as someone having been there."""
    if not data.strip():
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
        pid = raw.get("pid")
        return LockHolder(
            pid=pid if isinstance(pid, int) else None,
            host=str(raw.get("host") or ""),
            reviewer=raw.get("reviewer") if isinstance(raw.get("reviewer"), str) else None,
            since=str(raw.get("since") or ""),
        )
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return LockHolder(pid=None, host="", reviewer=None, since="")


def _locked_error(db_path: Path, holder: LockHolder | None) -> LockedError:
    if holder is not None and holder.pid == os.getpid() and holder.host == this_host():
        who = "another window of this program"
    elif holder is not None and (holder.pid is not None or holder.host):
        who = holder.describe()
    else:
        who = "another program"
    return LockedError(
        f"{db_path} is open for editing by {who}. "
        "Open it read-only to look without editing, or close it there first.",
        path=db_path,
        holder=holder,
    )


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
