"""SQLite: a new Corroborate file holding exactly the chosen set, for a colleague to open or merge.

The file is created through Store, so it has the same schema and migrations as
any Corroborate file: the claims keep their numbers, and their articles, the
sources their chains use, the reviews and the change-log rows of those claims
come along. Only plain tables (plus SQLite's built-in full-text indexes) are
used, so the sqlite-utils command line and Datasette read it as they read any
SQLite database. It is left as a single file, without a write-ahead log beside it.
"""

from __future__ import annotations

from pathlib import Path

from desktop.io.export.job import ExportJob
from desktop.store import Store
from desktop.store.snapshot import SnapshotWriter, make_standalone


def write_sqlite(job: ExportJob, path: Path) -> int:
    """Returns the number of claims copied."""
    copy = Store.open(path, create=True)
    try:
        writer = SnapshotWriter(copy, keep_ids=True)
        writer.add_articles(job.articles())
        writer.add_sources(job.sources())
        count = 0
        # The change log always travels with the file: it is the history of those reviews.
        for batch in job.record_batches(include_changes=True):
            writer.add_claims(batch)
            count += len(batch)
        make_standalone(copy)
    finally:
        copy.close()
    return count
