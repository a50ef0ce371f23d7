"""Choosing a source by typing its name: existing sources (and aliases) complete; a new name asks for a kind.

A new name is not stored when it is typed: `NewSources` gives it a placeholder id, and the edit that
uses it is sent as `WithNewSources`, so saving the edit stores the source and undoing it removes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from desktop.core.edits import ChainEdit, Edit, EvidenceEdit, WithNewSources, placeholder
from desktop.core.model import Source, source_key
from desktop.core.vocabulary import SourceKind
from desktop.store import Store
from desktop.ui.look import compact
from desktop.ui.steady_combo import SteadyComboBox


class _SourceNames(QAbstractListModel):
    """The picker's entries as one list: a file may hold thousands of sources, and adding them to a
    combo box one item at a time took tens of milliseconds for every claim shown."""

    def __init__(self, entries: list[tuple[int | None, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self._entries = entries
        # Row of each source id: QComboBox.findData would ask data() of every row in turn.
        self._rows = {source_id: row for row, (source_id, _) in enumerate(entries)}

    def row_of(self, source_id: int | None) -> int:
        """The row of the source `source_id` (or of the none entry for None); -1 if absent."""
        return self._rows.get(source_id, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._entries[index.row()][1]
        if role == Qt.ItemDataRole.UserRole:
            return self._entries[index.row()][0]
        return None


class SourcePicker(SteadyComboBox):
    """An editable combo box over the file's sources; `resolve()` finds or creates the typed source."""

    def __init__(self, store: Store, parent: QWidget | None = None, *, allow_none: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._none_label = allow_none
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        compact(self, 28)  # not sized by measuring every source's name on first show
        entries: list[tuple[int | None, str]] = [(None, allow_none)] if allow_none else []
        entries.extend(store.source_names())
        self._names = _SourceNames(entries, self)
        self.setModel(self._names)
        line = self.lineEdit()
        if line is not None:
            # What an empty box is for: picking from the list and typing a new name both work.
            line.setPlaceholderText("A source of this file, or type a new name")
        completer = self.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCurrentIndex(-1 if not allow_none else 0)

    def select_source(self, source_id: int | None) -> None:
        self.setCurrentIndex(
            max(0, self._names.row_of(source_id)) if source_id is not None or self._none_label else -1
        )

    def typed_name(self) -> str:
        return self.currentText().strip()

    def is_none(self) -> bool:
        return bool(self._none_label) and self.typed_name() in ("", self._none_label)

    def existing(self) -> Source | None:
        """The source the typed name (or one of its aliases) already stands for, if any."""
        name = self.typed_name()
        return self._store.find_source(name) if name else None

    def choice(self, kind_for_new: SourceKind) -> Source | None:
        """The chosen source: a stored one, or for a name the file does not have a new one (id None).

        None when nothing (or the "none" entry) is chosen.
        """
        if self.is_none():
            return None
        name = self.typed_name()
        if not name:
            return None
        return self.existing() or Source(name, kind_for_new)


class NewSources:
    """The sources one dialog names that the file does not have yet, for `WithNewSources`."""

    def __init__(self) -> None:
        self._new: list[Source] = []

    def id_or_none(self, source: Source | None) -> int | None:
        """`id_of` for a choice that may be empty."""
        return self.id_of(source) if source is not None else None

    def id_of(self, source: Source) -> int:
        """The id to put in the edit: the stored id, or the placeholder of a new source."""
        if source.id is not None:
            return source.id
        key = source_key(source.name)
        for index, known in enumerate(self._new):
            if source_key(known.name) == key:  # the same new name typed twice is one source
                return placeholder(index)
        self._new.append(source)
        return placeholder(len(self._new) - 1)

    def around(self, edit: ChainEdit | EvidenceEdit) -> Edit:
        """`edit`, preceded by storing the new sources when there are any."""
        return WithNewSources(tuple(self._new), edit) if self._new else edit
