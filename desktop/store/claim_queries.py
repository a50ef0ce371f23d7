"""SQL for listing claims: text search, filters and ordering, all done by SQLite.

Kept apart from the Store so the query building can be read (and tuned) on its own. The evidence
counts here follow the rules of core.independence, so the table's flags and filters agree with the
detail pane's full assessment.
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, SortKey
from desktop.store import search
from desktop.store.search import rebuild_search_index as rebuild_search_index  # where callers look for it

# A filter clause that reads the reviewer's review, joined as `r`.
_READS_REVIEW = re.compile(r"\br\.")


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


def _marks(values: Collection[object]) -> str:
    return ", ".join("?" for _ in values)


def _grades(wanted: frozenset[str | None] | frozenset[int | None]) -> list[object]:
    """The grades of `wanted` in order, without None ("not graded"): letters, or numbers."""
    letters = sorted(v for v in wanted if isinstance(v, str))
    numbers = sorted(v for v in wanted if isinstance(v, int))
    return [*letters, *numbers]


def _graded_in(column: str, wanted: frozenset[str | None] | frozenset[int | None]) -> str:
    """`column` takes one of `wanted`; None in `wanted` stands for "not graded"."""
    values = _grades(wanted)
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
        "WHERE h.claim_id = c.id AND +h.position = 0 ORDER BY h.chain LIMIT 1) COLLATE NOCASE"
    ),
    SortKey.RELIABILITY: "r.reliability",
    SortKey.CREDIBILITY: "r.credibility",
    SortKey.STATUS: f"CASE COALESCE(r.status, 'unreviewed') {_STATUS_ORDER} END",
    SortKey.REVIEWER: "(SELECT min(reviewer) FROM reviews WHERE claim_id = c.id)",
    SortKey.EVIDENCE: "(SELECT count(*) FROM evidence WHERE claim_id = c.id)",
}


def _search_alone(query: ClaimQuery) -> str | None:
    """The MATCH expression when `query` searches text and filters nothing else, else None."""
    if not query.text.strip():
        return None
    bare = ClaimQuery(query.reviewer, text=query.text, sort=query.sort, descending=query.descending)
    return search.match_expression(query.text) if query == bare else None


def claim_ids_sql(query: ClaimQuery) -> tuple[str, list[object]] | None:
    """SQL and parameters listing claim ids for `query`; None when the query can match nothing."""
    expression = _search_alone(query)
    if expression is not None and query.sort is SortKey.NUMBER:
        # Straight from the full-text index, already in claim order: no claim is read.
        return search.listing_sql(query.descending), [expression]
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
    unfiltered count walks the smallest index instead of sorting a million rows. A search with
    no other filter is counted by the full-text index alone (one document per claim).
    """
    expression = _search_alone(query)
    if expression is not None:
        return search.COUNT_SQL, [expression]
    fast = _count_from_sets(query)
    if fast is not None:
        return fast
    built = _from_where(query, count_only=True)
    if built is None:
        return None
    from_where, params = built
    return f"SELECT count(*) {from_where}", params


def _from_where(query: ClaimQuery, *, count_only: bool = False) -> tuple[str, list[object]] | None:
    """The FROM and WHERE parts shared by the listing and the count."""
    built = _parts(query, count_only=count_only)
    if built is None:
        return None
    joins, where, params = built
    return "FROM claims c " + joins + (("WHERE " + " AND ".join(where)) if where else ""), params


@dataclass(frozen=True)
class _ClaimSet:
    """A SELECT listing claim ids (as `claim_id`) from indexes alone; `distinct`: each id at most once."""

    sql: str
    params: tuple[object, ...] = ()
    distinct: bool = True


@dataclass(frozen=True)
class _Filter:
    """One filter: its condition on the claim `c` (and the reviewer's review `r`) for listings, and,
    for counting from indexes alone, either the claims it lets through (`members`, when they are
    few) or the claims it keeps out (`outsiders`, when most claims pass it)."""

    clause: str
    params: tuple[object, ...] = ()
    members: _ClaimSet | None = None
    outsiders: _ClaimSet | None = None


# The distinct values of claim_facts.kinds, each found by one index seek (a few hundred in any file).
_KIND_SETS_SQL = (
    "WITH RECURSIVE kind_sets(k) AS (SELECT min(kinds) FROM claim_facts "
    "UNION ALL SELECT (SELECT min(kinds) FROM claim_facts WHERE kinds > k) FROM kind_sets "
    "WHERE k IS NOT NULL) SELECT k FROM kind_sets WHERE k IS NOT NULL"
)


