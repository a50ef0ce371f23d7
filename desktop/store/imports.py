"""Imports of claim datasets: the bulk insert, the import record, and what near-duplicate checks read.

A whole import is one transaction: claims, their sources and chains, the reviews a verdict preset
gave, and the import record go in together, or (on an error or a cancel between batches) none of them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, overload

from desktop.core.errors import StoreWriteError
from desktop.core.grades import CREDIBILITY_LABELS
from desktop.core.imports import ImportBatch, ImportCancelled, ImportedClaim, ImportRecord, ImportWritten
from desktop.core.model import source_key
from desktop.core.threads import give_way
from desktop.core.vocabulary import Relation
from desktop.store import opening
from desktop.store.base import StoreBase, utc_now
from desktop.store.schema import kinds_of_claim
from desktop.store.search import SEARCH_TABLE

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Rows per executemany: large enough to be fast, small enough that Cancel answers promptly.
BATCH_SIZE = 2_000
# What an import does once its rows are in, in rows' worth of progress, so that the bar keeps moving
# through it instead of waiting at its end (shares measured at a million rows into a new file:
# writing the rows 16 s, building the indexes 10, the search index 11, the filter facts 2, the commit 6).
FINISHING_SHARES = {"indexes": 0.6, "search": 0.7, "facts": 0.1, "commit": 0.3}
# The page cache of the importing connection while an import runs, in KiB.
IMPORT_CACHE_KIB = 256 * 1024

# One claim as the bulk writer takes it: text, context (None: the text is its own passage), speaker
# as written (None: nobody), date, address, verdict label as written, the other columns as JSON made
# by `encode_extra` (None: none), and the credibility a verdict preset gave (None: no review).
ImportRow = tuple[str, str | None, str | None, str | None, str | None, str | None, str | None, int | None]


class ImportsMixin(StoreBase):
    """Writing a dataset import and reading the file's earlier imports."""

    if TYPE_CHECKING:

        def _require_writable(self) -> None: ...  # defined by Store

        def count_claims(self) -> int: ...  # defined by Store

        def largest_claim_number(self) -> int: ...  # defined by Store

        def _new_source_id(self) -> int: ...  # defined by SourcesMixin

    def add_imported_claims(
        self,
        batch: ImportBatch,
        claims: Sequence[ImportedClaim],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportWritten:
        """Write every claim of one import, or nothing (see add_imported_rows)."""
        return self.add_imported_rows(batch, _ClaimRows(claims), progress=progress, cancelled=cancelled)

    def add_imported_rows(
        self,
        batch: ImportBatch,
        rows: Sequence[ImportRow],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportWritten:
        """Write every claim of one import, given as ImportRow tuples, or nothing.

        Speakers are matched to existing sources by name or alias (case, spacing, punctuation and
        accents aside, see core.model.source_key); a speaker with no letter or digit leaves the
        claim unattributed. A claim with a preset credibility gets a review by `batch.reviewer`.
        Claims, hops and reviews go in with one executemany per table per batch of BATCH_SIZE;
        `cancelled` is asked between batches; when it says yes, ImportCancelled is raised and the
        transaction is rolled back.
        """
        self._require_writable()
        total = len(rows)
        now = utc_now()
        reviewer = batch.reviewer
        states = Relation.STATES.value

        def check() -> None:
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"Import of {batch.file} cancelled; nothing was added.")

        conn = self._db.conn
        cache_size = int(conn.execute("PRAGMA cache_size").fetchone()[0])
        if cancelled is not None:
            # Cancel is also heard while SQLite works inside one long statement.
            conn.set_progress_handler(cancelled, 100_000)
        try:
            # A million claims touch the text index all over: a larger page cache for this connection
            # while the import runs keeps those pages in memory instead of re-reading them.
            conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
            # SQLite tests a CHECK of the form `x IN (a, b, c, …)` by building a small table of the
            # list for every row an executemany inserts: the reviews' three such checks made their
            # inserts take 6 s a million instead of 1.3. Every value this import writes into those
            # columns is a constant of this code, an enum's value or a credibility checked below.
            conn.execute("PRAGMA ignore_check_constraints = ON")
            rebuild = rebuilds_indexes(total, self.count_claims())
            steps = _ImportProgress(progress, total, rebuild)
            with (
                self._bulk_transaction(),
                _set_wise_upkeep(conn, rebuild_indexes=rebuild, finished=steps.finished) as upkeep,
            ):
                check()
                cursor = self._db.execute(
                    "INSERT INTO imports (file, format, at, reviewer, mapping) VALUES (?, ?, ?, ?, ?)",
                    [batch.file, batch.format, now, reviewer, _json(batch.mapping)],
                )
                import_id = int(cursor.lastrowid or 0)
                sources = _SourceResolver(self, batch, now)
                resolve = sources.resolve
                first_id = self.largest_claim_number() + 1
                upkeep.first_claim_id = first_id
                graded = unattributed = 0
                for start in range(0, total, BATCH_SIZE):
                    give_way()  # imports run on a worker thread beside the window (core/threads.py)
                    check()
                    chunk = rows[start : start + BATCH_SIZE]
                    claims: list[tuple[Any, ...]] = []
                    hops: list[tuple[Any, ...]] = []
                    reviews: list[tuple[Any, ...]] = []
                    claim_id = first_id + start
                    for text, context, speaker, date, url, verdict, extra, credibility in chunk:
                        source_id = resolve(speaker)
                        if source_id is None:
                            unattributed += 1
                        else:
                            hops.append((claim_id, source_id))
                        if credibility is not None:
                            if credibility not in CREDIBILITY_LABELS:
                                number = claim_id - first_id + 1
                                raise StoreWriteError(
                                    f"The import could not be saved to {self.path}: the import's claim "
                                    f"{number} (from {batch.file}) has credibility {credibility!r}, "
                                    "not one of 1–6; nothing was added."
                                )
                            reviews.append((claim_id, reviewer, credibility, now, now))
                        claims.append(
                            (claim_id, text, context or text, source_id is None, date, url, verdict, extra)
                        )
                        claim_id += 1
                    # Explicit ids, so hops and reviews can be written with executemany as well.
                    conn.executemany(
                        "INSERT INTO claims (id, text, passage, unattributed, date, url, verdict_label, "
                        f"extra, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, {import_id})",
                        claims,
                    )
                    conn.executemany(
                        "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation, is_origin) "
                        f"VALUES (?, 0, 0, ?, '{states}', 0)",
                        hops,
                    )
                    conn.executemany(
                        "INSERT INTO reviews (claim_id, reviewer, credibility, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        reviews,
                    )
                    graded += len(reviews)
                    steps.rows(len(chunk))
                check()
                upkeep.last_claim_id = first_id + total - 1
                self._log(
                    reviewer,
                    None,
                    "import",
                    None,
                    {"import": import_id, "file": batch.file, "format": batch.format, "claims": total},
                )
            steps.finished("commit")
        except sqlite3.OperationalError as error:
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"Import of {batch.file} cancelled; nothing was added.") from error
            raise StoreWriteError(f"The import could not be saved to {self.path}: {error}.") from error
        finally:
            conn.set_progress_handler(None, 0)
            conn.execute("PRAGMA ignore_check_constraints = OFF")
            conn.execute(f"PRAGMA cache_size = {cache_size}")
        return ImportWritten(
            import_id=import_id,
            claim_ids=range(first_id, first_id + total),
            new_sources=tuple(sources.created),
            matched_sources=tuple(sources.matched),
            graded=graded,
            unattributed=unattributed,
        )

    def _bulk_transaction(self) -> AbstractContextManager[Any]:
        """The one transaction of an import: everything in it is written, or nothing."""
        return self._db.atomic()

    def worker_connection(self) -> Self:
        """A second connection to this file, for a background job of the window that has it open.

        SQLite connections belong to the thread that made them: call this on the worker thread and
        close the result there. The window's writer lock covers both connections, and WAL mode lets
        the window keep reading while the job writes.
        """
        self._require_writable()
        return type(self)(opening.connect(self.path), self.path)  # type: ignore[call-arg]

    def claim_texts(self, batch_size: int = 10_000) -> Iterator[list[tuple[int, str]]]:
        """(id, text) of every claim, a batch at a time: what near-duplicate checks compare against."""
        cursor = self._db.execute("SELECT id, text FROM claims ORDER BY id")
        while batch := cursor.fetchmany(batch_size):
            yield [(int(row[0]), str(row[1])) for row in batch]

    def imports(self) -> list[ImportRecord]:
        """Every import into this file, oldest first, with how many of its claims are still here."""
        return [
            ImportRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5] or "{}"), row[6])
            for row in self._db.execute(
                "SELECT i.id, i.file, i.format, i.at, i.reviewer, i.mapping, "
                "(SELECT count(*) FROM claims c WHERE c.import_id = i.id) FROM imports i ORDER BY i.id"
            )
        ]

    def imported_fields(self, claim_id: int) -> dict[str, Any]:
        """Date, address, verdict as written and extra columns of a claim that came from a dataset."""
        row = self._db.execute(
            "SELECT date, url, verdict_label, extra, import_id FROM claims WHERE id = ?", [claim_id]
        ).fetchone()
        if row is None:
            return {}
        return {
            "date": row[0],
            "url": row[1],
            "verdict_label": row[2],
            "extra": decode_extra(row[3]),
            "import_id": row[4],
        }


