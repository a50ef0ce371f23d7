"""An empty claims table says why it is empty, and one key lists the whole file again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from desktop.store import Store

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def ink_in_table_body(window) -> int:  # type: ignore[no-untyped-def]
    """How many pixels of the table's body differ from its background: the painted empty text."""
    viewport = window.table.viewport()
    image = viewport.grab().toImage()
    background = window.table.palette().color(QPalette.ColorRole.Base).rgb()
    top = min(image.height(), window.table.fontMetrics().height() * 6)
    return sum(
        1 for y in range(0, top, 2) for x in range(0, image.width(), 2) if image.pixel(x, y) != background
    )


def test_a_search_and_filter_matching_nothing_say_so_and_ctrl_shift_l_lists_every_claim(
    make_window, sample_copy, qtbot
):
    window = make_window(sample_copy)
    bar = window.filter_bar
    bar.reliability_combo.setCurrentIndex(bar.reliability_combo.findText("Not graded"))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.search_box, "zzqx")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)

    assert window.model.rowCount() == 0
    said = window.table.empty_text()
    assert said.startswith("No claim matches the search and filters") and "all 15" in said
    assert "Ctrl+Shift+L" in said
    assert window.detail.claim_label.text() == "No claim matches the search and filters."
    assert ink_in_table_body(window) > 0
    assert window.table.accessibleDescription() == said  # for a screen reader, which reads no paint

    qtbot.keyClick(window.table, Qt.Key.Key_L, CTRL_SHIFT)
    assert window.model.rowCount() == 15
    assert window.search_box.text() == "" and not bar.is_active()
    assert window.table.empty_text() == ""
    assert window.detail.claim_id == window.model.claim_id(0)
    assert ink_in_table_body(window) > 0  # the claims themselves now


def test_a_new_file_says_it_has_no_claims_and_how_to_add_some(make_window, tmp_path):
    window = make_window()
    assert window.open_file(tmp_path / "fresh.db", create=True)
    assert window.model.rowCount() == 0
    assert window.table.empty_text().startswith("This file has no claims yet.")
    assert "Import dataset" in window.table.empty_text()
    assert window.detail.claim_label.text() == "This file has no claims yet."


def test_a_read_only_file_without_claims_offers_no_import(make_window, tmp_path):
    path = tmp_path / "colleague.db"
    Store.open(path, create=True, reviewer="bo").close()
    window = make_window()
    assert window.open_file(path, read_only=True)
    assert window.store.read_only
    assert window.table.empty_text() == "This file has no claims yet."
