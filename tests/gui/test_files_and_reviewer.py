"""Opening, creating and quitting by keyboard, and where the reviewer's name comes from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.ui.app import resolve_reviewer
from desktop.ui.settings import Settings


def test_ctrl_o_opens_the_chosen_file(make_window, sample_copy, qtbot, monkeypatch):
    monkeypatch.setattr(
        "desktop.ui.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(sample_copy), "")
    )
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.model is not None and window.model.rowCount() == 15
    assert window.windowTitle().startswith("review.db")


def test_ctrl_n_creates_a_new_empty_file(make_window, tmp_path, qtbot, monkeypatch):
    target = tmp_path / "new-review.db"
    monkeypatch.setattr(
        "desktop.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert target.exists()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    assert window.model is not None and window.model.rowCount() == 0


def test_ctrl_q_quits_and_saves_a_pending_rationale(make_window, sample_copy, qtbot):
    window = make_window(sample_copy, reviewer="ana")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClicks(window.detail.rationale_edit, "Typed, then quit at once")
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    with sqlite3.connect(sample_copy) as conn:
        assert conn.execute("SELECT rationale FROM reviews WHERE reviewer = 'ana'").fetchone() == (
            "Typed, then quit at once",
        )


def test_reviewer_name_comes_from_flag_then_environment_then_settings(tmp_path, monkeypatch, qapp):
    settings = Settings(tmp_path / "config")
    settings.reviewer = "remembered"
    monkeypatch.setenv("CORROBORATE_REVIEWER", "from-env")
    assert resolve_reviewer("flag", settings) == "flag"
    assert resolve_reviewer(None, settings) == "from-env"
    monkeypatch.delenv("CORROBORATE_REVIEWER")
    assert resolve_reviewer(None, settings) == "remembered"


def test_reviewer_is_asked_once_then_remembered(tmp_path: Path, monkeypatch, qapp):
    asked: list[str] = []

    def ask(*args, **kwargs):
        asked.append("asked")
        return "  Maya Kaur ", True

    monkeypatch.setattr("desktop.ui.app.QInputDialog.getText", ask)
    settings = Settings(tmp_path / "config")
    assert resolve_reviewer(None, settings) == "Maya Kaur"
    assert resolve_reviewer(None, Settings(tmp_path / "config")) == "Maya Kaur"
    assert asked == ["asked"]