def _review_filter(query: ClaimQuery) -> _Filter | None:
    """Status, reliability and credibility: conditions on one row, the reviewer's review of the claim."""
    # Each: the condition on the review row `x`, the same on the joined `r`, its values, and whether a
    # claim without a review passes it.
    conditions: list[tuple[str, str, list[object], bool]] = []
    if query.statuses:
        values: list[object] = [*sorted(s.value for s in query.statuses)]
        conditions.append(
            (
                f"x.status IN ({_marks(values)})",
                f"COALESCE(r.status, 'unreviewed') IN ({_marks(values)})",
                values,
                Status.UNREVIEWED in query.statuses,
            )
        )
    for column, wanted in (("reliability", query.reliabilities), ("credibility", query.credibilities)):
        if wanted:
            graded = _grades(wanted)
            conditions.append(
                (_graded_in(f"x.{column}", wanted), _graded_in(f"r.{column}", wanted), graded, None in wanted)
            )
    if not conditions:
        return None
    on_row = " AND ".join(row for row, _, _, _ in conditions)
    row_params = tuple(value for _, _, values, _ in conditions for value in values)
    if not all(no_review_passes for _, _, _, no_review_passes in conditions):
        # Only claims with a review can match: the set is read from the reviewer's index, which
        # SQLite can start from instead of visiting every claim.
        members = _ClaimSet(
            f"SELECT x.claim_id FROM reviews x WHERE x.reviewer = ? AND {on_row}",
            (query.reviewer, *row_params),
        )
        return _Filter(f"c.id IN ({members.sql})", members.params, members=members)
    # Claims nobody has reviewed pass: most of a big file. Count the few that are kept out instead.
    return _Filter(
        "(" + " AND ".join(on_r for _, on_r, _, _ in conditions) + ")",
        row_params,
        outsiders=_ClaimSet(
            f"SELECT x.claim_id FROM reviews x WHERE x.reviewer = ? AND NOT ({on_row})",
            (query.reviewer, *row_params),
        ),
    )


def _filters(query: ClaimQuery) -> list[_Filter]:
    """Every filter of `query` but the text search."""
    filters: list[_Filter] = []
    review = _review_filter(query)
    if review is not None:
        filters.append(review)
    if query.source_ids:
        hops = _ClaimSet(
            f"SELECT claim_id FROM chain_hops WHERE source_id IN ({_marks(query.source_ids)})",
            tuple(sorted(query.source_ids)),
            distinct=False,
        )
        filters.append(_Filter(f"c.id IN ({hops.sql})", hops.params, members=hops))
    if query.kinds:
        # claim_facts.kinds has a bit for each kind of source behind the claim, and the article's
        # own bit when it cites no one (schema 0008): the article itself stands behind that.
        kinds = tuple(sorted(k.value for k in query.kinds))
        mask = f"(SELECT COALESCE(sum(bit), 0) FROM source_kind_bits WHERE kind IN ({_marks(kinds)}))"
        filters.append(
            _Filter(
                # Tested claim by claim: as a set it would be read whole before the first row is listed.
                f"(SELECT f.kinds FROM claim_facts f WHERE f.claim_id = c.id) & {mask} != 0",
                kinds,
                members=_ClaimSet(
                    f"SELECT claim_id FROM claim_facts WHERE kinds IN (SELECT k FROM ({_KIND_SETS_SQL}) "
                    f"WHERE k & {mask} != 0)",
                    kinds,
                ),
            )
        )
    if query.has_evidence is not None:
        with_evidence = _ClaimSet("SELECT claim_id FROM evidence", distinct=False)
        filters.append(
            _Filter(f"c.id IN ({with_evidence.sql})", members=with_evidence)
            if query.has_evidence
            else _Filter(f"c.id NOT IN ({with_evidence.sql})", outsiders=with_evidence)
        )
    if query.reviewer_filter is not None:
        theirs = _ClaimSet("SELECT claim_id FROM reviews WHERE reviewer = ?", (query.reviewer_filter,))
        filters.append(_Filter(f"c.id IN ({theirs.sql})", theirs.params, members=theirs))
    if query.warnings_only:
        # A warning needs evidence, or a credibility of 1 (which no evidence confirms): the claims
        # with evidence are judged by the rules, the others are those graded 1. Both sets are small.
        second_look = _READS_REVIEW.sub("w.", SECOND_LOOK_SQL)
        warned = _ClaimSet(
            f"SELECT ev.claim_id FROM ({evidence_counts_sql()}) ev "
            "LEFT JOIN reviews w ON w.claim_id = ev.claim_id AND w.reviewer = ? "
            f"WHERE {CIRCULAR_SQL} OR {second_look} "
            "UNION ALL SELECT claim_id FROM reviews WHERE reviewer = ? AND credibility = 1 "
            "AND claim_id NOT IN (SELECT claim_id FROM evidence)",
            (query.reviewer, query.reviewer),
        )
        filters.append(_Filter(f"c.id IN ({warned.sql})", warned.params, members=warned))
    return filters


