"""SQL for listing claims: text search, filters and ordering, all done by SQLite.

Kept apart from the Store so the query building can be read (and tuned) on its own. The evidence
counts here follow the rules of core.independence, so the table's flags and filters agree with the
detail pane's full assessment.
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from desktop.core.errors import StoreWriteError
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, SortKey
from desktop.core.vocabulary import SourceKind
from desktop.store.access import unwritable_reason

# FTS5 has its own query language; a reviewer's search box must never hit a
# syntax error, so every word becomes a quoted prefix term and the rest is dropped.
_WORD = re.compile(r"\w+", re.UNICODE)
# A filter clause that reads the reviewer's review, joined as `r`.
_READS_REVIEW = re.compile(r"\br\.")


# Every full-text index, each mirroring one table (see the migrations in schema.py).
FTS_TABLES = ("claims_fts", "reviews_fts", "sources_fts", "evidence_fts", "source_aliases_fts")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

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
    built = _from_where(query)
    if built is None:
        return None
    from_where, params = built
    direction = "DESC" if query.descending else "ASC"
    order = _SORT_EXPRESSIONS[query.sort]
    return f"SELECT c.id {from_where} ORDER BY {order} {direction}, c.id {direction}", params


def claim_count_sql(query: ClaimQuery) -> tuple[str, list[object]] | None:
    """SQL and parameters counting the claims `query` lists; None when it can match nothing.

    No ORDER BY, and SQLite leaves out the reviewer's LEFT JOIN when no filter reads it, so an
    unfiltered count walks the smallest index instead of sorting a million rows.
    """
    built = _from_where(query, count_only=True)
    if built is None:
        return None
    from_where, params = built
    return f"SELECT count(*) {from_where}", params


def _from_where(query: ClaimQuery, *, count_only: bool = False) -> tuple[str, list[object]] | None:
    """The FROM and WHERE parts shared by the listing and the count.

    With `count_only`, the reviewer's review is joined only when a filter reads it: it adds no
    rows (one review per claim and reviewer), and SQLite would otherwise probe it for every claim.
    """
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
    review_join = "LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
    if count_only and not any(_READS_REVIEW.search(clause) for clause in where):
        review_join = ""
        params = params[1:]  # the reviewer's name was only for the join
    sql = "FROM claims c " + review_join + evidence_join + (("WHERE " + " AND ".join(where)) if where else "")
    return sql, params


class ClaimIdStream:
    """The ids a query lists, in order, read a batch at a time from one snapshot of the file.

    A table needs its row count and the rows on screen at once, not a million ids: `total` is
    counted first, and the listing is read only as far as it is asked for. Both run inside one
    read transaction on a connection of their own, so they agree with each other even while
    grades are being saved on the Store's connection (WAL keeps the snapshot). A Store opened
    read-only has no writer to be isolated from, and lends its own connection instead.
    """

    def __init__(self, conn: sqlite3.Connection, query: ClaimQuery, *, own: bool) -> None:
        self._conn = conn
        self._own = own
        self._cursor: sqlite3.Cursor | None = None
        self._listing = claim_ids_sql(query)
        counting = claim_count_sql(query)
        if own:
            conn.execute("BEGIN")
        self.total = int(conn.execute(*counting).fetchone()[0]) if counting is not None else 0
        self.exhausted = self._listing is None or self.total == 0
        if self.exhausted:
            self.close()

    @classmethod
    def open(cls, db_conn: sqlite3.Connection, path: Path | None, query: ClaimQuery) -> ClaimIdStream:
        """A stream on its own read-only connection to `path`, or on `db_conn` when `path` is None."""
        if path is None:
            return cls(db_conn, query, own=False)
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, isolation_level=None)
        try:
            return cls(conn, query, own=True)
        except BaseException:
            conn.close()
            raise

    def next_batch(self, size: int) -> array[int]:
        """Up to `size` more ids in order; an empty array once the listing is read to its end."""
        ids: array[int] = array("q")
        if self.exhausted or self._listing is None:
            return ids
        if self._cursor is None:
            self._cursor = self._conn.execute(*self._listing)
        rows = self._cursor.fetchmany(size)
        ids.extend(row[0] for row in rows)
        if len(rows) < size:
            self.close()
        return ids

    def close(self) -> None:
        """End the read transaction (so the file's log can be checkpointed again)."""
        self.exhausted = True
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        if self._own:
            self._conn.close()
            self._own = False


def rebuild_search_index(
    path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> bool:
    """Rebuild every full-text index of the file at `path` from its tables, on a connection of its own.

    Meant for a worker thread. All indexes are rebuilt in one transaction: a cancel (checked while
    SQLite works, every few thousand steps) or an error rolls everything back and leaves the
    indexes exactly as they were. Returns False when cancelled, True when done.
    """
    # Checked here, not left to SQLite: an administrator's connection would write a read-only file.
    reason = unwritable_reason(path)
    if reason is not None:
        raise StoreWriteError(f"The search index of {path} cannot be rebuilt: {reason}.")
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.set_progress_handler(lambda: bool(cancelled and cancelled()), 20_000)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for done, table in enumerate(FTS_TABLES):
                if progress is not None:
                    progress(done, len(FTS_TABLES))
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            if cancelled is not None and cancelled():
                raise sqlite3.OperationalError("interrupted")
        except BaseException as error:
            if conn.in_transaction:  # an interrupted statement has already rolled the transaction back
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError) and cancelled is not None and cancelled():
                return False
            raise
        conn.execute("COMMIT")
        if progress is not None:
            progress(len(FTS_TABLES), len(FTS_TABLES))
        return True
    finally:
        conn.close()
