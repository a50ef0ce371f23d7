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


# A search box holds a few words, not a document: words past this many are ignored, which keeps
# the SQL (one clause per word) far below SQLite's expression and parameter limits.
MAX_SEARCH_WORDS = 64


def fts_terms(text: str) -> list[str]:
    """Each distinct word of free text as a safe FTS5 prefix term, in order of first appearance."""
    words = dict.fromkeys(_WORD.findall(text.replace("\x00", " ")))
    return [f'"{word}"*' for word in list(words)[:MAX_SEARCH_WORDS]]


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
        terms = fts_terms(query.text)
        if not terms:
            return None
        # Word by word, so the words of one search may sit in different places of the same claim:
        # "Yonhap NIS" finds the claim whose passage names Yonhap and whose chain leads to the NIS.
        for term in terms:
            where.append(
                "(c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)"
                " OR c.id IN (SELECT claim_id FROM reviews WHERE id IN"
                "   (SELECT rowid FROM reviews_fts WHERE reviews_fts MATCH ?))"
                " OR c.id IN (SELECT claim_id FROM chain_hops WHERE source_id IN"
                "   (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?)))"
            )
            params += [term, term, term]
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
