"""Expected errors: each carries a message a reviewer can act on.

Anything that is not one of these is a bug and must surface loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CorroborateError(Exception):
    """Base class for errors a person can understand and act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DamagedFileError(CorroborateError):
    """The file cannot be read as a sound Corroborate file: corrupt, truncated, or not SQLite at all.

    It has been left exactly as it was. `latest_backup` is the newest backup of this path, if
    there is one, so the window can offer to restore it; `problems` lists what the check found.
    """

    def __init__(
        self, message: str, *, latest_backup: Path | None = None, problems: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.latest_backup = latest_backup
        self.problems = problems


class NotSQLiteError(DamagedFileError):
    """The file is not an SQLite database: another kind of file, or one whose beginning was overwritten."""


class NotCorroborateFileError(CorroborateError):
    """The file is an SQLite database but not one written by Corroborate."""


class NewerSchemaError(CorroborateError):
    """The file was written by a newer version of Corroborate."""


class StoreWriteError(CorroborateError):
    """A change could not be saved (read-only file, disk full, I/O error)."""


class InvalidValueError(CorroborateError):
    """A value outside its vocabulary or scale, e.g. reliability 'G'."""


class SampleDataError(CorroborateError):
    """The hand-written sample description is inconsistent with the article."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a file open for editing, as recorded beside the file when they opened it."""

    pid: int | None
    host: str
    reviewer: str | None
    since: str  # UTC, ISO 8601

    def describe(self) -> str:
        """E.g. "Ana (process 4242 on laptop-3, since 2024-05-01 10:15 UTC)"."""
        who = self.reviewer or "someone"
        process = f"process {self.pid}" if self.pid is not None else "a process"
        since = self.since.replace("T", " ").removesuffix("Z")[:16]
        return f"{who} ({process} on {self.host or 'an unknown computer'}, since {since} UTC)"


class LockedError(CorroborateError):
    """Another window or process has the file open for editing; it can still be opened read-only."""

    def __init__(self, message: str, *, path: Path, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.path = path
        self.holder = holder


class BackupError(CorroborateError):
    """A backup could not be made, verified or restored; the file and existing backups are unharmed."""


class OpeningCancelled(CorroborateError):
    """The reviewer stopped a long step of opening (a full check, a backup): the file is unchanged."""
