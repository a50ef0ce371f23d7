"""What a dataset says of a claim besides its text (date, address, verdict, other columns) leaves
the file with it: in every export, and back again when an export is loaded into another file."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField
from desktop.io.export import ExportOptions, export
from desktop.io.import_json import load_export
from desktop.io.import_sqlite import load_corroborate_file
from desktop.store import Store

DATASET = (
    "statement,speaker,when,link,ruling,desk\n"
    "The harbour bridge carried 90000 cars a day,Mayor Olin,2025-03-14,https://example.net/olin,"
    "Mostly false,transport\n"
    'Ferry fares doubled last spring,Councillor Ash,2024-05-01,,"=HALF ""TRUE""",\n'
    "Nobody counted the night buses,,,,,\n"
)


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """A new file holding the three claims of DATASET, imported through the command line."""
    db = tmp_path / "desk.db"
    assert run_cli("new", db).returncode == 0
    data = tmp_path / "rulings.csv"
    data.write_text(DATASET, encoding="utf-8")
    done = run_cli(
        "import", db, data, "--map", "text=statement", "--map", "source=speaker", "--map", "date=when",
        "--map", "url=link", "--map", "verdict=ruling", "--reviewer", "ana",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return db


def _fields_by_text(path: Path) -> dict[str, dict[str, Any]]:
    store = Store.open(path, read_only=True)
    try:
        found = {}
        for claim_id in store.claim_ids(ClaimQuery("")):
            detail = store.claim_detail(claim_id)
            assert detail is not None
            fields = store.imported_fields(claim_id)
            found[detail.text] = {key: fields.get(key) for key in ("date", "url", "verdict_label", "extra")}
        return found
    finally:
        store.close()


def test_the_json_export_carries_them_and_loading_it_restores_them(imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "desk.json"
    done = run_cli("export", imported, "--format", "json", "-o", out)
    assert done.returncode == 0, done.stderr
    claims = {claim["text"]: claim for claim in json.loads(out.read_text(encoding="utf-8"))["claims"]}
    assert claims["The harbour bridge carried 90000 cars a day"]["dataset"] == {
        "date": "2025-03-14",
        "url": "https://example.net/olin",
        "verdict_label": "Mostly false",
        "extra": {"desk": "transport"},
    }
    assert claims["Ferry fares doubled last spring"]["dataset"]["verdict_label"] == '=HALF "TRUE"'

    copy = tmp_path / "colleague.db"
    store = Store.open(copy, create=True, reviewer="bo")
    try:
        load_export(store, out)
    finally:
        store.close()
    assert _fields_by_text(copy) == _fields_by_text(imported)


def test_the_sqlite_export_keeps_them_and_merging_it_keeps_them(imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "for-colleague.db"
    done = run_cli("export", imported, "--format", "sqlite", "-o", out)
    assert done.returncode == 0, done.stderr
    original = _fields_by_text(imported)
    assert original["The harbour bridge carried 90000 cars a day"]["extra"] == {"desk": "transport"}
    assert _fields_by_text(out) == original

    # Merged into another file, then again: the second time every claim is recognised, not doubled.
    other = tmp_path / "other.db"
    store = Store.open(other, create=True, reviewer="bo")
    try:
        load_corroborate_file(store, out)
        again = load_corroborate_file(store, out)
        assert again.merged is not None and again.merged.claims_merged == 3
    finally:
        store.close()
    merged = Store.open(other, read_only=True)
    try:
        assert merged.count_claims() == 3
    finally:
        merged.close()
    assert _fields_by_text(other) == original


def test_csv_rows_give_the_dataset_date_address_and_verdict(imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "desk.csv"
    done = run_cli("export", imported, "--format", "csv", "-o", out)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {row["claim"]: row for row in csv.DictReader(handle)}
    bridge = rows["The harbour bridge carried 90000 cars a day"]
    assert (bridge["claim_date"], bridge["appearance_url"], bridge["verdict_as_published"]) == (
        "2025-03-14",
        "https://example.net/olin",
        "Mostly false",
    )
    ferry = rows["Ferry fares doubled last spring"]
    # A verdict a spreadsheet would run as a formula is neutralised like every other cell.
    assert (ferry["appearance_url"], ferry["verdict_as_published"]) == ("", '\'=HALF "TRUE"')
    buses = rows["Nobody counted the night buses"]
    assert (buses["claim_date"], buses["appearance_url"], buses["verdict_as_published"]) == ("", "", "")


def test_claimreview_names_where_and_when_the_dataset_says_the_claim_was_made(
    imported: Path, tmp_path: Path
) -> None:
    store = Store.open(imported, reviewer="ana")
    try:
        ids = store.claim_ids(ClaimQuery("ana"))
        for claim_id in ids:
            store.set_review_field(claim_id, "ana", ReviewField.CREDIBILITY, 4)
            store.set_review_field(claim_id, "ana", ReviewField.STATUS, Status.REVIEWED)
        out = tmp_path / "desk.jsonld"
        options = ExportOptions(publisher_name="Harbour Desk", publisher_url="https://desk.example/")
        export(store, ids, "claimreview", out, options)
    finally:
        store.close()
    reviews = {review["claimReviewed"]: review for review in json.loads(out.read_text(encoding="utf-8"))}
    bridge = reviews["The harbour bridge carried 90000 cars a day"]["itemReviewed"]
    assert bridge["appearance"] == {"@type": "CreativeWork", "url": "https://example.net/olin"}
    assert bridge["datePublished"] == "2025-03-14"
    ferry = reviews["Ferry fares doubled last spring"]["itemReviewed"]
    assert "appearance" not in ferry and ferry["datePublished"] == "2024-05-01"
    buses = reviews["Nobody counted the night buses"]["itemReviewed"]
    assert "appearance" not in buses and "datePublished" not in buses


def test_the_report_says_what_the_dataset_said(imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "desk.html"
    done = run_cli("export", imported, "--format", "html", "-o", out)
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    assert (
        "From the dataset: verdict as published “Mostly false”; dated 2025-03-14; "
        'at <a href="https://example.net/olin">https://example.net/olin</a>; desk: transport.'
    ) in report
    assert "From the dataset: verdict as published “=HALF &quot;TRUE&quot;”; dated 2024-05-01." in report
    assert report.count("From the dataset:") == 2  # the third claim's dataset gave nothing more


def test_other_columns_written_by_another_program_are_kept_as_text(imported: Path, tmp_path: Path) -> None:
    # A file edited outside Corroborate may hold anything in a claim's other columns.
    store = Store.open(imported, reviewer="ana")
    try:
        first, second = store.claim_ids(ClaimQuery(""))[:2]
        with store._db.atomic():
            store._db.execute("UPDATE claims SET extra = ? WHERE id = ?", ["desk=transport", first])
            store._db.execute("UPDATE claims SET extra = ? WHERE id = ?", ["[1, 2]", second])
    finally:
        store.close()
    out = tmp_path / "desk.json"
    done = run_cli("export", imported, "--format", "json", "-o", out)
    assert done.returncode == 0, done.stderr
    claims = json.loads(out.read_text(encoding="utf-8"))["claims"]
    assert [claim["dataset"]["extra"] for claim in claims[:2]] == [
        {"extra": "desk=transport"},
        {"extra": "[1, 2]"},
    ]
    assert _fields_by_text(imported)["The harbour bridge carried 90000 cars a day"]["extra"] == {
        "extra": "desk=transport"
    }
