"""What every part of the Store shares: the connection, the clock, the change log and common look-ups.

The Store is split by subject (sources, chains, evidence) into mixins over this base so that
each file stays readable; all of them write through `_writing()` and log through `_log()`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.core.errors import CorroborateError, StoreWriteError
from desktop.core.model import Chain, Hop, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store.connection import Connection


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def log_value(value: Any) -> str | None:
    """A change-log value: short JSON, keys in a stable order; None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


SOURCE_COLUMNS = "id, name, kind, url, notes"


def source_from_row(row: Sequence[Any]) -> Source:
    return Source(row[1], SourceKind(row[2]), row[3], row[4], row[0])


class StoreBase:
    """The connection and helpers the Store's parts have in common."""

    _db: Connection
    path: Path

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction; a file that cannot be written becomes an expected error, nothing half-saved."""
        try:
            with self._db.atomic():
                yield
        except sqlite3.OperationalError as error:
            raise StoreWriteError(f"The change could not be saved to {self.path}: {error}.") from error

    def _log(self, reviewer: str, claim_id: int | None, field: str, old: Any, new: Any) -> None:
        self._db.execute(
            "INSERT INTO change_log (at, reviewer, claim_id, field, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [utc_now(), reviewer, claim_id, field, log_value(old), log_value(new)],
        )

    def _source_by_id(self, source_id: int) -> Source:
        row = self._db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", [source_id]).fetchone()
        if row is None:
            raise CorroborateError(f"Source {source_id} is not in this file.")
        return source_from_row(row)

    def _require_claim(self, claim_id: int) -> None:
        if self._db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")

    def _chains_for(self, ids: Sequence[int]) -> dict[int, tuple[Chain, ...]]:
        """The chains of these claims, in chain order, hop by hop from the cited source outward."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        hops: dict[int, dict[int, list[Hop]]] = {}
        for row in self._db.execute(
            "SELECT h.claim_id, h.chain, h.relation, h.is_origin, s.id, s.name, s.kind, s.url, s.notes "
            "FROM chain_hops h JOIN sources s ON s.id = h.source_id "
            f"WHERE h.claim_id IN ({marks}) ORDER BY h.claim_id, h.chain, h.position",
            list(ids),
        ):
            source = Source(row[5], SourceKind(row[6]), row[7], row[8], row[4])
            hop = Hop(source, Relation(row[2]), bool(row[3]))
            hops.setdefault(row[0], {}).setdefault(row[1], []).append(hop)
        return {
            claim_id: tuple(tuple(chain) for _, chain in sorted(chains.items()))
            for claim_id, chains in hops.items()
        }
