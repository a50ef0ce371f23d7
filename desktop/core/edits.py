"""Undoable edits of claims drawn by hand, sources, attribution chains, evidence and media, as plain values.

`Store.apply(edit, reviewer)` performs one of these in one transaction, logs it, and returns its
inverse: applying the inverse restores what was stored before. A window's undo command needs nothing
else. Chains are addressed by their index in `ClaimDetail.chains`, hops by position (0 = the cited source).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.core.errors import CorroborateError
from desktop.core.evidence import EvidenceDraft, MediaDraft
from desktop.core.model import Anchor, Source
from desktop.core.vocabulary import Relation, SourceKind


@dataclass(frozen=True)
class AddHop:
    """Insert a hop at `position` of chain `chain`; with `new_chain`, start a new chain at index `chain`."""

    claim_id: int
    chain: int
    position: int
    source_id: int
    relation: Relation
    is_origin: bool = False
    new_chain: bool = False
    # Set only when undoing a removal, so the hop comes back as the very row it was.
    restore_id: int | None = None


@dataclass(frozen=True)
class RemoveHop:
    """Remove a hop; a chain left empty disappears and the chains after it move up."""

    claim_id: int
    chain: int
    position: int


@dataclass(frozen=True)
class MoveHop:
    """Swap a hop with its neighbour: offset -1 moves it toward the article, +1 toward the origin."""

    claim_id: int
    chain: int
    position: int
    offset: int


@dataclass(frozen=True)
class SetHopRelation:
    """Change how a hop passes the information on."""

    claim_id: int
    chain: int
    position: int
    relation: Relation


@dataclass(frozen=True)
class SetHopSource:
    """Point a hop at another source."""

    claim_id: int
    chain: int
    position: int
    source_id: int


@dataclass(frozen=True)
class SetOrigin:
    """Mark the hop at `position` as the chain's origin; None removes the mark (the last hop is the origin)."""

    claim_id: int
    chain: int
    position: int | None


@dataclass(frozen=True)
class AddEvidence:
    """Add an evidence item. The restore fields bring back a removed item exactly (its id, date, author)."""

    claim_id: int
    draft: EvidenceDraft
    restore_id: int | None = None
    created_at: str | None = None
    added_by: str | None = None


@dataclass(frozen=True)
class EditEvidence:
    """Replace every editable field of an evidence item."""

    evidence_id: int
    draft: EvidenceDraft


@dataclass(frozen=True)
class RemoveEvidence:
    """Delete an evidence item."""

    evidence_id: int


@dataclass(frozen=True)
class SetMedia:
    """Record the provenance of a media claim; None clears it."""

    claim_id: int
    draft: MediaDraft | None


@dataclass(frozen=True)
class RenameSource:
    """Give a source a new display name (it must not be another source's name or alias)."""

    source_id: int
    name: str


@dataclass(frozen=True)
class SetSourceKind:
    """Change what kind of source this is."""

    source_id: int
    kind: SourceKind


@dataclass(frozen=True)
class SetSourceReliability:
    """The source's default reliability (A–F, None = not set) and why."""

    source_id: int
    reliability: str | None
    rationale: str = ""


@dataclass(frozen=True)
class SetSourceDetails:
    """The source's web address and free notes."""

    source_id: int
    url: str | None
    notes: str | None


@dataclass(frozen=True)
class AddAlias:
    """Another name the same source goes by."""

    source_id: int
    alias: str
    # Set only when undoing a removal, so the alias comes back as the very row it was.
    restore_id: int | None = None


@dataclass(frozen=True)
class RemoveAlias:
    """Forget one of a source's other names."""

    source_id: int
    alias: str


@dataclass(frozen=True)
class MergeSources:
    """Fold `merged_id` into `keep_id`: its name and aliases become aliases, its uses point at `keep_id`."""

    keep_id: int
    merged_id: int


@dataclass(frozen=True)
class MergedSourceSnapshot:
    """Everything a merge changed, so that it can be taken back exactly."""

    keep_id: int
    merged_id: int
    name: str
    name_key: str
    kind: SourceKind
    url: str | None
    notes: str | None
    default_reliability: str | None
    reliability_rationale: str
    name_alias_id: int
    moved_alias_ids: tuple[int, ...]
    hop_ids: tuple[int, ...]
    evidence_source_ids: tuple[int, ...]
    evidence_origin_ids: tuple[int, ...]
    media_claim_ids: tuple[int, ...]


@dataclass(frozen=True)
class UnmergeSources:
    """Take back a merge (only ever produced as a merge's inverse)."""

    snapshot: MergedSourceSnapshot


ChainEdit = AddHop | RemoveHop | MoveHop | SetHopRelation | SetHopSource | SetOrigin
EvidenceEdit = AddEvidence | EditEvidence | RemoveEvidence | SetMedia


