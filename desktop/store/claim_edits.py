"""Claims drawn by hand from an article's text, taking one back, and rewording any claim: undoable
edits like any other.

A claim added here is a plain claim of its article, unattributed until the reviewer gives it a chain;
its words must be where its anchor says in the article's text. Removing is the inverse of adding, and
taking out a claim nobody has worked on (a wrong or doubled extraction, with the chain it came
with, which comes back with it): it refuses a claim that anyone has graded, written about, whose
chain anyone edited, that has evidence or a picture's provenance, and a claim that came from a
dataset, so no review work can be lost by it. Its places in saved sets come back with it.
"""

from __future__ import annotations

from desktop.core.edits import AddClaim, Applied, ClaimEdit, RemoveClaim, RestoredHop, SetClaimText
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.model import Anchor
from desktop.core.vocabulary import Relation
from desktop.store.base import StoreBase

# The change-log field of a rewording (a merge of a colleague's copy reads it too).
REWORDED = "claim.text"
# A claim's wording is one statement, not a document.
CLAIM_TEXT_LIMIT = 2_000


class ClaimEditsMixin(StoreBase):
    def _apply_claim_edit(self, edit: ClaimEdit, reviewer: str) -> Applied:
        with self._writing():
            if isinstance(edit, AddClaim):
                return self._add_claim(edit, reviewer)
            if isinstance(edit, SetClaimText):
                return self._set_claim_text(edit, reviewer)
            return self._remove_claim(edit, reviewer)

    def _add_claim(self, edit: AddClaim, reviewer: str) -> Applied:
        # A claim coming back (undoing its removal) keeps its wording and passage exactly.
        restoring = edit.restore_id is not None
        text = edit.text if restoring else _wording(edit.text)
        passage = edit.passage if restoring else edit.passage.strip()
        if not passage:
            raise InvalidValueError("A claim needs the passage of the article it comes from.")
        row = self._db.execute("SELECT text FROM articles WHERE id = ?", [edit.article_id]).fetchone()
        if row is None:
            raise CorroborateError(f"Article {edit.article_id} is not in this file.")
        anchor = edit.anchor
        # A claim coming back (undoing its removal) comes back exactly as it was, even where its
        # article's text no longer holds its words; only a new claim must be where it says.
        if not restoring and anchor is not None and row[0][anchor.start : anchor.end] != anchor.exact:
            raise InvalidValueError(
                f"The claim's words are not at characters {anchor.start}–{anchor.end} of the article."
            )
        cursor = self._db.execute(
            "INSERT INTO claims (id, article_id, text, passage, anchor_exact, anchor_prefix, anchor_suffix, "
            "anchor_start, anchor_end, unattributed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                edit.restore_id,
                edit.article_id,
                text,
                passage,
                *(_anchor_values(anchor)),
                int(not edit.restore_hops),
            ],
        )
        claim_id = int(cursor.lastrowid or 0)
        self._db.conn.executemany(
            "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation, is_origin) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (claim_id, hop.chain, hop.position, hop.source_id, hop.relation.value, int(hop.is_origin))
                for hop in edit.restore_hops
            ],
        )
        self._db.conn.executemany(
            "INSERT INTO saved_set_claims (set_id, position, claim_id) "
            "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM saved_sets WHERE id = ?)",  # a set deleted since: no place
            [(set_id, position, claim_id, set_id) for set_id, position in edit.restore_set_places],
        )
        self._log(reviewer, claim_id, "claim.add", None, _claim_json(edit.article_id, text, passage, anchor))
        return Applied(RemoveClaim(claim_id), f"Add claim {claim_id}", None, claim_id)

    def _set_claim_text(self, edit: SetClaimText, reviewer: str) -> Applied:
        text = edit.text if edit.exact else _wording(edit.text)
        row = self._db.execute("SELECT text FROM claims WHERE id = ?", [edit.claim_id]).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {edit.claim_id} is not in this file.")
        old = str(row[0])
        if text != old:
            self._db.execute("UPDATE claims SET text = ? WHERE id = ?", [text, edit.claim_id])
            self._log(reviewer, edit.claim_id, REWORDED, old, text)
        return Applied(
            SetClaimText(edit.claim_id, old, exact=True), f"Reword claim {edit.claim_id}", edit.claim_id
        )

    def _remove_claim(self, edit: RemoveClaim, reviewer: str) -> Applied:
        claim_id = edit.claim_id
        row = self._db.execute(
            "SELECT article_id, text, passage, anchor_exact, anchor_prefix, anchor_suffix, anchor_start, "
            "anchor_end, import_id FROM claims WHERE id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")
        article_id, text, passage, exact, prefix, suffix, start, end, import_id = row
        if import_id is not None or article_id is None:
            raise InvalidValueError(
                f"Claim {claim_id} came from a dataset: it is kept, with what the dataset said of it."
            )
        # A chain from the extraction goes with the claim and comes back with it; a chain anyone edited
        # is review work.
        work = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE claim_id = :c AND field LIKE 'chain.%') "
            "OR EXISTS (SELECT 1 FROM evidence WHERE claim_id = :c) "
            "OR EXISTS (SELECT 1 FROM media WHERE claim_id = :c) "
            "OR EXISTS (SELECT 1 FROM reviews WHERE claim_id = :c AND (reliability IS NOT NULL "
            "OR credibility IS NOT NULL OR status != 'unreviewed' OR rationale != ''))",
            {"c": claim_id},
        ).fetchone()[0]
        if work:
            raise InvalidValueError(
                f"Claim {claim_id} has grades, a rationale, an edited chain or evidence now: it is kept, "
                "with them."
            )
        anchor = Anchor(exact, prefix or "", suffix or "", start, end) if exact is not None else None
        hops = tuple(
            RestoredHop(chain, position, source_id, Relation(relation), bool(is_origin))
            for chain, position, source_id, relation, is_origin in self._db.execute(
                "SELECT chain, position, source_id, relation, is_origin FROM chain_hops WHERE claim_id = ? "
                "ORDER BY chain, position",
                [claim_id],
            )
        )
        places = tuple(
            (int(set_id), int(position))
            for set_id, position in self._db.execute(
                "SELECT set_id, position FROM saved_set_claims WHERE claim_id = ?", [claim_id]
            )
        )
        # Its empty reviews (a grade set and taken back) and saved-set places go with it (cascades);
        # the places come back with it.
        self._db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
        self._log(reviewer, claim_id, "claim.remove", _claim_json(article_id, text, passage, anchor), None)
        return Applied(
            AddClaim(
                article_id,
                text,
                passage,
                anchor,
                restore_id=claim_id,
                restore_hops=hops,
                restore_set_places=places,
            ),
            f"Remove claim {claim_id}",
        )


def _wording(text: str) -> str:
    """A claim's wording on one line, its spacing tidied; refused when empty or too long to be one claim."""
    wording = " ".join(text.split())
    if not wording:
        raise InvalidValueError(
            "A claim needs its wording: what the article asserts, in your own neutral words."
        )
    if len(wording) > CLAIM_TEXT_LIMIT:
        raise InvalidValueError(
            f"A claim's wording is at most {CLAIM_TEXT_LIMIT:,} characters; this one has {len(wording):,}. "
            "Split it into the separate statements it makes."
        )
    return wording


def _anchor_values(anchor: Anchor | None) -> list[object]:
    if anchor is None:
        return [None] * 5
    return [anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end]


def _claim_json(article_id: int, text: str, passage: str, anchor: Anchor | None) -> dict[str, object]:
    return {
        "article": article_id,
        "text": text,
        "passage": passage,
        "start": anchor.start if anchor else None,
        "end": anchor.end if anchor else None,
    }
