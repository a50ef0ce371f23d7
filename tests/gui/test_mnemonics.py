"""Every Alt+letter in a window leads to one place: no two labels, buttons or menus share a letter.

Qt treats a shared letter as ambiguous: the key only moves the focus between the two, or opens the
menu instead of pressing the button, so a reviewer working by keyboard cannot trust it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QGroupBox, QLabel, QWidget

from desktop.ui.chain_editor import HopDialog
from desktop.ui.evidence_panel import EvidenceDialog
from desktop.ui.history_view import HistoryWindow

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonics(window: QWidget, leave_out: QWidget | None = None) -> dict[str, list[str]]:
    """Each Alt+letter of `window` (menus, buttons, group boxes, labels with a buddy), shown or not
    yet shown (a panel that appears later shares the window's letters), with what carries it."""
    found: dict[str, list[str]] = defaultdict(list)
    menu_bar = window.menuBar() if hasattr(window, "menuBar") else None
    for action in menu_bar.actions() if menu_bar is not None else []:
        if letter := _letter(action.text()):
            found[letter].append(f"menu {action.text()!r}")
    for kind in (QAbstractButton, QGroupBox, QLabel):
        for widget in window.findChildren(kind):
            if leave_out is not None and leave_out.isAncestorOf(widget):
                continue
            if isinstance(widget, QLabel) and widget.buddy() is None:
                continue
            if any(isinstance(parent, QDialog) for parent in _parents_below(widget, window)):
                continue  # a dialog of its own has its own letters
            text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
            if letter := _letter(text):
                found[letter].append(f"{type(widget).__name__} {text!r}")
    return found


def _parents_below(widget: QWidget, top: QWidget) -> list[QWidget]:
    parents, parent = [], widget.parentWidget()
    while parent is not None and parent is not top:
        parents.append(parent)
        parent = parent.parentWidget()
    return parents


def shared(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {letter: owners for letter, owners in found.items() if len(owners) > 1}


def test_the_review_window_uses_each_letter_once(make_window, sample_copy):
    window = make_window(sample_copy)
    window.table.go_to_claim(3)  # the photo: its media panel shows, with letters of its own
    assert window.detail.media_panel.isVisible()
    window.safety.pending_bar.show()  # the bar a full disk brings, with Retry and Export
    found = mnemonics(window, leave_out=window.welcome)  # the welcome page never shows with a file
    assert len(found) >= 15  # the check sees the detail pane's labels and buttons, not only the menus
    assert shared(found) == {}


def test_the_check_can_fail(make_window, sample_copy):
    window = make_window(sample_copy)
    window.detail.evidence_panel.add_button.setText("Add &evidence…")  # E is the Edit menu's
    assert "e" in shared(mnemonics(window, leave_out=window.welcome))


def test_each_dialog_uses_each_letter_once(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    store = window.store
    dialogs: list[QWidget] = [EvidenceDialog(store, window), HopDialog(store, "Add a hop", window)]
    shortcuts = {
        "Import": Qt.Key.Key_I,
        "Export": Qt.Key.Key_E,
        "Sources": Qt.Key.Key_S,
        "Picture": Qt.Key.Key_A,
    }
    for key in shortcuts.values():
        before = set(QApplication.topLevelWidgets())
        window.activateWindow()
        qtbot.keyClick(
            window.table, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        qtbot.waitUntil(
            lambda before=before: any(w.isVisible() for w in set(QApplication.topLevelWidgets()) - before)
        )
        [opened] = [w for w in set(QApplication.topLevelWidgets()) - before if w.isVisible()]
        dialogs.append(opened)
        opened.close()
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(HistoryWindow) is not None)
    dialogs.append(window.findChild(HistoryWindow))
    for dialog in dialogs:
        assert len(mnemonics(dialog)) >= 2, dialog.windowTitle()
        assert shared(mnemonics(dialog)) == {}, dialog.windowTitle()


def test_alt_letters_reach_the_review_fields(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.setFocus()
    detail = window.detail
    for key, field in (
        (Qt.Key.Key_L, detail.reliability_combo),
        (Qt.Key.Key_B, detail.credibility_combo),
        (Qt.Key.Key_S, detail.status_combo),
        (Qt.Key.Key_T, detail.rationale_edit),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field, key


def test_each_menu_uses_each_letter_once(make_window, sample_copy):
    window = make_window(sample_copy)
    menus = [action.menu() for action in window.menuBar().actions()]
    checked = 0
    while menus:
        menu = menus.pop()
        letters: dict[str, list[str]] = defaultdict(list)
        for action in menu.actions():
            if action.menu() is not None:
                menus.append(action.menu())
            if letter := _letter(action.text()):
                letters[letter].append(action.text())
        assert shared(letters) == {}, menu.title()
        checked += 1
    assert checked >= 8  # File, Open Recent, Edit, View, Review and its three, Go, Help


def test_esc_from_a_field_of_the_detail_pane_goes_back_to_the_table(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    combo = window.detail.reliability_combo
    assert QApplication.focusWidget() is combo
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first grade after "not graded": A
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.table
    assert window.detail.reliability_combo.currentData() == "A"
    qtbot.keyClick(window.table, Qt.Key.Key_J)  # and on to the next claim
    assert window.table.current_claim_id() == 2
