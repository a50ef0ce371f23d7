"""A new order or filter reads the detail pane only when the claim under the cursor changes, once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.core.model import ClaimDetail
from desktop.ui.claims_model import COL_TEXT
from desktop.ui.media_panel import is_media_claim


def _count_detail_reads(window, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    reads: list[int] = []
    original = window.store.claim_detail

    def counted(claim_id: int) -> ClaimDetail:
        reads.append(claim_id)
        return original(claim_id)

    monkeypatch.setattr(window.store, "claim_detail", counted)
    return reads


def test_a_sort_that_keeps_the_claim_leaves_the_detail_pane_alone(
    make_window, sample_copy: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.go_to_row(4)
    kept = window.table.current_claim_id()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_R)  # reviewed: out of "Still to do" below
    assert kept is not None and window.detail.claim_id == kept
    reads = _count_detail_reads(window, monkeypatch)

    window.table.sortByColumn(COL_TEXT, Qt.SortOrder.DescendingOrder)
    assert window.table.current_claim_id() == kept
    assert window.table.currentIndex().row() != 4  # the claim moved, the cursor followed it
    assert reads == []
    assert window.detail.claim_id == kept

    # A filter that drops the claim moves to the first one listed and reads it once.
    window.status_filter.setCurrentIndex(window.status_filter.findText("Still to do"))
    first = window.table.current_claim_id()
    assert first is not None and first != kept
    assert reads == [first]
    assert window.detail.claim_id == first


def test_the_credit_picker_is_built_only_for_picture_claims(make_window, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    store = window.store
    kinds = {
        claim_id: is_media_claim(store.claim_detail(claim_id), store.media_info(claim_id))
        for claim_id in store.claim_ids(window.current_query())
    }
    assert any(kinds.values()) and not all(kinds.values()), "the sample has picture claims and others"
    for claim_id, is_picture in kinds.items():
        assert window.table.go_to_claim(claim_id)
        assert window.detail.claim_id == claim_id
        assert (window.detail.media_panel.credit_picker is not None) == is_picture, claim_id
