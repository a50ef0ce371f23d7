"""Integrity checks on open: a quick check every time, the full check after an unclean shutdown.

`PRAGMA quick_check` reads every page of every table and index and verifies their structure;
`PRAGMA integrity_check` also verifies that every index agrees with its table, which costs
more and is run when the last writer ended without closing the file (see `lock.py` for how
that is detected). Both run through a read-only connection, so a damaged file is reported
without a byte of it being changed, and the caller can offer the newest backup instead.

Either check reads the whole file (seconds for a file of a million claims), so a check can be
given `cancelled`: a watcher thread asks it every few hundredths of a second and interrupts
SQLite (a progress handler would not do: SQLite runs the whole quick check as one step), and the
check stops with `Interrupted`, which is never mistaken for damage.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from desktop.core.errors import DamagedFileError

# SQLite stops after this many problems; a handful is enough to explain the damage.
_MAX_PROBLEMS = 20
# How often a running check looks at `cancelled`, in seconds.
_CANCEL_POLL_SECONDS = 0.02

Cancelled = Callable[[], bool]


class Interrupted(Exception):
    """A check (or a backup being verified) was stopped on request before it finished: no verdict."""


def problems_in(conn: sqlite3.Connection, *, full: bool, cancelled: Cancelled | None = None) -> list[str]:
    """What a check on this connection finds; an empty list means the file is sound.

    Raises Interrupted when `cancelled()` turned true while the check ran.
    """
    pragma = "integrity_check" if full else "quick_check"
    if cancelled is not None and cancelled():
        raise Interrupted(f"the {pragma} was stopped before it started")
    try:
        with _interrupted_when(conn, cancelled):
            rows = conn.execute(f"PRAGMA {pragma}({_MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as error:
        if cancelled is not None and cancelled():
            raise Interrupted(f"the {pragma} was stopped") from error
        return [str(error)]
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


@contextmanager
def _interrupted_when(conn: sqlite3.Connection, cancelled: Cancelled | None) -> Iterator[None]:
    """Interrupt what `conn` runs inside this block as soon as `cancelled()` is true."""
    if cancelled is None:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(_CANCEL_POLL_SECONDS):
            if cancelled():
                conn.interrupt()  # the one connection method meant to be called from another thread
                return

    watcher = threading.Thread(target=watch, name="check-cancel-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def check_file(
    path: Path, *, full: bool, uri: str | None = None, cancelled: Cancelled | None = None
) -> list[str]:
    """Check the file at `path` through a read-only connection (`uri` overrides how it is opened)."""
    target = uri or f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(target, uri=True)
    except sqlite3.DatabaseError as error:
        return [str(error)]
    try:
        return problems_in(conn, full=full, cancelled=cancelled)
    finally:
        conn.close()


def require_sound(
    path: Path, *, full: bool, uri: str | None = None, cancelled: Cancelled | None = None
) -> None:
    """Raise DamagedFileError (without a backup; the caller adds it) if the check finds problems."""
    problems = check_file(path, full=full, uri=uri, cancelled=cancelled)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise DamagedFileError(
            f"{path} is damaged: SQLite's {'full integrity' if full else 'quick'} check found {shown}.",
            problems=tuple(problems),
        )
