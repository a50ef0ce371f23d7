"""Merging a copy of this file's claims back into it: a colleague's reviews land on the same claims.

A reviewer hands a colleague a SQLite or JSON export; the colleague grades, adds evidence and sends
it back. Loading it must not double every claim. Here an incoming claim that is the same claim as
one already in the file (same article, same passage and place in it, same wording; or, when either
copy reworded it, the one claim at that place) is merged into that claim instead of added:

- a wording changed in the copy only is taken; reworded in both, this file's stays;

- a review by a reviewer who has none on the claim here is added; where both copies have different
  reviews by the same reviewer, the one changed last is kept (in the same second, this file's);
- evidence items not here yet are added (the same source, stance, address, excerpt and note is the
  same item); media provenance and chains are taken only when the claim here has none;
- the incoming change-log rows not here yet are appended, so the history says who did what where.

Everything else (a claim from an article this file lacks, another claim drawn from the same passage)
is added as a new claim, as any other merge adds it. Articles are the same article when title and text are the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.evidence import Evidence
from desktop.core.model import Article, Review, source_key
from desktop.store.claim_edits import REWORDED
from desktop.store.snapshot import ClaimRecord, SnapshotWriter, evidence_by_claim
from desktop.store.store import Store


@dataclass
class MergeCounts:
    """What a merge did, for the person who asked for it."""

    claims_added: int = 0
    claims_merged: int = 0
    reviews_added: int = 0
    reviews_replaced: int = 0  # the incoming review was changed later than the one here
    reviews_kept: int = 0  # the review here was changed later (or in the same second): left as it was
    evidence_added: int = 0


class MergeWriter(SnapshotWriter):
    """A SnapshotWriter that recognises claims the file already holds and merges into them."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, keep_ids=False)
        self.counts = MergeCounts()
        self._existing_articles: set[int] = set()
        self._merged_into: set[int] = set()  # claims here that took in an incoming claim already

    def add_articles(self, articles: Iterable[Article]) -> None:
        new = []
        for article in articles:
            found = self._db.execute(
                "SELECT id FROM articles WHERE title = ? AND text = ? ORDER BY id LIMIT 1",
                [article.title, article.text],
            ).fetchone()
            if found is not None and article.id is not None:
                self.article_ids[article.id] = int(found[0])
                self._existing_articles.add(int(found[0]))
            else:
                new.append(article)
        super().add_articles(new)

    def add_claims(self, records: Iterable[ClaimRecord]) -> None:
        new = []
        with self._writing():
            for record in records:
                existing = self._same_claim(record)
                if existing is None:
                    new.append(record)
                    continue
                self.claim_ids[record.id] = existing
                self._merged_into.add(existing)
                self._merge_into(existing, record)
                self.counts.claims_merged += 1
        super().add_claims(new)
        self.counts.claims_added += len(new)

    # ---- recognising a claim ---------------------------------------------------------------

    def _same_claim(self, record: ClaimRecord) -> int | None:
        article_id = self.article_ids.get(record.article_id) if record.article_id is not None else None
        if record.article_id is not None and article_id not in self._existing_articles:
            return None  # its article is new here, so the claim is too
        anchor = record.anchor
        # Found through the index on the wording (the NOCASE match narrows, the plain one decides):
        # a million claims without an article would otherwise be read once per incoming claim.
        found = self._db.execute(
            "SELECT id FROM claims WHERE text = :text COLLATE NOCASE AND text = :text "
            "AND +article_id IS :article AND passage = :passage AND anchor_start IS :start "
            "AND anchor_end IS :end ORDER BY id",
            {
                "text": record.text,
                "article": article_id,
                "passage": record.passage,
                "start": anchor.start if anchor else None,
                "end": anchor.end if anchor else None,
            },
        ).fetchall()
        # Each existing claim takes at most one incoming claim: a copy holding the same claim twice
        # brings the second in as a claim of its own.
        free = [int(row[0]) for row in found if int(row[0]) not in self._merged_into]
        if free:
            return free[0]
        if article_id is None or anchor is None:
            return None
        return self._reworded_claim(record, article_id, anchor.start, anchor.end)

    def _reworded_claim(self, record: ClaimRecord, article_id: int, start: int, end: int) -> int | None:
        """The claim here at the incoming claim's very place in its article, when one copy reworded it.

        Only then: two claims drawn from one passage with other wordings are two claims. Read only
        for incoming claims not found by their wording (through the claims' article index).
        """
        at_place = [
            int(row[0])
            for row in self._db.execute(
                "SELECT id FROM claims WHERE article_id = ? AND passage = ? AND anchor_start = ? "
                "AND anchor_end = ? ORDER BY id",
                [article_id, record.passage, start, end],
            )
            if int(row[0]) not in self._merged_into
        ]
        if len(at_place) != 1:
            return None
        (claim_id,) = at_place
        if any(change.field == REWORDED for change in record.changes) or self._reworded_here(claim_id):
            return claim_id
        return None

    def _reworded_here(self, claim_id: int) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM change_log WHERE claim_id = ? AND field = ? LIMIT 1", [claim_id, REWORDED]
            ).fetchone()
            is not None
        )

    # ---- merging into it --------------------------------------------------------------------

    def _merge_into(self, claim_id: int, record: ClaimRecord) -> None:
        # Reworded in the copy only: its wording is taken (reworded here too: this file's stays).
        if any(change.field == REWORDED for change in record.changes) and not self._reworded_here(claim_id):
            self._db.execute(
                "UPDATE claims SET text = ? WHERE id = ? AND text != ?", [record.text, claim_id, record.text]
            )
        for review in record.reviews:
            self._merge_review(claim_id, review)
        # What is here is read only when the copy brings something of that kind.
        if record.evidence:
            present = {self._evidence_key(item) for item in self._evidence_here(claim_id)}
            for item in record.evidence:
                key = self._evidence_key(item)
                if key not in present:
                    self._add_evidence(claim_id, item)
                    present.add(key)
                    self.counts.evidence_added += 1
        if record.media is not None and not self._has("media", claim_id):
            self._add_media(claim_id, record.media)
        if record.chains and not self._has("chain_hops", claim_id):
            self._add_chains(claim_id, record.chains)
            self._db.execute("UPDATE claims SET unattributed = 0 WHERE id = ?", [claim_id])
        if record.changes:
            logged = {
                tuple(row)
                for row in self._db.execute(
                    "SELECT at, reviewer, field, old_value, new_value FROM change_log WHERE claim_id = ?",
                    [claim_id],
                )
            }
            for change in record.changes:
                if (
                    change.at,
                    change.reviewer,
                    change.field,
                    change.old_value,
                    change.new_value,
                ) not in logged:
                    self._add_change(claim_id, change)

    def _merge_review(self, claim_id: int, review: Review) -> None:
        here = self._db.execute(
            "SELECT updated_at, reliability, credibility, status, rationale FROM reviews "
            "WHERE claim_id = ? AND reviewer = ?",
            [claim_id, review.reviewer],
        ).fetchone()
        incoming = (review.reliability, review.credibility, review.status.value, review.rationale)
        if here is None:
            self._add_review(claim_id, review)
            self.counts.reviews_added += 1
        elif tuple(here[1:]) == incoming:
            pass  # the same review, already here
        elif review.updated_at > here[0]:
            self._db.execute(
                "UPDATE reviews SET reliability = ?, credibility = ?, status = ?, rationale = ?, "
                "updated_at = ? WHERE claim_id = ? AND reviewer = ?",
                [
                    review.reliability,
                    review.credibility,
                    review.status.value,
                    review.rationale,
                    review.updated_at,
                    claim_id,
                    review.reviewer,
                ],
            )
            self.counts.reviews_replaced += 1
        else:
            self.counts.reviews_kept += 1  # changed here later, or in the same second: this file's stays

    def _has(self, table: str, claim_id: int) -> bool:
        return bool(
            self._db.execute(
                f"SELECT EXISTS (SELECT 1 FROM {table} WHERE claim_id = ?)", [claim_id]
            ).fetchone()[0]
        )

    def _evidence_here(self, claim_id: int) -> list[Evidence]:
        return evidence_by_claim(self._db, [claim_id]).get(claim_id, [])

    @staticmethod
    def _evidence_key(item: Evidence) -> tuple[object, ...]:
        return (source_key(item.source.name), item.stance, item.url, item.excerpt, item.note)
