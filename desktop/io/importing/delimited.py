"""CSV and TSV: delimiter sniffing, header or not, ragged rows, and TSV's lack of quoting.

CSV follows RFC 4180 as spreadsheet programs write it: a quoted field may hold the delimiter,
doubled quotes and line breaks. TSV has no quoting convention at all: a tab ends a field, a line
break ends a row, and a quote mark is just a character, even at the start of a field.

A file is read as a stream (`read_delimited_file`): bytes are decoded a block at a time and parsed a
row at a time, so no single step holds the interpreter for long, however large the file (a worker
thread cannot let the window run during one long call), and the text is never held whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.imports import ImportCancelled, ImportFileError
from desktop.core.threads import GIVE_WAY_EVERY, give_way
from desktop.io.importing.dataset import Dataset, RowTable, unreadable

if TYPE_CHECKING:
    import _csv

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SNIFF_ROWS = 50
# How much of a file's start the delimiter is sniffed from: many times what 50 ordinary rows take.
SNIFF_BYTES = 64 * 1024
# Bytes decoded per step when reading a file, and when looking for the place a decoding error is.
_BLOCK = 64 * 1024
_CANCEL_EVERY = 5_000  # rows between two looks at Cancel
# A line put after a CSV file's last one. The csv module (not strict, which would refuse any stray
# quote a spreadsheet lets through) reads a quote never closed to the end of the file without a
# word: the rest of the file becomes one cell. Then this line lands inside that cell, and says so.
_END_OF_FILE = "\ue000end of file\ue000"


def _rows(lines: Iterable[str], delimiter: str, *, quoting: bool) -> _csv.Reader:
    return csv.reader(
        lines,
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
            for row in _rows(io.StringIO(text, newline=""), delimiter, quoting=True):
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
    if delimiter is None and not tsv:
        delimiter = sniff_delimiter(text)
    return _read(
        io.StringIO(text, newline=""),
        path,
        tsv=tsv,
        delimiter=delimiter,
        header=header,
        encoding=encoding,
        cancelled=cancelled,
    )


def read_delimited_file(
    path: Path,
    encoding: str,
    *,
    tsv: bool,
    delimiter: str | None = None,
    header: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Dataset:
    """Read a CSV or TSV file as a stream; a decoding error names the line and byte where it happens."""
    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise ImportFileError(f"{path}: “{encoding}” is not an encoding this program knows.") from error
    try:
        with path.open("rb") as raw:
            if delimiter is None and not tsv:
                sample = codecs.getincrementaldecoder(encoding)("replace").decode(raw.read(SNIFF_BYTES))
                end = max(sample.rfind("\n"), sample.rfind("\r"))
                delimiter = sniff_delimiter(sample[: end + 1] if end >= 0 else sample)
                raw.seek(0)
            # newline="" hands the csv module line breaks as written, as the format requires.
            with io.TextIOWrapper(raw, encoding=encoding, newline="") as lines:
                try:
                    return _read(
                        lines,
                        path,
                        tsv=tsv,
                        delimiter=delimiter,
                        header=header,
                        encoding=encoding,
                        cancelled=cancelled,
                    )
                except UnicodeDecodeError as error:
                    raise _decoding_error(path, encoding) from error
    except OSError as error:
        raise unreadable(path, error) from error


def _decoding_error(path: Path, encoding: str) -> ImportFileError:
    """The line and byte where `path` stops being `encoding`, found by decoding it again block by block."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = newlines = 0
    with path.open("rb") as raw:
        while True:
            block = raw.read(_BLOCK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                at = max(offset - pending + error.start, 0)
                line = newlines + block[: max(at - offset, 0)].count(b"\n") + 1
                return ImportFileError(
                    f"{path}: line {line} (byte {at + 1}) cannot be read as {encoding}; choose another encoding."
                )
            if not block:
                break
            offset += len(block)
            newlines += block.count(b"\n")
    # The text decoder saw something the byte-by-byte decoder accepts: say so without a position.
    return ImportFileError(f"{path} cannot be read as {encoding}; choose another encoding.")


def _read(
    lines: Iterable[str],
    path: Path,
    *,
    tsv: bool,
    delimiter: str | None,
    header: bool,
    encoding: str | None,
    cancelled: Callable[[], bool] | None,
) -> Dataset:
    if delimiter is None:
        delimiter = "\t" if tsv else ","
    if len(delimiter) != 1:
        raise ImportFileError(f"{path}: the delimiter must be one character, not {delimiter!r}.")
    text_lines = _without_mark(lines)
    if not tsv:
        text_lines = itertools.chain(text_lines, [f"{_END_OF_FILE}\n"])
    reader = _rows(text_lines, delimiter, quoting=not tsv)
    names: list[str] = []
    table = RowTable(names)
    dataset = Dataset(path, "tsv" if tsv else "csv", encoding, names, table, delimiter=delimiter)
    width: int | None = None  # None until the header (or the first row) is seen
    line_before = 0
    try:
        for number, row in enumerate(reader):
            start_line = line_before + 1
            line_before = reader.line_num
            if number % GIVE_WAY_EVERY == 0:
                give_way()  # this runs on a worker thread beside the window (core/threads.py)
            if number % _CANCEL_EVERY == 0 and cancelled is not None and cancelled():
                raise ImportCancelled(f"Import of {path} cancelled; nothing was added.")
            # A row of blanks only is no record (joined, one string test instead of one per cell).
            joined = "".join(row)
            if not row or not joined.strip():
                continue
            if _END_OF_FILE in joined:
                if row == [_END_OF_FILE]:
                    break  # the file's quotes all closed
                raise _unclosed_quote(path, start_line, row, names)
            if width is None:
                width = 0
                if header:
                    names.extend(_column_names(row))
                    width = len(names)
                    continue
            if len(row) > width:
                if header and width:
                    dataset.notes.append(
                        f"line {start_line} has {len(row)} fields but the header has {width}: "
                        "the extra ones are kept as extra data."
                    )
                names.extend(f"column {n}" for n in range(width + 1, len(row) + 1))
                width = len(names)
            table.append(start_line, tuple(row))
    except csv.Error as error:
        raise ImportFileError(f"{path}: line {reader.line_num}: {error}.") from error
    return dataset


def _unclosed_quote(path: Path, line: int, row: list[str], names: list[str]) -> ImportFileError:
    field = next(index for index, cell in enumerate(row) if _END_OF_FILE in cell)
    name = f" (“{names[field]}”)" if field < len(names) else ""
    return ImportFileError(
        f"{path}: line {line}, field {field + 1}{name}: a quoted field opened here is never closed, "
        "so the rest of the file would be read as one cell. Close the quote (or double a quote meant "
        "as a character) and import again; nothing was added."
    )


def _without_mark(lines: Iterable[str]) -> Iterable[str]:
    """The lines, less a byte-order mark left at the start by a plain UTF-8 or UTF-16 choice.

    Left in, it would become part of the first column's name.
    """
    iterator = iter(lines)
    for first in iterator:
        yield first.removeprefix("\ufeff")
        break
    yield from iterator


def _column_names(row: list[str]) -> list[str]:
    names: list[str] = []
    for index, cell in enumerate(row, start=1):
        name = " ".join(cell.split()) or f"column {index}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names
