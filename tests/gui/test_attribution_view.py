"""The attribution picture: every claim, source and origin drawn once, saved as PNG and SVG, linked to the table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.core.edits import RemoveHop
from desktop.core.model import Hop, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.ui import attribution_view
from desktop.ui.attribution_view import ARTICLE_KEY, AttributionDialog, NodeItem, build_picture
from desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
NIS = "National Intelligence Service (NIS)"


def open_picture(qtbot, window: MainWindow) -> AttributionDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(AttributionDialog)
    assert dialog is not None and dialog.isVisible() and dialog.scene is not None
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=20_000)
    return dialog


def source_nodes(dialog: AttributionDialog, source_id: int) -> list[NodeItem]:
    assert dialog.scene is not None
    return [i for i in dialog.scene.items() if isinstance(i, NodeItem) and i.node.source_id == source_id]


def starts_into(dialog: AttributionDialog, key: str) -> set[str]:
    assert dialog.scene is not None
    return {edge.start for edge in dialog.scene.picture.edges if edge.end == key}


@pytest.fixture
def picture(qtbot, make_window, sample_copy: Path) -> tuple[MainWindow, AttributionDialog]:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    return window, open_picture(qtbot, window)


def test_every_claim_source_and_origin_of_the_sample_is_drawn(picture) -> None:  # type: ignore[no-untyped-def]
    window, dialog = picture
    store = window.store
    ids = list(store.claim_ids(window.current_query()))
    chains = store.chains_of(ids)
    items = dialog.scene.node_items
    for claim_id in ids:
        assert f"claim:{claim_id}" in items
    sources = {hop.source.id for claim in chains.values() for chain in claim for hop in chain}
    assert len(sources) == len(store.list_sources())
    for source_id in sources:
        assert len(source_nodes(dialog, source_id)) == 1
    unattributed = {f"claim:{c}" for c in ids if c not in chains}
    assert unattributed and starts_into(dialog, ARTICLE_KEY) == unattributed
    origins = {n.source_id for n in dialog.scene.picture.nodes.values() if n.is_origin and n.source_id}
    assert store.find_source("Unnamed sources (NHK)").id in origins
    assert store.find_source("NHK").id not in origins


def test_the_shared_nis_origin_is_drawn_once_with_edges_from_its_claims_and_the_wire(picture) -> None:  # type: ignore[no-untyped-def]
    window, dialog = picture
    store = window.store
    nis = store.find_source(NIS)
    (item,) = source_nodes(dialog, nis.id)
    assert item.node.is_origin
    into = starts_into(dialog, item.node.key)
    wire = f"source:{store.find_source('Yonhap').id}"
    communique = f"source:{store.find_source('NIS communiqué').id}"
    direct_claims = {key for key in into if key.startswith("claim:")}
    assert wire in into and communique in into and direct_claims
    # The wire's node sits left of the origin it relays.
    assert dialog.scene.node_items[wire].x() < item.x()


def test_clicking_a_claim_selects_it_in_the_table_and_arrows_then_enter_do_too(qtbot, picture) -> None:  # type: ignore[no-untyped-def]
    window, dialog = picture
    item = dialog.scene.node_items["claim:7"]
    dialog.view.centerOn(item)
    point = dialog.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.table.current_claim_id() == 7
    for _ in range(5):  # from claim 7, down to claim 12, then back up one
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Up)
    assert window.table.current_claim_id() == 7  # moving through the picture alone selects nothing
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert window.table.current_claim_id() == 11


def test_png_and_svg_are_saved_whole_and_valid(qtbot, picture, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, dialog = picture
    folder = tmp_path / "pictures"
    folder.mkdir()
    answers = iter([str(folder / "chains.png"), str(folder / "chains")])  # the second without a suffix
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (next(answers), ""))
    qtbot.mouseClick(dialog.png_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.svg_button, Qt.MouseButton.LeftButton)
    image = QImage(str(folder / "chains.png"))
    assert not image.isNull() and image.width() > 0 and image.height() > 0
    root = ET.parse(folder / "chains.svg").getroot()
    assert root.tag.endswith("svg")
    assert sorted(p.name for p in folder.iterdir()) == ["chains.png", "chains.svg"]


def test_a_failed_save_is_explained_and_leaves_nothing(qtbot, picture, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, dialog = picture
    missing = tmp_path / "no such folder" / "chains.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(missing), ""))
    warnings: list[str] = []
    monkeypatch.setattr(
        attribution_view.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text)
    )
    qtbot.mouseClick(dialog.png_button, Qt.MouseButton.LeftButton)
    assert warnings and str(missing) in warnings[0]
    assert not missing.parent.exists()


def test_the_picture_follows_the_table_filter_and_chain_edits_with_undo(qtbot, picture) -> None:  # type: ignore[no-untyped-def]
    window, dialog = picture
    store = window.store
    wire = f"source:{store.find_source('Yonhap').id}"
    nis_key = f"source:{store.find_source(NIS).id}"
    assert wire in starts_into(dialog, nis_key)
    window.apply_store_edit(RemoveHop(2, 0, 1))  # the wire no longer traced to the agency
    qtbot.waitUntil(lambda: wire not in starts_into(dialog, nis_key), timeout=20_000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: wire in starts_into(dialog, nis_key), timeout=20_000)

    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "NHK")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    shown = set(window.model.claim_ids())
    assert 0 < len(shown) < 15
    qtbot.waitUntil(
        lambda: {n.claim_id for n in dialog.scene.picture.nodes.values() if n.claim_id} == shown,
        timeout=20_000,
    )


def test_many_claims_are_limited_with_a_note(qtbot, make_window, sample_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(attribution_view, "MAX_CLAIMS", 5)
    window = make_window(sample_copy)
    dialog = open_picture(qtbot, window)
    claims = [n for n in dialog.scene.picture.nodes.values() if n.claim_id is not None]
    assert [n.claim_id for n in claims] == list(window.model.claim_ids()[:5])
    assert "first 5" in dialog.note_label.text() and "15" in dialog.note_label.text()


def test_zoom_keys_and_fit(qtbot, picture) -> None:  # type: ignore[no-untyped-def]
    _, dialog = picture
    dialog.view.setFocus()
    before = dialog.view.transform().m11()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Plus, CTRL)
    assert dialog.view.transform().m11() > before
    qtbot.keyClick(dialog.view, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Minus, CTRL)
    assert dialog.view.transform().m11() < before
    qtbot.keyClick(dialog.view, Qt.Key.Key_0, CTRL)
    assert dialog.view.transform().m11() == pytest.approx(before)


def test_chains_that_disagree_about_order_still_lay_out() -> None:
    a = Source("Alpha", SourceKind.OUTLET, id=1)
    b = Source("Beta", SourceKind.NEWS_AGENCY, id=2)
    chains = {
        1: ((Hop(a, Relation.REPORTS), Hop(b, Relation.ACCORDING_TO)),),
        2: ((Hop(b, Relation.REPORTS), Hop(a, Relation.ACCORDING_TO)),),
    }
    result = build_picture([(1, "one"), (2, "two")], chains)
    assert {key for key in result.nodes if key.startswith("source:")} == {"source:1", "source:2"}
    assert len(result.edges) == 4


def test_a_claim_citing_three_sources_in_three_ways_has_each_way_written_once_and_legibly(
    qtbot, make_window, sample_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.edits import AddHop
    from desktop.store import Store

    store = Store.open(sample_copy)
    try:
        chains = len(store.chains_of([1])[1])
        for offset, (name, relation) in enumerate((("Yonhap", Relation.REPORTS), ("NHK", Relation.QUOTES))):
            source = store.find_source(name)
            assert source is not None and source.id is not None
            store.apply(AddHop(1, chains + offset, 0, source.id, relation, new_chain=True), "ana")
        relations = {hop.relation.label for chain in store.chains_of([1])[1] for hop in chain[:1]}
    finally:
        store.close()
    assert len(relations) == 3
    window = make_window(sample_copy)
    dialog = open_picture(qtbot, window)
    claim = dialog.scene.node_items["claim:1"].sceneBoundingRect()
    beside = [
        item
        for item in dialog.scene.items()
        if isinstance(item, attribution_view.QGraphicsSimpleTextItem)
        and item.font().pointSizeF() == 7.5
        and abs(item.sceneBoundingRect().left() - claim.right() - 6) < 1
        and claim.top()
        <= item.sceneBoundingRect().center().y()
        <= claim.bottom()  # its own, not its neighbours'
    ]
    written = [part for item in beside for part in item.text().split(" · ")]
    assert sorted(written) == sorted(relations)  # each way once
    rects = [item.sceneBoundingRect() for item in beside]
    assert len(rects) == 2 and not rects[0].intersects(
        rects[1]
    )  # above and below its lines, not on each other
