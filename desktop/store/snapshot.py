"""Reading a whole reviewed set out of a file, and writing one into another file.

Exports read claims with everything attached (article, anchor, chains with their
origin marks, reviews, evidence, media provenance, change log) through
`claim_records`, in batches so a long export can report progress and be
cancelled between batches. Importing an export, or building
the SQLite export itself, goes through `SnapshotWriter`, which copies records
into a Store while keeping timestamps and grades exactly as they were (unlike
`Store.set_review_field`, which records a new edit made now).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from desktop.core.errors import StoreWriteError
from desktop.core.evidence import Evidence, MediaCategory, MediaInfo, SourceRecord, Stance
from desktop.core.grades import Status
from desktop.core.imports import DatasetFields
from desktop.core.independence import Independence, assess, origins_of
from desktop.core.model import Anchor, Article, Chain, Change, Review, Source, source_key
from desktop.store.base import source_from_row
from desktop.store.imports import decode_extra, encode_extra
from desktop.store.search import deferred_search_upkeep
from desktop.store.store import Store

# SQLite accepts tens of thousands of parameters, but a few hundred per query keeps
# each batch short enough to check for cancel often and to report steady progress.
BATCH_SIZE = 500


@dataclass(frozen=True)
class ClaimRecord:
    """One claim with everything an export needs about it."""

    id: int
    article_id: int | None
    text: str
    passage: str
    anchor: Anchor | None
    chains: tuple[Chain, ...]
    reviews: tuple[Review, ...]
    changes: tuple[Change, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    media: MediaInfo | None = None
    dataset: DatasetFields | None = None  # None: the claim did not come from a dataset

    @property
    def unattributed(self) -> bool:
        return not self.chains

    @property
    def origins(self) -> tuple[Source, ...]:
        """Where the information comes from: each chain's marked origin, else its last hop; without repeats."""
        return origins_of(self.chains)

    @property
    def independence(self) -> Independence:
        """Independent origins behind the evidence and circular-reporting warnings (core.independence)."""
        return assess(self.origins, self.evidence)


