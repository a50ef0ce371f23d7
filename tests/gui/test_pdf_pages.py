"""The PDF report never ends a page with a heading, or with a table's header row alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument

from desktop.core.model import ClaimQuery
from desktop.io.export import ExportOptions
from desktop.io.export.job import ExportJob
from desktop.store import Store
from desktop.ui import pdf_export
from tests.unit.export_data import reviewed_sample


def stranded(document: QTextDocument, writer) -> list[str]:  # type: ignore[no-untyped-def]
    """The headings and table header rows that end a page as the document will be printed."""
    pages = pdf_export.printed_layout(document, writer)
    height = float(writer.height())
    found = []
    block = pages.begin()
    while block.isValid():
        if pdf_export.heads_what_follows(block) and pdf_export.ends_a_page(pages, block, height):
            found.append(block.text())
        block = block.next()
    return found


def test_a_heading_at_the_foot_of_a_page_moves_to_the_next(qapp, tmp_path: Path):  # type: ignore[no-untyped-def]
    writer = pdf_export.pdf_writer(tmp_path / "pages.pdf")
    # As many lines before the heading as put it last on the first page.
    for lines in range(20, 120):
        document = QTextDocument()
        document.setHtml(
            "".join(f"<p>Line {n} of what comes before.</p>" for n in range(lines))
            + "<h3>Evidence and independence</h3><p>What the heading is about.</p>"
        )
        if stranded(document, writer):
            break
    else:
        raise AssertionError("no number of lines left the heading at a page's foot")
    assert stranded(document, writer) == ["Evidence and independence"]
    assert pdf_export.keep_with_what_follows(document, writer) == 1
    assert stranded(document, writer) == []


def test_the_sample_report_strands_nothing(qapp, sample_copy: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    reviewed_sample(sample_copy)
    store = Store.open(sample_copy, read_only=True)
    try:
        ids = list(store.claim_ids(ClaimQuery("")))
        job = ExportJob(store, ids, ExportOptions(), tmp_path / "report.pdf")
        document, count = pdf_export.report_document(job)
        writer = pdf_export.pdf_writer(tmp_path / "report.pdf")
        moved = pdf_export.keep_with_what_follows(document, writer)
        assert count == 15 and moved >= 1
        assert stranded(document, writer) == []
    finally:
        store.close()
