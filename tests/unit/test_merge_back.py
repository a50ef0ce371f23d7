"""A colleague's copy merged back: their reviews and evidence land on the same claims, nothing doubles.

Driven as a reviewer would: `corroborate export` to hand a copy on, edits in the copy, then
`corroborate import` of the copy (SQLite or JSON) into the original, read back from the file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.edits import AddEvidence, SetClaimText
from desktop.core.evidence import EvidenceDraft, Stance
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField
from desktop.io.import_json import LoadCancelled
from desktop.io.import_sqlite import load_corroborate_file
from desktop.store import Store

EXPECTED_ERROR = 2


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)], capture_output=True, text=True, check=False
    )


def _grade(path: Path, reviewer: str, grades: dict[int, tuple[int, Status]]) -> None:
    store = Store.open(path, reviewer=reviewer)
    try:
        for claim_id, (credibility, status) in grades.items():
            store.set_review_field(claim_id, reviewer, ReviewField.CREDIBILITY, credibility)
            store.set_review_field(claim_id, reviewer, ReviewField.STATUS, status)
    finally:
        store.close()


def _stamp(path: Path, changed_at: dict[int, str]) -> None:
    store = Store.open(path, reviewer="ana")
    try:
        with store._db.atomic():
            for claim_id, at in changed_at.items():
                store._db.execute(
                    "UPDATE reviews SET updated_at = ? WHERE claim_id = ? AND reviewer = 'ana'",
                    [at, claim_id],
                )
    finally:
        store.close()


def _reviews(path: Path) -> dict[tuple[int, str], tuple[int | None, str]]:
    store = Store.open(path, read_only=True)
    try:
        rows = store._db.execute("SELECT claim_id, reviewer, credibility, status FROM reviews").fetchall()
        return {(row[0], row[1]): (row[2], row[3]) for row in rows}
    finally:
        store.close()


def _count(path: Path, table: str) -> int:
    store = Store.open(path, read_only=True)
    try:
        return int(store._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        store.close()


@pytest.fixture
def original(sample_copy: Path) -> Path:
    """The sample, with ana's grades on claims 1 and 2."""
    _grade(sample_copy, "ana", {1: (3, Status.IN_PROGRESS), 2: (2, Status.REVIEWED)})
    return sample_copy


