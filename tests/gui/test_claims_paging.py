"""The claims table over a file bigger than one batch of ids and many pages: every row, at every
boundary, after every sort and filter, is the claim the store lists there.

Batch and page sizes are made small so that a few hundred claims cross many boundaries.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField
from desktop.core.vocabulary import SourceKind
from desktop.store import Store
from desktop.ui import claims_model
from desktop.ui.claims_model import COL_NUMBER, COL_RELIABILITY, COLUMNS, ClaimsTableModel
from tests.bench.generate import generated_file

REVIEWER = "amira"
BATCH, PAGE = 40, 16
CLAIMS = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_file(CLAIMS, seed=11, folder=tmp_path_factory.mktemp("generated"))


@pytest.fixture
def big(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(claims_model, "ID_BATCH", BATCH)
    monkeypatch.setattr(claims_model, "FIRST_BATCH", BATCH // 4)
    monkeypatch.setattr(claims_model, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(claims_model, "FIRST_PAGE_SIZE", PAGE // 2)
    monkeypatch.setattr(claims_model, "MAX_CACHED_ROWS", 3 * PAGE)
    target = tmp_path / "big.db"
    shutil.copyfile(generated, target)
    return target


def _shown(model: ClaimsTableModel, row: int) -> int:
    return int(model.data(model.index(row, COL_NUMBER)))


def _boundaries(total: int) -> list[int]:
    edges = {0, total - 1}
    for step in (BATCH, BATCH // 4, PAGE, PAGE // 2, PAGE // 4, PAGE // 8):
        for edge in range(step, total, step):
            edges.update({edge - 1, edge, edge + 1})
    return sorted(r for r in edges if 0 <= r < total)


QUERIES = {
    "number": ClaimQuery(REVIEWER),
    "text descending": ClaimQuery(REVIEWER, sort=claims_model.SortKey.TEXT, descending=True),
    "reliability": ClaimQuery(REVIEWER, sort=claims_model.SortKey.RELIABILITY),
    "cited source, kind filter": ClaimQuery(
        REVIEWER,
        sort=claims_model.SortKey.CITED_SOURCE,
        kinds=frozenset({SourceKind.OUTLET, SourceKind.ARTICLE}),
    ),
    "status filter, reviewer sort": ClaimQuery(
        REVIEWER, statuses=frozenset({Status.UNREVIEWED}), sort=claims_model.SortKey.REVIEWER, descending=True
    ),
    "search": ClaimQuery(REVIEWER, text="forces"),
}


@pytest.mark.parametrize("name", QUERIES)
def test_rows_at_every_boundary_are_the_listed_claims(big: Path, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(big)
    try:
        query = QUERIES[name]
        expected = list(store.claim_ids(query))
        model = ClaimsTableModel(store, query)
        # The count is known at once, before the ids are all read.
        assert model.rowCount() == len(expected)
        assert len(expected) <= BATCH or not model.fully_loaded
        # Jumping straight to the end first, then every boundary, then every row in order.
        for row in [len(expected) - 1, *_boundaries(len(expected)), *range(len(expected))]:
            if row >= 0:
                assert _shown(model, row) == expected[row], (name, row)
        assert model.data(model.index(len(expected), COL_NUMBER)) is None
        assert list(model.claim_ids()) == expected
        assert model.fully_loaded
    finally:
        store.close()


def test_the_rest_of_the_ids_arrive_while_idle(big: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(big)
    try:
        model = ClaimsTableModel(store, ClaimQuery(REVIEWER))
        assert not model.fully_loaded
        qtbot.waitUntil(lambda: model.fully_loaded, timeout=20_000)
        assert list(model.claim_ids()) == list(store.claim_ids(ClaimQuery(REVIEWER)))
    finally:
        store.close()


def test_sort_and_filter_changes_relist_every_row(big: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(big)
    try:
        model = ClaimsTableModel(store, ClaimQuery(REVIEWER))
        assert _shown(model, 150) == 151  # claim numbers start at 1
        for column in range(len(COLUMNS)):
            for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
                model.sort(column, order)
                expected = list(store.claim_ids(model.query))
                assert model.rowCount() == len(expected)
                for row in _boundaries(len(expected)):
                    assert _shown(model, row) == expected[row], (column, order, row)
        model.set_query(replace(model.query, reliabilities=frozenset({"A", None}), text="the"))
        expected = list(store.claim_ids(model.query))
        assert 0 < model.rowCount() == len(expected) < CLAIMS
        assert [_shown(model, row) for row in range(len(expected))] == expected
    finally:
        store.close()


def test_a_grade_saved_mid_listing_repaints_its_row(big: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(big)
    try:
        model = ClaimsTableModel(store, ClaimQuery(REVIEWER))
        last = model.rowCount() - 1
        store.set_review_field(CLAIMS, REVIEWER, ReviewField.RELIABILITY, "D")
        with qtbot.waitSignal(model.dataChanged):
            model.refresh_claim(CLAIMS)
        assert model.data(model.index(last, COL_RELIABILITY)) == "D"
        assert model.rowCount() == CLAIMS
    finally:
        store.close()


def test_the_model_passes_the_model_tester_while_partly_loaded(big: Path, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(big)
    try:
        model = ClaimsTableModel(store, ClaimQuery(REVIEWER))
        qtmodeltester.check(model, force_py=True)
    finally:
        store.close()


def test_window_sorts_by_header_click_and_reaches_the_last_claim(make_window, big: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(big, reviewer=REVIEWER)
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_RELIABILITY) + header.sectionSize(COL_RELIABILITY) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    expected = list(window.store.claim_ids(window.model.query))
    assert window.model.query.sort is claims_model.SortKey.RELIABILITY
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.table.current_claim_id() == expected[-1]
    QTest.keyClick(window.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert window.table.current_claim_id() == expected[0]


def test_after_a_sort_the_window_keeps_a_claim_it_has_read_and_otherwise_starts_at_the_top(
    make_window, big: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(big, reviewer=REVIEWER)
    window.table.go_to_row(3)
    kept = window.table.current_claim_id()
    window.table.sortByColumn(COL_NUMBER, Qt.SortOrder.DescendingOrder)
    # Claim 4 is near the end of the new order, past the first ids read: not searched for.
    assert not window.model.fully_loaded
    assert window.table.current_claim_id() == CLAIMS
    window.table.go_to_row(5)
    window.reload_claims()
    assert window.table.current_claim_id() == CLAIMS - 5  # among the first ids read: kept
    assert kept is not None and window.table.go_to_claim(kept)  # asked for explicitly: found
    assert window.table.current_claim_id() == kept