def batches(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def articles_of(store: Store, claim_ids: Sequence[int]) -> list[Article]:
    """The articles these claims come from, in id order."""
    article_ids: set[int] = set()
    for batch in batches(claim_ids):
        article_ids.update(
            row[0]
            for row in store._db.execute(
                f"SELECT DISTINCT article_id FROM claims WHERE id IN ({_marks(batch)}) "
                "AND article_id IS NOT NULL",
                list(batch),
            )
        )
    ordered = sorted(article_ids)
    articles: list[Article] = []
    for batch in batches(ordered):
        articles.extend(
            Article(
                id=row[0],
                title=row[1],
                outlet=row[2],
                author=row[3],
                url=row[4],
                published=row[5],
                text=row[6],
            )
            for row in store._db.execute(
                "SELECT id, title, outlet, author, url, published, text FROM articles "
                f"WHERE id IN ({_marks(batch)}) ORDER BY id",
                list(batch),
            )
        )
    return articles


def sources_of(store: Store, claim_ids: Sequence[int]) -> list[SourceRecord]:
    """Every source these claims use (chains, evidence and its origins, media credits), in id order.

    Each comes with its aliases, default reliability and its rationale; the track record is left
    empty, since it is counted from the file and would differ in a copy holding part of it.
    """
    found: set[int] = set()
    for batch in batches(claim_ids):
        marks = _marks(batch)
        found.update(
            row[0]
            for row in store._db.execute(
                f"SELECT source_id FROM chain_hops WHERE claim_id IN ({marks}) "
                f"UNION SELECT source_id FROM evidence WHERE claim_id IN ({marks}) "
                f"UNION SELECT origin_source_id FROM evidence WHERE claim_id IN ({marks}) "
                "AND origin_source_id IS NOT NULL "
                f"UNION SELECT credited_to_source_id FROM media WHERE claim_id IN ({marks}) "
                "AND credited_to_source_id IS NOT NULL",
                list(batch) * 4,
            )
        )
    records: list[SourceRecord] = []
    for batch in batches(sorted(found)):
        marks = _marks(batch)
        aliases: dict[int, list[str]] = {}
        for row in store._db.execute(
            f"SELECT source_id, alias FROM source_aliases WHERE source_id IN ({marks}) ORDER BY id",
            list(batch),
        ):
            aliases.setdefault(row[0], []).append(row[1])
        records.extend(
            SourceRecord(
                source=source_from_row(row),
                aliases=tuple(aliases.get(row[0], ())),
                default_reliability=row[5],
                reliability_rationale=row[6],
            )
            for row in store._db.execute(
                "SELECT id, name, kind, url, notes, default_reliability, reliability_rationale "
                f"FROM sources WHERE id IN ({marks}) ORDER BY id",
                list(batch),
            )
        )
    return records


def claim_records(
    store: Store,
    claim_ids: Sequence[int],
    *,
    reviewer: str | None = None,
    include_changes: bool = False,
) -> list[ClaimRecord]:
    """Complete records for these claims, in the order given; ids not in the file are skipped.

    `reviewer` keeps only that person's reviews (and log rows); None keeps everyone's.
    Evidence and media always come whole: they are shared findings, not one reviewer's grade.
    """
    ids = list(claim_ids)
    if not ids:
        return []
    db = store._db
    marks = _marks(ids)
    chains = store._chains_for(ids)
    reviews = _reviews(db, ids, reviewer)
    changes = _changes(db, ids, reviewer) if include_changes else {}
    evidence = evidence_by_claim(db, ids)
    media = _media(db, ids)
    rows = {
        row[0]: row
        for row in db.execute(
            "SELECT id, article_id, text, passage, anchor_exact, anchor_prefix, anchor_suffix, "
            f"anchor_start, anchor_end, date, url, verdict_label, extra FROM claims WHERE id IN ({marks})",
            ids,
        )
    }
    records = []
    for claim_id in ids:
        row = rows.get(claim_id)
        if row is None:
            continue
        anchor = Anchor(row[4], row[5] or "", row[6] or "", row[7], row[8]) if row[4] is not None else None
        records.append(
            ClaimRecord(
                id=row[0],
                article_id=row[1],
                text=row[2],
                passage=row[3],
                anchor=anchor,
                chains=chains.get(claim_id, ()),
                reviews=tuple(reviews.get(claim_id, ())),
                changes=tuple(changes.get(claim_id, ())),
                evidence=tuple(evidence.get(claim_id, ())),
                media=media.get(claim_id),
                dataset=_dataset_fields(row[9], row[10], row[11], row[12]),
            )
        )
    return records


def _dataset_fields(
    date: str | None, url: str | None, verdict_label: str | None, extra: str | None
) -> DatasetFields | None:
    if date is None and url is None and verdict_label is None and extra is None:
        return None
    return DatasetFields(date, url, verdict_label, decode_extra(extra))


def _reviews(db: Any, ids: list[int], reviewer: str | None) -> dict[int, list[Review]]:
    sql = (
        "SELECT claim_id, reviewer, reliability, credibility, status, rationale, created_at, updated_at "
        f"FROM reviews WHERE claim_id IN ({_marks(ids)})"
    )
    params: list[object] = list(ids)
    if reviewer is not None:
        sql += " AND reviewer = ?"
        params.append(reviewer)
    found: dict[int, list[Review]] = {}
    for row in db.execute(sql + " ORDER BY claim_id, reviewer", params):
        found.setdefault(row[0], []).append(
            Review(row[0], row[1], row[2], row[3], Status(row[4]), row[5], row[6], row[7])
        )
    return found


def _changes(db: Any, ids: list[int], reviewer: str | None) -> dict[int, list[Change]]:
    sql = (
        "SELECT id, at, reviewer, claim_id, field, old_value, new_value FROM change_log "
        f"WHERE claim_id IN ({_marks(ids)})"
    )
    params: list[object] = list(ids)
    if reviewer is not None:
        sql += " AND reviewer = ?"
        params.append(reviewer)
    found: dict[int, list[Change]] = {}
    for row in db.execute(sql + " ORDER BY id", params):
        found.setdefault(row[3], []).append(Change(*row))
    return found


def evidence_by_claim(db: Any, ids: list[int]) -> dict[int, list[Evidence]]:
    found: dict[int, list[Evidence]] = {}
    for row in db.execute(
        "SELECT e.id, e.claim_id, e.stance, e.url, e.date, e.excerpt, e.note, e.created_at, e.reviewer, "
        "s.id, s.name, s.kind, s.url, s.notes, o.id, o.name, o.kind, o.url, o.notes "
        "FROM evidence e JOIN sources s ON s.id = e.source_id "
        "LEFT JOIN sources o ON o.id = e.origin_source_id "
        f"WHERE e.claim_id IN ({_marks(ids)}) ORDER BY e.claim_id, e.id",
        ids,
    ):
        found.setdefault(row[1], []).append(
            Evidence(
                id=row[0],
                claim_id=row[1],
                source=source_from_row(row[9:14]),
                stance=Stance(row[2]),
                origin=source_from_row(row[14:19]) if row[14] is not None else None,
                url=row[3],
                date=row[4],
                excerpt=row[5],
                note=row[6],
                created_at=row[7],
                reviewer=row[8],
            )
        )
    return found


def _media(db: Any, ids: list[int]) -> dict[int, MediaInfo]:
    return {
        row[0]: MediaInfo(
            claim_id=row[0],
            credited_to=source_from_row(row[4:9]) if row[4] is not None else None,
            credit_is_origin=None if row[1] is None else bool(row[1]),
            original_known=row[2],
            category=MediaCategory(row[3]) if row[3] is not None else None,
        )
        for row in db.execute(
            "SELECT m.claim_id, m.credit_is_origin, m.original_known, m.mediareview_rating, "
            "s.id, s.name, s.kind, s.url, s.notes FROM media m "
            "LEFT JOIN sources s ON s.id = m.credited_to_source_id "
            f"WHERE m.claim_id IN ({_marks(ids)})",
            ids,
        )
    }


class SnapshotWriter:
    """Copies articles, sources and claim records into a Store, exactly as they were.

    With `keep_ids` (meant for a new, empty file) every row keeps its id, so claim
    numbers in the copy match the original. Without it, rows get fresh ids and a
    source is matched to an existing one with the same name key, as `ensure_source` does.
    Ids given in records are translated through what was written before, so write
    articles and sources before the claims that use them.
    """

    def __init__(self, store: Store, *, keep_ids: bool) -> None:
        self._store = store
        self._db = store._db
        self._keep_ids = keep_ids
        self.article_ids: dict[int, int] = {}
        self.source_ids: dict[int, int] = {}
        self.claim_ids: dict[int, int] = {}

    def add_articles(self, articles: Iterable[Article]) -> None:
        with self._writing():
            for article in articles:
                cursor = self._db.execute(
                    "INSERT INTO articles (id, title, outlet, author, url, published, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.id if self._keep_ids else None,
                        article.title,
                        article.outlet,
                        article.author,
                        article.url,
                        article.published,
                        article.text,
                    ],
                )
                if article.id is not None:
                    self.article_ids[article.id] = int(cursor.lastrowid or 0)

    def add_sources(self, sources: Iterable[SourceRecord | Source]) -> None:
        """Sources with (for a SourceRecord) their aliases, default reliability and its rationale."""
        with self._writing():
            for item in sources:
                if isinstance(item, SourceRecord):
                    self._source_id(item.source, item)
                else:
                    self._source_id(item)

    def add_claims(self, records: Iterable[ClaimRecord]) -> None:
        """Claims with their chains, reviews, evidence, media and change-log rows, in one transaction.

        Their search documents are built once, all together, at the end (not once per hop and review).
        """
        with self._writing(), deferred_search_upkeep(self._db):
            for record in records:
                self._add_claim(record)

    def _source_id(self, source: Source, record: SourceRecord | None = None) -> int:
        if source.id is not None and source.id in self.source_ids:
            return self.source_ids[source.id]
        key = source_key(source.name)
        found = self._db.execute(
            "SELECT id FROM sources WHERE name_key = ? "
            "UNION ALL SELECT source_id FROM source_aliases WHERE alias_key = ?",
            [key, key],
        ).fetchone()
        if found is not None:
            new_id = int(found[0])
        else:
            cursor = self._db.execute(
                "INSERT INTO sources (id, name, name_key, kind, url, notes, default_reliability, "
                "reliability_rationale) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    # A fresh number never used in this file, so undoing an earlier merge still works.
                    source.id if self._keep_ids else self._store._new_source_id(),
                    source.name,
                    key,
                    source.kind.value,
                    source.url,
                    source.notes,
                    record.default_reliability if record else None,
                    record.reliability_rationale if record else "",
                ],
            )
            new_id = int(cursor.lastrowid or 0)
            for alias in record.aliases if record else ():
                alias_key = source_key(alias)
                # A key already naming another source stays with it: one name, one source.
                taken = self._db.execute(
                    "SELECT 1 FROM sources WHERE name_key = ? UNION ALL "
                    "SELECT 1 FROM source_aliases WHERE alias_key = ?",
                    [alias_key, alias_key],
                ).fetchone()
                if alias_key and taken is None:
                    self._db.execute(
                        "INSERT INTO source_aliases (source_id, alias, alias_key) VALUES (?, ?, ?)",
                        [new_id, alias, alias_key],
                    )
        if source.id is not None:
            self.source_ids[source.id] = new_id
        return new_id

    def _add_claim(self, record: ClaimRecord) -> None:
        anchor, dataset = record.anchor, record.dataset
        article_id = self.article_ids.get(record.article_id) if record.article_id is not None else None
        cursor = self._db.execute(
            "INSERT INTO claims (id, article_id, text, passage, anchor_exact, anchor_prefix, "
            "anchor_suffix, anchor_start, anchor_end, unattributed, date, url, verdict_label, extra) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                record.id if self._keep_ids else None,
                article_id,
                record.text,
                record.passage,
                anchor.exact if anchor else None,
                anchor.prefix if anchor else None,
                anchor.suffix if anchor else None,
                anchor.start if anchor else None,
                anchor.end if anchor else None,
                int(record.unattributed),
                dataset.date if dataset else None,
                dataset.url if dataset else None,
                dataset.verdict_label if dataset else None,
                encode_extra(dataset.extra) if dataset else None,
            ],
        )
        claim_id = int(cursor.lastrowid or 0)
        self.claim_ids[record.id] = claim_id
        self._add_chains(claim_id, record.chains)
        for review in record.reviews:
            self._add_review(claim_id, review)
        for item in record.evidence:
            self._add_evidence(claim_id, item)
        if record.media is not None:
            self._add_media(claim_id, record.media)
        for change in record.changes:
            self._add_change(claim_id, change)

    def _add_chains(self, claim_id: int, chains: tuple[Chain, ...]) -> None:
        for chain_index, chain in enumerate(chains):
            for position, hop in enumerate(chain):
                self._db.execute(
                    "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation, is_origin) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        claim_id,
                        chain_index,
                        position,
                        self._source_id(hop.source),
                        hop.relation.value,
                        int(hop.is_origin),
                    ],
                )

    def _add_review(self, claim_id: int, review: Review) -> None:
        self._db.execute(
            "INSERT INTO reviews (claim_id, reviewer, reliability, credibility, status, rationale, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                claim_id,
                review.reviewer,
                review.reliability,
                review.credibility,
                review.status.value,
                review.rationale,
                review.created_at,
                review.updated_at,
            ],
        )

    def _add_evidence(self, claim_id: int, item: Evidence) -> None:
        self._db.execute(
            "INSERT INTO evidence (id, claim_id, source_id, stance, url, date, excerpt, note, "
            "origin_source_id, created_at, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                item.id if self._keep_ids else None,
                claim_id,
                self._source_id(item.source),
                item.stance.value,
                item.url,
                item.date,
                item.excerpt,
                item.note,
                self._source_id(item.origin) if item.origin is not None else None,
                item.created_at,
                item.reviewer,
            ],
        )

    def _add_media(self, claim_id: int, media: MediaInfo) -> None:
        self._db.execute(
            "INSERT INTO media (claim_id, credited_to_source_id, credit_is_origin, original_known, "
            "mediareview_rating) VALUES (?, ?, ?, ?, ?)",
            [
                claim_id,
                self._source_id(media.credited_to) if media.credited_to is not None else None,
                None if media.credit_is_origin is None else int(media.credit_is_origin),
                media.original_known,
                media.category.value if media.category is not None else None,
            ],
        )

    def _add_change(self, claim_id: int, change: Change) -> None:
        self._db.execute(
            "INSERT INTO change_log (id, at, reviewer, claim_id, field, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                change.id if self._keep_ids else None,
                change.at,
                change.reviewer,
                claim_id,
                change.field,
                change.old_value,
                change.new_value,
            ],
        )

    def transaction(self) -> AbstractContextManager[None]:
        """Group several additions so they are written all together or not at all."""
        return _writing(self._store)

    def _writing(self) -> AbstractContextManager[None]:
        return _writing(self._store)


@contextmanager
def _writing(store: Store) -> Iterator[None]:
    """One transaction; SQLite's refusals become errors a person can read."""
    try:
        with store._db.atomic():
            yield
    except sqlite3.IntegrityError as error:
        raise StoreWriteError(
            f"{store.path} refused the copied data ({error}); the file may already "
            "hold claims with the same numbers."
        ) from error
    except sqlite3.OperationalError as error:
        raise StoreWriteError(f"Could not write to {store.path}: {error}.") from error


def is_empty(store: Store) -> bool:
    """True when the file holds no article, claim or source yet."""
    db = store._db
    return all(
        db.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        for table in ("articles", "claims", "sources")
    )


def make_standalone(store: Store) -> None:
    """Leave the file as one self-contained file (no write-ahead log beside it), for handing on."""
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store._db.execute("PRAGMA journal_mode = DELETE")
