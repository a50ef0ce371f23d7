"""GUI test fixtures: offscreen Qt, settings in a temporary folder, a copy of sample.db per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

SAMPLE = Path(__file__).resolve().parents[2] / "sample.db"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "review.db"
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    """Build a real main window for a reviewer, optionally with a file open; closed after the test."""
    windows: list[MainWindow] = []

    def factory(path: Path | None = None, reviewer: str = "ana") -> MainWindow:
        window = MainWindow(Settings(tmp_path / "config"), reviewer)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Focus only moves inside the active window; make it active as a reviewer's would be.
        window.windowHandle().requestActivate()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=20_000)
        if path is not None:
            assert window.open_file(path)
        windows.append(window)
        return window

    yield factory
    for window in windows:
        if window.isVisible():
            window.close()