# The triggers that keep the search index and the filter facts in step one inserted claim, hop and
# review at a time. An import inserts only new claims with their own hops and reviews, so inside its
# transaction it takes these triggers out and does their work once, for all its claims, at the end
# (see _set_wise_upkeep); then it puts them back exactly as they were, before the transaction ends.
# A rollback (an error, a cancel) puts them back as well: in SQLite the schema is transactional.
# Every other trigger (deletes, updates, other tables) stays in place throughout.
ROW_INSERT_TRIGGERS = (
    "search_claim_insert",
    "search_claim_defer",
    "claim_facts_claim_insert",
    "search_hop_insert_before",
    "search_hop_insert_after",
    "claim_facts_hop_insert",
    "search_review_insert_before",
    "search_review_insert_after",
)

# The tables an import adds rows to in bulk. Their own indexes (not the ones that make their keys
# unique, which SQLite names itself and has no SQL for) are rebuilt after a large import; see
# rebuilds_indexes.
BULK_TABLES = ("claims", "chain_hops", "reviews")


def rebuilds_indexes(importing: int, existing: int) -> bool:
    """Whether an import of `importing` claims into a file of `existing` claims rebuilds the indexes.

    Adding rows to an index one at a time costs a search of the index per row, on pages scattered
    over a large index; building it again sorts every row once. The rebuild reads the file's
    existing rows too, so it pays only when the import brings at least as many claims as the file
    already holds (docs/benchmarks.md has the figures).
    """
    return importing >= max(existing, 1)


