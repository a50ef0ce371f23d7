"""SQL for listing claims: text search, status filter and ordering, all done by SQLite.

Kept apart from the Store so the query building can be read (and tuned) on its own.
"""

from __future__ import annotations

import re

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, SortKey

# FTS5 has its own query language; a reviewer's search box must never hit a
# syntax error, so every word becomes a quoted prefix term and the rest is dropped.
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_match_expression(text: str) -> str | None:
    """A safe FTS5 MATCH string for free text, or None when the text holds no word at all."""
    words = _WORD.findall(text.replace("\x00", " "))
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


_STATUS_ORDER = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(Status))

_SORT_EXPRESSIONS: dict[SortKey, str] = {
    SortKey.NUMBER: "c.id",
    SortKey.TEXT: "c.text COLLATE NOCASE",
    SortKey.CITED_SOURCE: (
        "(SELECT s.name FROM chain_hops h JOIN sources s ON s.id = h.source_id "
        "WHERE h.claim_id = c.id AND h.position = 0 ORDER BY h.chain LIMIT 1) COLLATE NOCASE"
    ),
    SortKey.RELIABILITY: "r.reliability",
    SortKey.CREDIBILITY: "r.credibility",
    SortKey.STATUS: f"CASE COALESCE(r.status, 'unreviewed') {_STATUS_ORDER} END",
    SortKey.REVIEWER: "(SELECT min(reviewer) FROM reviews WHERE claim_id = c.id)",
}


def claim_ids_sql(query: ClaimQuery) -> tuple[str, list[object]] | None:
    """SQL and parameters listing claim ids for `query`; None when the query can match nothing."""
    params: list[object] = [query.reviewer]
    where: list[str] = []
    if query.text.strip():
        match = fts_match_expression(query.text)
        if match is None:
            return None
        where.append(
            "(c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)"
            " OR c.id IN (SELECT claim_id FROM reviews WHERE id IN"
            "   (SELECT rowid FROM reviews_fts WHERE reviews_fts MATCH ?))"
            " OR c.id IN (SELECT claim_id FROM chain_hops WHERE source_id IN"
            "   (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?)))"
        )
        params += [match, match, match]
    if query.statuses:
        marks = ", ".join("?" for _ in query.statuses)
        where.append(f"COALESCE(r.status, 'unreviewed') IN ({marks})")
        params += sorted(s.value for s in query.statuses)
    direction = "DESC" if query.descending else "ASC"
    order = _SORT_EXPRESSIONS[query.sort]
    sql = (
        "SELECT c.id FROM claims c "
        "LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
        + (("WHERE " + " AND ".join(where)) if where else "")
        + f" ORDER BY {order} {direction}, c.id {direction}"
    )
    return sql, params
