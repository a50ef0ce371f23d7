"""SQL for listing claims: text search, filters and ordering, all done by SQLite.

Kept apart from the Store so the query building can be read (and tuned) on its own. The evidence
counts here follow the rules of core.independence, so the table's flags and filters agree with the
detail pane's full assessment.
"""

from __future__ import annotations

import re

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, SortKey
from desktop.core.vocabulary import SourceKind

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


def evidence_counts_sql(claim_filter: str = "1") -> str:
    """Per claim with evidence: n items, cor / con independent corroborating / contradicting origins,
    decisive = corroborating + contradicting items. decisive > cor + con means some item collapsed into
    an origin already counted or the claim's own: the circular-reporting warning.

    `claim_filter` restricts the evidence rows read (an SQL condition on `e`), e.g. to one page of claims.
    """
    return (
        "SELECT claim_id, count(*) AS n, "
        "count(DISTINCT CASE WHEN stance = 'corroborates' AND NOT own THEN origin END) AS cor, "
        "count(DISTINCT CASE WHEN stance = 'contradicts' AND NOT own THEN origin END) AS con, "
        "sum(stance != 'context') AS decisive "
        "FROM (SELECT e.claim_id, e.stance, COALESCE(e.origin_source_id, e.source_id) AS origin, "
        "  EXISTS (SELECT 1 FROM claim_origins o WHERE o.claim_id = e.claim_id "
        "          AND o.source_id = COALESCE(e.origin_source_id, e.source_id)) AS own "
        f"  FROM evidence e WHERE {claim_filter}) "
        "GROUP BY claim_id"
    )


# Over an `ev` row from evidence_counts_sql (NULL when the claim has no evidence): the rule table
# of core.independence.suggested_grade.
SUGGESTED_GRADE_SQL = (
    "(CASE WHEN COALESCE(ev.con, 0) = 0 THEN (CASE WHEN COALESCE(ev.cor, 0) >= 1 THEN 1 ELSE 6 END) "
    "WHEN ev.cor >= 2 * ev.con THEN 2 WHEN ev.cor >= ev.con THEN 3 WHEN ev.cor >= 1 THEN 4 "
    "WHEN ev.con = 1 THEN 4 ELSE 5 END)"
)
# core.independence.needs_second_look, for the review joined as `r`.
SECOND_LOOK_SQL = (
    f"(r.credibility IS NOT NULL AND r.credibility != {SUGGESTED_GRADE_SQL} "
    "AND (COALESCE(ev.n, 0) > 0 OR r.credibility = 1))"
)
CIRCULAR_SQL = "(COALESCE(ev.decisive, 0) > COALESCE(ev.cor, 0) + COALESCE(ev.con, 0))"


def _marks(values: object) -> str:
    return ", ".join("?" for _ in values)  # type: ignore[attr-defined]


def _graded_in(column: str, wanted: frozenset) -> str:
    """`column` takes one of `wanted`; None in `wanted` stands for "not graded"."""
    values = sorted(v for v in wanted if v is not None)
    parts = [f"{column} IN ({_marks(values)})"] if values else []
    if None in wanted:
        parts.append(f"{column} IS NULL")
    return "(" + " OR ".join(parts) + ")"


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
    SortKey.EVIDENCE: "(SELECT count(*) FROM evidence WHERE claim_id = c.id)",
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
                "   (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?))"
                # A source's other names lead to it too, and so does what the claim's evidence says.
                " OR c.id IN (SELECT claim_id FROM chain_hops WHERE source_id IN"
                "   (SELECT source_id FROM source_aliases WHERE id IN"
                "     (SELECT rowid FROM source_aliases_fts WHERE source_aliases_fts MATCH ?)))"
                " OR c.id IN (SELECT claim_id FROM evidence WHERE id IN"
                "   (SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?)))"
            )
            params += [term] * 5
    if query.statuses:
        where.append(f"COALESCE(r.status, 'unreviewed') IN ({_marks(query.statuses)})")
        params += sorted(s.value for s in query.statuses)
    if query.source_ids:
        where.append(
            f"c.id IN (SELECT claim_id FROM chain_hops WHERE source_id IN ({_marks(query.source_ids)}))"
        )
        params += sorted(query.source_ids)
    if query.kinds:
        kinds = sorted(k.value for k in query.kinds)
        clause = (
            "c.id IN (SELECT h.claim_id FROM chain_hops h JOIN sources s ON s.id = h.source_id "
            f"WHERE s.kind IN ({_marks(kinds)}))"
        )
        if SourceKind.ARTICLE in query.kinds:  # the article itself stands behind what it attributes to no one
            clause = f"({clause} OR c.unattributed = 1)"
        where.append(clause)
        params += kinds
    if query.reliabilities:
        where.append(_graded_in("r.reliability", query.reliabilities))
        params += sorted(v for v in query.reliabilities if v is not None)
    if query.credibilities:
        where.append(_graded_in("r.credibility", query.credibilities))
        params += sorted(v for v in query.credibilities if v is not None)
    if query.has_evidence is not None:
        negation = "" if query.has_evidence else "NOT "
        where.append(f"c.id {negation}IN (SELECT claim_id FROM evidence)")
    if query.reviewer_filter is not None:
        where.append("c.id IN (SELECT claim_id FROM reviews WHERE reviewer = ?)")
        params.append(query.reviewer_filter)
    evidence_join = ""
    if query.warnings_only:
        evidence_join = f"LEFT JOIN ({evidence_counts_sql()}) ev ON ev.claim_id = c.id "
        where.append(f"({CIRCULAR_SQL} OR {SECOND_LOOK_SQL})")
    direction = "DESC" if query.descending else "ASC"
    order = _SORT_EXPRESSIONS[query.sort]
    sql = (
        "SELECT c.id FROM claims c "
        "LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
        + evidence_join
        + (("WHERE " + " AND ".join(where)) if where else "")
        + f" ORDER BY {order} {direction}, c.id {direction}"
    )
    return sql, params
