"""Expected errors: each carries a message a reviewer can act on.

Anything that is not one of these is a bug and must surface loudly.
"""

from __future__ import annotations


class CorroborateError(Exception):
    """Base class for errors a person can understand and act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotSQLiteError(CorroborateError):
    """The file is not an SQLite database at all."""


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
