"""A dataset as read from its file: named columns, records with their place in the file, what was skipped.

Every reader (delimited text, JSON, JSON Lines, ClaimReview) produces a Dataset, so the mapping,
preview, near-duplicate check and import work the same whatever the format.

Delimited files can hold a million rows, so their records are kept as a RowTable: one tuple of cells
per row and its line number in an array. Tuples of strings are soon left alone by Python's garbage
collector, whereas a million dictionaries would be walked by every full collection, which holds the
interpreter for most of a second on that many objects (the window would freeze while it runs).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from desktop.core.imports import ImportFileError
from desktop.core.threads import give_way


@dataclass(frozen=True)
class Record:
    """One row or object; `position` says where it is, e.g. "line 12" or "record 3"."""

    position: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Skipped:
    """A record left out, where it was and why."""

    position: str
    reason: str


# Rows freed per step when a large table is let go: freeing a million rows at once holds the
# interpreter for about 0.4 s, a few thousand at a time lets the window run in between.
_RELEASE_STEP = 10_000


def release_rows(rows: list[Any]) -> None:
    """Empty `rows` a slice at a time (for a worker thread that is done with them)."""
    while rows:
        del rows[-_RELEASE_STEP:]
        give_way()


class RowTable(Sequence[Record]):
    """Rows of a delimited file: cells as read, shorter rows padded with empty cells when asked for.

    `columns` is the dataset's own list (the reader extends it when a row is longer than the header).
    """

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.rows: list[tuple[str, ...]] = []
        self.lines = array("q")  # the line each row starts on

    def append(self, line: int, cells: tuple[str, ...]) -> None:
        self.rows.append(cells)
        self.lines.append(line)

    def release(self) -> None:
        """Let go of every row, a slice at a time; the table is empty afterwards."""
        release_rows(self.rows)
        self.lines = array("q")

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(len(self.rows)))]
        if index < 0:
            index += len(self.rows)
        if not 0 <= index < len(self.rows):
            raise IndexError("record index out of range")
        return self._record(index)

    def _record(self, index: int) -> Record:
        cells = self.rows[index]
        width = len(cells)
        values = {name: cells[i] if i < width else "" for i, name in enumerate(self.columns)}
        return Record(f"line {self.lines[index]}", values)


@dataclass
class Dataset:
    """Everything read from one file, before any mapping."""

    path: Path
    format: str
    encoding: str | None
    columns: list[str]
    records: Sequence[Record]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # oddities that did not stop anything
    delimiter: str | None = None
    suggested: dict[str, str] = field(default_factory=dict)  # field -> column, when the format says

    def add(self, record: Record) -> None:
        """Append one record, for readers that build records one by one (JSON, ClaimReview)."""
        if not isinstance(self.records, list):
            raise TypeError("this dataset's records are a table of rows")
        self.records.append(record)


def value_text(value: Any) -> str:
    """A cell as text: strings as they are, numbers written plainly, nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def unreadable(path: Path, error: OSError) -> ImportFileError:
    """The expected error for a file that cannot be opened or read, naming it."""
    if isinstance(error, FileNotFoundError):
        return ImportFileError(f"{path} does not exist.")
    if isinstance(error, IsADirectoryError):
        return ImportFileError(f"{path} is a folder, not a file.")
    return ImportFileError(f"{path} cannot be read ({error.strerror}).")


class JsonProblem(Exception):
    """Text that is not JSON this program can read, with where it went wrong when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def at(self, first_line: int = 1) -> str:
        """E.g. "line 3, column 7: not valid JSON (Expecting value)", lines counted from `first_line`."""
        if self.line is None:
            return self.message
        return f"line {self.line + first_line - 1}, column {self.column}: {self.message}"


def parse_json(text: str) -> Any:
    """json.loads, with every way it can fail on hostile text turned into a JsonProblem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonProblem(f"not valid JSON ({error.msg})", error.lineno, error.colno) from error
    except RecursionError as error:
        raise JsonProblem("not readable: values are nested too deeply") from error
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise JsonProblem(f"not readable ({error})") from error
