"""How far reviewers agree: the pairs, the claims far apart, the grades off the scale, and the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.agreement import Axis, agreement
from desktop.core.model import ReviewField
from desktop.store import Store


def test_reviewers_who_grade_alike_agree_fully() -> None:
    grades = {1: {"ana": 1, "bo": 1}, 2: {"ana": 3, "bo": 3}, 3: {"ana": 5, "bo": 5}}
    result = agreement(Axis.CREDIBILITY, grades)
    assert result.alpha == pytest.approx(1.0)
    (pair,) = result.pairs
    assert (pair.first, pair.second, pair.both_graded, pair.same, pair.far_apart) == ("ana", "bo", 3, 3, ())


def test_opposite_grades_agree_less_than_chance_and_are_listed() -> None:
    grades = {1: {"ana": 1, "bo": 5}, 2: {"ana": 5, "bo": 1}, 3: {"ana": 2, "bo": 3}}
    result = agreement(Axis.CREDIBILITY, grades)
    assert result.alpha is not None and result.alpha < 0
    assert result.pairs[0].far_apart == (1, 2)  # one step apart (claim 3) is not listed
    assert result.pairs[0].same == 0


def test_grades_off_the_scale_count_as_none() -> None:
    # Credibility 6 and reliability F say no grade on the scale was given.
    credibility = agreement(Axis.CREDIBILITY, {1: {"ana": 6, "bo": 2}, 2: {"ana": 2, "bo": 2}})
    assert credibility.compared == 1 and credibility.pairs[0].both_graded == 1
    reliability = agreement(Axis.RELIABILITY, {1: {"ana": "F", "bo": "F"}, 2: {"ana": "A", "bo": "D"}})
    assert reliability.compared == 1 and reliability.pairs[0].far_apart == (2,)


def test_alpha_is_none_when_it_cannot_be_computed() -> None:
    assert agreement(Axis.CREDIBILITY, {1: {"ana": 2, "bo": 2}}).alpha is None  # one claim
    same = agreement(Axis.CREDIBILITY, {1: {"ana": 2, "bo": 2}, 2: {"ana": 2, "bo": 2}})
    assert same.alpha is None  # every grade the same: nothing to agree on
    alone = agreement(Axis.CREDIBILITY, {1: {"ana": 2}, 2: {"ana": 4}})
    assert (alone.compared, alone.pairs, alone.alpha) == (0, (), None)


def test_three_reviewers_give_every_pair_that_shares_claims() -> None:
    grades = {
        1: {"ana": 1, "bo": 1, "chidi": 4},
        2: {"ana": 2, "bo": 3},
        3: {"bo": 5, "chidi": 5},
        4: {"ana": 4, "bo": 4},
    }
    result = agreement(Axis.CREDIBILITY, grades)
    assert [(p.first, p.second, p.both_graded) for p in result.pairs] == [
        ("ana", "bo", 3),
        ("ana", "chidi", 1),
        ("bo", "chidi", 2),
    ]
    assert result.pairs[1].far_apart == (1,)
    assert result.compared == 4


def test_the_command_reports_both_axes(sample_copy: Path) -> None:
    store = Store.open(sample_copy, reviewer="ana")
    try:
        for claim_id, (ana, bo) in {1: (1, 1), 2: (2, 4), 3: (3, 3), 4: (5, 6)}.items():
            store.set_review_field(claim_id, "ana", ReviewField.CREDIBILITY, ana)
            store.set_review_field(claim_id, "bo", ReviewField.CREDIBILITY, bo)
        store.set_review_field(1, "ana", ReviewField.RELIABILITY, "B")
    finally:
        store.close()
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "agreement", str(sample_copy), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    credibility, reliability = json.loads(done.stdout)
    assert credibility["axis"] == "credibility" and credibility["claims_compared"] == 3
    assert credibility["pairs"] == [
        {
            "reviewers": ["ana", "bo"],
            "graded_by_both": 3,
            "alike": 2,
            "alpha": credibility["alpha"],
            "far_apart": [2],
        }
    ]
    assert 0 < credibility["alpha"] < 1
    assert reliability == {
        "axis": "reliability",
        "reviewers": ["ana"],
        "claims_compared": 0,
        "alpha": None,
        "pairs": [],
    }
    text = subprocess.run(
        [sys.executable, "-m", "desktop", "agreement", str(sample_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "ana and bo: 3 claims graded by both, 2 alike (67%)" in text.stdout
    assert "2+ steps apart on claims 2" in text.stdout
    assert "no claim has grades from two reviewers yet" in text.stdout


def test_the_report_shows_agreement_only_when_two_reviewers_graded_a_claim(sample_copy: Path) -> None:
    def report() -> str:
        out = sample_copy.with_name("report.html")
        done = subprocess.run(
            [sys.executable, "-m", "desktop", "export", str(sample_copy), "--format", "html", "-o", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return out.read_text(encoding="utf-8")

    store = Store.open(sample_copy, reviewer="ana")
    try:
        for claim_id, grade in {1: 1, 5: 2, 9: 4}.items():
            store.set_review_field(claim_id, "ana", ReviewField.CREDIBILITY, grade)
    finally:
        store.close()
    assert "Agreement between reviewers" not in report()
    store = Store.open(sample_copy, reviewer="bo")
    try:
        for claim_id, grade in {1: 1, 5: 5, 9: 4}.items():
            store.set_review_field(claim_id, "bo", ReviewField.CREDIBILITY, grade)
    finally:
        store.close()
    page = report()
    assert "<h2>Agreement between reviewers</h2>" in page
    assert "<td>ana and bo</td><td align=right>3</td><td align=right>2 (67%)</td>" in page
    assert '<a href="#claim-5">5</a>' in page and 'id="claim-5"' in page
