"""Reading a dataset file, applying a mapping, and writing the claims: what the CLI and the window share.

    dataset = load_dataset(path)                        # format and encoding guessed unless given
    plan = plan_import(dataset, mapping)                 # claims, skipped records
    near = find_near_duplicates(plan.claims, store.claim_texts())
    result = write_import(store, plan, reviewer, leave_out={…})   # one transaction

Each step takes `cancelled` and, where it takes a while, `progress`; a cancel or an error before
the end of `write_import` leaves the Corroborate file exactly as it was.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.imports import ImportBatch, ImportFileError, ImportWritten
from desktop.core.wording import counted
from desktop.io.importing.claimreview import looks_like_claimreview, read_claimreview
from desktop.io.importing.dataset import Dataset, RowTable, Skipped, release_rows, unreadable
from desktop.io.importing.delimited import read_delimited, read_delimited_file
from desktop.io.importing.duplicates import NearDuplicate
from desktop.io.importing.encoding import SAMPLE_BYTES, EncodingGuess, decode, detect_encoding
from desktop.io.importing.jsonrecords import read_json, read_jsonl
from desktop.io.importing.mapping import Mapping, PlannedClaims, plan_claims
from desktop.store import Store

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

DATASET_FORMATS = ("csv", "tsv", "json", "jsonl", "claimreview")
FORMATS = ("article", *DATASET_FORMATS)
FORMAT_LABELS = {
    "csv": "CSV (comma, semicolon, tab or bar separated)",
    "tsv": "TSV (tab separated, no quoting)",
    "json": "JSON (an array of objects)",
    "jsonl": "JSON Lines (one object per line)",
    "claimreview": "schema.org ClaimReview (JSON-LD or HTML page)",
}
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonld": "claimreview",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "claimreview",
    ".htm": "claimreview",
    ".txt": "article",
    ".md": "article",
}

# Extensions of files read as a stream of rows.
DELIMITED_EXTENSIONS = frozenset(ext for ext, kind in _EXTENSIONS.items() if kind in ("csv", "tsv"))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise unreadable(path, error) from error


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a file (all of it when shorter)."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as error:
        raise unreadable(path, error) from error


def guess_format(path: Path, text: str | None = None) -> str:
    """From the extension; JSON and HTML files holding ClaimReview are read as ClaimReview."""
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ImportFileError(
            f"{path}: cannot tell the format from the extension {path.suffix or '(none)'}; "
            f"give it with --format ({', '.join(FORMATS)})."
        )
    if text is not None and found in ("json", "jsonl") and looks_like_claimreview(text[:200_000]):
        return "claimreview"
    if text is not None and found == "claimreview" and path.suffix.lower() in (".html", ".htm"):
        return "claimreview" if looks_like_claimreview(text) else "article"
    return found


@dataclass(frozen=True)
class ReadOptions:
    """How to read the file; None means "guess"."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True


def load_dataset(
    path: Path, options: ReadOptions = ReadOptions(), cancelled: Cancelled | None = None
) -> Dataset:
    """Read a dataset file into records; the encoding guess is recorded on the dataset.

    CSV and TSV files are read as a stream, with the encoding guessed from their start; the other
    formats are whole documents and are read at once.
    """
    streamed = options.format or _EXTENSIONS.get(path.suffix.lower())
    if streamed in ("csv", "tsv"):
        encoding = options.encoding or detect_encoding(read_head(path, SAMPLE_BYTES)).encoding
        return read_delimited_file(
            path,
            encoding,
            tsv=streamed == "tsv",
            delimiter=options.delimiter,
            header=options.header,
            cancelled=cancelled,
        )
    data = read_bytes(path)
    guess = detect_encoding(data) if options.encoding is None else EncodingGuess(options.encoding, "chosen")
    text = decode(data, guess.encoding, path)
    kind = options.format or guess_format(path, text)
    if kind == "article":
        raise ImportFileError(f"{path}: an article is not a dataset; import it with --format article.")
    if kind == "json":
        return read_json(text, path, encoding=guess.encoding)
    if kind == "jsonl":
        return read_jsonl(text, path, encoding=guess.encoding)
    if kind == "claimreview":
        return read_claimreview(text, path, encoding=guess.encoding)
    raise ImportFileError(f"Unknown format {kind!r}; formats are {', '.join(FORMATS)}.")


