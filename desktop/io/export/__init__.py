"""Exports of a reviewed set: CSV, JSON, JSONL, schema.org ClaimReview, SQLite and an HTML report.

One entry point, `export()`, meant to be called from a worker thread: it takes a
progress callback and a cancel check, and never leaves a partial file behind.
Formats are looked up by name in FORMATS; the PDF export lives with the window
(it needs Qt) and adds itself with `register_format` when imported.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.core.model import ClaimQuery
from desktop.io.export.atomic import replacing
from desktop.io.export.claimreview import check_options as check_claimreview_options
from desktop.io.export.claimreview import write_claimreview
from desktop.io.export.csv_writer import write_csv
from desktop.io.export.html_report import write_html
from desktop.io.export.job import Cancelled, ExportCancelled, ExportJob, ExportOptions, Progress, Writer
from desktop.io.export.json_writer import write_json
from desktop.io.export.jsonl_writer import write_jsonl
from desktop.io.export.sqlite_writer import write_sqlite
from desktop.store import Store

__all__ = [
    "FORMATS",
    "ExportCancelled",
    "ExportFormat",
    "ExportOptions",
    "ExportResult",
    "export",
    "register_format",
]


@dataclass(frozen=True)
class ExportFormat:
    """A format the export can write, with what a save dialog needs to offer it."""

    name: str
    description: str
    suffix: str
    writer: Writer
    check_options: Callable[[ExportOptions], None] | None = None


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, how many claims were chosen, and how many items the format holds."""

    target: Path
    format: str
    claims: int
    items: int


FORMATS: dict[str, ExportFormat] = {}


def register_format(export_format: ExportFormat) -> None:
    FORMATS[export_format.name] = export_format


for _format in (
    ExportFormat("csv", "CSV, one row per claim and review", ".csv", write_csv),
    ExportFormat("json", "JSON, complete nested records", ".json", write_json),
    ExportFormat("jsonl", "JSON Lines, one record per line", ".jsonl", write_jsonl),
    ExportFormat(
        "claimreview",
        "schema.org ClaimReview (JSON-LD) for publishing",
        ".jsonld",
        write_claimreview,
        check_claimreview_options,
    ),
    ExportFormat("sqlite", "Corroborate file (SQLite) with just this set", ".db", write_sqlite),
    ExportFormat("html", "HTML report", ".html", write_html),
):
    register_format(_format)


Selection = ClaimQuery | Sequence[int]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def export(
    store: Store,
    selection: Selection,
    format: str,
    target: str | Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the chosen claims to `target` in `format`, all or nothing.

    `selection` is a ClaimQuery (exactly the claims the table shows, in its order)
    or an explicit list of claim ids. `progress(done, total)` is called between
    batches; when `cancelled()` returns True the export stops with ExportCancelled
    and nothing is written. Expected problems (unwritable folder, missing
    publisher for ClaimReview) raise CorroborateError naming the path or option.
    """
    options = options or ExportOptions()
    chosen = FORMATS.get(format)
    if chosen is None:
        raise CorroborateError(f"Unknown export format {format!r}; choose one of {', '.join(FORMATS)}.")
    if chosen.check_options is not None:
        chosen.check_options(options)
    target = Path(target)
    if target.exists() and _same_file(target, store.path):
        raise CorroborateError(f"Cannot export onto {target}: it is the file being exported from.")
    ids: Sequence[int] = store.claim_ids(selection) if isinstance(selection, ClaimQuery) else selection
    if not isinstance(ids, array):
        ids = list(ids)
    job = ExportJob(store, ids, options, target, progress, cancelled)
    job.check_cancelled()
    with replacing(target) as temp:
        items = chosen.writer(job, temp)
    return ExportResult(target, format, len(ids), items)
