"""Shared pieces of every export: the JSON shape of each record, and the grade-to-rating mapping.

The JSON and JSONL exports are made of these dictionaries, the importer reads
them back, and CSV and ClaimReview take their rating from `rating_for`; the
README's "Export" section describes the shape and the mapping. FORMAT_VERSION
goes up whenever a member is renamed, removed or changes meaning (adding one
does not), and the importer refuses versions newer than its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop import __version__
from desktop.core.evidence import Evidence, MediaInfo, SourceRecord
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, grade_pair
from desktop.core.imports import DatasetFields
from desktop.core.independence import Independence
from desktop.core.model import Anchor, Article, Chain, Change, Review, Source, chain_summary
from desktop.store.base import utc_now
from desktop.store.snapshot import ClaimRecord

FORMAT_NAME = "corroborate-export"
FORMAT_VERSION = 1

# ClaimReview wants higher = more true, worst >= 1 and best > worst: credibility 1
# (confirmed) is the best rating, 5 (improbable) the worst; 6 says nothing about truth.
BEST_RATING = 5
WORST_RATING = 1


@dataclass(frozen=True)
class Rating:
    """A credibility grade as a fact-check rating."""

    alternate_name: str
    value: int | None
    best: int | None
    worst: int | None


def rating_for(credibility: int | None) -> Rating | None:
    """Credibility 1..5 becomes rating 5..1 (best 5, worst 1); 6 has a label but no value; None, nothing."""
    if credibility is None:
        return None
    label = CREDIBILITY_LABELS[credibility]
    if credibility == 6:
        return Rating(label, None, None, None)
    return Rating(label, BEST_RATING + 1 - credibility, BEST_RATING, WORST_RATING)


def envelope(total: int, reviewer: str | None) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generator": f"corroborate {__version__}",
        "exported_at": utc_now(),
        "selection": {"claims": total, "reviewer": reviewer},
    }


def article_dict(article: Article, *, with_text: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.url,
        "published": article.published,
    }
    if with_text:
        data["text"] = article.text
    return data


def source_dict(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind.value,
        "kind_label": source.kind.label,
        "url": source.url,
        "notes": source.notes,
    }


def source_record_dict(record: SourceRecord) -> dict[str, Any]:
    """A source as listed once at the top of an export, with what a reviewer recorded about it."""
    return {
        **source_dict(record.source),
        "aliases": list(record.aliases),
        "default_reliability": record.default_reliability,
        "reliability_rationale": record.reliability_rationale,
    }


def anchor_dict(anchor: Anchor | None) -> dict[str, Any] | None:
    if anchor is None:
        return None
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
    }


def chain_dict(chain: Chain) -> dict[str, Any]:
    return {
        "summary": chain_summary(chain),
        "hops": [
            {
                "source": source_dict(hop.source),
                "relation": hop.relation.value,
                "relation_label": hop.relation.label,
                "is_origin": hop.is_origin,
            }
            for hop in chain
        ],
    }


def review_dict(review: Review) -> dict[str, Any]:
    return {
        "reviewer": review.reviewer,
        "reliability": review.reliability,
        "reliability_label": RELIABILITY_LABELS.get(review.reliability or ""),
        "credibility": review.credibility,
        "credibility_label": CREDIBILITY_LABELS.get(review.credibility or 0),
        "grade": grade_pair(review.reliability, review.credibility),
        "status": review.status.value,
        "rationale": review.rationale,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
    }


def change_dict(change: Change) -> dict[str, Any]:
    return {
        "id": change.id,
        "at": change.at,
        "reviewer": change.reviewer,
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
    }


def evidence_dict(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.id,
        "source": source_dict(item.source),
        "stance": item.stance.value,
        "origin": source_dict(item.origin) if item.origin is not None else None,
        "url": item.url,
        "date": item.date,
        "excerpt": item.excerpt,
        "note": item.note,
        "created_at": item.created_at,
        "reviewer": item.reviewer,
    }


def media_dict(media: MediaInfo | None) -> dict[str, Any] | None:
    if media is None:
        return None
    return {
        "credited_to": source_dict(media.credited_to) if media.credited_to is not None else None,
        "credit_is_origin": media.credit_is_origin,
        "original_known": media.original_known,
        "category": media.category.value if media.category is not None else None,
        "category_label": media.category.label if media.category is not None else None,
    }


def independence_dict(independence: Independence) -> dict[str, Any]:
    """Computed from the chains and evidence on export; an importer ignores it and counts again."""
    return {
        "independent_origins": independence.independent_count,
        "corroborating_origins": [source.name for source in independence.corroborating_origins],
        "contradicting_origins": [source.name for source in independence.contradicting_origins],
        "warnings": list(independence.warnings),
        "suggested_credibility": independence.suggested_credibility,
        "reason": independence.reason,
    }


def claim_dict(record: ClaimRecord, articles: dict[int, Article], *, include_changes: bool) -> dict[str, Any]:
    """One claim, complete and nested; the article appears without its text (given once elsewhere)."""
    article = articles.get(record.article_id) if record.article_id is not None else None
    data: dict[str, Any] = {
        "id": record.id,
        "text": record.text,
        "passage": record.passage,
        "unattributed": record.unattributed,
        "article": article_dict(article, with_text=False) if article else None,
        "anchor": anchor_dict(record.anchor),
        "origins": [source.name for source in record.origins],
        "chains": [chain_dict(chain) for chain in record.chains],
        "evidence": [evidence_dict(item) for item in record.evidence],
        "media": media_dict(record.media),
        "independence": independence_dict(record.independence),
        "reviews": [review_dict(review) for review in record.reviews],
        "dataset": dataset_dict(record.dataset),
    }
    if include_changes:
        data["changes"] = [change_dict(change) for change in record.changes]
    return data


def dataset_dict(fields: DatasetFields | None) -> dict[str, Any] | None:
    """What a dataset import brought with the claim, as written there; None for other claims."""
    if fields is None:
        return None
    return {
        "date": fields.date,
        "url": fields.url,
        "verdict_label": fields.verdict_label,
        "extra": dict(fields.extra),
    }


def claim_author(record: ClaimRecord, article: Article | None) -> str:
    """Who makes the claim: the origins of its chains, or the article itself when it cites nobody."""
    if record.origins:
        return "; ".join(source.name for source in record.origins)
    if article is None:
        return ""
    return article.author or article.outlet or ""
