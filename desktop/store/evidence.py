"""Evidence items and media provenance of claims, and the independence count built on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core.edits import AddEvidence, Applied, EditEvidence, EvidenceEdit, RemoveEvidence, SetMedia
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.evidence import (
    EXCERPT_LIMIT,
    ClaimFlags,
    Evidence,
    EvidenceDraft,
    MediaCategory,
    MediaDraft,
    MediaInfo,
    Stance,
    parse_evidence_date,
    parse_url,
)
from desktop.core.independence import Independence, assess, origins_of
from desktop.store.base import StoreBase, source_from_row, utc_now
from desktop.store.claim_queries import (
    CIRCULAR_SQL,
    SECOND_LOOK_SQL,
    SUGGESTED_GRADE_SQL,
    evidence_counts_sql,
)

_EVIDENCE_COLUMNS = (
    "e.id, e.claim_id, e.stance, e.url, e.date, e.excerpt, e.note, e.created_at, e.reviewer, "
    "s.id, s.name, s.kind, s.url, s.notes, o.id, o.name, o.kind, o.url, o.notes"
)
_EVIDENCE_FROM = (
    "FROM evidence e JOIN sources s ON s.id = e.source_id LEFT JOIN sources o ON o.id = e.origin_source_id"
)


class EvidenceMixin(StoreBase):
    """Reading and editing evidence and media, and assessing independence."""

    # ---- reading -------------------------------------------------------------------

    def evidence_of(self, claim_id: int) -> list[Evidence]:
        """A claim's evidence in the order it was added."""
        rows = self._db.execute(
            f"SELECT {_EVIDENCE_COLUMNS} {_EVIDENCE_FROM} WHERE e.claim_id = ? ORDER BY e.id", [claim_id]
        )
        return [_evidence(row) for row in rows]

    def evidence_item(self, evidence_id: int) -> Evidence:
        row = self._db.execute(
            f"SELECT {_EVIDENCE_COLUMNS} {_EVIDENCE_FROM} WHERE e.id = ?", [evidence_id]
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Evidence item {evidence_id} is not in this file.")
        return _evidence(row)

    def media_info(self, claim_id: int) -> MediaInfo | None:
        """What is recorded about a media claim's provenance; None when nothing is."""
        row = self._db.execute(
            "SELECT credited_to_source_id, credit_is_origin, original_known, mediareview_rating "
            "FROM media WHERE claim_id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            return None
        return MediaInfo(
            claim_id=claim_id,
            credited_to=self._source_by_id(row[0]) if row[0] is not None else None,
            credit_is_origin=None if row[1] is None else bool(row[1]),
            original_known=row[2],
            category=MediaCategory(row[3]) if row[3] is not None else None,
        )

    def claim_independence(self, claim_id: int, reviewer: str | None = None) -> Independence:
        """Independent origins behind the claim, warnings and suggested credibility (core.independence)."""
        self._require_claim(claim_id)
        chains = self._chains_for([claim_id]).get(claim_id, ())
        credibility = None
        if reviewer is not None:
            row = self._db.execute(
                "SELECT credibility FROM reviews WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer]
            ).fetchone()
            credibility = row[0] if row else None
        return assess(origins_of(chains), self.evidence_of(claim_id), credibility)

    def claim_flags(self, ids: Sequence[int], reviewer: str) -> dict[int, ClaimFlags]:
        """Evidence counts and warning marks for a page of claims, by the rules of core.independence."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        flags = {}
        for row in self._db.execute(
            "SELECT c.id, COALESCE(ev.n, 0), COALESCE(ev.cor, 0), COALESCE(ev.con, 0), "
            f"{CIRCULAR_SQL}, {SUGGESTED_GRADE_SQL}, {SECOND_LOOK_SQL} "
            "FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
            f"LEFT JOIN ({evidence_counts_sql(f'e.claim_id IN ({marks})')}) ev ON ev.claim_id = c.id "
            f"WHERE c.id IN ({marks})",
            [reviewer, *ids, *ids],
        ):
            flags[row[0]] = ClaimFlags(
                claim_id=row[0],
                evidence_count=row[1],
                independent_origins=row[2],
                suggested_credibility=row[5],
                circular_warning=bool(row[4]),
                second_look=bool(row[6]),
            )
        return flags

    def reviewer_names(self) -> list[str]:
        """Everyone who has a review in this file, for a reviewer filter."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT reviewer FROM reviews ORDER BY reviewer")]

    # ---- editing (through Store.apply) ---------------------------------------------

    def _apply_evidence_edit(self, edit: EvidenceEdit, reviewer: str) -> Applied:
        with self._writing():
            if isinstance(edit, AddEvidence):
                return self._add_evidence(edit, reviewer)
            if isinstance(edit, EditEvidence):
                return self._edit_evidence(edit, reviewer)
            if isinstance(edit, RemoveEvidence):
                return self._remove_evidence(edit, reviewer)
            return self._set_media(edit, reviewer)

    def _add_evidence(self, edit: AddEvidence, reviewer: str) -> Applied:
        self._require_claim(edit.claim_id)
        draft = self._checked_draft(edit.draft, f"New evidence for claim {edit.claim_id}")
        cursor = self._db.execute(
            "INSERT INTO evidence (id, claim_id, source_id, stance, url, date, excerpt, note, origin_source_id, "
            "created_at, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                edit.restore_id,
                edit.claim_id,
                draft.source_id,
                draft.stance.value,
                draft.url,
                draft.date,
                draft.excerpt,
                draft.note,
                draft.origin_id,
                edit.created_at or utc_now(),
                edit.added_by or reviewer,
            ],
        )
        evidence_id = int(cursor.lastrowid or 0)
        self._log(reviewer, edit.claim_id, "evidence.add", None, {"id": evidence_id, **_draft_json(draft)})
        source = self._source_by_id(draft.source_id)
        return Applied(
            RemoveEvidence(evidence_id),
            f"Add evidence from {source.name} ({draft.stance.label}) to claim {edit.claim_id}",
            edit.claim_id,
            evidence_id,
        )

    def _edit_evidence(self, edit: EditEvidence, reviewer: str) -> Applied:
        old = self.evidence_item(edit.evidence_id)
        draft = self._checked_draft(edit.draft, f"Evidence item {edit.evidence_id}")
        self._db.execute(
            "UPDATE evidence SET source_id = ?, stance = ?, url = ?, date = ?, excerpt = ?, note = ?, "
            "origin_source_id = ? WHERE id = ?",
            [
                draft.source_id,
                draft.stance.value,
                draft.url,
                draft.date,
                draft.excerpt,
                draft.note,
                draft.origin_id,
                edit.evidence_id,
            ],
        )
        self._log(
            reviewer,
            old.claim_id,
            "evidence.edit",
            {"id": old.id, **_draft_json(old.draft)},
            {"id": old.id, **_draft_json(draft)},
        )
        return Applied(
            EditEvidence(old.id, old.draft),
            f"Edit evidence from {old.source.name} on claim {old.claim_id}",
            old.claim_id,
        )

    def _remove_evidence(self, edit: RemoveEvidence, reviewer: str) -> Applied:
        old = self.evidence_item(edit.evidence_id)
        self._db.execute("DELETE FROM evidence WHERE id = ?", [old.id])
        self._log(reviewer, old.claim_id, "evidence.remove", {"id": old.id, **_draft_json(old.draft)}, None)
        return Applied(
            AddEvidence(old.claim_id, old.draft, old.id, old.created_at, old.reviewer),
            f"Remove evidence from {old.source.name} on claim {old.claim_id}",
            old.claim_id,
        )

    def _set_media(self, edit: SetMedia, reviewer: str) -> Applied:
        self._require_claim(edit.claim_id)
        old = self.media_info(edit.claim_id)
        old_draft = old.draft if old is not None else None
        if edit.draft is None:
            self._db.execute("DELETE FROM media WHERE claim_id = ?", [edit.claim_id])
        else:
            draft = edit.draft
            if draft.credited_to_id is not None:
                self._source_by_id(draft.credited_to_id)
            try:
                category = MediaCategory(draft.category) if draft.category is not None else None
            except ValueError as error:
                raise InvalidValueError(
                    f"Media of claim {edit.claim_id}: {draft.category!r} is not a schema.org media category."
                ) from error
            self._db.execute(
                "INSERT INTO media (claim_id, credited_to_source_id, credit_is_origin, original_known, "
                "mediareview_rating) VALUES (?, ?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET "
                "credited_to_source_id = excluded.credited_to_source_id, credit_is_origin = excluded.credit_is_origin, "
                "original_known = excluded.original_known, mediareview_rating = excluded.mediareview_rating",
                [
                    edit.claim_id,
                    draft.credited_to_id,
                    None if draft.credit_is_origin is None else int(draft.credit_is_origin),
                    draft.original_known.strip(),
                    category.value if category else None,
                ],
            )
        self._log(reviewer, edit.claim_id, "media.set", _media_json(old_draft), _media_json(edit.draft))
        text = "Clear media provenance" if edit.draft is None else "Set media provenance"
        return Applied(SetMedia(edit.claim_id, old_draft), f"{text} of claim {edit.claim_id}", edit.claim_id)

    # ---- helpers -------------------------------------------------------------------

    def _checked_draft(self, draft: EvidenceDraft, where: str) -> EvidenceDraft:
        """The draft with its text tidied, or an expected error saying which field is wrong and where."""
        try:
            stance = Stance(draft.stance)
            url = parse_url(draft.url)
            when = parse_evidence_date(draft.date)
        except ValueError as error:
            raise InvalidValueError(f"{where}: {error}.") from error
        excerpt = draft.excerpt.strip()
        if len(excerpt) > EXCERPT_LIMIT:
            raise InvalidValueError(
                f"{where}: the excerpt is {len(excerpt):,} characters; keep it under {EXCERPT_LIMIT:,} "
                "(quote the key passage, link the rest)."
            )
        self._source_by_id(draft.source_id)
        if draft.origin_id is not None:
            self._source_by_id(draft.origin_id)
        return EvidenceDraft(draft.source_id, stance, url, when, excerpt, draft.note.strip(), draft.origin_id)


def _evidence(row: Sequence[Any]) -> Evidence:
    origin = source_from_row(row[14:19]) if row[14] is not None else None
    return Evidence(
        id=row[0],
        claim_id=row[1],
        source=source_from_row(row[9:14]),
        stance=Stance(row[2]),
        origin=origin,
        url=row[3],
        date=row[4],
        excerpt=row[5],
        note=row[6],
        created_at=row[7],
        reviewer=row[8],
    )


def _draft_json(draft: EvidenceDraft) -> dict[str, Any]:
    return {
        "source": draft.source_id,
        "stance": draft.stance.value,
        "url": draft.url,
        "date": draft.date,
        "excerpt": draft.excerpt,
        "note": draft.note,
        "origin": draft.origin_id,
    }


def _media_json(draft: MediaDraft | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {
        "credited_to": draft.credited_to_id,
        "credit_is_origin": draft.credit_is_origin,
        "original_known": draft.original_known,
        "category": draft.category.value if draft.category else None,
    }
