"""CSV and TSV: delimiter sniffing, header or not, ragged rows, and TSV's lack of quoting.

CSV follows RFC 4180 as spreadsheet programs write it: a quoted field may hold the delimiter,
doubled quotes and line breaks. TSV has no quoting convention at all: a tab ends a field, a line
break ends a row, and a quote mark is just a character, even at the start of a field.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from desktop.core.imports import ImportCancelled, ImportFileError
from desktop.io.importing.dataset import Dataset, Record

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SNIFF_ROWS = 50


def _rows(text: str, delimiter: str, *, quoting: bool) -> csv._reader:
    return csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
        strict=False,
    )


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first rows most consistently into the most columns."""
    best, best_score = ",", (-1, -1)
    for delimiter in CANDIDATE_DELIMITERS:
        counts: list[int] = []
        try:
            for row in _rows(text, delimiter, quoting=True):
                if row:
                    counts.append(len(row))
                if len(counts) >= _SNIFF_ROWS:
                    break
        except csv.Error:
            continue
        if not counts:
            continue
        width, agreeing = Counter(counts).most_common(1)[0]
        score = (agreeing if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_delimited(
    text: str,
    path: Path,
    *,
    tsv: bool,
    delimiter: str | None = None,
    header: bool = True,
    encoding: str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Dataset:
    """Read CSV (or TSV when `tsv`) text into a Dataset; missing cells are empty, extra cells kept."""
    if delimiter is None:
        delimiter = "\t" if tsv else sniff_delimiter(text)
    if len(delimiter) != 1:
        raise ImportFileError(f"{path}: the delimiter must be one character, not {delimiter!r}.")
    reader = _rows(text, delimiter, quoting=not tsv)
    dataset = Dataset(path, "tsv" if tsv else "csv", encoding, [], [], delimiter=delimiter)
    columns: list[str] | None = None
    line_before = 0
    try:
        for number, row in enumerate(reader):
            start_line = line_before + 1
            line_before = reader.line_num
            if number % 5_000 == 0 and cancelled is not None and cancelled():
                raise ImportCancelled(f"Import of {path} cancelled; nothing was added.")
            if not row or all(not cell.strip() for cell in row):
                continue
            if columns is None:
                if header:
                    columns = _column_names(row)
                    continue
                columns = []
            if len(row) > len(columns):
                if header and columns:
                    dataset.notes.append(
                        f"line {start_line} has {len(row)} fields but the header has {len(columns)}: "
                        "the extra ones are kept as extra data."
                    )
                columns.extend(f"column {n}" for n in range(len(columns) + 1, len(row) + 1))
            values = {name: row[i] if i < len(row) else "" for i, name in enumerate(columns)}
            dataset.records.append(Record(f"line {start_line}", values))
    except csv.Error as error:
        raise ImportFileError(f"{path}: line {reader.line_num}: {error}.") from error
    dataset.columns = columns or []
    # Rows shorter than the header get empty cells; a row from before a longer row was seen lacks
    # the later columns, which is the same thing.
    for record in dataset.records:
        for name in dataset.columns:
            record.values.setdefault(name, "")
    return dataset


def _column_names(row: list[str]) -> list[str]:
    names: list[str] = []
    for index, cell in enumerate(row, start=1):
        name = " ".join(cell.split()) or f"column {index}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names