@dataclass(frozen=True)
class WithNewSources:
    """Create the sources an edit names that the file does not have yet, then apply the edit.

    One transaction and one undo step: taking it back removes the sources as well, so a name
    typed into a picker leaves nothing behind once undone. In `edit`, the source id -1 stands
    for `sources[0]`, -2 for `sources[1]`, and so on (see `with_source_ids`). A source that
    carries an id (only in a redo) comes back under that very number.
    """

    sources: tuple[Source, ...]
    edit: ChainEdit | EvidenceEdit


@dataclass(frozen=True)
class WithoutSources:
    """Take back `edit`, then delete the sources it had brought in (only produced as an inverse)."""

    edit: ChainEdit | EvidenceEdit
    source_ids: tuple[int, ...]


def placeholder(index: int) -> int:
    """The id that stands for `WithNewSources.sources[index]` inside its edit."""
    return -1 - index


def with_source_ids(edit: ChainEdit | EvidenceEdit, ids: dict[int, int]) -> ChainEdit | EvidenceEdit:
    """`edit` with every source id found in `ids` replaced by its value (placeholders by real ids)."""

    def swap(source_id: int) -> int:
        return ids.get(source_id, source_id)

    def swap_optional(source_id: int | None) -> int | None:
        return None if source_id is None else swap(source_id)

    if isinstance(edit, AddHop | SetHopSource):
        return replace(edit, source_id=swap(edit.source_id))
    if isinstance(edit, AddEvidence | EditEvidence):
        draft = replace(
            edit.draft, source_id=swap(edit.draft.source_id), origin_id=swap_optional(edit.draft.origin_id)
        )
        return replace(edit, draft=draft)
    if isinstance(edit, SetMedia) and edit.draft is not None:
        return replace(
            edit, draft=replace(edit.draft, credited_to_id=swap_optional(edit.draft.credited_to_id))
        )
    return edit


SourceEdit = (
    RenameSource
    | SetSourceKind
    | SetSourceReliability
    | SetSourceDetails
    | AddAlias
    | RemoveAlias
    | MergeSources
    | UnmergeSources
    | WithNewSources  # sources made for an edit of a chain, evidence or media
    | WithoutSources
)


@dataclass(frozen=True)
class AddClaim:
    """A claim the reviewer draws by hand from its article's text (its words: `anchor`), unattributed."""

    article_id: int
    text: str  # our neutral wording
    passage: str  # the article's own words
    anchor: Anchor | None = None
    # Set only when redoing, so the claim comes back under its own number (later steps name it).
    restore_id: int | None = None
    # Set only when undoing a removal: the chains it had from its extraction, hop by hop.
    restore_hops: tuple[RestoredHop, ...] = ()
    # Set only when undoing a removal: its places in saved sets, as (set id, position).
    restore_set_places: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class RestoredHop:
    """One hop of a removed claim's chain, as stored, to put it back."""

    chain: int
    position: int
    source_id: int
    relation: Relation
    is_origin: bool


@dataclass(frozen=True)
class RemoveClaim:
    """Take out a claim of an article that nobody has graded, chained, given evidence or a picture's
    provenance: undoing the drawing of a claim, or a wrong or doubled extraction."""

    claim_id: int


@dataclass(frozen=True)
class SetClaimText:
    """Reword a claim: our neutral statement of what the article asserts (its passage stays as written)."""

    claim_id: int
    text: str
    # Set only when undoing or redoing: the wording goes back exactly as it was stored (however long,
    # whatever its spacing), not tidied as a typed wording is.
    exact: bool = False


ClaimEdit = AddClaim | RemoveClaim | SetClaimText
Edit = ChainEdit | EvidenceEdit | SourceEdit | ClaimEdit


@dataclass(frozen=True)
class Applied:
    """What applying an edit did: its inverse, a short description, the claim it touched, any new id."""

    inverse: Edit
    text: str
    claim_id: int | None = None
    created_id: int | None = None


class EditCancelled(CorroborateError):
    """The person cancelled an edit that was being saved in the background; the file is unchanged."""


def sources_reindexed(edit: Edit) -> tuple[int, ...]:
    """The sources whose claims' search documents an edit rebuilds, where that can be many claims.

    A source's name and aliases are in the search document of every claim that cites it, so
    renaming a source, changing its aliases, merging or separating sources rewrites all of
    them: at a million claims, a source cited by tens of thousands takes many seconds.
    """
    if isinstance(edit, MergeSources):
        return (edit.keep_id, edit.merged_id)
    if isinstance(edit, UnmergeSources):
        return (edit.snapshot.keep_id,)
    if isinstance(edit, RenameSource | AddAlias | RemoveAlias):
        return (edit.source_id,)
    return ()
