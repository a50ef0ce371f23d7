"""Named saved sets of claims (migration 0003): save the current filter or a selection, list, resolve, delete.

A set is bookkeeping about what to export, not a review: saving or deleting one is not an edit of
any claim, so it writes no change-log row and is not undoable, but it is still one transaction.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.model import ClaimQuery
from desktop.core.saved_sets import SavedSet, clean_set_name, query_from_json, query_to_json
from desktop.store.base import StoreBase, utc_now
from desktop.store.claim_queries import claim_ids_sql

_SET_COLUMNS = (
    "s.id, s.name, s.created_at, s.reviewer, s.query, "
    "(SELECT count(*) FROM saved_set_claims c WHERE c.set_id = s.id)"
)


class SavedSetsMixin(StoreBase):
    """Saving, listing, resolving and deleting named sets of claims."""

    def save_set(
        self,
        name: str,
        reviewer: str,
        *,
        query: ClaimQuery | None = None,
        claim_ids: Sequence[int] | None = None,
        replace: bool = False,
    ) -> SavedSet:
        """Keep `query` (a filter that follows later changes) or `claim_ids` (exactly those) under `name`.

        An existing set of that name is refused unless `replace` is set.
        """
        if (query is None) == (claim_ids is None):
            raise ValueError("save_set needs either a query or claim ids, not both")
        try:
            name = clean_set_name(name)
        except ValueError as error:
            raise InvalidValueError(str(error)) from error
        ids = list(dict.fromkeys(claim_ids)) if claim_ids is not None else []
        if claim_ids is not None and not ids:
            raise InvalidValueError(f"The set {name!r} would hold no claim: select some claims first.")
        self._require_writable()
        try:
            with self._writing():
                existing = self._db.execute("SELECT id FROM saved_sets WHERE name = ?", [name]).fetchone()
                if existing is not None:
                    if not replace:
                        raise InvalidValueError(f"There is already a saved set called {name!r}.")
                    self._db.execute("DELETE FROM saved_sets WHERE id = ?", [existing[0]])
                cursor = self._db.execute(
                    "INSERT INTO saved_sets (name, created_at, reviewer, query) VALUES (?, ?, ?, ?)",
                    [name, utc_now(), reviewer, query_to_json(query) if query is not None else None],
                )
                set_id = int(cursor.lastrowid or 0)
                self._db.conn.executemany(
                    "INSERT INTO saved_set_claims (set_id, position, claim_id) VALUES (?, ?, ?)",
                    [(set_id, position, claim_id) for position, claim_id in enumerate(ids)],
                )
        except sqlite3.IntegrityError as error:
            raise CorroborateError(
                f"The set {name!r} names a claim that is not in this file ({error})."
            ) from error
        return self.saved_set(name)

    def saved_sets(self) -> list[SavedSet]:
        """Every saved set, by name."""
        rows = self._db.execute(f"SELECT {_SET_COLUMNS} FROM saved_sets s ORDER BY s.name COLLATE NOCASE")
        return [self._saved_set(row) for row in rows]

    def saved_set(self, name: str) -> SavedSet:
        row = self._db.execute(
            f"SELECT {_SET_COLUMNS} FROM saved_sets s WHERE s.name = ?", [" ".join(name.split())]
        ).fetchone()
        if row is None:
            known = ", ".join(repr(s.name) for s in self.saved_sets()) or "none"
            raise CorroborateError(f"There is no saved set called {name!r} (saved sets: {known}).")
        return self._saved_set(row)

    def saved_set_ids(self, name: str) -> array[int]:
        """The claims of a set now: a kept filter is run again; listed claims come in the order saved."""
        saved = self.saved_set(name)
        ids: array[int] = array("q")
        if saved.query is not None:
            built = claim_ids_sql(saved.query)
            if built is not None:
                ids.extend(row[0] for row in self._db.execute(*built))
            return ids
        ids.extend(
            row[0]
            for row in self._db.execute(
                "SELECT claim_id FROM saved_set_claims WHERE set_id = ? ORDER BY position", [saved.id]
            )
        )
        return ids

    def delete_saved_set(self, name: str) -> None:
        saved = self.saved_set(name)
        self._require_writable()
        with self._writing():
            self._db.execute("DELETE FROM saved_sets WHERE id = ?", [saved.id])

    def _saved_set(self, row: Sequence[Any]) -> SavedSet:
        query = None
        if row[4] is not None:
            try:
                query = query_from_json(row[4])
            except ValueError as error:
                raise CorroborateError(f"The saved set {row[1]!r} cannot be read: {error}.") from error
        return SavedSet(row[0], row[1], row[2], row[3], query, row[5])

    if TYPE_CHECKING:

        def _require_writable(self) -> None: ...  # defined by Store
