"""A file opens again on the claim the reviewer was on when it was closed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.ui import claims_model
from tests.bench.generate import generated_file

CLAIMS = 300


def close_on(window, claim_id: int) -> None:
    assert window.table.go_to_claim(claim_id)
    window.close()


def test_reopening_goes_back_to_the_claim_left_on(make_window, sample_copy):
    close_on(make_window(sample_copy), 7)
    again = make_window(sample_copy)
    assert again.table.current_claim_id() == 7
    assert again.detail.claim_id == 7
    assert again.table.hasFocus()


def test_each_file_keeps_its_own_place(make_window, sample_copy, tmp_path):
    other = tmp_path / "other.db"
    shutil.copyfile(sample_copy, other)
    close_on(make_window(sample_copy), 7)
    close_on(make_window(other), 4)
    assert make_window(sample_copy).table.current_claim_id() == 7
    assert make_window(other).table.current_claim_id() == 4


def test_a_new_copy_of_a_file_starts_at_its_first_claim(make_window, sample_copy, tmp_path):
    close_on(make_window(sample_copy), 7)
    fresh = tmp_path / "fresh.db"
    shutil.copyfile(sample_copy, fresh)
    assert make_window(fresh).table.current_claim_id() == 1


@pytest.fixture
def big(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file listed a few ids at a time, so the claim left on is not among the first ids read."""
    monkeypatch.setattr(claims_model, "FIRST_BATCH", 10)
    monkeypatch.setattr(claims_model, "IDLE_CHUNK", 5)
    monkeypatch.setattr(claims_model, "IDLE_STEP_MS", 1)
    target = tmp_path / "big.db"
    shutil.copyfile(generated_file(CLAIMS, seed=5, folder=tmp_path_factory.mktemp("generated")), target)
    return target


def test_a_claim_far_down_is_reached_once_the_listing_gets_there(make_window, big, qtbot):
    close_on(make_window(big), 280)
    again = make_window(big)
    assert not again.model.fully_loaded  # the first paint did not wait for 280 claims' ids
    qtbot.waitUntil(lambda: again.table.current_claim_id() == 280, timeout=20_000)
    assert again.detail.claim_id == 280


def test_a_reviewer_who_moves_first_is_not_pulled_back(make_window, big, qtbot):
    close_on(make_window(big), 280)
    again = make_window(big)
    qtbot.keyClick(again.table, Qt.Key.Key_Down)
    moved_to = again.table.current_claim_id()
    qtbot.waitUntil(lambda: again.model.fully_loaded, timeout=20_000)
    qtbot.wait(200)  # several more looks at the listing
    assert again.table.current_claim_id() == moved_to != 280
