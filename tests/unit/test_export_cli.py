"""`corroborate export` as a person runs it: filters, saved sets, every format including PDF, clear refusals."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from export_data import PUBLISHER, reviewed_sample
from terminal_run import percentages, run_on_terminal

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField
from desktop.store import Store


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def reviewed(sample_copy: Path) -> Path:
    reviewed_sample(sample_copy)
    return sample_copy


def _without_export_time(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document.pop("exported_at")
    return document


def _claim_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(dict.fromkeys(row["claim_id"] for row in csv.DictReader(handle)))


def _store_ids(path: Path, query: ClaimQuery) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        return [str(i) for i in store.claim_ids(query)]
    finally:
        store.close()


def test_help_documents_formats_and_filters() -> None:
    result = run("export", "--help")
    assert result.returncode == 0
    for word in (
        "csv",
        "jsonl",
        "claimreview",
        "sqlite",
        "pdf",
        "--status",
        "--reviewer",
        "--source",
        "--reliability",
        "--credibility",
        "--search",
        "--set",
        "--bom",
        "--publisher-url",
    ):
        assert word in result.stdout, word


@pytest.mark.parametrize(
    ("filters", "query"),
    [
        ((), ClaimQuery("")),
        (
            ("--reviewer", "ana", "--status", "reviewed"),
            ClaimQuery("ana", statuses=frozenset({Status.REVIEWED})),
        ),
        (
            ("--reviewer", "ana", "--status", "reviewed", "--status", "disputed"),
            ClaimQuery("ana", statuses=frozenset({Status.REVIEWED, Status.DISPUTED})),
        ),
        (
            ("--reviewer", "ana", "--reliability", "B", "--reliability", "none"),
            ClaimQuery("ana", reliabilities=frozenset({"B", None})),
        ),
        (("--reviewer", "ana", "--credibility", "4"), ClaimQuery("ana", credibilities=frozenset({4}))),
        (("--source", "Yonhap"), ClaimQuery("", source_ids=frozenset({2}))),
        (("--source", "south korean intelligence"), ClaimQuery("", source_ids=frozenset({1}))),  # an alias
        (("--search", "drones"), ClaimQuery("", text="drones")),
    ],
)
def test_filters_export_exactly_the_matching_claims(
    reviewed: Path, tmp_path: Path, filters: tuple[str, ...], query: ClaimQuery
) -> None:
    target = tmp_path / "out.csv"
    result = run("export", reviewed, "--format", "csv", "-o", target, *filters)
    assert result.returncode == 0, result.stderr
    expected = _store_ids(reviewed, query)
    assert expected, "a filter matching nothing would prove little"
    assert _claim_ids(target) == expected
    assert f"{len(expected)} claim{'' if len(expected) == 1 else 's'}," in result.stdout


def test_reviewer_option_keeps_only_that_reviewers_reviews(reviewed: Path, tmp_path: Path) -> None:
    target = tmp_path / "lee.json"
    assert run("export", reviewed, "-f", "json", "--reviewer", "lee", "-o", target).returncode == 0
    claims = json.loads(target.read_text(encoding="utf-8"))["claims"]
    assert {r["reviewer"] for c in claims for r in c["reviews"]} == {"lee"}


def test_a_saved_set_is_exported_in_its_order(reviewed: Path, tmp_path: Path) -> None:
    store = Store.open(reviewed)
    store.save_set("for the editor", "ana", claim_ids=[5, 2, 9])
    store.set_review_field(9, "ana", ReviewField.STATUS, "reviewed")
    store.close()
    target = tmp_path / "set.csv"
    result = run("export", reviewed, "-f", "csv", "--set", "for the editor", "-o", target)
    assert result.returncode == 0, result.stderr
    assert _claim_ids(target) == ["5", "2", "9"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "reviewed"), "name whose with --reviewer"),
        (("--source", "Nobody at all"), "--source 'Nobody at all': no source of that name"),
        (("--reviewer", "ana", "--reliability", "G"), "--reliability 'G': reliability must be one of A–F"),
        (("--set", "missing"), "no saved set called 'missing'"),
        (("--set", "x", "--search", "y"), "cannot be combined with filters"),
    ],
)
def test_bad_filters_are_one_clear_line_and_exit_2(
    reviewed: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    target = tmp_path / "out.csv"
    result = run("export", reviewed, "-f", "csv", "-o", target, *args)
    assert result.returncode == 2
    assert result.stderr.startswith("corroborate: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_claimreview_from_the_command_line(reviewed: Path, tmp_path: Path) -> None:
    target = tmp_path / "reviews.jsonld"
    missing = run("export", reviewed, "-f", "claimreview", "-o", target)
    assert missing.returncode == 2 and "publisher's name" in missing.stderr
    result = run(
        "export",
        reviewed,
        "-f",
        "claimreview",
        "-o",
        target,
        "--publisher-name",
        PUBLISHER.publisher_name,
        "--publisher-url",
        PUBLISHER.publisher_url,
    )
    assert result.returncode == 0, result.stderr
    first = json.loads(target.read_text(encoding="utf-8"))[0]
    assert first["url"] == PUBLISHER.publisher_url + "1"


def test_pdf_report_has_pages(reviewed: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = run("export", reviewed, "--format", "pdf", "-o", target)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")
    assert pages >= 2, "15 claims with their chains and reviews fill more than one page"


def test_export_works_while_the_file_is_open_for_editing(reviewed: Path, tmp_path: Path) -> None:
    editing = Store.open(reviewed, reviewer="ana")
    try:
        result = run("export", reviewed, "-f", "jsonl", "-o", tmp_path / "live.jsonl")
    finally:
        editing.close()
    assert result.returncode == 0, result.stderr


def test_on_a_terminal_an_export_shows_its_progress_and_in_a_script_only_its_summary(
    reviewed: Path, tmp_path: Path
) -> None:
    piped = run("export", reviewed, "--format", "json", "--output", tmp_path / "piped.json")
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""
    assert piped.stdout.startswith(f"wrote {tmp_path / 'piped.json'}: 15 claims")

    process, shown = run_on_terminal(
        "export", reviewed, "--format", "json", "--output", tmp_path / "shown.json"
    )
    assert process.returncode == 0, shown
    assert "exporting to shown.json: " in shown
    assert percentages(shown)[-1] == 100
    # The two runs may straddle a second, so only the export time may differ.
    assert _without_export_time(tmp_path / "shown.json") == _without_export_time(tmp_path / "piped.json")