def _count_from_sets(query: ClaimQuery) -> tuple[str, list[object]] | None:
    """A count read from indexes alone, when the filters allow it; None otherwise.

    With one filter that lets few claims through, its set is counted, less the claims other filters
    keep out; with only filters that most claims pass, the claims they keep out are counted and
    taken from the total. Either way no claim row is visited.
    """
    filters = _filters(query)
    if not filters or query.text.strip() or any(f.members is None and f.outsiders is None for f in filters):
        return None
    members = [f.members for f in filters if f.members is not None]
    outsiders = [f.outsiders for f in filters if f.outsiders is not None]
    if not members:
        if len(outsiders) == 1 and outsiders[0].distinct:
            kept_out = f"SELECT count(*) FROM ({outsiders[0].sql})"
        else:
            kept_out = (
                f"SELECT count(DISTINCT claim_id) FROM ({' UNION ALL '.join(o.sql for o in outsiders)})"
            )
        return (
            f"SELECT (SELECT count(*) FROM claims) - ({kept_out})",
            [value for o in outsiders for value in o.params],
        )
    if len(members) > 1:
        return None
    counted = "count(*)" if members[0].distinct else "count(DISTINCT p.claim_id)"
    kept_out = " AND ".join(f"p.claim_id NOT IN ({o.sql})" for o in outsiders)
    return (
        f"SELECT {counted} FROM ({members[0].sql}) p" + (f" WHERE {kept_out}" if kept_out else ""),
        [*members[0].params, *(value for o in outsiders for value in o.params)],
    )


def _parts(query: ClaimQuery, *, count_only: bool = False) -> tuple[str, list[str], list[object]] | None:
    """The joins after `claims c`, the filter conditions, and their parameters in order.

    With `count_only`, the reviewer's review is joined only when a filter reads it: it adds no
    rows (one review per claim and reviewer), and SQLite would otherwise probe it for every claim.
    """
    params: list[object] = [query.reviewer]
    where: list[str] = []
    if query.text.strip():
        expression = search.match_expression(query.text)
        if expression is None:
            return None
        # One document per claim holds everything a search looks in (see desktop/store/search.py).
        where.append(f"c.id IN ({search.MATCHING_CLAIMS_SQL})")
        params.append(expression)
    filters = _filters(query)
    for one in filters:
        where.append(one.clause)
        params += one.params
    review_join = "LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
    if count_only and not any(_READS_REVIEW.search(clause) for clause in where):
        review_join = ""
        params = params[1:]  # the reviewer's name was only for the join
    return review_join, where, params


# The page cache of a listing's own connection, in KiB (SQLite's default is 2,000).
STREAM_CACHE_KIB = 256


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
        self._query = query
        self._cursor: sqlite3.Cursor | None = None
        self._segments: list[Segment] | None = None
        counting = claim_count_sql(query)
        if own:
            conn.execute("BEGIN")
        self.total = int(conn.execute(*counting).fetchone()[0]) if counting is not None else 0
        # `complete`: read to its end; `exhausted`: nothing more will come (complete, or closed early).
        self.complete = self.exhausted = counting is None or self.total == 0
        if self.exhausted:
            self.close()

    @classmethod
    def open(cls, db_conn: sqlite3.Connection, path: Path | None, query: ClaimQuery) -> ClaimIdStream:
        """A stream on its own read-only connection to `path`, or on `db_conn` when `path` is None."""
        if path is None:
            return cls(db_conn, query, own=False)
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, isolation_level=None)
        # A listing reads its index from start to end once: a small page cache does as well as a
        # large one, and a window keeps one listing open beside its own connection.
        conn.execute(f"PRAGMA cache_size = -{STREAM_CACHE_KIB}")
        try:
            return cls(conn, query, own=True)
        except BaseException:
            conn.close()
            raise

    def next_batch(self, size: int) -> array[int]:
        """Up to `size` more ids in order; an empty array once the listing is read to its end."""
        ids: array[int] = array("q")
        if self._segments is None and not self.exhausted:
            names = (
                [row[0] for row in self._conn.execute(REVIEWER_NAMES_SQL)]
                if self._query.sort is SortKey.REVIEWER
                else []
            )
            self._segments = claim_id_segments(self._query, names) or []
        while len(ids) < size and not self.exhausted:
            if self._cursor is None:
                if not self._segments:
                    self.complete = True
                    self.close()
                    break
                self._cursor = self._conn.execute(*self._segments.pop(0))
            wanted = size - len(ids)
            rows = self._cursor.fetchmany(wanted)
            ids.extend(row[0] for row in rows)
            if len(rows) < wanted:  # this segment is done; go on with the next
                self._cursor.close()
                self._cursor = None
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


