"""The media-provenance form: it suggests the chain's image credit and emits the edit its fields say."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton

from desktop.core.edits import SetMedia
from desktop.core.evidence import MediaCategory, MediaDraft
from desktop.core.model import ClaimDetail, ClaimQuery
from desktop.core.vocabulary import Relation
from desktop.store import Store
from desktop.ui.media_panel import MediaPanel, is_media_claim

PHOTO_CREDIT = "X account @polymarketintel"


def photo_claim(store: Store) -> ClaimDetail:
    """The sample's media claim: the one whose chain is an image credit."""
    for claim_id in store.claim_ids(ClaimQuery("ana")):
        detail = store.claim_detail(claim_id)
        if any(hop.relation is Relation.IMAGE_CREDIT for chain in detail.chains for hop in chain):
            return detail
    raise AssertionError("the sample has no photo claim")


def click_radio(qtbot, button: QRadioButton) -> None:  # type: ignore[no-untyped-def]
    # A radio button reacts only on its circle and words, not the empty width a layout gives it.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def make_panel(qtbot, store: Store) -> MediaPanel:  # type: ignore[no-untyped-def]
    panel = MediaPanel(store)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_prefills_credit_from_the_image_credit_hop(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy)
    try:
        detail = photo_claim(store)
        assert store.media_info(detail.id) is None
        assert is_media_claim(detail, None)
        panel = make_panel(qtbot, store)
        panel.show_claim(detail, None)
        assert panel.credit_picker is not None
        assert panel.credit_picker.currentText() == PHOTO_CREDIT
        assert panel.origin_unknown.isChecked()
        assert panel.category_combo.currentData() is None
        assert not panel.clear_button.isEnabled()
        assert PHOTO_CREDIT in panel.state_label.text()
    finally:
        store.close()


def test_save_emits_the_form_and_the_store_keeps_it(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy)
    try:
        detail = photo_claim(store)
        credit = store.find_source(PHOTO_CREDIT)
        assert credit is not None
        panel = make_panel(qtbot, store)
        panel.show_claim(detail, None)
        click_radio(qtbot, panel.origin_no)
        panel.original_edit.setFocus()
        qtbot.keyClicks(panel.original_edit, "Earlier copy posted by a local channel")
        panel.category_combo.setFocus()
        index = panel.category_combo.findData(MediaCategory.DECONTEXTUALIZED.value)
        panel.category_combo.setCurrentIndex(index)
        with qtbot.waitSignal(panel.edit_requested) as signal:
            qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        expected = SetMedia(
            detail.id,
            MediaDraft(
                credit.id, False, "Earlier copy posted by a local channel", MediaCategory.DECONTEXTUALIZED
            ),
        )
        assert signal.args == [expected]

        store.apply(signal.args[0], "ana")
        stored = store.media_info(detail.id)
        assert stored is not None and stored.draft == expected.draft
        panel.show_claim(detail, stored)
        assert panel.origin_no.isChecked()
        assert panel.category_combo.currentData() == MediaCategory.DECONTEXTUALIZED.value
        assert panel.clear_button.isEnabled()
        with qtbot.waitSignal(panel.edit_requested) as cleared:
            qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
        assert cleared.args == [SetMedia(detail.id, None)]
    finally:
        store.close()


def test_credit_cannot_be_the_origin_when_nobody_is_credited(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy)
    try:
        detail = photo_claim(store)
        panel = make_panel(qtbot, store)
        panel.show_claim(detail, None)
        assert panel.credit_picker is not None
        panel.credit_picker.setCurrentIndex(0)  # "not known"
        click_radio(qtbot, panel.origin_yes)
        with qtbot.assertNotEmitted(panel.edit_requested):
            qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        assert "credited" in panel.error_label.text()
    finally:
        store.close()


def test_a_new_credit_name_is_stored_with_the_provenance_and_undone_with_it(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy)
    try:
        detail = photo_claim(store)
        panel = make_panel(qtbot, store)
        panel.show_claim(detail, None)
        assert panel.credit_picker is not None
        panel.credit_picker.lineEdit().clear()
        qtbot.keyClicks(panel.credit_picker.lineEdit(), "Harbour photo agency")
        with qtbot.waitSignal(panel.edit_requested) as signal:
            qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        [edit] = signal.args
        assert store.find_source("Harbour photo agency") is None  # nothing stored before the edit is
        applied = store.apply(edit, "ana")
        credited = store.find_source("Harbour photo agency")
        stored = store.media_info(detail.id)
        assert credited is not None and stored is not None and stored.credited_to == credited
        store.apply(applied.inverse, "ana")
        assert store.find_source("Harbour photo agency") is None and store.media_info(detail.id) is None
    finally:
        store.close()
