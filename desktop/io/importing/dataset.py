"""A dataset as read from its file: named columns, records with their place in the file, what was skipped.

Every reader (delimited text, JSON, JSON Lines, ClaimReview) produces a Dataset, so the mapping,
preview, near-duplicate check and import work the same whatever the format.
"""

from __future__ import annotations

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
    import json

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
