"""Starting widths of table columns, measured in the table's own font.

Fixed pixel widths cut headers and values as soon as the font is larger than the one they were
chosen with (a system setting, a screen's scaling). Each column here gets a share in average
characters of the table's font, widened to its header as the header draws it (with the sort mark)
and to the longest of a few values it is known to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import QTableView

# Room the item delegate leaves around a cell's text, on both sides together.
CELL_PADDING = 12


def starting_width(table: QTableView, column: int, characters: int = 0, values: Iterable[str] = ()) -> int:
    """The width `column` starts at: `characters` of the font, its header whole, each of `values` whole."""
    metrics = table.fontMetrics()
    width = table.horizontalHeader().sectionSizeHint(column)
    width = max(width, metrics.averageCharWidth() * characters + CELL_PADDING)
    for value in values:
        width = max(width, metrics.horizontalAdvance(value) + CELL_PADDING)
    return width


def set_starting_widths(
    table: QTableView, characters: Mapping[int, int], values: Mapping[int, Iterable[str]] | None = None
) -> None:
    """Give every column of `characters` (and of `values`) its starting width; the model must be set."""
    values = values or {}
    for column in sorted({*characters, *values}):
        table.setColumnWidth(
            column, starting_width(table, column, characters.get(column, 0), values.get(column, ()))
        )
