"""schema.org ClaimReview (JSON-LD): what fact-checkers publish so search engines and aggregators can read it.

One ClaimReview per claim with a finished review (reviewed or disputed) that has a
credibility grade. When several reviewers finished the same claim, the most
recently updated review is published (choose one with the reviewer option).
The file is a JSON array of ClaimReview objects, each with its own @context so it
can be pasted into that claim's page. The mapping is documented in
the README's "Export" section; every property used is one schema.org accepts on its type.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from desktop.core.errors import CorroborateError
from desktop.core.model import Article, Review, Source
from desktop.core.vocabulary import SourceKind
from desktop.io.export.job import ExportJob, ExportOptions
from desktop.io.export.jsontext import indented
from desktop.io.export.records import rating_for
from desktop.store.export_queries import claims_with_published_review
from desktop.store.snapshot import ClaimRecord, claim_records

CONTEXT = "https://schema.org"

# Sources that are people (or stand for unnamed people) are a Person; bodies, outlets,
# accounts, documents and vague collectives are the closest thing schema.org has: an Organization.
PERSON_KINDS = frozenset({SourceKind.PARTY_TO_CONFLICT, SourceKind.PRISONER, SourceKind.UNNAMED})


def check_options(options: ExportOptions) -> None:
    """A ClaimReview needs its publisher and an absolute URL: refuse before writing anything."""
    if not options.publisher_name.strip():
        raise CorroborateError(
            "A ClaimReview export needs the publisher's name (--publisher-name, or the publisher "
            "settings in the window)."
        )
    parts = urlsplit(options.publisher_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CorroborateError(
            "A ClaimReview export needs the absolute http(s) base URL of the publisher's fact-check "
            f"pages (--publisher-url), not {options.publisher_url!r}."
        )


def review_url(base: str, claim_id: int) -> str:
    """The claim's fact-check page: the base URL followed by the claim id."""
    base = base.strip()
    if not base.endswith(("/", "=")):
        base += "/"
    return f"{base}{claim_id}"


def published_review(record: ClaimRecord) -> Review | None:
    """The finished review with a credibility to publish for this claim, if any."""
    candidates = [r for r in record.reviews if r.status.is_finished and r.credibility is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.updated_at, r.reviewer))


def _party(source: Source, article: Article | None) -> dict[str, Any] | None:
    if source.kind is SourceKind.ARTICLE:
        return _article_voice(article)
    node: dict[str, Any] = {
        "@type": "Person" if source.kind in PERSON_KINDS else "Organization",
        "name": source.name,
    }
    if source.url:
        node["url"] = source.url
    return node


def _article_voice(article: Article | None) -> dict[str, Any] | None:
    """The article speaking for itself: its author, else its outlet."""
    if article is None:
        return None
    if article.author:
        return {"@type": "Person", "name": article.author}
    if article.outlet:
        return {"@type": "Organization", "name": article.outlet}
    return None


def _appearance(article: Article) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        node["url"] = article.url
    if article.author:
        node["author"] = {"@type": "Person", "name": article.author}
    if article.outlet:
        node["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.published:
        node["datePublished"] = article.published
    return node


def _claim(record: ClaimRecord, article: Article | None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Claim"}
    authors = [party for source in record.origins if (party := _party(source, article)) is not None]
    if not record.chains and (voice := _article_voice(article)) is not None:
        authors = [voice]
    if authors:
        node["author"] = authors[0] if len(authors) == 1 else authors
    if article is not None:
        node["appearance"] = _appearance(article)
        if article.published:
            node["datePublished"] = article.published
    elif record.dataset is not None:
        # A claim from a dataset: where and when the dataset says it was made.
        if record.dataset.url:
            node["appearance"] = {"@type": "CreativeWork", "url": record.dataset.url}
        if record.dataset.date:
            node["datePublished"] = record.dataset.date
    return node


def claim_review(
    record: ClaimRecord, review: Review, article: Article | None, options: ExportOptions
) -> dict[str, Any]:
    rating = rating_for(review.credibility)
    assert rating is not None  # published_review only picks reviews with a credibility
    rating_node: dict[str, Any] = {"@type": "Rating", "alternateName": rating.alternate_name}
    if rating.value is not None:
        rating_node |= {"ratingValue": rating.value, "bestRating": rating.best, "worstRating": rating.worst}
    if review.rationale.strip():
        rating_node["ratingExplanation"] = review.rationale
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": options.publisher_name.strip(),
        "url": options.publisher_url.strip(),
    }
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": review_url(options.publisher_url, record.id),
        "claimReviewed": record.text,
        "datePublished": review.updated_at[:10],
        "author": publisher,
        "reviewRating": rating_node,
        "itemReviewed": _claim(record, article),
    }


def write_claimreview(job: ExportJob, path: Path) -> int:
    articles = {article.id: article for article in job.articles() if article.id is not None}
    reviewer = job.options.reviewer
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for batch in job.id_batches():
            # Records only for the claims that have something to publish (often a minority).
            chosen = claims_with_published_review(job.store, batch, reviewer=reviewer)
            records = claim_records(job.store, chosen, reviewer=reviewer)
            written += _write_reviews(handle, records, articles, job.options, written)
        handle.write("\n]\n" if written else "]\n")
    return written


def _write_reviews(
    handle: TextIO,
    records: list[ClaimRecord],
    articles: dict[int, Article],
    options: ExportOptions,
    written: int,
) -> int:
    """Append the ClaimReviews of these records (`written` already in the file); returns how many."""
    count = 0
    for record in records:
        review = published_review(record)
        if review is None:
            continue
        article = articles.get(record.article_id) if record.article_id is not None else None
        text = indented(claim_review(record, review, article, options), "  ")
        handle.write(("\n  " if written + count == 0 else ",\n  ") + text)
        count += 1
    return count
