"""The window fits a laptop screen, its panes show what they hold without sideways scrolling, and
its list of keyboard shortcuts is legible and true, and the column layout it remembers is one it can use."""

from __future__ import annotations

import html
import re
import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QDialog, QHeaderView, QLabel, QStyle

from desktop.ui.claims_model import COL_CHAIN, COL_NUMBER, COL_ORIGINS, COL_STATUS, COL_TEXT, COLUMNS
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sources_dialog import SourcesDialog

# The narrowest screen still common on newsroom laptops, in device-independent pixels.
LAPTOP_WIDTH = 1366


def _select_claim(window: MainWindow, qtbot, claim_number: int) -> None:  # type: ignore[no-untyped-def]
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(claim_number - 1):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.detail.claim_label.text() != "")


def test_the_window_with_its_filter_bar_fits_a_laptop_screen(make_window, sample_copy):
    window = make_window(sample_copy)
    assert window.minimumSizeHint().width() <= LAPTOP_WIDTH
    assert window.filter_toolbar.minimumSizeHint().width() <= LAPTOP_WIDTH


def test_the_detail_pane_does_not_scroll_sideways_on_a_laptop_screen(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.resize(LAPTOP_WIDTH, 760)
    # Claim 3 is the photo: its media provenance form is the widest part of the pane.
    _select_claim(window, qtbot, 3)
    assert window.detail.media_box.isVisible()
    qtbot.waitUntil(lambda: window.width() == LAPTOP_WIDTH)
    pane = window.detail
    qtbot.waitUntil(
        lambda: pane.verticalScrollBar().isVisible()
    )  # the pane is laid out, taller than the window
    assert pane.widget().minimumSizeHint().width() <= pane.viewport().width()
    assert not pane.horizontalScrollBar().isVisible()

    # Two steps of View › Larger text still fit: long rows put their labels above their fields.
    window.table.setFocus()
    for _ in range(2):
        qtbot.keyClick(window.table, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pane.widget().minimumSizeHint().width() <= pane.viewport().width())
    qtbot.waitUntil(lambda: not pane.horizontalScrollBar().isVisible())
    qtbot.keyClick(window.table, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_the_hop_list_grows_when_a_narrower_pane_wraps_its_hops(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    window.resize(1800, 800)
    window.splitter.setSizes([1000, 800])
    _select_claim(window, qtbot, 3)
    hop_list = window.detail.chain_editor.hop_list
    qtbot.waitUntil(lambda: hop_list.viewport().width() > 600)
    wide_height = hop_list.height()
    window.splitter.setSizes([1350, 450])
    qtbot.waitUntil(lambda: hop_list.height() > wide_height)
    window.splitter.setSizes([1000, 800])
    qtbot.waitUntil(lambda: hop_list.height() == wide_height)


def test_f1_lists_shortcuts_each_of_which_the_window_has(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    bound = {
        sequence.toString() for action in window.findChildren(QAction) for sequence in action.shortcuts()
    }
    listed: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        assert dialog.windowTitle() == "Keyboard shortcuts"
        text = "\n".join(label.text() for label in dialog.findChildren(QLabel))
        listed.extend(re.findall(r"<b>((?:Ctrl|F\d)[^<]*)</b>", text))
        dialog.reject()

    QTimer.singleShot(200, read_and_close)
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(listed))
    assert {"Ctrl+F", "Ctrl+Shift+E", "F1"} <= set(listed)
    assert [key for key in listed if key not in bound] == []


def test_a_first_start_keeps_the_window_within_the_screen_height(make_window, qtbot):
    window = make_window()  # no saved geometry: the first start
    room = window.screen().availableGeometry()
    assert room.height() < 820  # the test screen is smaller than the window's default height
    assert window.height() <= room.height()
    assert window.statusBar().isVisible()


def test_the_first_claim_shown_has_its_hops_whole(sample_copy, tmp_path, qtbot):
    # As the command line starts: the file is opened before the window is first shown and laid out.
    window = MainWindow(Settings(tmp_path / "config"), "ana")
    qtbot.addWidget(window)
    assert window.open_file(sample_copy)
    window.show()
    qtbot.waitExposed(window)
    hop_list = window.detail.chain_editor.hop_list
    assert hop_list.count() >= 1

    def hops_height() -> int:
        return sum(hop_list.visualItemRect(hop_list.item(row)).height() for row in range(hop_list.count()))

    qtbot.waitUntil(lambda: hop_list.viewport().height() >= hops_height())
    assert not hop_list.verticalScrollBar().isVisible()
    window.close()


def test_the_passage_context_starts_and_ends_on_whole_words(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    article = " ".join(_article_text(sample_copy).split())
    for claim_number in (1, 3, 11):
        _select_claim(window, qtbot, claim_number)
        label = window.detail.passage_label.text()
        before, after = (
            html.unescape(part) for part in re.findall(r"<span style='color:gray'>(.*?)</span>", label)[:2]
        )
        assert before.startswith("…") and after.endswith("…")
        # The cut word is dropped, and any full stop after it: what is shown starts a word of the article.
        assert re.search(r"(?:^|\W)" + re.escape(before[1:]), article), before
        assert re.search(re.escape(after[:-1]) + r"(?:\W|$)", article), after


def _article_text(path) -> str:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(row[0] for row in conn.execute("SELECT text FROM articles"))
    finally:
        conn.close()


def _shows_whole(window: MainWindow, column: int, text: str) -> bool:
    """Whether the table's cells in `column` have room for `text` inside the style's text margins."""
    table = window.table
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return table.fontMetrics().horizontalAdvance(text) + 2 * margin <= table.columnWidth(column)


def test_claim_numbers_in_the_millions_are_shown_whole(make_window, sample_copy, qtbot):
    with sqlite3.connect(sample_copy) as conn:
        conn.execute(
            "INSERT INTO claims (id, text, passage) VALUES (1000000, 'A claim far down.', 'Far down.')"
        )
    window = make_window(sample_copy)
    qtbot.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.table.current_claim_id() == 1_000_000
    assert window.model.index(window.table.currentIndex().row(), COL_NUMBER).data() == "1000000"
    assert _shows_whole(window, COL_NUMBER, "1000000")


def test_with_a_large_font_every_header_and_grade_is_shown_whole(make_window, sample_copy, qtbot):
    kept = QApplication.font()
    large = QFont(kept)
    large.setPointSizeF(kept.pointSizeF() * 1.6)
    QApplication.setFont(large)
    try:
        window = make_window(sample_copy)
        table, header = window.table, window.table.horizontalHeader()
        for column in range(window.model.columnCount()):
            if column != COL_TEXT:
                assert table.columnWidth(column) >= header.sectionSizeHint(column), COLUMNS[column][0]
        for label in ("unreviewed", "in progress", "reviewed", "disputed"):
            assert _shows_whole(window, COL_STATUS, label)
        assert _shows_whole(window, COL_ORIGINS, "2 / 12  ⚠  ⚑")

        # The Sources view and the import dialog's preview, opened by their keys.
        shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_S, shift_ctrl)
        sources = window.findChild(SourcesDialog)
        qtbot.waitUntil(lambda: sources is not None and sources.isVisible(), timeout=20_000)
        _assert_headers_whole(sources.table)
        sources.close()
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_I, shift_ctrl)
        qtbot.waitUntil(lambda: window.import_feature.dialog is not None, timeout=20_000)
        importing = window.import_feature.dialog
        qtbot.waitUntil(importing.isVisible, timeout=20_000)
        _assert_headers_whole(importing.preview)
        importing.close()
    finally:
        QApplication.setFont(kept)


def _assert_headers_whole(table) -> None:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    # A stretched last column takes the room that is left, whatever it needs.
    for column in range(header.count() - (1 if header.stretchLastSection() else 0)):
        title = table.model().headerData(column, Qt.Orientation.Horizontal)
        assert table.columnWidth(column) >= header.sectionSizeHint(column), title


def test_closing_with_no_file_open_keeps_the_columns_as_they_were(make_window, sample_copy, qtbot):
    window = make_window(sample_copy)
    header = window.table.horizontalHeader()
    header.resizeSection(COL_CHAIN, header.sectionSize(COL_CHAIN) + 40)
    chosen = header.sectionSize(COL_CHAIN)
    window.close()
    empty = make_window()  # the welcome page: no file, so no columns to remember
    empty.close()

    again = make_window(sample_copy)
    header = again.table.horizontalHeader()
    assert header.sectionSize(COL_CHAIN) == chosen
    assert header.sectionResizeMode(COL_TEXT) == QHeaderView.ResizeMode.Stretch
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.AscendingOrder)
    assert again.table.horizontalScrollBar().maximum() == 0  # every column within the table's width


def test_a_saved_layout_with_no_columns_is_ignored(make_window, sample_copy, tmp_path, qtbot):
    # What an earlier version saved when it was closed on its welcome page.
    window = make_window()
    no_columns = QHeaderView(Qt.Orientation.Horizontal).saveState()
    window.close()
    Settings(tmp_path / "config").save_window(window.saveGeometry(), window.splitter.saveState(), no_columns)

    again = make_window(sample_copy)
    header = again.table.horizontalHeader()
    assert header.sectionResizeMode(COL_TEXT) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(COL_CHAIN) != header.defaultSectionSize()
    assert again.table.horizontalScrollBar().maximum() == 0
