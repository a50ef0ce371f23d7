"""A claim's history: where it came from and every logged change to it and to the sources it relies on.

Read-only. The claim's own rows are found through the change log's claim index; changes to sources
(renames, kinds, default grades, other names, merges) are logged without a claim, and NULL is in
that index too, so they are read from it and matched in SQL to the sources the claim cites, relays,
takes evidence from or credits a picture to. Neither read scans the log.
"""

from __future__ import annotations

import re

from desktop.core.errors import CorroborateError
from desktop.core.history import ClaimHistory, describe, local_time
from desktop.core.model import Change
from desktop.store.base import StoreBase

# Every source a claim relies on now: in its chains, its evidence (as source or origin), its media credit.
_CLAIM_SOURCES = """
    SELECT source_id FROM chain_hops WHERE claim_id = :claim
    UNION SELECT source_id FROM evidence WHERE claim_id = :claim
    UNION SELECT origin_source_id FROM evidence WHERE claim_id = :claim AND origin_source_id IS NOT NULL
    UNION SELECT credited_to_source_id FROM media WHERE claim_id = :claim AND credited_to_source_id IS NOT NULL
"""

# A source change names its source under "source" (a merge also under "into", an unmerge under "from").
_SOURCE_CHANGES = f"""
    SELECT id, at, reviewer, claim_id, field, old_value, new_value FROM change_log
    WHERE claim_id IS NULL AND field LIKE 'source.%' AND EXISTS (
        SELECT 1 FROM ({_CLAIM_SOURCES}) AS mine WHERE mine.source_id IN (
            json_extract(change_log.old_value, '$.source'), json_extract(change_log.new_value, '$.source'),
            json_extract(change_log.old_value, '$.into'), json_extract(change_log.new_value, '$.from')
        )
    )
"""


class HistoryMixin(StoreBase):
    """What happened to one claim, in words."""

    def claim_history(self, claim_id: int, *, with_sources: bool = True) -> ClaimHistory:
        """Where claim `claim_id` came from and its changes, newest first; with its sources' if asked."""
        came_from = self._came_from(claim_id)
        rows = list(
            self._db.execute(
                "SELECT id, at, reviewer, claim_id, field, old_value, new_value FROM change_log "
                "WHERE claim_id = ?",
                [claim_id],
            )
        )
        if with_sources:
            rows += self._db.execute(_SOURCE_CHANGES, {"claim": claim_id}).fetchall()
        changes = sorted((Change(*row) for row in rows), key=lambda change: change.id, reverse=True)
        names = dict(self._db.execute("SELECT id, name FROM sources").fetchall()) if changes else {}
        return ClaimHistory(claim_id, came_from, tuple(describe(change, names) for change in changes))

    def _came_from(self, claim_id: int) -> str:
        row = self._db.execute(
            "SELECT a.title, a.outlet, i.file, i.format, i.at, i.reviewer FROM claims c "
            "LEFT JOIN articles a ON a.id = c.article_id LEFT JOIN imports i ON i.id = c.import_id "
            "WHERE c.id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")
        title, outlet, file, file_format, at, reviewer = row
        if file is not None:
            # The file's name without its folders: those were on the importer's computer, maybe not this one.
            name = re.split(r"[\\/]", file)[-1] or file
            return f"Imported by {reviewer} from {name} ({file_format}), {local_time(at)}"
        if title:
            return f"From the article “{title}”" + (f" ({outlet})" if outlet else "")
        return "Added to this file"
