"""A dataset as read from its file: named columns, records with their place in the file, what was skipped.

Every reader (delimited text, JSON, JSON Lines, ClaimReview) produces a Dataset, so the mapping,
preview, near-duplicate check and import work the same whatever the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


@dataclass
class Dataset:
    """Everything read from one file, before any mapping."""

    path: Path
    format: str
    encoding: str | None
    columns: list[str]
    records: list[Record]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # oddities that did not stop anything
    delimiter: str | None = None
    suggested: dict[str, str] = field(default_factory=dict)  # field -> column, when the format says


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
