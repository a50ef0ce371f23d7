"""Text search: one full-text document per claim, kept in step by triggers, searched in one MATCH.

A search looks in a claim's text and passage (once, when the passage is the text word for word:
migration 0009), the names and aliases of every source in its chains, every reviewer's rationale
and the excerpts and notes of its evidence, word by word: the words of one search may sit in
different places of the same claim ("Yonhap NIS" finds the claim whose passage names Yonhap and
whose chain leads to the NIS).

Why one document per claim (migration 0007): with an index per table, a search was the union of
five sub-queries, each mapping rows back to claims, and an exact count visited every claim that
matched (1.2 to 4.6 s for a common word at a million claims). With everything of a claim in one
document (`search_documents`, a view, so no text is stored twice) a search is a single FTS5
MATCH with the words ANDed: its count is one `count(*)` over the index, and its first page comes
in claim order straight from the index. Measured at 1,000,000 claims: count and first 1,000 ids
in 1 to 75 ms, where the very common words ("the", in 99 % of claims) take the longest because
the count still steps through every match. Three-letter prefixes have an index of their own
(`prefix='3'`), so "the" does not merge the lists of every word that starts with it.

SQLite 3.40 has no contentless delete, so the index is an external-content table over the view:
to take a document out, a trigger hands FTS5 the document as it stands *before* the change (a
BEFORE trigger), and puts the new one in after it. Triggers fire only on indexed text (claim
text and passage, hops added, removed or moved to another source or claim, a source renamed,
aliases, rationales, evidence text), never on grades or statuses.

Bulk writers (imports, the snapshot writer) should not rebuild a claim's document once per hop,
review and evidence item: `deferred_search_upkeep(db)` lets them write new claims with upkeep
deferred, and indexes all of them in one statement before their transaction ends.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from desktop.core.errors import StoreWriteError
from desktop.core.search_words import SHORTEST_PREFIX, search_words
from desktop.store.access import unwritable_reason
from desktop.store.base import utc_now
from desktop.store.connection import Connection

# Every full-text index of a file (see migration 0007 in schema.py).
SEARCH_TABLE = "search_fts"
FTS_TABLES = (SEARCH_TABLE,)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def fts_terms(text: str) -> list[str]:
    """Each distinct word of free text as a safe FTS5 term, in order of first appearance.

    FTS5 has its own query language, and a reviewer's search box must never hit a syntax error:
    every word becomes a quoted term and the rest is dropped. Words of three letters or more are
    prefix terms (`"minist"*`), shorter ones whole words (desktop/core/search_words.py).
    """
    return [f'"{word}"*' if len(word) >= SHORTEST_PREFIX else f'"{word}"' for word in search_words(text)]


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression for search box text: every word must appear. None when it has no word."""
    terms = fts_terms(text)
    return " AND ".join(terms) if terms else None


# Claims whose document matches the parameter, for use as `c.id IN (...)` beside other filters.
MATCHING_CLAIMS_SQL = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"
# With no other filter: one document per claim, so the index alone counts and lists (in claim order).
COUNT_SQL = f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"


def listing_sql(descending: bool) -> str:
    """Claim ids whose document matches the parameter, by claim number, read in index order."""
    return f"{MATCHING_CLAIMS_SQL} ORDER BY rowid {'DESC' if descending else 'ASC'}"


# ---- bulk writing ----------------------------------------------------------------------------------


@contextmanager
def deferred_search_upkeep(db: Connection) -> Iterator[None]:
    """One transaction in which new claims are written without building their search documents.

    Claims inserted inside are listed (by a trigger) instead of indexed; their hops, reviews and
    evidence then skip the document rebuild too. Before the transaction commits, every listed
    claim is indexed in one statement. Edits of claims that existed before (a source renamed, a
    rationale changed) keep their usual upkeep. Nested use defers to the outermost block; an
    error rolls everything back, the deferral with it.

        with deferred_search_upkeep(store._db):
            ... insert claims, hops, reviews, evidence ...
    """
    with db.atomic():
        outermost = not db.execute("SELECT EXISTS (SELECT 1 FROM search_upkeep_deferred)").fetchone()[0]
        if outermost:
            db.execute("INSERT INTO search_upkeep_deferred (started_at) VALUES (?)", [utc_now()])
        yield
        if outermost:
            index_pending(db)
            db.execute("DELETE FROM search_upkeep_deferred")


@contextmanager
def documents_rebuilt_once(db: Connection, claims_sql: str, params: Sequence[object]) -> Iterator[None]:
    """Inside a transaction: the claims `claims_sql` selects leave the index once and come back once.

    For an edit that changes many claims' documents several times over (a merge moves a source's
    hops, then its aliases, then adds its name as an alias: each of those rebuilt every document
    of the kept source, trigger by trigger). Here the documents are taken out as they stand,
    the claims are listed as pending so the triggers leave them alone, and at the end each is
    indexed once as it now stands. Only when nothing else is pending (no bulk write is under way);
    otherwise the triggers do the work as usual.
    """
    if db.execute("SELECT EXISTS (SELECT 1 FROM search_pending)").fetchone()[0]:
        yield
        return
    db.execute(f"INSERT OR IGNORE INTO search_pending (claim_id) {claims_sql}", list(params))
    db.execute(
        f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, body) SELECT 'delete', d.id, d.body "
        "FROM search_pending p CROSS JOIN search_documents d ON d.id = p.claim_id "
        f"WHERE EXISTS (SELECT 1 FROM {SEARCH_TABLE}_docsize z WHERE z.id = p.claim_id) ORDER BY p.claim_id"
    )
    yield
    index_pending(db)


def index_pending(db: Connection) -> int:
    """Index every claim written while upkeep was deferred, in one statement; returns how many."""
    # CROSS JOIN keeps the pending list as the outer loop: each document is built once, by claim number.
    cursor = db.execute(
        f"INSERT INTO {SEARCH_TABLE}(rowid, body) SELECT d.id, d.body "
        "FROM search_pending p CROSS JOIN search_documents d ON d.id = p.claim_id ORDER BY p.claim_id"
    )
    db.execute("DELETE FROM search_pending")
    return int(cursor.rowcount)


# ---- rebuilding ------------------------------------------------------------------------------------


def rebuild_search_index(
    path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> bool:
    """Rebuild the full-text index of the file at `path` from its tables, on a connection of its own.

    Meant for a worker thread. One transaction: a cancel (checked while SQLite works, every few
    thousand steps) or an error rolls everything back and leaves the index exactly as it was.
    Returns False when cancelled, True when done.
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
            # Every claim now has its document, including any a deferred write left waiting.
            conn.execute("DELETE FROM search_pending")
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
