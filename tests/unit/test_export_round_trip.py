"""Round trips: export to JSON, JSON Lines or SQLite, load into an empty file, and everything comes back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_data import all_records, reviewed_sample

from desktop.core.model import ClaimQuery
from desktop.io.export import ExportOptions, export
from desktop.io.import_json import ExportFileError, load_export
from desktop.io.import_sqlite import load_corroborate_file
from desktop.store import Store
from desktop.store.snapshot import sources_of


@pytest.fixture
def reviewed(sample_copy: Path) -> Path:
    reviewed_sample(sample_copy)
    return sample_copy


def _export(source: Path, format: str, target: Path, options: ExportOptions | None = None) -> None:
    store = Store.open(source, read_only=True)
    try:
        export(store, ClaimQuery(""), format, target, options)
    finally:
        store.close()


def _sources(path: Path) -> list:
    store = Store.open(path, read_only=True)
    try:
        return sources_of(store, store.claim_ids(ClaimQuery("")))
    finally:
        store.close()


def _load(format: str, exported: Path, empty: Path) -> None:
    store = Store.open(empty, create=True)
    try:
        if format == "sqlite":
            result = load_corroborate_file(store, exported)
        else:
            result = load_export(store, exported)
    finally:
        store.close()
    assert result.claims == 15 and result.kept_ids


@pytest.mark.parametrize(("format", "suffix"), [("json", ".json"), ("jsonl", ".jsonl"), ("sqlite", ".db")])
def test_round_trip_into_an_empty_file_gives_back_every_claim(
    reviewed: Path, tmp_path: Path, format: str, suffix: str
) -> None:
    exported = tmp_path / f"export{suffix}"
    empty = tmp_path / "empty.db"
    _export(reviewed, format, exported, ExportOptions(include_log=True))
    _load(format, exported, empty)
    original, copy = all_records(reviewed), all_records(empty)
    assert len(copy) == 15
    # Claims (text, passage, anchor, article), chains with origin marks, reviews, evidence, media, log.
    for before, after in zip(original, copy, strict=True):
        assert after == before, f"claim {before.id} differs after the round trip"
    assert sum(len(r.evidence) for r in copy) == 3 and sum(len(r.reviews) for r in copy) == 8
    assert copy[2].media is not None
    assert _sources(empty) == _sources(reviewed)


def test_json_without_the_log_still_gives_back_claims_and_reviews(reviewed: Path, tmp_path: Path) -> None:
    exported, empty = tmp_path / "export.json", tmp_path / "empty.db"
    _export(reviewed, "json", exported)
    _load("json", exported, empty)
    original = all_records(reviewed, include_changes=False)
    assert all_records(empty, include_changes=False) == original


def test_a_bad_record_names_its_place_and_changes_nothing(reviewed: Path, tmp_path: Path) -> None:
    exported, target = tmp_path / "export.json", tmp_path / "target.db"
    _export(reviewed, "json", exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["claims"][2]["reviews"][0]["credibility"] = 9
    exported.write_text(json.dumps(data), encoding="utf-8")
    Store.open(target, create=True).close()
    store = Store.open(target)
    try:
        with pytest.raises(
            ExportFileError, match=r"claims\[2\]\.reviews\[0\]\.credibility: credibility must be"
        ):
            load_export(store, exported)
        assert store.count_claims() == 0
    finally:
        store.close()


def test_a_newer_export_version_is_refused(reviewed: Path, tmp_path: Path) -> None:
    exported, target = tmp_path / "export.jsonl", tmp_path / "target.db"
    _export(reviewed, "jsonl", exported)
    lines = exported.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["version"] = 99
    exported.write_text("\n".join([json.dumps(header), *lines[1:]]), encoding="utf-8")
    store = Store.open(target, create=True)
    try:
        with pytest.raises(ExportFileError, match="line 1: export version 99 was written by a newer"):
            load_export(store, exported)
    finally:
        store.close()
