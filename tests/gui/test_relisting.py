"""A new order or filter reads the detail pane only when the claim under the cursor changes, once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.core.edits import RenameSource
from desktop.core.model import ClaimDetail
from desktop.ui.claims_model import COL_TEXT
from desktop.ui.media_panel import NOT_KNOWN, image_credit, is_media_claim
from tests.bench.generate import generated_file


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


def test_the_credit_picker_is_built_for_picture_claims_and_kept_while_sources_stay_the_same(
    make_window, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(generated_file(150, seed=4, folder=tmp_path / "generated"), reviewer="amira")
    store, panel = window.store, window.detail.media_panel
    pictures, plain = [], []
    for claim_id in range(1, 151):
        detail = store.claim_detail(claim_id)
        (pictures if is_media_claim(detail, store.media_info(claim_id)) else plain).append(claim_id)
    assert len(pictures) >= 3 and plain

    for claim_id in plain[:5]:
        assert window.table.go_to_claim(claim_id)
        assert panel.credit_picker is None  # nothing listed for a form that is not shown

    assert window.table.go_to_claim(pictures[0])
    picker = panel.credit_picker
    assert picker is not None
    picker.lineEdit().setText("A name typed and never saved")
    for claim_id in (pictures[1], plain[0], pictures[2]):
        assert window.table.go_to_claim(claim_id)
    assert panel.credit_picker is picker  # the same sources: the same picker, refilled
    credit = image_credit(store.claim_detail(pictures[2]))
    assert picker.currentText() == (credit.name if credit is not None else NOT_KNOWN)

    renamed = store.all_sources()[0]
    assert renamed.id is not None and window.apply_store_edit(
        RenameSource(renamed.id, "Harbour desk, renamed")
    )
    assert window.table.go_to_claim(pictures[0])
    assert panel.credit_picker is not None and panel.credit_picker is not picker
    assert panel.credit_picker.findText("Harbour desk, renamed") >= 0


def test_a_filter_keeps_the_file_counts_and_an_edit_counts_again(
    make_window, sample_copy: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    store = window.store
    total = store.count_claims()
    counted: list[str] = []
    for name in ("count_claims", "count_reviewed"):
        original = getattr(store, name)

        def counting(*args, _original=original, _name=name):  # type: ignore[no-untyped-def]
            counted.append(_name)
            return _original(*args)

        monkeypatch.setattr(store, name, counting)

    qtbot.keyClicks(window.search_box, "zzqx-nowhere")
    window._apply_filters_now()
    assert window.model.rowCount() == 0
    assert counted == []  # what is shown changed, the file did not
    assert f"showing 0 of {total}" in window.progress_label.text()
    assert "No claim matches" in window.statusBar().currentMessage()

    window.search_box.clear()
    window._apply_filters_now()
    window.table.go_to_row(0)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert "count_reviewed" in counted
    assert f"1 of {total} reviewed" in window.progress_label.text()


def test_showing_a_picture_claim_does_not_lay_out_every_source_of_the_picker(
    make_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Building the media form's picker does not make Qt measure each of a file's sources."""
    import desktop.ui.source_picker as source_picker

    asked: list[int] = []
    original = source_picker._SourceNames.data

    def counted(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        asked.append(index.row())
        return original(self, index, role)

    monkeypatch.setattr(source_picker._SourceNames, "data", counted)
    window = make_window(generated_file(400, seed=5, folder=tmp_path / "generated"), reviewer="amira")
    store = window.store
    sources = len(store.source_names())
    assert sources >= 100
    picture = next(
        claim_id
        for claim_id in range(1, 401)
        if is_media_claim(store.claim_detail(claim_id), store.media_info(claim_id))
    )
    plain = next(
        claim_id
        for claim_id in range(1, 401)
        if not is_media_claim(store.claim_detail(claim_id), store.media_info(claim_id))
    )
    assert window.table.go_to_claim(plain)
    renamed = store.source_names()[0][0]
    assert window.apply_store_edit(RenameSource(renamed, "Harbour desk, renamed"))  # a new picker is due
    asked.clear()
    assert window.table.go_to_claim(picture)
    assert window.detail.media_panel.credit_picker is not None
    assert asked, "the picker was built and asked for what it shows"
    # Choosing the claim's credit looks through the list once at most; a style sheet above the
    # picker made Qt ask about every source ten times over (49,000 calls for 5,000 sources).
    assert len(asked) < 2 * sources, f"{len(asked)} look-ups for {sources} sources"
