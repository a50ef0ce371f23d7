"""What the window leaves out of its start: feature modules until first use, filter lists until needed.

The menus must not show the difference: each feature's stand-in entries have the text, shortcut,
status tip, place and enabled state of the real ones, and using one opens the real thing.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.features import FEATURES

REPO_ROOT = Path(__file__).resolve().parents[2]


def _menus(window) -> list[tuple[str, str, str, str, bool]]:
    return [
        (menu.title(), action.text(), action.shortcut().toString(), action.statusTip(), action.isEnabled())
        for menu in (window.file_menu, window.view_menu)
        for action in menu.actions()
        if not action.isSeparator() and action.menu() is None
    ]


def test_stand_in_entries_are_the_real_ones(make_window, sample_copy, tmp_path):
    empty = make_window()
    closed = _menus(empty)
    assert [entry for entry in closed if "Export" in entry[1]] == [("&File", "&Export…", "Ctrl+Shift+E",
        "Export what the table shows, the selected claims or a saved set", False)]  # fmt: skip
    empty.features.install_all()
    assert _menus(empty) == closed

    window = make_window(sample_copy)
    opened = _menus(window)
    assert opened != closed  # the entries follow the open file
    window.features.install_all()
    assert _menus(window) == opened

    # Read-only: an import cannot write, before or after its module is loaded.
    read_only = tmp_path / "read-only.db"
    read_only.write_bytes(sample_copy.read_bytes())
    read_only.chmod(stat.S_IRUSR)
    other = make_window(read_only)
    entries = {entry[1]: entry[4] for entry in _menus(other)}
    assert entries["&Import dataset…"] is False and entries["&Export…"] is True
    other.features.install_all()
    assert {entry[1]: entry[4] for entry in _menus(other)} == entries
    read_only.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_stand_in_shortcut_opens_the_real_window(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.table.setFocus()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.table, Qt.Key.Key_S, modifiers)
    qtbot.waitUntil(lambda: any(w.windowTitle().startswith("Sources") and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=20_000)  # fmt: skip
    [entry] = [a for a in window.view_menu.actions() if a.text() == "&Sources…"]
    assert entry.shortcut().toString() == "Ctrl+Shift+S"  # the real action, once, in its place


def test_every_declared_feature_installs_what_it_declares(make_window, sample_copy):
    window = make_window(sample_copy)
    for feature in FEATURES:
        window.features.install(feature)  # raises if the module added other entries
    assert window.export_feature.action.isEnabled()


def test_source_filter_reads_the_sources_when_first_used(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    bar = window.filter_bar
    assert bar.source_combo.count() == 1  # "Any": nothing read while the file opened
    window.table.setFocus()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.table, Qt.Key.Key_F, modifiers)  # to the filter bar, on the source list
    assert bar.source_combo.hasFocus() and bar.source_combo.count() > 1
    qtbot.keyClick(bar.source_combo, Qt.Key.Key_Down)
    chosen = bar.source_combo.currentData()
    assert chosen is not None and window.current_query().source_ids == frozenset({chosen})
    assert window.model.rowCount() < window.store.count_claims()


def test_dialogs_and_their_libraries_are_imported_on_first_use(tmp_path: Path) -> None:
    """A fresh process: the window is built without import, export, sources or picture modules."""
    script = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
window = MainWindow(Settings(Path(sys.argv[1])), "ana")
heavy = ["desktop.ui.export_dialog", "desktop.ui.import_dialog", "desktop.ui.proposals_dialog",
         "desktop.ui.sources_dialog", "desktop.ui.attribution_view", "desktop.io.export",
         "desktop.io.importing", "desktop.io.extract", "PySide6.QtSvg", "PySide6.QtPrintSupport",
         "charset_normalizer", "rapidfuzz", "desktop.ui.history_view", "desktop.ui.article_view",
         "desktop.ui.rewording", "desktop.ui.wording_dialog", "desktop.core.history", "desktop.core.passages"]
print([name for name in heavy if name in sys.modules])
window.export_feature  # a feature's attribute installs it
print("desktop.ui.export_dialog" in sys.modules, "desktop.ui.import_dialog" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "settings")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "True False"]


def test_the_command_line_knows_every_subcommand_and_opens_the_window_without_importers() -> None:
    from desktop.cli import COMMANDS, build_parser

    choices = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert tuple(choices) == COMMANDS
    script = """
import sys
import desktop.ui.app as app
app.run_window = lambda db, reviewer: print(db, reviewer, [m for m in ("desktop.io.importing",
    "charset_normalizer", "rapidfuzz", "desktop.io.export") if m in sys.modules]) or 0
from desktop.cli import main
sys.exit(main(["review.db", "--reviewer", "ana"]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "review.db ana []"


def test_the_window_first_paints_the_claims_and_loads_what_edits_need_afterwards(tmp_path: Path) -> None:
    """`corroborate FILE` in a fresh process: no welcome page painted first, no sqlite-utils loaded
    for the first paint (it is big in memory); sqlite-utils loaded soon after, before any edit."""
    import shutil

    copy = tmp_path / "review.db"
    shutil.copyfile(REPO_ROOT / "sample.db", copy)
    script = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import desktop.ui.app as app
from desktop.ui.main_window import MainWindow

seen = []

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen:
            window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            seen.append(window.pages.currentWidget() is window.splitter)
            seen.append("sqlite_utils" in sys.modules)
            QTimer.singleShot(2000, later)
        return False

def later():
    print(seen, "sqlite_utils" in sys.modules)
    QApplication.instance().exit(0)

qt = QApplication([])
probe = FirstPaint()
qt.installEventFilter(probe)
from desktop.cli import main
sys.exit(main([sys.argv[1], "--reviewer", "ana"]))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CORROBORATE_CONFIG_DIR": str(tmp_path / "config"),
        "CORROBORATE_DATA_DIR": str(tmp_path / "data"),
        "CORROBORATE_LOG_DIR": str(tmp_path / "log"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, str(copy)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, False] True"
