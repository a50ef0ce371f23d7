"""Go › Go to claim… (Ctrl+G): by number, through any filter, and a clear word for a missing one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QSpinBox
from qt_waits import when_dialog_opens

CTRL = Qt.KeyboardModifier.ControlModifier


def answer_with(qtbot, number: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Type `number` into the dialog Ctrl+G opens, as a person would, and press Enter."""
    asked: list[str] = []

    def answer(dialog: QInputDialog) -> None:
        asked.append(dialog.labelText())
        spin = dialog.findChild(QSpinBox)
        spin.selectAll()
        qtbot.keyClicks(spin, str(number))
        qtbot.keyClick(spin, Qt.Key.Key_Return)

    when_dialog_opens(QInputDialog, answer)
    return asked


def test_ctrl_g_goes_to_the_claim_with_that_number(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.setFocus()
    asked = answer_with(qtbot, 12)
    qtbot.keyClick(window.table, Qt.Key.Key_G, CTRL)
    assert asked == ["Claim number (1 to 15):"]
    assert window.table.current_claim_id() == 12
    assert window.detail.claim_id == 12


def test_a_claim_hidden_by_the_search_is_shown_by_clearing_it(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "Kursk")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.model.row_of(14) is None  # not among the claims shown
    answer_with(qtbot, 14)
    qtbot.keyClick(window.table, Qt.Key.Key_G, CTRL)
    assert window.table.current_claim_id() == 14
    assert window.search_box.text() == "" and window.model.rowCount() == 15
    assert "filters cleared" in window.statusBar().currentMessage()


def test_a_number_the_file_does_not_have_moves_nothing(make_window, sample_copy):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.go_to_claim(5)
    assert not window.go_to_claim.go_to(999)
    assert window.table.current_claim_id() == 5
    assert window.statusBar().currentMessage() == "There is no claim 999 in this file."
