"""A claim's history: where it came from and every logged change to it and to the sources it relies on.

Read-only. The claim's own rows are found through the change log's claim index. Changes to sources
(renames, kinds, default grades, other names, merges) are logged without a claim and name their
source inside the logged values, which no index reaches: they are read once, grouped by source, and
kept; as the log is append-only, later calls read only the rows added since (NULL claims are in the
claim index too, in id order, so that is a short index range, not a scan of the log).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.core.errors import CorroborateError
from desktop.core.model import Change
from desktop.core.wording import local_time
from desktop.store.base import StoreBase

if TYPE_CHECKING:
    from desktop.core.history import ClaimHistory

# Every source a claim relies on now: in its chains, its evidence (as source or origin), its media credit.
_CLAIM_SOURCES = """
    SELECT source_id FROM chain_hops WHERE claim_id = :claim
    UNION SELECT source_id FROM evidence WHERE claim_id = :claim
    UNION SELECT origin_source_id FROM evidence WHERE claim_id = :claim AND origin_source_id IS NOT NULL
    UNION SELECT credited_to_source_id FROM media WHERE claim_id = :claim AND credited_to_source_id IS NOT NULL
"""

_CHANGE_COLUMNS = "id, at, reviewer, claim_id, field, old_value, new_value"


class HistoryMixin(StoreBase):
    """What happened to one claim, in words."""

    # (the last change-log id read, the source-level changes by source) once first asked for.
    _source_log: tuple[int, dict[int, list[Change]]] | None = None

    def claim_history(self, claim_id: int, *, with_sources: bool = True) -> ClaimHistory:
        """Where claim `claim_id` came from and its changes, newest first; with its sources' if asked."""
        # The wording is imported when a history is first asked for: opening the window needs none of it.
        from desktop.core.history import ClaimHistory, describe, source_ids

        text, came_from = self._wording_and_origin(claim_id)
        changes = {
            row[0]: Change(*row)
            for row in self._db.execute(
                f"SELECT {_CHANGE_COLUMNS} FROM change_log WHERE claim_id = ?", [claim_id]
            )
        }
        if with_sources:
            by_source = self._source_changes_by_source()
            for (source_id,) in self._db.execute(_CLAIM_SOURCES, {"claim": claim_id}):
                changes.update((change.id, change) for change in by_source.get(source_id, ()))
        newest_first = sorted(changes.values(), key=lambda change: change.id, reverse=True)
        named = sorted({source_id for change in newest_first for source_id in source_ids(change)})
        marks = ", ".join("?" for _ in named)
        names = dict(
            self._db.execute(f"SELECT id, name FROM sources WHERE id IN ({marks})", named).fetchall()
        )
        return ClaimHistory(
            claim_id, text, came_from, tuple(describe(change, names) for change in newest_first)
        )

    def _source_changes_by_source(self) -> dict[int, list[Change]]:
        """Every source-level change, by each source it is about; brought up to date with the log."""
        from desktop.core.history import source_ids

        last_id, by_source = self._source_log if self._source_log is not None else (0, {})
        for row in self._db.execute(
            f"SELECT {_CHANGE_COLUMNS} FROM change_log WHERE claim_id IS NULL AND id > ? ORDER BY id",
            [last_id],
        ):
            last_id = row[0]
            change = Change(*row)
            if change.field.startswith("source."):
                for source_id in source_ids(change):
                    by_source.setdefault(source_id, []).append(change)
        self._source_log = (last_id, by_source)
        return by_source

    def _wording_and_origin(self, claim_id: int) -> tuple[str, str]:
        """The claim's wording, and where it came from in words."""
        row = self._db.execute(
            "SELECT c.text, a.title, a.outlet, i.file, i.format, i.at, i.reviewer FROM claims c "
            "LEFT JOIN articles a ON a.id = c.article_id LEFT JOIN imports i ON i.id = c.import_id "
            "WHERE c.id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")
        text, title, outlet, file, file_format, at, reviewer = row
        if file is not None:
            # The file's name without its folders: those were on the importer's computer, maybe not this one.
            name = re.split(r"[\\/]", file)[-1] or file
            return text, f"Imported by {reviewer} from {name} ({file_format}), {local_time(at)}"
        if title:
            return text, f"From the article “{title}”" + (f" ({outlet})" if outlet else "")
        return text, "Added to this file"