# ---- listing in index order ----------------------------------------------------------------------
#
# ORDER BY on the reviewer's grade, status, evidence count, first reviewer or cited source cannot be
# read off an index as one statement: claims without a review (or a hop) sit among the rest. Sorting
# a million claims to show the first page takes seconds. So the listing is cut into segments, one
# per value of the sort key in key order, each listed by claim number, which an index gives without
# a sort; one after the other they are exactly `claim_ids_sql`'s order (the tests check that).

Segment = tuple[str, list[object]]

# Every distinct reviewer name, each found by one index seek rather than a scan of all reviews.
REVIEWER_NAMES_SQL = (
    "WITH RECURSIVE names(name) AS (SELECT min(reviewer) FROM reviews "
    "UNION ALL SELECT (SELECT min(reviewer) FROM reviews WHERE reviewer > name) FROM names "
    "WHERE name IS NOT NULL) SELECT name FROM names WHERE name IS NOT NULL"
)

_KEY_VALUES: dict[SortKey, tuple[str, list[object]]] = {
    SortKey.RELIABILITY: ("reliability", ["A", "B", "C", "D", "E", "F"]),
    SortKey.CREDIBILITY: ("credibility", [1, 2, 3, 4, 5, 6]),
    SortKey.STATUS: ("status", [s.value for s in Status if s is not Status.UNREVIEWED]),
}


def claim_id_segments(query: ClaimQuery, reviewer_names: list[str]) -> list[Segment] | None:
    """Statements listing, one after the other, what `claim_ids_sql(query)` lists in the same order.

    `reviewer_names` (from REVIEWER_NAMES_SQL, in order) is needed only to sort by reviewer.
    None when the query can match nothing.
    """
    built = _parts(query)
    if built is None:
        return None
    joins, where, params = built
    d = "DESC" if query.descending else "ASC"

    def segment(
        condition: str, extra: list[object], order: str = f"c.id {d}", start: str = "claims c "
    ) -> Segment:
        conditions = " AND ".join([*where, condition])
        return f"SELECT c.id FROM {start}{joins}WHERE {conditions} ORDER BY {order}", [*params, *extra]

    segments: list[Segment]
    if query.sort in (SortKey.NUMBER, SortKey.TEXT):
        listing = claim_ids_sql(query)
        return [listing] if listing is not None else None
    if query.sort in _KEY_VALUES:
        column, values = _KEY_VALUES[query.sort]
        empty = f"r.{column} IS NULL" + (" OR r.status = 'unreviewed'" if column == "status" else "")
        segments = [segment(f"({empty})", [])]
        segments += [segment(f"r.{column} = ?", [value]) for value in values]
    elif query.sort is SortKey.EVIDENCE:
        segments = [
            segment("NOT EXISTS (SELECT 1 FROM evidence WHERE claim_id = c.id)", []),
            # Claims with evidence are few: sorting just those by their count is cheap.
            segment(
                "c.id IN (SELECT claim_id FROM evidence)",
                [],
                f"{_SORT_EXPRESSIONS[SortKey.EVIDENCE]} {d}, c.id {d}",
            ),
        ]
    elif query.sort is SortKey.REVIEWER:
        segments = [segment("NOT EXISTS (SELECT 1 FROM reviews x WHERE x.claim_id = c.id)", [])]
        segments += [
            segment(
                "c.id IN (SELECT claim_id FROM reviews WHERE reviewer = ?)"
                " AND NOT EXISTS (SELECT 1 FROM reviews x WHERE x.claim_id = c.id AND x.reviewer < ?)",
                [name, name],
            )
            for name in reviewer_names
        ]
    else:  # the cited source: walk sources by name, and each one's first hops by claim number
        segments = [
            # `+position`: look the claim up by its own hops, not through every first hop of the file.
            segment("NOT EXISTS (SELECT 1 FROM chain_hops WHERE claim_id = c.id AND +position = 0)", []),
            segment(
                "h0.source_id = s0.id AND h0.position = 0 AND c.id = h0.claim_id AND h0.chain = "
                "(SELECT min(chain) FROM chain_hops m WHERE m.claim_id = h0.claim_id AND +m.position = 0)",
                [],
                f"s0.name COLLATE NOCASE {d}, c.id {d}",
                # CROSS JOIN fixes the order of the loops: SQLite keeps it as written.
                "sources s0 CROSS JOIN chain_hops h0 CROSS JOIN claims c ",
            ),
        ]
    # Ascending, claims without a value come first (as NULL sorts first); descending, last.
    return segments[::-1] if query.descending else segments
