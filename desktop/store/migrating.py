"""The schema's named steps, handed to sqlite-utils' Migrations only when a file needs one applied.

schema.py registers each step with `@migrations(name=...)` as it would with sqlite-utils'
`Migrations`; this registry keeps them in order and reads which ones a file has with one query,
so opening an up-to-date file (nearly every open) loads nothing of sqlite-utils (see connection.py).
Applying, and anything else, goes through a real `Migrations` built from the same steps: the
record of applied steps in `_sqlite_migrations` stays sqlite-utils' own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

Step = TypeVar("Step", bound=Callable[..., None])

# Where sqlite-utils records applied steps (one row per set and name).
APPLIED_TABLE = "_sqlite_migrations"


class Steps:
    """An ordered set of named schema steps (the decorator schema.py uses)."""

    def __init__(self, set_name: str) -> None:
        self.set_name = set_name
        self._steps: list[tuple[str, Callable[..., None]]] = []
        self._not_for_readers: set[str] = set()
        self._migrations: Migrations | None = None

    def __call__(self, *, name: str, readers_need_it: bool = True) -> Callable[[Step], Step]:
        """Register a step. `readers_need_it=False` for a step that changes nothing a reader reads
        (how the search index is kept, say): a file without it can still be opened read-only."""

        def register(step: Step) -> Step:
            if any(known == name for known, _ in self._steps):
                raise ValueError(f"schema step {name!r} is registered twice")
            self._steps.append((name, step))
            if not readers_need_it:
                self._not_for_readers.add(name)
            self._migrations = None
            return step

        return register

    def needed_for_reading(self, names: Iterable[str]) -> list[str]:
        """Those of `names` without which this version cannot read a file."""
        return [name for name in names if name not in self._not_for_readers]

    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    def applied_names(self, conn: sqlite3.Connection) -> list[str]:
        """The steps the file on `conn` has had, as recorded (none for a new file)."""
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [APPLIED_TABLE]
        ).fetchone()
        if not has_table:
            return []
        return [
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {APPLIED_TABLE} WHERE migration_set = ? ORDER BY rowid", [self.set_name]
            )
        ]

    def pending_names(self, conn: sqlite3.Connection) -> list[str]:
        applied = set(self.applied_names(conn))
        return [name for name in self.names() if name not in applied]

    def migrations(self) -> Migrations:
        """sqlite-utils' Migrations holding these steps, in order."""
        if self._migrations is None:
            from sqlite_utils.migrations import Migrations

            built = Migrations(self.set_name)
            for name, step in self._steps:
                built(name=name)(step)
            self._migrations = built
        return self._migrations

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        self.migrations().apply(db, stop_before=stop_before)
