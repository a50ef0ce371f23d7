"""JSON (an array of objects) and JSON Lines (one object per line).

Syntax errors stop the import and name the line and column; a value that is not an object is
skipped and reported by its record or line number, and the rest come in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.imports import ImportFileError
from desktop.io.importing.dataset import Dataset, JsonProblem, Record, Skipped, parse_json


def read_json(text: str, path: Path, *, encoding: str | None = None) -> Dataset:
    try:
        data = parse_json(text)
    except JsonProblem as problem:
        raise ImportFileError(f"{path}: {problem.at()}.") from problem
    if isinstance(data, dict):
        # A wrapper object holding the list under one key ("claims", "data", …) is common enough.
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise ImportFileError(f"{path}: expected an array of objects, found an object.")
        data = lists[0]
    if not isinstance(data, list):
        raise ImportFileError(f"{path}: expected an array of objects, found {type(data).__name__}.")
    dataset = Dataset(path, "json", encoding, [], [])
    for number, item in enumerate(data, start=1):
        _add(dataset, f"record {number}", item)
    return dataset


def read_jsonl(text: str, path: Path, *, encoding: str | None = None) -> Dataset:
    dataset = Dataset(path, "jsonl", encoding, [], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = parse_json(line)
        except JsonProblem as problem:
            raise ImportFileError(f"{path}: {problem.at(number)}.") from problem
        _add(dataset, f"line {number}", item)
    return dataset


def _add(dataset: Dataset, position: str, item: Any) -> None:
    if not isinstance(item, dict):
        dataset.skipped.append(Skipped(position, f"expected an object, found {_kind(item)}"))
        return
    values = {str(key): value for key, value in item.items()}
    for key in values:
        if key not in dataset.columns:
            dataset.columns.append(key)
    dataset.add(Record(position, values))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {list: "an array", str: "text", bool: "true/false"}.get(type(value), "a number")
