"""CSV: one row per claim and review, flat like the fact-check search APIs, plus the Admiralty grades.

A claim nobody has reviewed (or not the chosen reviewer) still gets one row, with
empty review columns. Every cell is quoted, and a cell a spreadsheet would run as a
formula is neutralised as OWASP advises for CSV injection: a value starting with
=, +, -, @, tab or carriage return gets a single quote in front, which spreadsheet
programs read as "this is text".

The lines come finished from SQL (`desktop.store.export_queries`), a batch of claims at
a time: a million claims in seconds instead of building a record per claim. The
record-based formatting below stays the reference for what each cell holds (a test
compares the two) and formats the rare batch whose text SQLite cannot print.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, grade_pair
from desktop.core.model import Article, Review, chains_summary
from desktop.io.export.csv_workers import csv_texts, worker_count
from desktop.io.export.job import ExportJob
from desktop.io.export.records import claim_author, rating_for
from desktop.store.export_queries import CSV_BATCH_SIZE, CsvCells, CsvLineQuery, CsvText
from desktop.store.snapshot import ClaimRecord, claim_records

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
    "verdict_as_published",
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
    dataset = record.dataset
    claim_part: list[object] = [
        record.id,
        record.text,
        claim_author(record, article),
        (dataset.date if dataset else None) or (article.published if article else None),
        (dataset.url if dataset else None) or (article.url if article else None),
        article.title if article else None,
    ]
    independence = record.independence
    tail: list[object] = [
        independence.independent_count,
        " ".join(independence.warnings),
        cited,
        "yes" if record.unattributed else "no",
        chains_summary(record.chains),
        dataset.verdict_label if dataset else None,
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


def csv_cells() -> CsvCells:
    """What the SQL lines must show: these columns, ratings as `rating_for` gives them, these triggers."""
    ratings = {}
    for credibility in CREDIBILITY_LABELS:
        rating = rating_for(credibility)
        assert rating is not None  # every grade has a rating
        ratings[credibility] = (rating.alternate_name, rating.value, rating.best, rating.worst)
    return CsvCells(COLUMNS, ratings, FORMULA_TRIGGERS)


def write_csv(job: ExportJob, path: Path) -> int:
    """Returns the number of data rows."""
    cells = csv_cells()
    reviewer = job.options.reviewer
    batches = job.id_batches(CSV_BATCH_SIZE)
    workers = worker_count(job.total)
    if workers:  # a large export: batches built by worker processes (see csv_workers.py)
        texts = csv_texts(job.store.path, cells, batches, reviewer, workers)
    else:
        query = CsvLineQuery(cells)
        texts = ((batch, query.text(job.store, batch, reviewer=reviewer)) for batch in batches)
    # utf-8-sig writes the byte-order mark some spreadsheet programs need to detect UTF-8.
    encoding = "utf-8-sig" if job.options.bom else "utf-8"
    with path.open("w", encoding=encoding, newline="") as handle:
        output = _Output(job, handle)
        for batch, read in texts:
            output.add(batch, read)
    return output.written


class _Output:
    """The file being written: the header, then each batch's lines in turn."""

    def __init__(self, job: ExportJob, handle: TextIO) -> None:
        self._job = job
        self._handle = handle
        self._writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        self._writer.writerow(COLUMNS)
        self._articles: dict[int, Article] | None = None
        self.written = 0

    def add(self, claim_ids: Sequence[int], read: CsvText | None) -> None:
        if read is not None:
            self._handle.write(read.text)
            self.written += read.rows
            return
        # Text SQLite cannot print (a NUL character): this batch is formatted from records.
        if self._articles is None:
            self._articles = {a.id: a for a in self._job.articles() if a.id is not None}
        reviewer = self._job.options.reviewer
        for record in claim_records(self._job.store, claim_ids, reviewer=reviewer):
            self.written += write_record(self._writer, record, self._articles)


def write_record(writer: Any, record: ClaimRecord, articles: dict[int, Article]) -> int:
    """One claim's rows; returns how many."""
    article = articles.get(record.article_id) if record.article_id is not None else None
    rows = _rows(record, article)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return len(rows)
