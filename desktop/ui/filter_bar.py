"""The filter bar: narrow the claims table by source, source kind, grades, evidence, warnings and reviewer.

Every choice maps onto a field of ClaimQuery, so the store does the filtering in SQL and an export
of "what the table shows" uses exactly the same query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS
from desktop.core.model import ClaimQuery
from desktop.core.vocabulary import SourceKind
from desktop.store import Store
from desktop.ui.look import compact

ANY = "Any"
NOT_GRADED = "Not graded"


class _RefreshingCombo(QComboBox):
    """A combo whose items are re-read each time it opens, so new sources or reviewers appear at once.

    After `reset` it holds only "Any" until it is first focused, opened or scrolled: reading five
    thousand sources is not worth delaying the first sight of a file for.
    """

    def __init__(self, load: Callable[[], list[tuple[str, object]]], accessible_name: str) -> None:
        super().__init__()
        self._load = load
        self._loaded = False
        self.setAccessibleName(accessible_name)
        _compact(self)
        self.reset()

    def reset(self) -> None:
        """Back to "Any" alone (announced if something else was chosen); the items are read when needed."""
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(ANY, None)
        self.blockSignals(False)
        self._loaded = False
        if chosen is not None:
            self.currentIndexChanged.emit(0)

    def reload(self) -> None:
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(ANY, None)
        for text, value in self._load():
            self.addItem(text, value)
        self.setCurrentIndex(max(0, self.findData(chosen)) if chosen is not None else 0)
        self.blockSignals(False)
        self._loaded = True
        if chosen is not None and self.currentData() != chosen:
            self.currentIndexChanged.emit(self.currentIndex())  # the chosen entry is gone

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self._loaded:
            self.reload()  # before arrow keys or typed letters pick an entry
        super().focusInEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self._loaded:
            self.reload()
        super().wheelEvent(event)


def _compact(combo: QComboBox) -> None:
    """A narrow combo (the bar must fit a laptop screen) whose list still shows entries in full."""
    compact(combo, 9, list_characters=44)


class FilterBar(QWidget):
    """Source, kind, reliability, credibility, evidence, warnings and reviewer filters; `changed` on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self.source_combo = _RefreshingCombo(self._sources, "Filter by source")
        self.source_combo.setToolTip("Claims with this source anywhere in a chain")
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Filter by source kind")
        self.kind_combo.setToolTip(
            "Claims with a source of this kind in a chain (“the article” = unattributed)"
        )
        # Choices are kept here by index: Qt would turn str-based enums and tuples into plain strings and lists.
        self._kinds: list[SourceKind | None] = [None, *SourceKind]
        self.kind_combo.addItems([ANY, *(kind.label for kind in SourceKind)])
        self.reliability_combo = QComboBox()
        self.reliability_combo.setAccessibleName("Filter by your reliability grade")
        self.credibility_combo = QComboBox()
        self.credibility_combo.setAccessibleName("Filter by your credibility grade")
        self._reliabilities: list[tuple[str | None, ...]] = [(), (None,), *((r,) for r in RELIABILITY_LABELS)]
        self._credibilities: list[tuple[int | None, ...]] = [(), (None,), *((c,) for c in CREDIBILITY_LABELS)]
        for combo, labels in (
            (self.reliability_combo, RELIABILITY_LABELS),
            (self.credibility_combo, CREDIBILITY_LABELS),
        ):
            combo.addItems([ANY, NOT_GRADED, *(f"{value} · {label}" for value, label in labels.items())])
        self.evidence_combo = QComboBox()
        self.evidence_combo.setAccessibleName("Filter by evidence")
        self._evidence: list[bool | None] = [None, True, False]
        self.evidence_combo.addItems([ANY, "Has evidence", "No evidence yet"])
        self.warnings_check = QCheckBox("&Warnings only")
        self.warnings_check.setToolTip("Circular reporting, or your credibility differs from the suggestion")
        self.reviewer_combo = _RefreshingCombo(self._reviewers, "Filter by reviewer")
        self.reviewer_combo.setToolTip("Claims this reviewer has a review of")
        self.clear_button = QPushButton("Clear filters")
        for combo in (self.kind_combo, self.reliability_combo, self.credibility_combo, self.evidence_combo):
            _compact(combo)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for label, widget in (
            ("Source", self.source_combo),
            ("Kind", self.kind_combo),
            ("Reliability", self.reliability_combo),
            ("Credibility", self.credibility_combo),
            ("Evidence", self.evidence_combo),
            ("Reviewer", self.reviewer_combo),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget)
        layout.addWidget(self.warnings_check)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)

        for combo in (
            self.source_combo,
            self.kind_combo,
            self.reliability_combo,
            self.credibility_combo,
            self.evidence_combo,
            self.reviewer_combo,
        ):
            combo.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.warnings_check.toggled.connect(lambda _: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.source_combo.reset()
        self.reviewer_combo.reset()
        self.setEnabled(store is not None)

    def apply_to(self, query: ClaimQuery) -> ClaimQuery:
        """`query` with this bar's filters in place of whatever filters it had."""
        source_id = self.source_combo.currentData()
        kind = self._kinds[self.kind_combo.currentIndex()]
        return replace(
            query,
            source_ids=frozenset({source_id}) if source_id is not None else frozenset(),
            kinds=frozenset({kind}) if kind is not None else frozenset(),
            reliabilities=frozenset(self._reliabilities[self.reliability_combo.currentIndex()]),
            credibilities=frozenset(self._credibilities[self.credibility_combo.currentIndex()]),
            has_evidence=self._evidence[self.evidence_combo.currentIndex()],
            warnings_only=self.warnings_check.isChecked(),
            reviewer_filter=self.reviewer_combo.currentData(),
        )

    def is_active(self) -> bool:
        return self.apply_to(ClaimQuery("")) != ClaimQuery("")

    def clear(self) -> None:
        """Back to no filter, announcing one change rather than one per control."""
        widgets = (
            self.source_combo,
            self.kind_combo,
            self.reliability_combo,
            self.credibility_combo,
            self.evidence_combo,
            self.reviewer_combo,
            self.warnings_check,
        )
        for widget in widgets:
            widget.blockSignals(True)
        for combo in widgets[:-1]:
            combo.setCurrentIndex(0)
        self.warnings_check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.changed.emit()

    def focus_first(self) -> None:
        self.source_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _sources(self) -> list[tuple[str, object]]:
        if self._store is None:
            return []
        return [(source.name, source.id) for source in self._store.all_sources()]

    def _reviewers(self) -> list[tuple[str, object]]:
        if self._store is None:
            return []
        return [(name, name) for name in self._store.reviewer_names()]
