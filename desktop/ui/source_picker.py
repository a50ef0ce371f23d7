"""Choosing a source by typing its name: existing sources (and aliases) complete; a new name asks for a kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from desktop.core.model import Source
from desktop.core.vocabulary import SourceKind
from desktop.store import Store


class SourcePicker(QComboBox):
    """An editable combo box over the file's sources; `resolve()` finds or creates the typed source."""

    def __init__(self, store: Store, parent: QWidget | None = None, *, allow_none: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._none_label = allow_none
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        if allow_none:
            self.addItem(allow_none, None)
        for source in store.all_sources():
            self.addItem(source.name, source.id)
        completer = self.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCurrentIndex(-1 if not allow_none else 0)

    def select_source(self, source_id: int | None) -> None:
        self.setCurrentIndex(
            max(0, self.findData(source_id)) if source_id is not None or self._none_label else -1
        )

    def typed_name(self) -> str:
        return self.currentText().strip()

    def is_none(self) -> bool:
        return bool(self._none_label) and self.typed_name() in ("", self._none_label)

    def existing(self) -> Source | None:
        """The source the typed name (or one of its aliases) already stands for, if any."""
        name = self.typed_name()
        return self._store.find_source(name) if name else None

    def resolve(self, kind_for_new: SourceKind) -> Source | None:
        """The chosen source, creating it with `kind_for_new` when the name is new; None when empty."""
        if self.is_none():
            return None
        name = self.typed_name()
        if not name:
            return None
        return self.existing() or self._store.ensure_source(Source(name, kind_for_new))
