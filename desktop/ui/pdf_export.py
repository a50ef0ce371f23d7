"""PDF export: the HTML report laid out and printed by Qt's rich-text engine, offscreen.

Importing this module adds the "pdf" format to desktop.io.export.FORMATS, so the
window's export dialog and `corroborate export --format pdf` go through the same
`export()` entry point (temporary file, progress, cancel) as every other format.
Qt's rich text has no SVG support, so each chart of the report is drawn to an
image first and handed to the document as a resource.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

from desktop.io.export import ExportFormat, register_format
from desktop.io.export.html_report import Chart, render_report
from desktop.io.export.job import ExportJob

# Charts are drawn at twice their size so they stay sharp when the PDF is zoomed or printed.
CHART_SCALE = 2
# Headings are kept with what follows them in reports of up to this many claims. Each heading moved
# lays out the rest of the report again, so the time grows with the square of its length: half a
# second for 100 claims, two for 150, four minutes for 2,000; a longer report is printed as Qt
# lays it out.
KEEP_WITH_NEXT_UP_TO = 100
PAGE_MARGIN_MM = 15

_app: QGuiApplication | None = None


def ensure_application() -> None:
    """Laying out text needs a QGuiApplication; outside the window (the CLI) make an offscreen one.

    Call from the main thread when no application exists yet; inside the window this does nothing.
    """
    global _app
    if QGuiApplication.instance() is None:
        # Nothing is shown, so no display is needed: this also works on a server or in CI.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication([])


def chart_image(chart: Chart) -> QImage:
    renderer = QSvgRenderer(chart.svg.encode("utf-8"))
    if not renderer.isValid():
        raise ValueError(f"the chart {chart.title!r} is not valid SVG")
    image = QImage(chart.width * CHART_SCALE, chart.height * CHART_SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        renderer.render(painter)
    finally:
        painter.end()
    return image


def report_document(job: ExportJob) -> tuple[QTextDocument, int]:
    """The report as a laid-out document, and how many claims it holds."""
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 9))

    numbers = itertools.count(1)

    def chart_markup(chart: Chart) -> str:
        name = f"corroborate-chart-{next(numbers)}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), chart_image(chart))
        return f'<img src="{name}" width="{chart.width}" height="{chart.height}"/>'

    page, count = render_report(job, chart_markup, for_screen=False)
    document.setHtml(page)
    return document, count


def pdf_writer(path: Path) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(96)
    writer.setPageMargins(QMarginsF(*[PAGE_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)
    writer.setCreator("Corroborate")
    return writer


def printed_layout(document: QTextDocument, writer: QPdfWriter) -> QTextDocument:
    """A copy of `document` laid out in pages as `QTextDocument.print_` lays out its own copy: the
    writer's page, the writer as paint device, margins of 2 cm measured in the screen's dots."""
    copy = document.clone()
    copy.documentLayout().setPaintDevice(writer)
    screen = QGuiApplication.primaryScreen()
    across, down = (screen.logicalDotsPerInchX(), screen.logicalDotsPerInchY()) if screen else (96.0, 96.0)
    frame = copy.rootFrame().frameFormat()
    frame.setLeftMargin(int(2 / 2.54 * across))
    frame.setRightMargin(int(2 / 2.54 * across))
    frame.setTopMargin(int(2 / 2.54 * down))
    frame.setBottomMargin(int(2 / 2.54 * down))
    copy.rootFrame().setFrameFormat(frame)
    copy.setPageSize(QSizeF(writer.width(), writer.height()))
    return copy


def heads_what_follows(block: QTextBlock) -> bool:
    """Whether `block` is a heading, or the first cell of a table's header row: what a page must
    not end with."""
    table = QTextCursor(block).currentTable()
    if table is None:
        return block.blockFormat().headingLevel() > 0
    return table.rows() > 1 and block == table.cellAt(0, 0).firstCursorPosition().block()


def ends_a_page(pages: QTextDocument, block: QTextBlock, page_height: float) -> bool:
    """Whether `block` (a heading, or a table's header row) is the last thing on its page: the
    first line of what follows it is on the next one."""
    following = block.next()
    if not following.isValid():
        return False
    table = QTextCursor(block).currentTable()
    if table is not None:
        following = table.cellAt(1, 0).firstCursorPosition().block()
    layout = pages.documentLayout()
    lines = following.layout()
    first_line = lines.lineAt(0).rect().bottom() if lines.lineCount() else 0.0
    here = layout.blockBoundingRect(block).top()
    return int(here // page_height) != int(
        (layout.blockBoundingRect(following).top() + first_line) // page_height
    )


def keep_with_what_follows(document: QTextDocument, writer: QPdfWriter) -> int:
    """Start a new page at each heading, and each table, that a printed page would end with; returns
    how many. Qt's rich text knows no "keep with next": a chart's or a claim's heading could close a
    page whose content began the next one, or a table's header row be left alone at its foot.

    The pages are measured on a copy laid out as print_ will lay out its own, in one pass from the
    top; a break goes into both documents, and the copy is laid out again from there on.
    """
    pages = printed_layout(document, writer)
    height = float(writer.height())
    moved = 0
    block = pages.begin()
    while block.isValid():
        if heads_what_follows(block) and ends_a_page(pages, block, height):
            for copy in (pages, document):
                _break_before(copy.findBlockByNumber(block.blockNumber()))
            pages.markContentsDirty(block.position(), pages.characterCount() - block.position())
            moved += 1
        block = block.next()
    return moved


def _break_before(block: QTextBlock) -> None:
    table = QTextCursor(block).currentTable()
    if table is not None:
        form = table.format()
        form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table.setFormat(form)
        return
    form = block.blockFormat()
    form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(form)


def write_pdf(job: ExportJob, path: Path) -> int:
    """Returns the number of claims."""
    document, count = report_document(job)
    job.check_cancelled()
    writer = pdf_writer(path)
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    if count <= KEEP_WITH_NEXT_UP_TO:
        keep_with_what_follows(document, writer)
        job.check_cancelled()
    document.print_(writer)
    return count


register_format(ExportFormat("pdf", "PDF report", ".pdf", write_pdf))
