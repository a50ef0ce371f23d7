"""Source kinds (each with the caveat a reviewer should see) and the relations between hops of a chain."""

from __future__ import annotations

from enum import Enum


class SourceKind(str, Enum):
    """What kind of source a hop is; the caveat tells the reviewer what to watch for."""

    INTELLIGENCE_AGENCY = "intelligence_agency"
    GOVERNMENT = "government"
    NEWS_AGENCY = "news_agency"
    OUTLET = "outlet"
    PARTY_TO_CONFLICT = "party_to_conflict"
    PRISONER = "prisoner"
    UNNAMED = "unnamed"
    COLLECTIVE = "collective"
    SOCIAL_MEDIA = "social_media"
    DOCUMENT = "document"
    ARTICLE = "article"

    @property
    def label(self) -> str:
        return _KIND_TEXT[self][0]

    @property
    def caveat(self) -> str:
        return _KIND_TEXT[self][1]


_KIND_TEXT: dict[SourceKind, tuple[str, str]] = {
    SourceKind.INTELLIGENCE_AGENCY: (
        "intelligence or security agency",
        "interested party; rarely verifiable",
    ),
    SourceKind.GOVERNMENT: ("government or official body", "interested party"),
    SourceKind.NEWS_AGENCY: ("news or wire agency", "often relays others: look for the origin"),
    SourceKind.OUTLET: (
        "broadcaster, newspaper or outlet",
        "check whether it is reporting or interpreting",
    ),
    SourceKind.PARTY_TO_CONFLICT: (
        "party to a conflict",
        "interest in the narrative",
    ),
    SourceKind.PRISONER: ("prisoner or detainee", "may speak under duress"),
    SourceKind.UNNAMED: ("unnamed sources", "cannot be assessed independently"),
    SourceKind.COLLECTIVE: ("collective or vague source", "no identifiable source"),
    SourceKind.SOCIAL_MEDIA: (
        "social-media account",
        "credit is not origin; often an aggregator",
    ),
    SourceKind.DOCUMENT: ("document or communiqué", "primary if authentic"),
    SourceKind.ARTICLE: ("the article itself", "unattributed assertion"),
}


class Relation(str, Enum):
    """How a hop's source passes the information on toward the article."""

    STATES = "states"
    QUOTES = "quotes"
    REPORTS = "reports"
    ACCORDING_TO = "according_to"
    BASED_ON_UNNAMED_SOURCES = "based_on_unnamed_sources"
    IMAGE_CREDIT = "image_credit"
    INTERPRETS = "interprets"

    @property
    def label(self) -> str:
        return _RELATION_LABELS[self]


_RELATION_LABELS: dict[Relation, str] = {
    Relation.STATES: "states",
    Relation.QUOTES: "quoted directly",
    Relation.REPORTS: "reports",
    Relation.ACCORDING_TO: "according to",
    Relation.BASED_ON_UNNAMED_SOURCES: "based on unnamed sources",
    Relation.IMAGE_CREDIT: "image credit",
    Relation.INTERPRETS: "interprets / emphasises",
}
