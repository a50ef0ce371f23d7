"""The attribution picture: claims, the sources the article cites for them, and the origins behind those.

Left, the claims the table shows (numbered); in the middle, the sources cited for them; then any relays;
right, the origins, where the information comes from. A source is drawn once however many chains pass
through it, so an origin shared by several claims or relays (the intelligence agency behind both its own
claims and the wire report) is visibly shared. Claims citing nobody are linked to "the article itself".
The picture is saved as PNG or SVG; clicking a claim selects it in the main table.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import Chain, ClaimQuery, Hop
from desktop.core.vocabulary import SourceKind
from desktop.store import Store
from desktop.ui.features import FeatureWindow, install_feature_window
from desktop.ui.sources_dialog import step_was_grading

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

MAX_CLAIMS = 300
ARTICLE_KEY = "article"

# Light fills with a darker border of the same hue: legible text on every fill, and kinds told apart
# by hue and by the kind written under each name (colour is never the only cue).
KIND_COLOURS: dict[SourceKind, tuple[str, str]] = {
    SourceKind.INTELLIGENCE_AGENCY: ("#eadcf6", "#6f3796"),
    SourceKind.GOVERNMENT: ("#dce6f8", "#34529a"),
    SourceKind.NEWS_AGENCY: ("#d3eeee", "#1d6f70"),
    SourceKind.OUTLET: ("#dcefd8", "#39762f"),
    SourceKind.PARTY_TO_CONFLICT: ("#f8ddd5", "#a8442a"),
    SourceKind.PRISONER: ("#f4e2cb", "#8c5312"),
    SourceKind.UNNAMED: ("#e6e6e6", "#5c5c5c"),
    SourceKind.COLLECTIVE: ("#efebcf", "#736a1c"),
    SourceKind.SOCIAL_MEDIA: ("#fae0ee", "#a52c67"),
    SourceKind.DOCUMENT: ("#fff2c2", "#8f7000"),
    SourceKind.ARTICLE: ("#ffffff", "#444444"),
}
CLAIM_COLOURS = ("#ffffff", "#8a8f98")
EDGE_COLOUR = "#7d838c"
LABEL_COLOUR = "#4a4f57"
FOCUS_COLOUR = "#1a73e8"

CLAIM_WIDTH = 340
SOURCE_WIDTH = 250
CLAIM_HEIGHT = 26
SOURCE_HEIGHT = 40
CLAIM_STEP = 34
SOURCE_GAP = 14
COLUMN_GAP = 150


# ---- the picture as plain data -------------------------------------------------------


@dataclass
class PictureNode:
    """A box of the picture: a claim, a source, or the article itself."""

    key: str
    label: str
    tooltip: str
    column: int
    claim_id: int | None = None
    source_id: int | None = None
    kind: SourceKind | None = None
    sublabel: str = ""
    is_origin: bool = False
    y: float = 0.0


@dataclass
class PictureEdge:
    """A line from one box to the next, labelled with how the information passes (its relation)."""

    start: str
    end: str
    label: str
    claims: set[int] = field(default_factory=set)


@dataclass
class Picture:
    """Nodes and edges with their columns; `shown`/`total` say whether claims were left out."""

    nodes: dict[str, PictureNode]
    edges: list[PictureEdge]
    columns: list[str]
    shown: int
    total: int


def _origin_position(chain: Chain) -> int:
    return next((i for i, hop in enumerate(chain) if hop.is_origin), len(chain) - 1)


def _layers(claims: Sequence[tuple[int, str]], chains: dict[int, tuple[Chain, ...]]) -> dict[int, int]:
    """Column of each source: right of everything that relays it; origins that relay nothing go rightmost."""
    depth: dict[int, int] = {}
    links: set[tuple[int, int]] = set()
    origins: set[int] = set()
    for claim_id, _ in claims:
        for chain in chains.get(claim_id, ()):
            if not chain:
                continue
            origins.add(_id(chain[_origin_position(chain)]))
            for position, hop in enumerate(chain):
                depth[_id(hop)] = max(depth.get(_id(hop), 0), position + 1)
                if position:
                    links.add((_id(chain[position - 1]), _id(hop)))
    # Chains disagreeing about order (A before B in one, B before A in another) would push each other
    # right for ever: no source goes further right than the longest chain, and such a link points back.
    longest = max(depth.values(), default=1)
    for _ in range(longest):
        changed = False
        for start, end in links:
            if start != end and depth[end] <= depth[start] < longest:
                depth[end] = depth[start] + 1
                changed = True
        if not changed:
            break
    deepest = max(depth.values(), default=1)
    relays = {start for start, end in links if start != end}
    for source_id in origins - relays:
        depth[source_id] = deepest
    return depth


def _id(hop: Hop) -> int:
    if hop.source.id is None:
        raise ValueError(f"source {hop.source.name!r} has not been stored yet")
    return hop.source.id


def _column_titles(count: int) -> list[str]:
    if count == 2:
        return ["Claims", "Cited sources and origins"]
    return ["Claims", "Cited by the article", *["Relayed through"] * (count - 3), "Origins"]


def build_picture(
    claims: Sequence[tuple[int, str]], chains: dict[int, tuple[Chain, ...]], total: int | None = None
) -> Picture:
    """Lay out claims (in the given order) and every source their chains pass through, each once."""
    nodes: dict[str, PictureNode] = {}
    edges: dict[tuple[str, str, str], PictureEdge] = {}
    layers = _layers(claims, chains)
    origins = {
        _id(chain[_origin_position(chain)])
        for claim_id, _ in claims
        for chain in chains.get(claim_id, ())
        if chain
    }
    last_column = max(layers.values(), default=1)

    def edge(start: str, end: str, label: str, claim_id: int) -> None:
        found = edges.setdefault((start, end, label), PictureEdge(start, end, label))
        found.claims.add(claim_id)

    for claim_id, text in claims:
        claim_key = f"claim:{claim_id}"
        nodes[claim_key] = PictureNode(
            claim_key, f"{claim_id}  {' '.join(text.split())}", f"Claim {claim_id}: {text}", 0, claim_id
        )
        claim_chains = [chain for chain in chains.get(claim_id, ()) if chain]
        if not claim_chains:
            if ARTICLE_KEY not in nodes:
                kind = SourceKind.ARTICLE
                nodes[ARTICLE_KEY] = PictureNode(
                    ARTICLE_KEY,
                    "The article itself",
                    f"Claims the article makes without citing anyone ({kind.caveat})",
                    last_column,
                    kind=kind,
                    sublabel="no source cited",
                    is_origin=True,
                )
            edge(claim_key, ARTICLE_KEY, "unattributed", claim_id)
            continue
        for chain in claim_chains:
            previous = claim_key
            for hop in chain:
                source = hop.source
                key = f"source:{source.id}"
                if key not in nodes:
                    is_origin = _id(hop) in origins
                    nodes[key] = PictureNode(
                        key,
                        source.name,
                        f"{source.name}\n{source.kind.label}: {source.kind.caveat}"
                        + ("\nThe origin of at least one chain" if is_origin else "")
                        + (f"\n{source.notes}" if source.notes else ""),
                        layers[_id(hop)],
                        source_id=source.id,
                        kind=source.kind,
                        sublabel=source.kind.label,
                        is_origin=is_origin,
                    )
                edge(previous, key, hop.relation.label, claim_id)
                previous = key
    columns = _column_titles(last_column + 1)
    _place(nodes, edges.values(), len(columns))
    return Picture(
        nodes, list(edges.values()), columns, len(claims), total if total is not None else len(claims)
    )


def _place(nodes: dict[str, PictureNode], edges: Iterable[PictureEdge], columns: int) -> None:
    """Claims one under the other; each source near the middle of what points to it, without overlaps."""
    incoming: dict[str, list[str]] = {}
    for item in edges:
        incoming.setdefault(item.end, []).append(item.start)
    claims = [n for n in nodes.values() if n.column == 0]
    for row, node in enumerate(claims):
        node.y = row * CLAIM_STEP
    for column in range(1, columns):
        members = [n for n in nodes.values() if n.column == column]
        for node in members:
            ys = [nodes[s].y for s in incoming.get(node.key, []) if nodes[s].column < column]
            node.y = sum(ys) / len(ys) if ys else 0.0
        members.sort(key=lambda n: (n.y, n.label))
        floor = -1e9
        for node in members:
            node.y = max(node.y, floor)
            floor = node.y + SOURCE_HEIGHT + SOURCE_GAP


# ---- drawing -------------------------------------------------------------------------


def _column_x(column: int) -> float:
    return 0.0 if column == 0 else CLAIM_WIDTH + COLUMN_GAP + (column - 1) * (SOURCE_WIDTH + COLUMN_GAP)


class NodeItem(QGraphicsRectItem):
    """A box with one or two lines of text; claim boxes can take focus and be activated."""

    def __init__(self, node: PictureNode, on_activate: Callable[[int], None] | None) -> None:
        width = CLAIM_WIDTH if node.column == 0 else SOURCE_WIDTH
        height = CLAIM_HEIGHT if node.column == 0 else SOURCE_HEIGHT
        super().__init__(0, 0, width, height)
        self.node = node
        self._on_activate = on_activate
        fill, border = KIND_COLOURS[node.kind] if node.kind is not None else CLAIM_COLOURS
        pen = QPen(QColor(border), 2.4 if node.is_origin else 1.2)
        if node.kind is SourceKind.ARTICLE:
            pen.setStyle(Qt.PenStyle.DashLine)
        self._pen = pen
        self.setPen(pen)
        self.setBrush(QBrush(QColor(fill)))
        self.setToolTip(node.tooltip)
        self.setZValue(2)
        font = QFont()
        font.setPointSizeF(9.0)
        font.setBold(node.column != 0)
        # Elided to the box by the font's own measure; the whole text is in the tooltip.
        text = QFontMetricsF(font).elidedText(node.label, Qt.TextElideMode.ElideRight, width - 16)
        title = QGraphicsSimpleTextItem(text, self)
        title.setFont(font)
        title.setBrush(QBrush(QColor("#1d1f23")))
        if node.sublabel:
            small = QFont()
            small.setPointSizeF(7.5)
            sub = QGraphicsSimpleTextItem(node.sublabel, self)
            sub.setFont(small)
            sub.setBrush(QBrush(QColor(LABEL_COLOUR)))
            title.setPos(8, 4)
            sub.setPos(8, 4 + title.boundingRect().height())
        else:
            title.setPos(8, (height - title.boundingRect().height()) / 2)
        if node.claim_id is not None and on_activate is not None:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, True)
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.node.claim_id is not None and self._on_activate is not None:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._on_activate(self.node.claim_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and self.node.claim_id is not None
            and self._on_activate is not None
        ):
            self._on_activate(self.node.claim_id)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setPen(QPen(QColor(FOCUS_COLOUR), 3))
        for view in self.scene().views() if self.scene() else []:
            view.ensureVisible(self)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setPen(self._pen)
        super().focusOutEvent(event)


class PictureScene(QGraphicsScene):
    """The drawn picture: nodes, curved labelled edges, column titles and a legend of source kinds."""

    def __init__(
        self, picture: Picture, title: str, on_activate: Callable[[int], None] | None = None
    ) -> None:
        super().__init__()
        self.picture = picture
        self.node_items: dict[str, NodeItem] = {}
        # The relations already written beside each claim, and the label under its line, if any.
        self._claim_labels: dict[str, list[str]] = {}
        self._lower_claim_labels: dict[str, tuple[QGraphicsSimpleTextItem, QGraphicsRectItem]] = {}
        self.edge_items: list[tuple[PictureEdge, QGraphicsPathItem]] = []
        self.setBackgroundBrush(QBrush(QColor("#ffffff")))
        top = self._draw_header(title)
        for node in picture.nodes.values():
            item = NodeItem(node, on_activate)
            item.setPos(_column_x(node.column), top + node.y)
            self.addItem(item)
            self.node_items[node.key] = item
        for edge in picture.edges:
            self._draw_edge(edge)
        if not picture.nodes:
            empty = self.addSimpleText(
                "No claims to draw: the table shows none. Clear the filter to see them."
            )
            empty.setPos(0, top)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-24, -24, 24, 24))

    def _draw_header(self, title: str) -> float:
        heading = QFont()
        heading.setPointSizeF(12.0)
        heading.setBold(True)
        text = self.addSimpleText(title, heading)
        text.setPos(0, 0)
        y = text.boundingRect().height() + 8
        if self.picture.shown < self.picture.total:
            note = self.addSimpleText(
                f"Only the first {self.picture.shown:,} of {self.picture.total:,} claims in the table are drawn."
            )
            note.setBrush(QBrush(QColor("#8a4b00")))
            note.setPos(0, y)
            y += note.boundingRect().height() + 6
        y = self._draw_legend(y) + 14
        label_font = QFont()
        label_font.setPointSizeF(9.5)
        label_font.setBold(True)
        for column, name in enumerate(self.picture.columns):
            header = self.addSimpleText(name, label_font)
            header.setBrush(QBrush(QColor(LABEL_COLOUR)))
            header.setPos(_column_x(column), y)
        return y + 30

    def _draw_legend(self, y: float) -> float:
        kinds = [kind for kind in SourceKind if any(n.kind is kind for n in self.picture.nodes.values())]
        if not kinds:
            return y
        small = QFont()
        small.setPointSizeF(8.5)
        x, row_height, per_row = 0.0, 20.0, 4
        for index, kind in enumerate(kinds):
            if index and index % per_row == 0:
                y += row_height
            x = (index % per_row) * 250.0
            fill, border = KIND_COLOURS[kind]
            swatch = self.addRect(QRectF(x, y + 3, 14, 12), QPen(QColor(border), 1.2), QBrush(QColor(fill)))
            swatch.setToolTip(kind.caveat)
            label = self.addSimpleText(kind.label, small)
            label.setBrush(QBrush(QColor(LABEL_COLOUR)))
            label.setPos(x + 20, y + 1)
        y += row_height
        key = self.addSimpleText("A thick border marks an origin: where the information comes from.", small)
        key.setBrush(QBrush(QColor(LABEL_COLOUR)))
        key.setPos(0, y + 2)
        return y + row_height

    def _draw_edge(self, edge: PictureEdge) -> None:
        start = self.node_items[edge.start]
        end = self.node_items[edge.end]
        a = start.mapToScene(start.rect().right(), start.rect().center().y())
        b = end.mapToScene(end.rect().left(), end.rect().center().y())
        path = QPainterPath(a)
        if b.x() > a.x():
            bend = max(40.0, (b.x() - a.x()) / 2)
            path.cubicTo(QPointF(a.x() + bend, a.y()), QPointF(b.x() - bend, b.y()), b)
        else:  # a link back to an earlier column: loop round below the boxes
            drop = 40.0
            path.cubicTo(QPointF(a.x() + 80, a.y() + drop), QPointF(b.x() - 80, b.y() + drop), b)
        item = QGraphicsPathItem(path)
        pen = QPen(QColor(EDGE_COLOUR), 1.0 + min(len(edge.claims), 4) * 0.3)
        item.setPen(pen)
        item.setZValue(0)
        claims = ", ".join(str(c) for c in sorted(edge.claims))
        item.setToolTip(f"{edge.label} (claim{'s' if len(edge.claims) > 1 else ''} {claims})")
        self.addItem(item)
        self.edge_items.append((edge, item))
        self._draw_edge_label(edge, start, a, b, path)
        # An arrowhead at the far end shows which way the chain is read (article → origin).
        head = QPainterPath(b)
        head.lineTo(b.x() - 7, b.y() - 4)
        head.lineTo(b.x() - 7, b.y() + 4)
        head.closeSubpath()
        arrow = self.addPath(head, QPen(Qt.PenStyle.NoPen), QBrush(QColor(EDGE_COLOUR)))
        arrow.setZValue(1)

    def _draw_edge_label(
        self, edge: PictureEdge, start: NodeItem, a: QPointF, b: QPointF, path: QPainterPath
    ) -> None:
        small = QFont()
        small.setPointSizeF(7.5)
        if start.node.column == 0:
            self._draw_claim_label(edge, a, small)
            return
        text = edge.label + (f"  ×{len(edge.claims)}" if len(edge.claims) > 1 else "")
        label = QGraphicsSimpleTextItem(text)
        label.setFont(small)
        middle = path.pointAtPercent(0.5)
        bounds = label.boundingRect()
        self._add_label(label, QPointF(middle.x() - bounds.width() / 2, middle.y() - bounds.height() - 1))

    def _draw_claim_label(self, edge: PictureEdge, a: QPointF, font: QFont) -> None:
        """How a claim's chains begin, next to the claim, so neighbouring claims' labels never pile up.

        The first relation goes above the claim's lines and the second below them (the room between
        two claims holds one of each); any further ones join the second, so none is drawn on another.
        """
        written = self._claim_labels.setdefault(edge.start, [])
        if edge.label in written:  # two chains of one claim with the same relation: one label is enough
            return
        written.append(edge.label)
        if len(written) > 2:
            label, backing = self._lower_claim_labels[edge.start]
            label.setText(" · ".join(written[1:]))
            backing.setRect(QRectF(label.pos(), label.boundingRect().size()).adjusted(-2, 0, 2, 0))
            return
        label = QGraphicsSimpleTextItem(edge.label)
        label.setFont(font)
        height = label.boundingRect().height()
        above = len(written) == 1
        backing = self._add_label(label, QPointF(a.x() + 6, a.y() - height - 1 if above else a.y() + 1))
        if not above:
            self._lower_claim_labels[edge.start] = (label, backing)

    def _add_label(self, label: QGraphicsSimpleTextItem, position: QPointF) -> QGraphicsRectItem:
        """Put `label` at `position` on a white backing that keeps it legible over the lines."""
        label.setBrush(QBrush(QColor(LABEL_COLOUR)))
        backing = self.addRect(
            QRectF(position, label.boundingRect().size()).adjusted(-2, 0, 2, 0),
            QPen(Qt.PenStyle.NoPen),
            QBrush(QColor(255, 255, 255, 215)),
        )
        backing.setZValue(1)
        label.setPos(position)
        label.setZValue(1.5)
        self.addItem(label)
        return backing

    # ---- export --------------------------------------------------------------------

    def save_png(self, path: Path) -> None:
        """Write the whole picture as a PNG (twice the screen scale while it stays a sensible size)."""
        rect = self.sceneRect()
        scale = 2.0 if rect.width() * rect.height() * 4 <= 40_000_000 else 1.0
        # Opaque pixels: the picture has a white background, and no alpha channel saves much faster.
        image = QImage(
            QSize(int(rect.width() * scale), int(rect.height() * scale)), QImage.Format.Format_RGB32
        )
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.render(painter, QRectF(image.rect()), rect)
        painter.end()
        _write_atomically(path, lambda temp: image.save(str(temp), "PNG"))  # type: ignore[call-overload]  # stubs say bytes; it takes str

    def save_svg(self, path: Path, title: str) -> None:
        """Write the whole picture as SVG, which stays sharp at any zoom and opens in a browser."""
        rect = self.sceneRect()

        def write(temp: Path) -> bool:
            generator = QSvgGenerator()
            generator.setFileName(str(temp))
            generator.setSize(QSize(int(rect.width()), int(rect.height())))
            generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
            generator.setTitle(title)
            generator.setDescription("Attribution picture: claims, cited sources, relays and origins")
            painter = QPainter()
            if not painter.begin(generator):
                return False
            self.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
            return painter.end()

        _write_atomically(path, write)


class PictureWriteError(OSError):
    """The picture could not be written where the reviewer asked."""


def _write_atomically(path: Path, write: Callable[[Path], bool]) -> None:
    """Write beside the target and rename over it, so a failed save never leaves half a file."""
    folder = path.parent
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        if not write(temp) or temp.stat().st_size == 0:
            raise PictureWriteError(f"Could not write the picture to {path}.")
        # A temporary file is private to its owner; the saved picture gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o666 & ~umask)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


# ---- the window ----------------------------------------------------------------------


class AttributionGraphicsView(QGraphicsView):
    """The picture in a scrollable view: Ctrl+wheel zooms, dragging pans."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Attribution picture")

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(0.1 / current, min(4.0 / current, factor))
        self.scale(factor, factor)
        self.zoom_changed.emit(self.transform().m11())

    def fit(self) -> None:
        scene = self.scene()
        if scene is None:
            return
        self.resetTransform()
        rect = scene.sceneRect()
        view = self.viewport().rect()
        if rect.width() <= 0 or rect.height() <= 0:
            return
        # Fit the width, but never shrink so far that the text cannot be read: tall pictures scroll.
        factor = min(1.0, view.width() / rect.width())
        factor = max(factor, min(0.45, view.height() / rect.height()))
        self.scale(factor, factor)
        self.centerOn(rect.center().x(), rect.top() + view.height() / (2 * factor))
        self.zoom_changed.emit(factor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Up and Down walk through the claims (Enter then selects one in the table); other keys scroll.
        scene = self.scene()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
        if (
            step is None
            or not isinstance(scene, PictureScene)
            or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            super().keyPressEvent(event)
            return
        claims = [item for item in scene.node_items.values() if item.node.claim_id is not None]
        if not claims:
            super().keyPressEvent(event)
            return
        current = scene.focusItem()
        index = claims.index(current) + step if current in claims else 0
        claims[max(0, min(index, len(claims) - 1))].setFocus(Qt.FocusReason.OtherFocusReason)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)


class AttributionDialog(FeatureWindow):
    """The attribution picture of the claims the table shows, kept up to date as chains change."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.scene: PictureScene | None = None
        self.setWindowTitle("Attribution picture")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1280, 800)
        self.view = AttributionGraphicsView()
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.zoom_in_button = QPushButton("Zoom &in")
        self.zoom_in_button.setToolTip("Ctrl++ or Ctrl+wheel")
        self.zoom_out_button = QPushButton("Zoom &out")
        self.zoom_out_button.setToolTip("Ctrl+- or Ctrl+wheel")
        self.fit_button = QPushButton("&Fit")
        self.fit_button.setToolTip("Fit the width of the window (Ctrl+0)")
        self.png_button = QPushButton("Save as &PNG…")
        self.svg_button = QPushButton("Save as &SVG…")
        row = QHBoxLayout()
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            row.addWidget(button)
        for button in (
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
            self.png_button,
            self.svg_button,
        ):
            # Enter belongs to the picture (it selects the focused claim), never to a default button.
            button.setAutoDefault(False)
        row.addWidget(self.zoom_label)
        row.addStretch(1)
        row.addWidget(self.png_button)
        row.addWidget(self.svg_button)
        hint = QLabel(
            "Click a claim, or go through the claims with ↑ ↓ and press Enter, to select it in the table. "
            "Ctrl+wheel zooms."
        )
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)
        self.setStyleSheet("#hint { color: palette(placeholder-text); }")

        for keys, slot in (
            ([QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")], lambda: self.view.zoom_by(1.25)),
            ([QKeySequence.StandardKey.ZoomOut], lambda: self.view.zoom_by(0.8)),
            ([QKeySequence("Ctrl+0")], self.view.fit),
        ):
            action = QAction(self)
            action.setShortcuts(keys)  # type: ignore[arg-type]
            action.triggered.connect(slot)
            self.addAction(action)
        self.zoom_in_button.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.zoom_out_button.clicked.connect(lambda: self.view.zoom_by(0.8))
        self.fit_button.clicked.connect(self.view.fit)
        self.png_button.clicked.connect(lambda: self.choose_and_save("png"))
        self.svg_button.clicked.connect(lambda: self.choose_and_save("svg"))
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))

        # Chain edits, undo and redo, and new filters all change the picture; redraw once per burst.
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        self._redraw_timer.timeout.connect(self.refresh)
        self._history_index = window.undo_stack.index()
        window.undo_stack.indexChanged.connect(self._history_moved)
        if window.model is not None:
            window.model.modelReset.connect(self._listing_changed)
        self.refresh()

    def _history_moved(self, index: int) -> None:
        previous, self._history_index = self._history_index, index
        # Grades are not drawn; a hidden picture is redrawn when it is shown again.
        if self.isVisible() and not step_was_grading(self._window.undo_stack, previous, index):
            self._redraw_timer.start()

    def _listing_changed(self) -> None:
        if self.isVisible():
            self._redraw_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.view.fit)
        self.view.setFocus()

    def refresh(self) -> None:
        """Redraw from the file: the table's current claims (up to MAX_CLAIMS) and their chains."""
        store = self._window.store
        if store is None:
            return
        picture = picture_for(store, self._window.current_query())
        title = f"Who stands behind the claims — {store.path.name}"
        transform = self.view.transform()
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        old = self.scene
        self.scene = PictureScene(picture, title, self._select_claim)
        self.view.setScene(self.scene)
        if old is not None:
            self.view.setTransform(transform)
            self.view.centerOn(centre)
            old.deleteLater()
        if picture.shown < picture.total:
            self.note_label.setText(
                f"The table lists {picture.total:,} claims; the first {picture.shown:,} are drawn, "
                "in the table's order. Narrow the filter to draw the others."
            )
        else:
            sources = sum(1 for n in picture.nodes.values() if n.source_id is not None)
            self.note_label.setText(
                f"{picture.shown:,} claims as the table lists them, {sources:,} sources."
                if picture.shown
                else "The table shows no claims, so there is nothing to draw. Clear the filter to see them."
            )

    def _select_claim(self, claim_id: int) -> None:
        if not self._window.table.go_to_claim(claim_id):
            self._window.statusBar().showMessage(f"Claim {claim_id} is no longer in the table.", 5000)

    def choose_and_save(self, kind: str) -> None:
        store = self._window.store
        if store is None or self.scene is None:
            return
        suggestion = store.path.with_name(f"{store.path.stem}-attribution.{kind}")
        path, _ = QFileDialog.getSaveFileName(
            self,
            f"Save the picture as {kind.upper()}",
            str(suggestion),
            f"{kind.upper()} images (*.{kind})",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(target.name + f".{kind}")
        # At most MAX_CLAIMS claims: about a second for the largest PNG, so a busy cursor is enough.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                if kind == "png":
                    self.scene.save_png(target)
                else:
                    self.scene.save_svg(target, f"Attribution — {store.path.name}")
            finally:
                QApplication.restoreOverrideCursor()
        except OSError as error:  # a full disk, a read-only folder, a vanished drive
            message = error.strerror if error.strerror else str(error)
            QMessageBox.warning(self, "Picture not saved", f"Could not save {target}:\n{message}")
            return
        self._window.statusBar().showMessage(f"Saved the picture as {target}", 8000)


def picture_for(store: Store, query: ClaimQuery) -> Picture:
    """The picture of the first MAX_CLAIMS claims of a query, in its order.

    Reads the count and only the first ids (as the claims table does), never the whole listing,
    which takes seconds at a million claims.
    """
    stream = store.claim_id_stream(query)
    try:
        total = stream.total
        shown = list(stream.next_batch(MAX_CLAIMS))
    finally:
        stream.close()
    rows = store.claim_rows(shown, query.reviewer)
    claims = [(claim_id, rows[claim_id].text) for claim_id in shown if claim_id in rows]
    return build_picture(claims, store.chains_of(shown), total=total)


def install(window: MainWindow) -> None:
    """View › Attribution picture… (Ctrl+Shift+A), available while a file is open."""
    install_feature_window(
        window, window.view_menu, "&Attribution picture…", "Ctrl+Shift+A", AttributionDialog
    )