class _ImportProgress:
    """An import's progress in rows' worth: its rows, then the share of each step that follows them."""

    def __init__(self, report: Progress | None, rows: int, rebuild_indexes: bool) -> None:
        self._report = report
        self._shares = {
            step: round(rows * share)
            for step, share in FINISHING_SHARES.items()
            if rebuild_indexes or step != "indexes"
        }
        self._total = rows + sum(self._shares.values())
        self._done = 0

    def rows(self, count: int) -> None:
        self._advance(count)

    def finished(self, step: str) -> None:
        self._advance(self._shares[step])

    def _advance(self, units: int) -> None:
        self._done += units
        if self._report is not None:
            self._report(self._done, self._total)


class _Upkeep:
    """The claims an import wrote (ids first_claim_id to last_claim_id), set by the import as it goes."""

    first_claim_id = 0
    last_claim_id = -1


@contextmanager
def _set_wise_upkeep(
    conn: sqlite3.Connection,
    *,
    rebuild_indexes: bool = False,
    finished: Callable[[str], None] = lambda _step: None,
) -> Iterator[_Upkeep]:
    """Inside a transaction: the row-by-row insert triggers out, their work done set-wise on the way out.

    On the way out (only when the block ends normally) the new claims' search documents go into the
    index in one statement and their filter facts in another, giving what the triggers would have
    given row by row; then the triggers are created again from the very text they had, in the order
    they had (triggers of one event fire in that order). With `rebuild_indexes` the bulk tables'
    own indexes are taken out as well and built again, from their own text and in their order,
    once every row is in. `finished` is told of each step done: "indexes", "search", "facts".
    """
    placeholders = ", ".join("?" for _ in ROW_INSERT_TRIGGERS)
    kept = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({placeholders}) "
        "ORDER BY rowid",
        ROW_INSERT_TRIGGERS,
    ).fetchall()
    indexes: list[tuple[str, str]] = []
    if rebuild_indexes:
        tables = ", ".join("?" for _ in BULK_TABLES)
        indexes = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({tables}) ORDER BY rowid",
            BULK_TABLES,
        ).fetchall()
    for name, _sql in kept:
        conn.execute(f'DROP TRIGGER "{name}"')
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    upkeep = _Upkeep()
    yield upkeep
    for _name, sql in indexes:
        conn.execute(sql)
    if indexes:
        finished("indexes")
    first, last = upkeep.first_claim_id, upkeep.last_claim_id
    if last >= first:
        conn.execute(_INDEX_IMPORTED_SQL, {"first": first, "last": last})
        finished("search")
        # What claim_facts_claim_insert and claim_facts_hop_insert add up to once every hop is in.
        conn.execute(
            f"INSERT OR REPLACE INTO claim_facts (claim_id, kinds) SELECT c.id, {kinds_of_claim('c.id')} "
            "FROM claims c WHERE c.id BETWEEN ? AND ?",
            [first, last],
        )
        finished("facts")
    for _name, sql in kept:
        conn.execute(sql)


