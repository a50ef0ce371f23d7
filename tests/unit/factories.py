"""Invented sources, claims and evidence for the unit tests, and a dump of what a file holds.

Everything here is made up for the tests (a harbour town's news); only the sample article is real.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from desktop.core.edits import AddEvidence
from desktop.core.evidence import Evidence, EvidenceDraft, Stance
from desktop.core.model import ClaimQuery, Hop, NewClaim, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.store.search import SEARCH_TABLE

REVIEWER = "ana"

GAZETTE = Source("Harbour Gazette", SourceKind.OUTLET)
WIRE = Source("Coastal Wire Service", SourceKind.NEWS_AGENCY)
BUREAU = Source("Maritime Intelligence Bureau", SourceKind.INTELLIGENCE_AGENCY)
COUNCIL = Source("Harbour Council", SourceKind.GOVERNMENT)
BULLETIN = Source("Council bulletin", SourceKind.DOCUMENT)
INSIDERS = Source("people close to the council", SourceKind.UNNAMED)
SKIPPERS = Source("Fishing skippers", SourceKind.COLLECTIVE)
RADIO = Source("Bay Radio", SourceKind.OUTLET)
ACCOUNT = Source("@harbourwatch", SourceKind.SOCIAL_MEDIA)

ALL_SOURCES = (GAZETTE, WIRE, BUREAU, COUNCIL, BULLETIN, INSIDERS, SKIPPERS, RADIO, ACCOUNT)


def new_store(path: Path) -> Store:
    """A fresh file holding every invented source (ids 1.. in the order of ALL_SOURCES) and no claim."""
    store = Store.open(path, create=True, reviewer=REVIEWER)
    for source in ALL_SOURCES:
        store.ensure_source(source)
    return store


def sid(store: Store, source: Source) -> int:
    """The stored id of an invented source."""
    found = store.find_source(source.name)
    assert found is not None and found.id is not None, f"{source.name} is not stored"
    return found.id


def stored(store: Store, source: Source) -> Source:
    found = store.find_source(source.name)
    assert found is not None, f"{source.name} is not stored"
    return found


def chain(*hops: tuple[Source, Relation] | tuple[Source, Relation, bool]) -> tuple[Hop, ...]:
    """A chain from (source, relation[, is_origin]) triples, cited source first."""
    return tuple(Hop(hop[0], hop[1], bool(hop[2]) if len(hop) > 2 else False) for hop in hops)


def add_claim(store: Store, text: str, *chains: tuple[Hop, ...]) -> int:
    """One invented claim with these chains (none: unattributed)."""
    (claim_id,) = store.add_claims(None, [NewClaim(text, f"The passage behind: {text}", None, chains)])
    return claim_id


def add_evidence(
    store: Store,
    claim_id: int,
    source: Source,
    stance: Stance,
    origin: Source | None = None,
    **fields: Any,
) -> Evidence:
    """Add one evidence item through Store.apply and return it as stored."""
    draft = EvidenceDraft(
        sid(store, source), stance, origin_id=sid(store, origin) if origin is not None else None, **fields
    )
    applied = store.apply(AddEvidence(claim_id, draft), REVIEWER)
    assert applied.created_id is not None
    return store.evidence_item(applied.created_id)


def all_ids(store: Store, reviewer: str = REVIEWER, **filters: Any) -> list[int]:
    return list(store.claim_ids(ClaimQuery(reviewer, **filters)))


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only but not immutable: the store may still have the file open and writing.
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


DATA_TABLES = (
    "sources",
    "source_aliases",
    "claims",
    "chain_hops",
    "reviews",
    "evidence",
    "media",
)


def dump_tables(path: Path, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of these tables, every column, ordered by id: equal dumps mean equal stored state."""
    conn = _connect(path)
    try:
        dump = {}
        for table in tables:
            key = "claim_id" if table == "media" else "id"
            dump[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        return dump
    finally:
        conn.close()


def change_fields(path: Path) -> list[str]:
    """The `field` of every change-log row, oldest first."""
    conn = _connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT field FROM change_log ORDER BY id")]
    finally:
        conn.close()


def indexed_words(path: Path) -> Counter[tuple[int, str, int]]:
    """Every (claim, word, position) the search index of the saved file at `path` holds."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, {SEARCH_TABLE}, instance)")
        return Counter(conn.execute("SELECT doc, term, offset FROM temp.words"))
    finally:
        conn.close()
