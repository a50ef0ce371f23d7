"""The claims table view: fixed row heights, SQL-backed sorting, selection by claim id."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.core.grades import Status
from desktop.ui.claims_model import (
    COL_CHAIN,
    COL_CREDIBILITY,
    COL_NUMBER,
    COL_ORIGINS,
    COL_RELIABILITY,
    COL_REVIEWER,
    COL_SOURCE,
    COL_STATUS,
    COL_TEXT,
    ClaimsTableModel,
)
from desktop.ui.columns import set_starting_widths, starting_width

# The claim column takes whatever width is left; each other column starts wide enough for its
# header and for the longest value it shows, in the table's own font (ui/columns.py).
_SAMPLE_VALUES = {
    COL_RELIABILITY: ("A", "–"),
    COL_CREDIBILITY: ("6", "–"),
    COL_ORIGINS: ("9 / 99  ⚠  ⚑",),
    COL_STATUS: tuple(status.label for status in Status),
}
_COLUMN_CHARACTERS = {COL_NUMBER: 0, COL_SOURCE: 16, COL_CHAIN: 18, COL_REVIEWER: 9}


class ClaimsTableView(QTableView):
    """A table of claims; emits `current_claim_changed` with the claim id under the cursor."""

    current_claim_changed = Signal(object)  # int | None
    rationale_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.setTabKeyNavigation(False)
        # Fixed row heights: never measure a million rows.
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.fit_rows_to_text()
        vertical.setVisible(False)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setMinimumSectionSize(36)
        self.setAccessibleName("Claims")
        self._kept_claim_id: int | None = None
        # The claim last announced through `current_claim_changed`: a re-sort or re-filter that keeps
        # the reviewer on the same claim announces nothing, so the detail pane is not read again.
        self._announced: int | None = None
        self._after_paint: list[Callable[[], None]] = []
        self._empty_text = ""

    def set_empty_text(self, text: str) -> None:
        """What the table says in its body while it lists no claim ("" for nothing)."""
        if text != self._empty_text:
            self._empty_text = text
            self.setAccessibleDescription(text)  # painted text is not read out; this is
            if self._lists_nothing():
                self.viewport().update()

    def empty_text(self) -> str:
        """The text shown while the table lists no claim ("" when it lists some)."""
        return self._empty_text if self._lists_nothing() else ""

    def _lists_nothing(self) -> bool:
        model = self.model()
        return model is not None and model.rowCount() == 0

    def fit_rows_to_text(self) -> None:
        """Rows as tall as a line of the table's text (again after the text size changes)."""
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def fit_columns_to_text(self, ratio: float) -> None:
        """After the text grew or shrank by `ratio`: the columns of short values fit them again, the
        claim number's keeps its digits; the others keep the width the reviewer gave them, so the
        claim's own column is not squeezed."""
        if self.model() is None:
            return
        for column, values in _SAMPLE_VALUES.items():
            self.setColumnWidth(column, starting_width(self, column, values=values))
        self.setColumnWidth(COL_NUMBER, max(1, round(self.columnWidth(COL_NUMBER) * ratio)))

    def after_next_paint(self, then: Callable[[], None]) -> None:
        """Call `then` once, at the end of the table's next paint.

        From inside the paint: anything that takes time should start a timer of its own there, a
        child of an object that lives as long as the work is wanted (a timer the table started
        could outlive whoever asked, and call it after it was deleted).
        """
        self._after_paint.append(then)

    def forget_after_paint(self, then: Callable[[], None]) -> None:
        if then in self._after_paint:
            self._after_paint.remove(then)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Watched here rather than by an event filter on the viewport: reaching the viewport from
        # Python makes the bindings set up some sixty widget classes (8 to 20 ms) before the
        # first paint, and a Python filter runs for every event there.
        super().paintEvent(event)
        if self._empty_text and self._lists_nothing():
            # Only an empty table reaches the viewport from Python (see above): the start never does.
            self._paint_empty_text()
        if self._after_paint:
            waiting, self._after_paint = self._after_paint, []
            for then in waiting:
                then()

    def _paint_empty_text(self) -> None:
        # Near the top, where the eye is after typing a search, not lost in the middle of a tall table.
        viewport = self.viewport()
        painter = QPainter(viewport)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        margin = self.fontMetrics().height() * 2
        area = viewport.rect().adjusted(margin, margin, -margin, -margin)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self._empty_text)
        painter.end()

    def setModel(self, model: ClaimsTableModel) -> None:  # type: ignore[override]
        super().setModel(model)
        self.start_columns()
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        self._announced = None

    def start_columns(self) -> None:
        """The columns as a first start shows them: starting widths, the claim's own column taking the
        rest of the width, sorted by claim number."""
        header = self.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        set_starting_widths(self, _COLUMN_CHARACTERS, _SAMPLE_VALUES)
        self.fit_number_column(0)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)

    def restore_columns(self, state: QByteArray) -> bool:
        """The column layout the reviewer left (widths, order, hidden columns, sort), from `state`.

        A state that is not this table's (saved with no file open, so with no columns, by an earlier
        version; or damaged) would leave every column at Qt's default width and the claim's column no
        longer taking the rest: such a state is ignored and the starting layout kept. Returns whether
        the state was used.
        """
        header = self.horizontalHeader()
        if (
            header.restoreState(state)
            and header.sectionResizeMode(COL_TEXT) == QHeaderView.ResizeMode.Stretch
        ):
            return True
        self.start_columns()
        return False

    def fit_number_column(self, largest_number: int) -> None:
        """Widen the claim-number column, if need be, to show `largest_number` whole.

        Only widens: a width the reviewer chose, or one restored from the last session, is kept when
        it is enough. Claim numbers reach the millions, which the column's starting width does not show.
        """
        digits = "9" * max(len(str(largest_number)), 2)
        wanted = starting_width(self, COL_NUMBER, values=(digits,))
        if self.columnWidth(COL_NUMBER) < wanted:
            self.setColumnWidth(COL_NUMBER, wanted)

    def claims_model(self) -> ClaimsTableModel:
        model = self.model()
        assert isinstance(model, ClaimsTableModel)
        return model

    def current_claim_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.claims_model().claim_id(index.row())

    def selected_claim_ids(self) -> list[int]:
        model = self.claims_model()
        return [model.claim_id(index.row()) for index in self.selectionModel().selectedRows()]

    def selected_count(self) -> int:
        """How many rows are selected, counted from the selection's ranges (no index per row)."""
        selection = self.selectionModel().selection()
        return sum(selection.at(i).height() for i in range(selection.size()))

    def selected_claim_ids_in_order(self) -> list[int]:
        """The selected claims from the top of the table down."""
        model = self.claims_model()
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [model.claim_id(row) for row in rows]

    def go_to_row(self, row: int) -> None:
        model = self.claims_model()
        if model.rowCount() == 0:
            return
        row = max(0, min(row, model.rowCount() - 1))
        index = model.index(row, max(self.currentIndex().column(), 0))
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def go_to_claim(self, claim_id: int) -> bool:
        row = self.claims_model().row_of(claim_id)
        if row is None:
            return False
        self.go_to_row(row)
        return True

    def move_by(self, step: int) -> None:
        current = self.currentIndex().row()
        self.go_to_row(0 if current < 0 else current + step)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The item view consumes Return itself (it has no editors here), so it is handled
        # directly rather than through the window's action.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            self.rationale_requested.emit()
            return
        super().keyPressEvent(event)

    def _remember_current(self) -> None:
        self._kept_claim_id = self.current_claim_id()

    def _restore_current(self) -> None:
        """After a re-sort or re-filter, stay on the same claim if it is still listed."""
        kept = self._kept_claim_id
        if kept is None or not self.go_to_claim(kept):
            self.go_to_row(0)
        self._announce()

    def _on_current_row_changed(self, *_: object) -> None:
        self._announce()

    def _announce(self) -> None:
        """Tell the window which claim is current, once per change (a reset moves rows, not always claims)."""
        claim_id = self.current_claim_id()
        if claim_id != self._announced:
            self._announced = claim_id
            self.current_claim_changed.emit(claim_id)
