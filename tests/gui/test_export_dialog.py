"""File › Export… in the real window: exactly what the table shows, the selection, a saved set; progress and Cancel."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

import desktop.ui.export_dialog as export_dialog_module
import desktop.ui.tasks as tasks_module
from desktop.io.export import export as real_export
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.main_window import MainWindow

Shortcut = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window would show in a warning box (a real one would wait for a click)."""
    shown: list[str] = []

    def record(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(tasks_module.QMessageBox, "warning", record)
    return shown


def _open_dialog(qtbot, window: MainWindow) -> ExportDialog:  # type: ignore[no-untyped-def]
    # After an earlier dialog closed, the window must be active again for its shortcut to reach it.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E, Shortcut)
    dialog = window.export_feature.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, ExportDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    return dialog


def _choose_format(dialog: ExportDialog, name: str) -> None:
    index = dialog.format_list.findData(name)
    assert index >= 0, name
    dialog.format_list.setCurrentIndex(index)


def _export_by_button(qtbot, dialog: ExportDialog, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        export_dialog_module.QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    assert dialog.result() == ExportDialog.DialogCode.Accepted


def _json_ids(path: Path) -> list[int]:
    return [claim["id"] for claim in json.loads(path.read_text(encoding="utf-8"))["claims"]]


def test_export_menu_entry_follows_the_open_file(
    make_window: Callable[..., MainWindow], sample_copy: Path
) -> None:
    window = make_window()
    action = window.export_feature.action  # type: ignore[attr-defined]
    assert action in window.file_menu.actions() and not action.isEnabled()
    window.open_file(sample_copy)
    assert action.isEnabled()


def test_filtered_export_is_exactly_what_the_table_shows(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "drone")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    shown = list(window.model.claim_ids())  # type: ignore[union-attr]
    assert 0 < len(shown) < 15, "the filter must narrow the table for this test to mean anything"
    dialog = _open_dialog(qtbot, window)
    assert dialog.table_choice.isChecked()
    assert f"({len(shown)} claims)" in dialog.table_choice.text()
    _choose_format(dialog, "json")
    target = tmp_path / "shown.json"
    _export_by_button(qtbot, dialog, target, monkeypatch)
    assert _json_ids(target) == shown
    assert "Exported" in window.statusBar().currentMessage()


def test_selected_claims_are_exported(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    selected = window.selected_claim_ids()
    assert len(selected) == 3
    dialog = _open_dialog(qtbot, window)
    assert dialog.selection_choice.isChecked()  # several rows selected: the selection is the likely wish
    _choose_format(dialog, "jsonl")
    target = tmp_path / "selected.jsonl"
    _export_by_button(qtbot, dialog, target, monkeypatch)
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines if line["type"] == "claim"] == sorted(selected)


def test_save_a_selection_as_a_set_then_export_the_set(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    selected = window.selected_claim_ids()
    dialog = _open_dialog(qtbot, window)
    assert not dialog.set_choice.isEnabled()  # no set yet
    monkeypatch.setattr(
        export_dialog_module.QInputDialog, "getText", lambda *args, **kwargs: ("For the editor", True)
    )
    qtbot.mouseClick(dialog.save_set_button, Qt.MouseButton.LeftButton)
    assert window.store is not None
    assert list(window.store.saved_set_ids("For the editor")) == selected
    assert dialog.set_choice.isEnabled() and dialog.set_list.currentData() == "For the editor"
    qtbot.mouseClick(dialog.set_choice, Qt.MouseButton.LeftButton)
    assert dialog.set_choice.isChecked()
    _choose_format(dialog, "json")
    target = tmp_path / "set.json"
    _export_by_button(qtbot, dialog, target, monkeypatch)
    assert _json_ids(target) == selected


def test_publisher_is_required_for_claimreview_and_remembered(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    refused: list[str] = []
    monkeypatch.setattr(
        export_dialog_module.QMessageBox, "warning", lambda parent, title, text: refused.append(text)
    )
    dialog = _open_dialog(qtbot, window)
    _choose_format(dialog, "claimreview")
    assert dialog.publisher_name.isEnabled() and not dialog.bom.isEnabled()
    target = tmp_path / "reviews.jsonld"
    assert dialog.export_to(target) is None
    assert refused and "publisher's name" in refused[0] and not target.exists()
    qtbot.keyClicks(dialog.publisher_name, "Lantern Fact Desk")
    qtbot.keyClicks(dialog.publisher_url, "https://factcheck.example.org/reviews/")
    _export_by_button(qtbot, dialog, target, monkeypatch)
    assert json.loads(target.read_text(encoding="utf-8")) == []  # nothing reviewed yet in the sample
    again = _open_dialog(qtbot, window)
    assert again.format() == "claimreview"
    assert again.publisher_name.text() == "Lantern Fact Desk"
    assert again.publisher_url.text() == "https://factcheck.example.org/reviews/"


def test_cancel_stops_the_export_keeps_the_old_file_and_the_window_responsive(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()

    def slow_export(*args: Any) -> Any:
        # Stands for a long export: it reports progress, then waits for the person's Cancel.
        store, ids, format, target, options, progress, cancelled = args
        progress(0, 1)
        started.set()
        for _ in range(1000):
            if cancelled():
                break
            threading.Event().wait(0.01)
        return real_export(store, ids, format, target, options, progress, cancelled)

    monkeypatch.setattr(export_dialog_module, "export", slow_export)
    target = tmp_path / "old.csv"
    target.write_text("yesterday's export\n", encoding="utf-8")
    window = make_window(sample_copy)
    dialog = _open_dialog(qtbot, window)
    _choose_format(dialog, "csv")
    task = dialog.export_to(target)
    assert task is not None
    qtbot.waitUntil(started.is_set, timeout=20_000)
    # The window still answers while the export runs.
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "NIS")
    assert window.search_box.text() == "NIS"

    def progress_dialog() -> QProgressDialog | None:
        found = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        return found[0] if found else None

    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=20_000)
    box = progress_dialog()
    assert box is not None
    cancel = next(b for b in box.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
    assert "cancelled; nothing was written" in warnings[0]
    assert target.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "old.csv" in p.name) == ["old.csv"]
    qtbot.waitUntil(dialog.isEnabled, timeout=20_000)  # ready to try again


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs a folder nobody can create files in (/proc)"
)
def test_an_unwritable_folder_is_explained_in_the_window(
    qtbot, make_window: Callable[..., MainWindow], sample_copy: Path, warnings: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    dialog = _open_dialog(qtbot, window)
    _choose_format(dialog, "csv")
    dialog.export_to(Path("/proc/self/claims.csv"))
    qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
    assert "the folder /proc/self is not writable" in warnings[0]
    qtbot.waitUntil(dialog.isEnabled, timeout=20_000)
    assert dialog.isVisible()


def test_pdf_report_from_the_window(
    qtbot,
    make_window: Callable[..., MainWindow],
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    dialog = _open_dialog(qtbot, window)
    _choose_format(dialog, "pdf")
    target = tmp_path / "report.pdf"
    _export_by_button(qtbot, dialog, target, monkeypatch)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 2