# The search documents of imported claims, exactly as the search_documents view builds them (migration
# 0009), without its per-claim subqueries: an imported claim has at most one hop, no rationale and
# no evidence, so its document is its text, its passage unless it repeats the text, and the names of
# its one source, put together once per source (its name, then its aliases in the order they were
# added). Building them through the view took 9 microseconds a claim, this 2; FTS5 adds them
# fastest by claim number.
_INDEX_IMPORTED_SQL = f"""
WITH names (source_id, names) AS MATERIALIZED (
    SELECT s.id, (SELECT group_concat(name, ' ') FROM (
            SELECT s.name AS name, 0 AS alias
            UNION ALL SELECT a.alias, a.id FROM source_aliases a WHERE a.source_id = s.id
            ORDER BY 2))
    FROM sources s
    WHERE s.id IN (SELECT source_id FROM chain_hops WHERE claim_id BETWEEN :first AND :last))
INSERT INTO {SEARCH_TABLE}(rowid, body)
SELECT c.id, c.text || CASE WHEN c.passage = c.text THEN '' ELSE ' ' || c.passage END || COALESCE(' ' || (
        SELECT n.names FROM chain_hops h JOIN names n ON n.source_id = h.source_id WHERE h.claim_id = c.id
    ), '')
FROM claims c WHERE c.id BETWEEN :first AND :last ORDER BY c.id
"""


class _SourceResolver:
    """Speaker names to source ids for one import: each distinct name key is looked up once."""

    def __init__(self, store: ImportsMixin, batch: ImportBatch, now: str) -> None:
        self._store = store
        self._batch = batch
        self._ids: dict[str, int] = {}
        self._by_speaker: dict[str, int | None] = {}
        self.created: list[str] = []
        self.matched: list[str] = []
        self._last_id: int | None = None
        self._note = (
            f"Added by the import of {Path(batch.file).name} on {now[:10]}; its kind was not given there."
        )

    def _next_id(self) -> int:
        """A number no source has had in this file: a merged-away source's number stays free for its undo."""
        if self._last_id is None:
            self._last_id = self._store._new_source_id() - 1  # then counted here: one query per import
        self._last_id += 1
        return self._last_id

    def resolve(self, speaker: str | None) -> int | None:
        if speaker is None:
            return None
        # Most rows repeat a speaker written the same way: one dictionary look-up, no key to compute.
        if speaker in self._by_speaker:
            return self._by_speaker[speaker]
        self._by_speaker[speaker] = found = self._resolve(speaker)
        return found

    def _resolve(self, speaker: str) -> int | None:
        name = " ".join(speaker.split())
        key = source_key(name)
        if not key:
            return None
        known = self._ids.get(key)
        if known is not None:
            return known
        db = self._store._db
        row = db.execute("SELECT id, name FROM sources WHERE name_key = ?", [key]).fetchone()
        if row is None:
            row = db.execute(
                "SELECT s.id, s.name FROM source_aliases a JOIN sources s ON s.id = a.source_id "
                "WHERE a.alias_key = ?",
                [key],
            ).fetchone()
        if row is not None:
            source_id = int(row[0])
            self.matched.append(str(row[1]))
        else:
            source_id = self._next_id()
            db.execute(
                "INSERT INTO sources (id, name, name_key, kind, notes) VALUES (?, ?, ?, ?, ?)",
                [source_id, name, key, self._batch.source_kind.value, self._note],
            )
            self.created.append(name)
        self._ids[key] = source_id
        return source_id


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_extra(extra: dict[str, Any]) -> str | None:
    """The other columns of a claim as the file keeps them (compact JSON, keys sorted); None when empty."""
    return _json(extra) if extra else None


def decode_extra(stored: str | None) -> dict[str, Any]:
    """The other columns as `encode_extra` wrote them. Text that is not a JSON object (a file written
    by another program) is kept whole under the column's own name rather than lost or fatal."""
    if not stored:
        return {}
    try:
        value = json.loads(stored)
    except ValueError:
        return {"extra": stored}
    return value if isinstance(value, dict) else {"extra": stored}


def import_row(claim: ImportedClaim) -> ImportRow:
    """An ImportedClaim as the bulk writer takes it."""
    return (
        claim.text,
        claim.context,
        claim.speaker,
        claim.date,
        claim.url,
        claim.verdict_label,
        encode_extra(claim.extra),
        claim.credibility,
    )


class _ClaimRows(Sequence[ImportRow]):
    """ImportedClaims read as ImportRows, one batch at a time (no second list of every claim)."""

    def __init__(self, claims: Sequence[ImportedClaim]) -> None:
        self._claims = claims

    def __len__(self) -> int:
        return len(self._claims)

    @overload
    def __getitem__(self, index: int) -> ImportRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ImportRow]: ...

    def __getitem__(self, index: int | slice) -> ImportRow | list[ImportRow]:
        if isinstance(index, slice):
            return [import_row(claim) for claim in self._claims[index]]
        return import_row(self._claims[index])


__all__ = ["BATCH_SIZE", "ImportRow", "ImportsMixin", "encode_extra", "import_row", "rebuilds_indexes"]
