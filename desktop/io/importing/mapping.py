"""Which dataset column becomes which part of a claim, and what the verdict labels are worth.

Saved as JSON so a mapping can be reused, and given on the command line as FIELD=COLUMN pairs;
a column may also be named by its number (1 is the first), which suits files with no header.
Columns the mapping does not use are kept with the claim as extra data.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from desktop.core.imports import ImportCancelled, ImportedClaim, ImportFileError
from desktop.core.threads import GIVE_WAY_EVERY, give_way
from desktop.core.vocabulary import SourceKind
from desktop.io.importing.dataset import (
    Dataset,
    JsonProblem,
    Record,
    RowTable,
    Skipped,
    parse_json,
    release_rows,
    value_text,
)
from desktop.io.importing.verdicts import PRESETS, credibility_for, label_key
from desktop.store.imports import ImportRow, encode_extra, import_row

FIELDS = ("text", "source", "date", "verdict", "url", "context")
FIELD_LABELS = {
    "text": "Claim text",
    "source": "Source or speaker",
    "date": "Date",
    "verdict": "Verdict label",
    "url": "Address (URL)",
    "context": "Context or passage",
}
# Column names that probably hold each field, for a first guess the person can change.
_LIKELY = {
    "text": ("claim", "claim text", "claimreviewed", "statement", "text", "sentence", "quote"),
    "source": ("speaker", "source", "claimant", "author", "said by", "who", "person"),
    "date": ("date", "claim date", "published", "date published", "when"),
    "verdict": ("verdict", "label", "rating", "ruling", "truth", "truth rating", "alternatename"),
    "url": ("url", "link", "address", "review url", "source url"),
    "context": ("context", "passage", "evidence", "justification", "venue"),
}
MAPPING_VERSION = 1


@dataclass(frozen=True)
class Mapping:
    """Field -> column, the verdict preset (or None), custom label grades and new sources' kind."""

    columns: dict[str, str] = field(default_factory=dict)
    verdict_preset: str | None = None
    verdicts: dict[str, int] = field(default_factory=dict)
    source_kind: SourceKind = SourceKind.OUTLET

    def to_json(self) -> dict[str, Any]:
        return {
            "corroborate_mapping": MAPPING_VERSION,
            "columns": {f: self.columns[f] for f in FIELDS if self.columns.get(f)},
            "verdict_preset": self.verdict_preset,
            "verdicts": dict(self.verdicts),
            "source_kind": self.source_kind.value,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Any, where: str) -> Mapping:
        if not isinstance(data, dict):
            raise ImportFileError(f"{where}: a mapping is a JSON object.")
        columns = data.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise ImportFileError(f"{where}: “columns” must map fields to column names.")
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ImportFileError(f"{where}: unknown field {unknown[0]!r}; fields are {', '.join(FIELDS)}.")
        preset = data.get("verdict_preset")
        if preset is not None and preset not in PRESETS:
            raise ImportFileError(
                f"{where}: unknown verdict preset {preset!r}; presets are {', '.join(PRESETS)}."
            )
        verdicts = data.get("verdicts", {}) or {}
        if not isinstance(verdicts, dict) or not all(
            isinstance(g, int) and not isinstance(g, bool) and 1 <= g <= 6 for g in verdicts.values()
        ):
            raise ImportFileError(f"{where}: “verdicts” must map labels to credibility grades 1 to 6.")
        try:
            kind = SourceKind(data.get("source_kind", SourceKind.OUTLET.value))
        except ValueError as error:
            raise ImportFileError(f"{where}: unknown source kind {data.get('source_kind')!r}.") from error
        return cls(dict(columns), preset, {str(k): int(v) for k, v in verdicts.items()}, kind)

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            data = parse_json(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from error
        except UnicodeDecodeError as error:
            raise ImportFileError(f"{path}: a mapping is UTF-8 text; this file is not.") from error
        except JsonProblem as problem:
            raise ImportFileError(f"{path}: {problem.at()}.") from problem
        return cls.from_json(data, str(path))

    @classmethod
    def from_pairs(cls, pairs: Sequence[str], base: Mapping | None = None) -> Mapping:
        """`text=claim source=speaker …` on top of `base` (a loaded mapping or a guess)."""
        columns = dict(base.columns) if base else {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            name = name.strip().lower()
            if not sep or name not in FIELDS:
                raise ImportFileError(
                    f"--map {pair}: write FIELD=COLUMN, where FIELD is one of {', '.join(FIELDS)}."
                )
            if column:
                columns[name] = column
            else:
                columns.pop(name, None)
        if base is None:
            return cls(columns)
        return cls(columns, base.verdict_preset, dict(base.verdicts), base.source_kind)

    def with_preset(self, preset: str | None) -> Mapping:
        if preset is not None and preset not in PRESETS:
            raise ImportFileError(f"Unknown verdict preset {preset!r}; presets are {', '.join(PRESETS)}.")
        return Mapping(dict(self.columns), preset, dict(self.verdicts), self.source_kind)

    def resolved(self, dataset: Dataset) -> Mapping:
        """The same mapping with column numbers replaced by names; unknown columns are an error."""
        columns: dict[str, str] = {}
        for name, column in self.columns.items():
            if column in dataset.columns:
                columns[name] = column
            elif re.fullmatch(r"\d+", column.strip()) and 1 <= int(column) <= len(dataset.columns):
                columns[name] = dataset.columns[int(column) - 1]
            else:
                shown = ", ".join(dataset.columns[:12]) + (" …" if len(dataset.columns) > 12 else "")
                raise ImportFileError(
                    f"{dataset.path}: the mapping puts {FIELD_LABELS[name].lower()} in column "
                    f"{column!r}, which the file does not have (columns: {shown or 'none'})."
                )
        if not columns.get("text"):
            raise ImportFileError(
                f"{dataset.path}: say which column holds the claim text (e.g. --map text=COLUMN)."
            )
        return Mapping(columns, self.verdict_preset, dict(self.verdicts), self.source_kind)


def guess_mapping(dataset: Dataset) -> Mapping:
    """The format's own mapping (ClaimReview), else a guess from column names; possibly incomplete."""
    if dataset.suggested:
        return Mapping(dict(dataset.suggested))
    keys = {label_key(column): column for column in reversed(dataset.columns)}
    columns: dict[str, str] = {}
    used: set[str] = set()
    for name in FIELDS:
        for likely in _LIKELY[name]:
            column = keys.get(likely)
            if column is not None and column not in used:
                columns[name] = column
                used.add(column)
                break
    return Mapping(columns)


def guess_preset(labels: Sequence[str]) -> str | None:
    """The preset that knows most of these labels, if it knows at least half of them."""
    keys = [label_key(label) for label in labels if label]
    if not keys:
        return None
    best, known = None, 0
    for name, table in PRESETS.items():
        count = sum(1 for key in keys if key in table)
        if count > known:
            best, known = name, count
    return best if known * 2 >= len(keys) else None


def apply_mapping(dataset: Dataset, mapping: Mapping) -> tuple[list[ImportedClaim], list[Skipped]]:
    """Claims ready to write, and the records left out (no claim text) with where they are."""
    mapping = mapping.resolved(dataset)
    claims: list[ImportedClaim] = []
    skipped: list[Skipped] = []
    for record in dataset.records:
        claim = map_record(record, mapping)
        if claim is None:
            skipped.append(Skipped(record.position, f"no claim text in column “{mapping.columns['text']}”"))
        else:
            claims.append(claim)
    return claims, skipped


def map_record(record: Record, mapping: Mapping) -> ImportedClaim | None:
    """One record with a resolved mapping applied; None when it has no claim text."""
    columns = mapping.columns

    def cell(name: str) -> str | None:
        column = columns.get(name)
        if not column:
            return None
        text = " ".join(value_text(record.values.get(column)).split())
        return text or None

    text = cell("text")
    if text is None:
        return None
    used = set(columns.values())
    extra = {
        column: value
        for column, value in record.values.items()
        if column not in used and value is not None and value != ""
    }

    def raw(name: str) -> str | None:
        # Verdict and context keep their own spacing and line breaks: they are quoted, not searched.
        column = columns.get(name)
        return (value_text(record.values.get(column)).strip() or None) if column else None

    verdict = raw("verdict")
    return ImportedClaim(
        text=text,
        position=record.position,
        speaker=cell("source"),
        date=cell("date"),
        url=cell("url"),
        verdict_label=verdict,
        context=raw("context"),
        credibility=credibility_for(verdict, mapping.verdict_preset, mapping.verdicts),
        extra=extra,
    )


class PlannedClaims(Sequence[ImportedClaim]):
    """The claims of a plan, kept as the store's import rows and their positions.

    A million ImportedClaim objects would cost memory and long garbage-collector passes (see
    dataset.py); an ImportedClaim is made only when one is asked for, and the writer takes the rows.
    """

    def __init__(self, rows: list[ImportRow], positions: Sequence[str]) -> None:
        self.rows = rows
        self.positions = positions

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> ImportedClaim: ...

    @overload
    def __getitem__(self, index: slice) -> list[ImportedClaim]: ...

    def __getitem__(self, index: int | slice) -> ImportedClaim | list[ImportedClaim]:
        if isinstance(index, slice):
            return [self._claim(i) for i in range(*index.indices(len(self.rows)))]
        if index < 0:
            index += len(self.rows)
        if not 0 <= index < len(self.rows):
            raise IndexError("claim index out of range")
        return self._claim(index)

    def _claim(self, index: int) -> ImportedClaim:
        text, context, speaker, date, url, verdict, extra, credibility = self.rows[index]
        return ImportedClaim(
            text=text,
            position=self.positions[index],
            speaker=speaker,
            date=date,
            url=url,
            verdict_label=verdict,
            context=context,
            credibility=credibility,
            extra=json.loads(extra) if extra else {},
        )

    def texts(self) -> list[str]:
        return [row[0] for row in self.rows]

    def release(self) -> None:
        """Let go of every row, a slice at a time (see dataset.release_rows); no claims are left."""
        release_rows(self.rows)
        self.positions = []


class _LinePositions(Sequence[str]):
    """ "line N" for each kept row of a delimited file, from an array of line numbers."""

    def __init__(self, lines: array[int]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [f"line {n}" for n in self._lines[index]]
        return f"line {self._lines[index]}"


_CANCEL_EVERY = 20_000  # rows mapped between two looks at Cancel


def plan_claims(
    dataset: Dataset, mapping: Mapping, cancelled: Callable[[], bool] | None = None
) -> tuple[PlannedClaims, list[Skipped]]:
    """apply_mapping's result as PlannedClaims; a delimited file's rows are mapped column by column."""
    mapping = mapping.resolved(dataset)
    if not isinstance(dataset.records, RowTable):
        claims, skipped = apply_mapping(dataset, mapping)
        return PlannedClaims([import_row(c) for c in claims], [c.position for c in claims]), skipped
    return _plan_table(dataset.records, mapping, cancelled)


def _plan_table(
    table: RowTable, mapping: Mapping, cancelled: Callable[[], bool] | None
) -> tuple[PlannedClaims, list[Skipped]]:
    """What map_record does to each record, read straight from the row tuples (the same results)."""
    names = table.columns
    where = {name: index for index, name in enumerate(names)}  # a repeated name: the last one, as in a Record

    def at(name: str) -> int | None:
        column = mapping.columns.get(name)
        return where[column] if column else None

    text_at, source_at, date_at = at("text"), at("source"), at("date")
    verdict_at, url_at, context_at = at("verdict"), at("url"), at("context")
    assert text_at is not None  # resolved() requires it
    used = set(mapping.columns.values())
    extra_at = [(index, name) for index, name in enumerate(names) if name not in used]
    width = len(names)
    grades: dict[str, int | None] = {}
    reason = f"no claim text in column “{mapping.columns['text']}”"
    rows: list[ImportRow] = []
    kept = array("q")
    skipped: list[Skipped] = []
    lines = table.lines
    for number, cells in enumerate(table.rows):
        if number % GIVE_WAY_EVERY == 0:
            give_way()  # a worker thread beside the window (core/threads.py)
        if number % _CANCEL_EVERY == 0 and cancelled is not None and cancelled():
            raise ImportCancelled("Import cancelled; nothing was added.")
        if len(cells) < width:
            cells = cells + ("",) * (width - len(cells))
        text = " ".join(cells[text_at].split())
        if not text:
            skipped.append(Skipped(f"line {lines[number]}", reason))
            continue
        verdict = (cells[verdict_at].strip() or None) if verdict_at is not None else None
        if verdict is None:
            grade = None
        elif verdict in grades:
            grade = grades[verdict]
        else:
            grade = grades[verdict] = credibility_for(verdict, mapping.verdict_preset, mapping.verdicts)
        extra = {name: cells[index] for index, name in extra_at if cells[index] != ""}
        rows.append(
            (
                text,
                (cells[context_at].strip() or None) if context_at is not None else None,
                (" ".join(cells[source_at].split()) or None) if source_at is not None else None,
                (" ".join(cells[date_at].split()) or None) if date_at is not None else None,
                (" ".join(cells[url_at].split()) or None) if url_at is not None else None,
                verdict,
                encode_extra(extra) if extra else None,
                grade,
            )
        )
        kept.append(lines[number])
    return PlannedClaims(rows, _LinePositions(kept)), skipped
