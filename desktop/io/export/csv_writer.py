"""CSV: one row per claim and review, flat like the fact-check search APIs, plus the Admiralty grades.

A claim nobody has reviewed (or not the chosen reviewer) still gets one row, with
empty review columns. Every cell is quoted, and a cell a spreadsheet would run as a
formula is neutralised as OWASP advises for CSV injection: a value starting with
=, +, -, @, tab or carriage return gets a single quote in front, which spreadsheet
programs read as "this is text".
"""

from __future__ import annotations

import csv
from pathlib import Path

from desktop.core.grades import RELIABILITY_LABELS, grade_pair
from desktop.core.model import Article, Review, chains_summary
from desktop.io.export.job import ExportJob
from desktop.io.export.records import claim_author, rating_for
from desktop.store.snapshot import ClaimRecord

COLUMNS = (
    "claim_id",
    "claim",
    "claim_author",
    "claim_date",
    "appearance_url",
    "appearance_title",
    "textual_rating",
    "rating_value",
    "best_rating",
    "worst_rating",
    "reliability",
    "reliability_label",
    "credibility",
    "grade",
    "status",
    "reviewer",
    "reviewed_at",
    "rationale",
    "independent_origins",
    "circular_reporting",
    "cited_sources",
    "unattributed",
    "chain",
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The text of a cell, with a leading single quote if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _rows(record: ClaimRecord, article: Article | None) -> list[list[object]]:
    cited = "; ".join(dict.fromkeys(chain[0].source.name for chain in record.chains))
    claim_part: list[object] = [
        record.id,
        record.text,
        claim_author(record, article),
        article.published if article else None,
        article.url if article else None,
        article.title if article else None,
    ]
    independence = record.independence
    tail: list[object] = [
        independence.independent_count,
        " ".join(independence.warnings),
        cited,
        "yes" if record.unattributed else "no",
        chains_summary(record.chains),
    ]
    reviews: tuple[Review | None, ...] = record.reviews or (None,)
    return [[*claim_part, *_review_part(review), *tail] for review in reviews]


def _review_part(review: Review | None) -> list[object]:
    if review is None:
        return [None] * 12
    rating = rating_for(review.credibility)
    return [
        rating.alternate_name if rating else None,
        rating.value if rating else None,
        rating.best if rating else None,
        rating.worst if rating else None,
        review.reliability,
        RELIABILITY_LABELS.get(review.reliability or ""),
        review.credibility,
        grade_pair(review.reliability, review.credibility),
        review.status.value,
        review.reviewer,
        review.updated_at,
        review.rationale,
    ]


def write_csv(job: ExportJob, path: Path) -> int:
    """Returns the number of data rows."""
    articles = {article.id: article for article in job.articles() if article.id is not None}
    # utf-8-sig writes the byte-order mark some spreadsheet programs need to detect UTF-8.
    encoding = "utf-8-sig" if job.options.bom else "utf-8"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        written = 0
        for record in job.records():
            article = articles.get(record.article_id) if record.article_id is not None else None
            for row in _rows(record, article):
                writer.writerow([neutralise(cell) for cell in row])
                written += 1
    return written
