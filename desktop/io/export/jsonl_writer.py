"""JSON Lines: one JSON object per line, for tools that stream (jq, pandas, data pipelines).

The first line is the envelope (`"type": "header"`), then one line per article
(with its text), one per source, then one per claim, each shaped as in the JSON
export with an added `"type"` member.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.io.export.job import ExportJob
from desktop.io.export.records import article_dict, claim_dict, envelope, source_record_dict


def _line(kind: str, data: dict[str, Any]) -> str:
    return json.dumps({"type": kind, **data}, ensure_ascii=False) + "\n"


def write_jsonl(job: ExportJob, path: Path) -> int:
    """Returns the number of claim lines."""
    articles = job.articles()
    by_id = {article.id: article for article in articles if article.id is not None}
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(_line("header", envelope(job.total, job.options.reviewer)))
        for article in articles:
            handle.write(_line("article", article_dict(article, with_text=True)))
        for source in job.sources():
            handle.write(_line("source", source_record_dict(source)))
        count = 0
        for record in job.records():
            handle.write(_line("claim", claim_dict(record, by_id, include_changes=job.options.include_log)))
            count += 1
    return count
