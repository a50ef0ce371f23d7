"""JSON: one document holding the envelope, the articles (with their text), the sources and every claim, nested.

Claims are written one at a time as they are read, so a large set never has to
fit in memory. The shape is described in the README's "Export" section.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from desktop.io.export.job import ExportJob
from desktop.io.export.jsontext import indented
from desktop.io.export.records import article_dict, claim_dict, envelope, source_record_dict


def _dump(value: Any, indent: str) -> str:
    return indented(value, indent)


def _write_list(handle: TextIO, items: Any) -> int:
    handle.write("[")
    count = 0
    for item in items:
        handle.write("\n    " if count == 0 else ",\n    ")
        handle.write(_dump(item, "    "))
        count += 1
    handle.write("\n  ]" if count else "]")
    return count


def write_json(job: ExportJob, path: Path) -> int:
    """Returns the number of claims."""
    articles = job.articles()
    by_id = {article.id: article for article in articles if article.id is not None}
    include_changes = job.options.include_log
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("{\n")
        for key, value in envelope(job.total, job.options.reviewer).items():
            handle.write(f"  {json.dumps(key)}: {_dump(value, '  ')},\n")
        handle.write('  "articles": ')
        _write_list(handle, (article_dict(article, with_text=True) for article in articles))
        handle.write(',\n  "sources": ')
        _write_list(handle, (source_record_dict(record) for record in job.sources()))
        handle.write(',\n  "claims": ')
        count = _write_list(
            handle,
            (claim_dict(record, by_id, include_changes=include_changes) for record in job.records()),
        )
        handle.write("\n}\n")
    return count
