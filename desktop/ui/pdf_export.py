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

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtSvg import QSvgRenderer

from desktop.io.export import ExportFormat, register_format
from desktop.io.export.html_report import Chart, render_report
from desktop.io.export.job import ExportJob

# Charts are drawn at twice their size so they stay sharp when the PDF is zoomed or printed.
CHART_SCALE = 2
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


def write_pdf(job: ExportJob, path: Path) -> int:
    """Returns the number of claims."""
    document, count = report_document(job)
    job.check_cancelled()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(96)
    writer.setPageMargins(QMarginsF(*[PAGE_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("Corroborate")
    document.print_(writer)
    return count


register_format(ExportFormat("pdf", "PDF report", ".pdf", write_pdf))
