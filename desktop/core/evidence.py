"""Evidence gathered for a claim, media provenance, and what the Sources view shows about a source.

Drafts hold what a form edits (sources by id); the stored types carry the resolved sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from desktop.core.model import Source


class Stance(str, Enum):
    """What an evidence item does to the claim."""

    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return {"corroborates": "corroborates", "contradicts": "contradicts", "context": "gives context"}[
            self.value
        ]


class MediaCategory(str, Enum):
    """schema.org MediaReview's mediaAuthenticityCategory (members of MediaManipulationRatingEnumeration).

    The value is the schema.org term; its URL is https://schema.org/<value>.
    """

    ORIGINAL = "OriginalMediaContent"
    DECONTEXTUALIZED = "DecontextualizedContent"
    EDITED_OR_CROPPED = "EditedOrCroppedContent"
    TRANSFORMED = "TransformedContent"
    STAGED = "StagedContent"
    SATIRE_OR_PARODY = "SatireOrParodyContent"

    @property
    def label(self) -> str:
        return _MEDIA_LABELS[self]

    @property
    def url(self) -> str:
        return f"https://schema.org/{self.value}"


_MEDIA_LABELS: dict[MediaCategory, str] = {
    MediaCategory.ORIGINAL: "original, shown as it was made",
    MediaCategory.DECONTEXTUALIZED: "real but out of context (wrong place, date or story)",
    MediaCategory.EDITED_OR_CROPPED: "edited or cropped",
    MediaCategory.TRANSFORMED: "transformed (parts altered or added)",
    MediaCategory.STAGED: "staged",
    MediaCategory.SATIRE_OR_PARODY: "satire or parody",
}

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EXCERPT_LIMIT = 2000


def parse_evidence_date(value: str | None) -> str | None:
    """A date as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (sources often give no day); empty means unknown."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    match = _PARTIAL_DATE.match(text)
    if match is None:
        raise ValueError(f"the date must be written YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return text


def parse_url(value: str | None) -> str | None:
    """A web address or None; anything else is refused so exported links stay usable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not re.match(r"^https?://\S+$", text, re.IGNORECASE):
        raise ValueError(f"the URL must start with http:// or https:// and hold no spaces, not {value!r}")
    return text


@dataclass(frozen=True)
class EvidenceDraft:
    """An evidence item as a form edits it: sources by id, `origin_id` None when not known."""

    source_id: int
    stance: Stance
    url: str | None = None
    date: str | None = None
    excerpt: str = ""
    note: str = ""
    origin_id: int | None = None


@dataclass(frozen=True)
class Evidence:
    """A stored evidence item: another source's take on the claim and what that item relies on."""

    id: int
    claim_id: int
    source: Source
    stance: Stance
    origin: Source | None = None
    url: str | None = None
    date: str | None = None
    excerpt: str = ""
    note: str = ""
    created_at: str = ""
    reviewer: str = ""

    @property
    def effective_origin(self) -> Source:
        """What the item rests on: its recorded origin, else (not known) its own source."""
        return self.origin if self.origin is not None else self.source

    @property
    def draft(self) -> EvidenceDraft:
        return EvidenceDraft(
            source_id=_id(self.source),
            stance=self.stance,
            url=self.url,
            date=self.date,
            excerpt=self.excerpt,
            note=self.note,
            origin_id=_id(self.origin) if self.origin is not None else None,
        )


@dataclass(frozen=True)
class MediaDraft:
    """Provenance of a media claim as a form edits it; None means 'not known yet'."""

    credited_to_id: int | None = None
    credit_is_origin: bool | None = None
    original_known: str = ""
    category: MediaCategory | None = None


@dataclass(frozen=True)
class MediaInfo:
    """Stored provenance of a media claim (a photo or video): who it is credited to and what it really is."""

    claim_id: int
    credited_to: Source | None
    credit_is_origin: bool | None
    original_known: str
    category: MediaCategory | None

    @property
    def draft(self) -> MediaDraft:
        return MediaDraft(
            credited_to_id=_id(self.credited_to) if self.credited_to is not None else None,
            credit_is_origin=self.credit_is_origin,
            original_known=self.original_known,
            category=self.category,
        )


@dataclass(frozen=True)
class TrackRecord:
    """A source's record in one file: where it appears and how reviewers graded those claims."""

    claims: int = 0
    cited_first: int = 0
    as_origin: int = 0
    evidence_items: int = 0
    reliability: dict[str, int] = field(default_factory=dict)
    credibility: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceRecord:
    """One line of the Sources view."""

    source: Source
    aliases: tuple[str, ...] = ()
    default_reliability: str | None = None
    reliability_rationale: str = ""
    track: TrackRecord = field(default_factory=TrackRecord)


@dataclass(frozen=True)
class ClaimFlags:
    """Per-claim marks for the claims table, computed in SQL by the same rules as independence.assess."""

    claim_id: int
    evidence_count: int
    independent_origins: int
    suggested_credibility: int
    circular_warning: bool
    second_look: bool


def _id(source: Source) -> int:
    if source.id is None:
        raise ValueError(f"source {source.name!r} has not been stored yet")
    return source.id
