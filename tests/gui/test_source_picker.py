"""The source picker lists every source of the file, finds one by id and completes typed names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.store import Store
from desktop.ui.source_picker import SourcePicker


def test_the_picker_offers_every_source_and_the_none_entry(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy, read_only=True)
    try:
        picker = SourcePicker(store, allow_none="(not known)")
        qtbot.addWidget(picker)
        names = store.source_names()
        assert len(names) > 5
        assert picker.count() == len(names) + 1
        assert picker.itemText(0) == "(not known)" and picker.itemData(0) is None
        assert [picker.itemText(i) for i in range(1, picker.count())] == [name for _, name in names]
        assert picker.is_none()

        wanted_id, wanted_name = names[len(names) // 2]
        picker.select_source(wanted_id)
        assert picker.currentText() == wanted_name
        assert picker.currentData(Qt.ItemDataRole.UserRole) == wanted_id
        chosen = picker.existing()
        assert chosen is not None and chosen.id == wanted_id

        # Typing part of a name in another case offers it in the completer's list.
        picker.show()
        picker.lineEdit().clear()
        qtbot.keyClicks(picker.lineEdit(), wanted_name[1:5].upper())
        completions = picker.completer().completionModel()
        offered = [completions.index(row, 0).data() for row in range(completions.rowCount())]
        assert wanted_name in offered
    finally:
        store.close()


def test_an_empty_picker_says_a_new_name_may_be_typed(qtbot, sample_copy: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_copy, read_only=True)
    try:
        picker = SourcePicker(store)
        qtbot.addWidget(picker)
        assert picker.currentText() == ""
        assert "new name" in picker.lineEdit().placeholderText()
    finally:
        store.close()