def load_preview(path: Path, options: ReadOptions = ReadOptions(), limit: int = 2 * 1024 * 1024) -> Dataset:
    """The dataset, or for a large line-based file only its first `limit` bytes' worth of whole lines."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read ({error.strerror}).") from error
    if size <= limit:
        return load_dataset(path, options)
    with path.open("rb") as handle:
        head = handle.read(limit)
    guess = detect_encoding(head) if options.encoding is None else EncodingGuess(options.encoding, "chosen")
    try:
        text = codecs.getincrementaldecoder(guess.encoding)().decode(head, final=False)
    except (LookupError, UnicodeDecodeError):
        return load_dataset(path, options)  # let the full read report the problem precisely
    kind = options.format or guess_format(path, text)
    if kind not in ("csv", "tsv", "jsonl"):
        return load_dataset(path, options)
    text = text[: text.rfind("\n") + 1].removeprefix("\ufeff")
    if kind == "jsonl":
        dataset = read_jsonl(text, path, encoding=guess.encoding)
    else:
        dataset = read_delimited(
            text,
            path,
            tsv=kind == "tsv",
            delimiter=options.delimiter,
            header=options.header,
            encoding=guess.encoding,
        )
    dataset.notes.insert(
        0, f"preview of the first {limit // (1024 * 1024)} MB; the import reads the whole file"
    )
    return dataset


@dataclass(frozen=True)
class ImportPlan:
    """What an import would add: the claims (mapping applied) and what was left out, with where."""

    dataset: Dataset
    mapping: Mapping
    claims: PlannedClaims
    skipped: list[Skipped]


def plan_import(dataset: Dataset, mapping: Mapping, cancelled: Cancelled | None = None) -> ImportPlan:
    resolved = mapping.resolved(dataset)
    claims, skipped = plan_claims(dataset, resolved, cancelled)
    return ImportPlan(dataset, resolved, claims, [*dataset.skipped, *skipped])


@dataclass(frozen=True)
class ImportResult:
    """What an import added, what it left out and the near-duplicates it found."""

    written: ImportWritten
    plan: ImportPlan
    reviewer: str
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    left_out: list[Skipped] = field(default_factory=list)  # near-duplicates the person chose to leave out

    def summary_lines(self) -> list[str]:
        plan, written = self.plan, self.written
        dataset = plan.dataset
        how = f"{dataset.format}, {dataset.encoding}"
        if dataset.delimiter is not None:
            how += f", delimiter {dataset.delimiter!r}"
        lines = [f"imported {dataset.path.name} ({how}) as import {written.import_id}:"]
        added = len(written.claim_ids)
        lines.append(f"  {counted(added, 'claim')} added ({written.unattributed:,} unattributed)")
        lines.append(
            f"  sources: {len(written.new_sources):,} new, {len(set(written.matched_sources)):,} matched existing"
        )
        if written.graded:
            lines.append(
                f"  {counted(written.graded, 'credibility grade')} from the verdict preset "
                f"{plan.mapping.verdict_preset or 'custom table'}, as reviewer {self.reviewer}"
            )
        for note in dataset.notes[:20]:
            lines.append(f"  note: {note}")
        if plan.skipped:
            lines.append(f"skipped {counted(len(plan.skipped), 'record')}:")
            lines.extend(f"  {s.position}: {s.reason}" for s in plan.skipped)
        if self.near_duplicates:
            lines.append(f"near-duplicates ({len(self.near_duplicates):,}; none merged, check them):")
            lines.extend(f"  {n.describe()}: {_short(n.text)}" for n in self.near_duplicates)
        if self.left_out:
            lines.append(f"left out as duplicates: {len(self.left_out):,}")
        return lines


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_import(
    store: Store,
    plan: ImportPlan,
    reviewer: str,
    *,
    near_duplicates: list[NearDuplicate] | None = None,
    leave_out: Collection[int] = (),
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the plan's claims (less the indexes in `leave_out`) in one transaction.

    The plan's rows are let go afterwards, written or not: its claims and records are empty then.
    """
    rows = plan.claims.rows
    if leave_out:
        rows = [row for index, row in enumerate(rows) if index not in leave_out]
    left_out = [
        Skipped(plan.claims.positions[index], "left out as a near-duplicate")
        for index in sorted(leave_out)
        if 0 <= index < len(plan.claims)
    ]
    mapping = plan.mapping.to_json()
    mapping["read"] = {
        "encoding": plan.dataset.encoding,
        "delimiter": plan.dataset.delimiter,
    }
    batch = ImportBatch(
        file=str(plan.dataset.path),
        format=plan.dataset.format,
        reviewer=reviewer,
        mapping=mapping,
        source_kind=plan.mapping.source_kind,
    )
    try:
        written = store.add_imported_rows(batch, rows, progress=progress, cancelled=cancelled)
    finally:
        # Written or not, the rows are no longer needed: let them go here, on the worker thread,
        # a slice at a time, rather than all at once wherever the plan's last reference ends.
        release_rows(rows)
        plan.claims.release()
        if isinstance(plan.dataset.records, RowTable):
            plan.dataset.records.release()
    return ImportResult(written, plan, reviewer, list(near_duplicates or []), left_out)
