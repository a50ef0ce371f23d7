"""Domain types passed between the store, the importers/exporters and the window.

The store takes and returns these; nothing outside the store sees rows or SQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from desktop.core.grades import Status
from desktop.core.vocabulary import Relation, SourceKind


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Source:
    name: str
    kind: SourceKind
    url: str | None = None
    notes: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Hop:
    """One link of an attribution chain: a source and how it passes the information on."""

    source: Source
    relation: Relation
    # The reviewer's mark for "this is where the information comes from"; unmarked chains end at their origin.
    is_origin: bool = False


Chain = tuple[Hop, ...]


@dataclass(frozen=True)
class Anchor:
    """Where a claim sits in its article: the exact text, a little context, and offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class NewClaim:
    """A claim about to be stored: our neutral wording, its passage and who it is attributed to."""

    text: str
    passage: str
    anchor: Anchor | None
    chains: tuple[Chain, ...] = ()

    @property
    def unattributed(self) -> bool:
        return not self.chains


class ReviewField(str, Enum):
    """The fields of a review a reviewer edits; each edit is one logged change."""

    RELIABILITY = "reliability"
    CREDIBILITY = "credibility"
    STATUS = "status"
    RATIONALE = "rationale"


ReviewValue = str | int | None


@dataclass(frozen=True)
class Review:
    claim_id: int
    reviewer: str
    reliability: str | None
    credibility: int | None
    status: Status
    rationale: str
    created_at: str
    updated_at: str

    def value(self, review_field: ReviewField) -> ReviewValue:
        if review_field is ReviewField.STATUS:
            return self.status.value
        return getattr(self, review_field.value)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ClaimRow:
    """What one line of the claims table shows, for one reviewer."""

    id: int
    text: str
    cited_sources: str
    chain_summary: str
    unattributed: bool
    reliability: str | None
    credibility: int | None
    status: Status
    reviewers: str


@dataclass(frozen=True)
class ClaimDetail:
    """Everything the detail pane shows about one claim."""

    id: int
    text: str
    passage: str
    anchor: Anchor | None
    article_title: str
    chains: tuple[Chain, ...]
    reviews: tuple[Review, ...] = field(default_factory=tuple)

    @property
    def unattributed(self) -> bool:
        return not self.chains

    def review_by(self, reviewer: str) -> Review | None:
        return next((r for r in self.reviews if r.reviewer == reviewer), None)


@dataclass(frozen=True)
class Change:
    """One row of the append-only change log."""

    id: int
    at: str
    reviewer: str
    claim_id: int | None
    field: str
    old_value: str | None
    new_value: str | None


class SortKey(str, Enum):
    """Columns the claims list can be ordered by (all sorting happens in SQL)."""

    NUMBER = "number"
    TEXT = "text"
    CITED_SOURCE = "cited_source"
    RELIABILITY = "reliability"
    CREDIBILITY = "credibility"
    STATUS = "status"
    REVIEWER = "reviewer"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class ClaimQuery:
    """Which claims to list and in what order, as seen by one reviewer."""

    reviewer: str
    text: str = ""
    statuses: frozenset[Status] = frozenset()
    sort: SortKey = SortKey.NUMBER
    descending: bool = False
    # Filters below: an empty set or None means "do not filter on this".
    source_ids: frozenset[int] = frozenset()  # any hop of a chain from one of these sources
    kinds: frozenset[SourceKind] = frozenset()  # any hop of these kinds; ARTICLE also means unattributed
    reliabilities: frozenset[str | None] = frozenset()  # the reviewer's letters; None = not graded
    credibilities: frozenset[int | None] = frozenset()  # the reviewer's numbers; None = not graded
    has_evidence: bool | None = None
    warnings_only: bool = False  # circular reporting, or a second look for this reviewer
    reviewer_filter: str | None = None  # claims this reviewer has a review of


def source_key(name: str) -> str:
    """The identity of a source name: case, spacing, accents and punctuation do not make a new source."""
    folded = unicodedata.normalize("NFKD", name).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", folded).strip()


_FIRST_HOP_PHRASES: dict[Relation, str] = {
    Relation.STATES: "{name} states",
    Relation.QUOTES: "quotes {name}",
    Relation.REPORTS: "{name} reports",
    Relation.ACCORDING_TO: "according to {name}",
    Relation.BASED_ON_UNNAMED_SOURCES: "{name}, based on its sources",
    Relation.IMAGE_CREDIT: "image credited to {name}",
    Relation.INTERPRETS: "{name}'s own analysis",
}

_NEXT_HOP_PHRASES: dict[Relation, str] = {
    Relation.STATES: "from {name}",
    Relation.QUOTES: "quoting {name}",
    Relation.REPORTS: "relaying {name}",
    Relation.ACCORDING_TO: "according to {name}",
    Relation.BASED_ON_UNNAMED_SOURCES: "based on {name}",
    Relation.IMAGE_CREDIT: "credited to {name}",
    Relation.INTERPRETS: "interpreting {name}",
}


def chain_summary(chain: Chain) -> str:
    """One line in words, e.g. 'Yonhap reports, according to NIS' or 'image credited to @account'."""
    if not chain:
        return "no source cited"
    parts = [_FIRST_HOP_PHRASES[chain[0].relation].format(name=chain[0].source.name)]
    for hop in chain[1:]:
        parts.append(_NEXT_HOP_PHRASES[hop.relation].format(name=hop.source.name))
    return ", ".join(parts)


def chains_summary(chains: tuple[Chain, ...]) -> str:
    """All chains of a claim; claims citing several sources list each chain."""
    if not chains:
        return "unattributed: the article cites nobody"
    return "; ".join(chain_summary(chain) for chain in chains)