@pytest.mark.parametrize("form", ["sqlite", "json"])
def test_a_colleagues_reviews_and_evidence_come_back_onto_the_same_claims(
    original: Path, tmp_path: Path, form: str
) -> None:
    copy = tmp_path / "for-bo.db"
    assert run_cli("export", original, "--format", "sqlite", "-o", copy).returncode == 0
    # bo grades three claims in the copy, one of them (2) also graded by ana, and adds evidence.
    _grade(copy, "bo", {2: (4, Status.DISPUTED), 3: (5, Status.REVIEWED), 4: (1, Status.REVIEWED)})
    store = Store.open(copy, reviewer="bo")
    try:
        nhk = next(s for s in store.all_sources() if s.name == "NHK")
        assert nhk.id is not None
        draft = EvidenceDraft(source_id=nhk.id, stance=Stance.CONTRADICTS, excerpt="NHK says otherwise.")
        store.apply(AddEvidence(3, draft), "bo")
    finally:
        store.close()
    returned = copy
    if form == "json":
        returned = tmp_path / "from-bo.json"
        assert run_cli("export", copy, "--format", "json", "--log", "-o", returned).returncode == 0
    before_log = _count(original, "change_log")

    done = run_cli("import", original, returned, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    assert "15 claims already here, merged; 0 new claims added; 3 reviews added" in done.stdout
    assert "1 evidence item added" in done.stdout

    assert _count(original, "claims") == 15
    reviews = _reviews(original)
    assert reviews[(2, "ana")] == (2, "reviewed")  # ana's own review of claim 2 is untouched
    assert reviews[(2, "bo")] == (4, "disputed")
    assert reviews[(3, "bo")] == (5, "reviewed")
    assert reviews[(1, "ana")] == (3, "in_progress")
    store = Store.open(original, read_only=True)
    try:
        assert [(e.source.name, e.stance, e.excerpt) for e in store.evidence_of(3)] == [
            ("NHK", Stance.CONTRADICTS, "NHK says otherwise.")
        ]
        # bo's reviews are found by the reviewer filter and the search index like any others.
        assert set(store.claim_ids(ClaimQuery("ana", reviewer_filter="bo"))) == {2, 3, 4}
    finally:
        store.close()
    # bo's history comes along: one row per grade, status and evidence edit made in the copy.
    assert _count(original, "change_log") == before_log + 7

    # Merging the same copy again changes nothing.
    again = run_cli("import", original, returned, "--reviewer", "ana")
    assert again.returncode == 0, again.stderr
    assert "0 reviews added" in again.stdout and "0 evidence items added" in again.stdout
    assert _reviews(original) == reviews
    assert _count(original, "evidence") == 1
    assert _count(original, "change_log") == before_log + 7


def test_the_review_changed_last_is_kept(original: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copyfile(original, copy)
    _grade(copy, "ana", {1: (6, Status.REVIEWED)})  # ana changes claim 1 in the copy
    _grade(original, "ana", {2: (5, Status.DISPUTED)})  # and claim 2 here
    # Which came last, stated outright (saves a second apart would take a second to make).
    _stamp(copy, {1: "2026-12-02T10:00:00Z", 2: "2026-12-01T10:00:00Z"})
    _stamp(original, {1: "2026-12-01T10:00:00Z", 2: "2026-12-02T10:00:00Z"})
    done = run_cli("import", original, copy, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    reviews = _reviews(original)
    assert reviews[(1, "ana")] == (6, "reviewed")  # the copy's was changed after this file's
    assert reviews[(2, "ana")] == (5, "disputed")  # this file's was changed after the copy's
    assert "1 review here replaced by a later one; 1 review here kept" in done.stdout
    # Differing reviews changed in the same second: this file's stays.
    _stamp(copy, {2: "2026-12-02T10:00:00Z"})
    again = run_cli("import", original, copy, "--reviewer", "ana")
    assert "0 reviews added; 1 review here kept" in again.stdout
    assert _reviews(original)[(2, "ana")] == (5, "disputed")


def test_claims_the_file_lacks_are_added_and_a_reworded_claim_comes_in_as_new(
    original: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    assert run_cli("export", original, "--format", "sqlite", "-o", copy).returncode == 0
    store = Store.open(copy, reviewer="bo")
    try:
        store._db.execute("UPDATE claims SET text = 'Reworded in the copy.' WHERE id = 5")
    finally:
        store.close()
    done = run_cli("import", original, copy, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    assert "14 claims already here, merged; 1 new claim added" in done.stdout
    assert _count(original, "claims") == 16


def test_a_copy_into_an_empty_file_keeps_every_number(original: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    assert run_cli("new", empty).returncode == 0
    done = run_cli("import", empty, original, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    assert "15 claims added, with their numbers kept" in done.stdout
    assert _reviews(empty) == _reviews(original)


def test_a_damaged_copy_is_refused_and_nothing_is_written(original: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "corroborate-export", "version": 1, "claims": [{"id": "x"}]}', encoding="utf-8"
    )
    done = run_cli("import", original, bad, "--reviewer", "ana")
    assert done.returncode == EXPECTED_ERROR
    assert "bad.json" in done.stderr
    assert _count(original, "claims") == 15
    assert _reviews(original) == {(1, "ana"): (3, "in_progress"), (2, "ana"): (2, "reviewed")}


@pytest.mark.parametrize("after", [0, 5])
def test_a_cancelled_merge_writes_nothing(original: Path, tmp_path: Path, after: int) -> None:
    copy = tmp_path / "copy.db"
    assert run_cli("export", original, "--format", "sqlite", "-o", copy).returncode == 0
    _grade(copy, "bo", {3: (2, Status.REVIEWED)})
    asked = 0

    def cancelled() -> bool:  # Cancel pressed before the first claim, or after five
        nonlocal asked
        asked += 1
        return asked > after

    store = Store.open(original, reviewer="ana")
    try:
        with pytest.raises(LoadCancelled, match=r"copy\.db"):
            load_corroborate_file(store, copy, cancelled=cancelled)
    finally:
        store.close()
    assert _reviews(original) == {(1, "ana"): (3, "in_progress"), (2, "ana"): (2, "reviewed")}
    assert _count(original, "claims") == 15


def _reword(path: Path, reviewer: str, claim_id: int, text: str) -> None:
    store = Store.open(path, reviewer=reviewer)
    try:
        store.apply(SetClaimText(claim_id, text), reviewer)
    finally:
        store.close()


def _text(path: Path, claim_id: int) -> str:
    store = Store.open(path, read_only=True)
    try:
        return store.claim_detail(claim_id).text
    finally:
        store.close()


@pytest.mark.parametrize("reworded_in", ["the copy", "this file", "both"])
def test_a_claim_reworded_with_f2_in_either_copy_is_still_the_same_claim(
    original: Path, tmp_path: Path, reworded_in: str
) -> None:
    copy = tmp_path / "copy.db"
    assert run_cli("export", original, "--format", "sqlite", "-o", copy).returncode == 0
    if reworded_in in ("the copy", "both"):
        _reword(copy, "bo", 5, "Reworded in the copy")
    if reworded_in in ("this file", "both"):
        _reword(original, "ana", 5, "Reworded here")
    _grade(copy, "bo", {5: (4, Status.DISPUTED)})

    done = run_cli("import", original, copy, "--reviewer", "ana")

    assert done.returncode == 0, done.stderr
    assert "15 claims already here, merged" in done.stdout
    assert _count(original, "claims") == 15
    assert _reviews(original)[(5, "bo")] == (4, "disputed")
    assert _text(original, 5) == ("Reworded in the copy" if reworded_in == "the copy" else "Reworded here")
