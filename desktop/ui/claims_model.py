"""The claims table model: an ordered array of claim ids plus a small page cache.

Sorting and filtering are done by the store in SQL; the model only asks for
the rows that are painted, a page at a time, so a file with a million claims
costs a few megabytes of ids and a few hundred cached rows.

The ids themselves arrive lazily: a new listing starts with its count and the
first batch (what the first screen needs), and the rest is read in batches
while the window is idle, or at once when a row further down is asked for.
So a million-claim file paints as soon as its first page is known.
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont

from desktop.core.evidence import ClaimFlags
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS
from desktop.core.model import ClaimQuery, ClaimRow, SortKey
from desktop.core.wording import counted
from desktop.store import Store
from desktop.store.claim_queries import ClaimIdStream

PAGE_SIZE = 200
# Rows read for the first paint after a new listing: a screenful and a little more. A full page of
# chains and flags for rows nobody sees yet would delay every sort, filter and search.
FIRST_PAGE_SIZE = 64
MAX_CACHED_ROWS = 2_000
# Ids read at once when a row further down is asked for (a jump to the end, a selection).
ID_BATCH = 5_000
# The idle loader reads ids in chunks of this many for at most IDLE_STEP_MS per step, so one step
# never stalls the window (a search that matches one claim in twenty reads 5,000 ids in ~60 ms).
IDLE_CHUNK = 500
IDLE_STEP_MS = 8
# The idle loader's first step waits this long after a new listing: the table is painted first,
# and the next keystroke of a search is not kept waiting behind ids nobody has asked for yet.
IDLE_START_MS = 60
# Ids read before a new listing is shown: the first page and a little more (rows under the cursor
# are looked for among them), so the first paint of a sort, filter or search waits for no more.
FIRST_BATCH = 256

ClaimIdRole = Qt.ItemDataRole.UserRole + 1

COLUMNS: list[tuple[str, SortKey, str]] = [
    ("#", SortKey.NUMBER, "Claim number"),
    ("Claim", SortKey.TEXT, "The claim, in neutral wording"),
    ("Cited source", SortKey.CITED_SOURCE, "The source the article cites"),
    ("Chain", SortKey.CITED_SOURCE, "The attribution chain, from the cited source to the origin"),
    ("Rel.", SortKey.RELIABILITY, "Source reliability, A (completely reliable) to F (cannot be judged)"),
    ("Cred.", SortKey.CREDIBILITY, "Claim credibility, 1 (confirmed) to 6 (truth cannot be judged)"),
    (
        "Origins",
        SortKey.EVIDENCE,
        "Independent origins behind the corroboration / evidence items; "
        "⚠ circular reporting, ⚑ your grade differs from the suggestion",
    ),
    ("Status", SortKey.STATUS, "Your review status"),
    ("Reviewers", SortKey.REVIEWER, "Everyone who has reviewed this claim"),
]
(
    COL_NUMBER,
    COL_TEXT,
    COL_SOURCE,
    COL_CHAIN,
    COL_RELIABILITY,
    COL_CREDIBILITY,
    COL_ORIGINS,
    COL_STATUS,
    COL_REVIEWER,
) = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex

# Looked up once: reading a Qt enum member costs more than the rest of a data() call.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, Qt.ItemDataRole.FontRole, ClaimIdRole})
_CENTERED = int(Qt.AlignmentFlag.AlignCenter)
_CENTERED_COLUMNS = frozenset({COL_NUMBER, COL_RELIABILITY, COL_CREDIBILITY, COL_ORIGINS})
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ClaimsTableModel(QAbstractTableModel):
    """Claims as one reviewer sees them, in the order and filter of a ClaimQuery."""

    def __init__(self, store: Store, query: ClaimQuery) -> None:
        super().__init__()
        self._store = store
        self._query = query
        self._ids: array[int] = array("q")
        self._total = 0
        self._stream: ClaimIdStream | None = None
        self._just_reset = False
        self._loader = QTimer(self)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_step)
        self._start_listing(query)
        # Each cached line: the row and its evidence flags, fetched together a page at a time.
        self._cache: OrderedDict[int, tuple[ClaimRow, ClaimFlags]] = OrderedDict()
        self._italic = QFont()
        self._italic.setItalic(True)

    # ---- queries -------------------------------------------------------------------

    @property
    def query(self) -> ClaimQuery:
        return self._query

    def set_query(self, query: ClaimQuery) -> None:
        """Re-run the listing in SQL (new filter or order); the cache starts empty."""
        self.beginResetModel()
        self._query = query
        self._start_listing(query)
        self._cache.clear()
        # While the view reacts to the reset (it looks for the claim it was on), a claim beyond the
        # ids read so far is not searched for: that would read a million ids before the first paint.
        self._just_reset = True
        try:
            self.endResetModel()
        finally:
            self._just_reset = False

    def reload(self) -> None:
        self.set_query(self._query)

    def claim_id(self, row: int) -> int:
        self._load_through(row)
        return self._ids[row]

    def row_of(self, claim_id: int) -> int | None:
        row = self.listed_row_of(claim_id)
        if row is not None or self._stream is None or self._just_reset:
            return row
        self._load_through(self._total - 1)
        return self.row_of(claim_id)

    def listed_row_of(self, claim_id: int) -> int | None:
        """The row of `claim_id` among the ids read so far, reading no more of the listing."""
        try:
            return self._ids.index(claim_id)
        except ValueError:
            return None

    def claim_ids(self) -> array[int]:
        self._load_through(self._total - 1)
        return self._ids

    @property
    def fully_loaded(self) -> bool:
        """True once every id of the listing has been read (the idle loader gets there on its own)."""
        return self._stream is None

    # ---- the id listing ------------------------------------------------------------

    def _start_listing(self, query: ClaimQuery) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = self._store.claim_id_stream(query)
        self._total = self._stream.total
        self._ids = array("q")
        self._loader.stop()
        self._load_step(FIRST_BATCH)
        if self._loader.isActive():
            self._loader.start(IDLE_START_MS)

    def _load_step(self, size: int | None = None) -> None:
        """Read `size` more ids (the idle loader: as many as a few milliseconds allow); stop the
        idle loader once the listing is complete."""
        stream = self._stream
        if stream is None:
            self._loader.stop()
            return
        if size is not None:
            self._ids.extend(stream.next_batch(size))
        else:
            self._loader.setInterval(0)  # after the first step, every idle moment
            deadline = time.perf_counter() + IDLE_STEP_MS / 1000
            while True:
                self._ids.extend(stream.next_batch(IDLE_CHUNK))
                if stream.exhausted or time.perf_counter() >= deadline:
                    break
        if stream.exhausted:
            complete, self._stream = stream.complete, None
            self._loader.stop()
            if complete and len(self._ids) != self._total:
                # Count and listing run in one read transaction; disagreeing would be a bug.
                raise RuntimeError(f"listed {len(self._ids)} claims but counted {self._total}")
        elif not self._loader.isActive():
            self._loader.start()

    def _load_through(self, row: int) -> None:
        while self._stream is not None and len(self._ids) <= row:
            self._load_step(ID_BATCH)

    def refresh_claim(self, claim_id: int) -> None:
        """A claim was edited: drop its cached row and repaint it."""
        self._cache.pop(claim_id, None)
        row = self.row_of(claim_id)
        if row is not None:
            self.dataChanged.emit(
                self.index(row, 0),
                self.index(row, len(COLUMNS) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def refresh_claims(self, claim_ids: list[int]) -> None:
        """Several claims were edited at once: drop their cached rows and repaint what shows (their
        rows are not looked up one by one: in a long listing each lookup reads the ids)."""
        for claim_id in claim_ids:
            self._cache.pop(claim_id, None)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    # ---- Qt model contract ---------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][2]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._query.sort == COLUMNS[column][1] and self._query.descending == descending:
            return  # already in this order (the view sets its indicator when given the model)
        # A reset rather than a layout change: every row moves, and the window re-selects
        # the current claim by id afterwards.
        self.set_query(replace(self._query, sort=COLUMNS[column][1], descending=descending))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks for a dozen roles per cell, most of which this model leaves to the style:
        # those are answered before any row is looked up (a repaint makes thousands of calls).
        if role not in _ROLES or not index.isValid():
            return None
        position = index.row()
        if not 0 <= position < self._total:
            return None
        self._load_through(position)
        if position >= len(self._ids):
            return None  # the file was closed while its listing was still being read
        row, flags = self._row(position)
        column = index.column()
        if role == _DISPLAY:
            return _origins_display(flags) if column == COL_ORIGINS else _display(row, column)
        if role == _TOOLTIP:
            return _origins_tooltip(flags) if column == COL_ORIGINS else _tooltip(row, column)
        if role == ClaimIdRole:
            return row.id
        if role == _ALIGNMENT:
            return _CENTERED if column in _CENTERED_COLUMNS else None
        if column in (COL_SOURCE, COL_CHAIN) and row.unattributed:  # the font role
            return self._italic
        return None

    # ---- paging --------------------------------------------------------------------

    def _row(self, position: int) -> tuple[ClaimRow, ClaimFlags]:
        self._load_through(position + PAGE_SIZE)
        claim_id = self._ids[position]
        cached = self._cache.get(claim_id)
        if cached is not None:
            self._cache.move_to_end(claim_id)
            return cached
        size = PAGE_SIZE if self._cache else FIRST_PAGE_SIZE
        start = max(0, position - size // 4)
        page = [i for i in self._ids[start : start + size] if i not in self._cache]
        rows = self._store.claim_rows(page, self._query.reviewer)
        flags = self._store.claim_flags(page, self._query.reviewer)
        self._cache.update((i, (row, flags[i])) for i, row in rows.items())
        while len(self._cache) > MAX_CACHED_ROWS:
            self._cache.popitem(last=False)
        return self._cache[claim_id]


def _display(row: ClaimRow, column: int) -> str:
    if column == COL_NUMBER:
        return str(row.id)
    if column == COL_TEXT:
        return row.text
    if column == COL_SOURCE:
        return row.cited_sources or "unattributed"
    if column == COL_CHAIN:
        return row.chain_summary
    if column == COL_RELIABILITY:
        return row.reliability or "–"
    if column == COL_CREDIBILITY:
        return str(row.credibility) if row.credibility else "–"
    if column == COL_STATUS:
        return row.status.label
    return row.reviewers


def _origins_display(flags: ClaimFlags) -> str:
    if not flags.evidence_count:
        return "–"
    marks = ("  ⚠" if flags.circular_warning else "") + ("  ⚑" if flags.second_look else "")
    return f"{flags.independent_origins} / {flags.evidence_count}{marks}"


def _origins_tooltip(flags: ClaimFlags) -> str:
    if not flags.evidence_count:
        return "No evidence yet"
    lines = [
        f"{counted(flags.independent_origins, 'independent origin')} behind the corroboration, "
        f"{counted(flags.evidence_count, 'evidence item')}",
        f"Suggested credibility: {flags.suggested_credibility} · {CREDIBILITY_LABELS[flags.suggested_credibility]}",
    ]
    if flags.circular_warning:
        lines.append("⚠ Circular reporting: some items share an origin with the claim or each other")
    if flags.second_look:
        lines.append("⚑ Second look: your credibility grade differs from the suggestion")
    return "\n".join(lines)


def _tooltip(row: ClaimRow, column: int) -> str:
    if column == COL_RELIABILITY:
        return RELIABILITY_LABELS[row.reliability] if row.reliability else "Reliability not graded"
    if column == COL_CREDIBILITY:
        return CREDIBILITY_LABELS[row.credibility] if row.credibility else "Credibility not graded"
    if column == COL_SOURCE and row.unattributed:
        return "The article cites nobody for this claim"
    return _display(row, column)
