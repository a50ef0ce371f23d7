"""Merging another Corroborate file (for instance a colleague's SQLite export) into the open one.

Everything the other file's claims carry comes along: articles, sources with their aliases and
default reliability, chains with their origin marks, reviews, evidence, media provenance and the
change log. It is all written in one transaction, so a refusal leaves the file as it was. Into an
empty file every id is kept; otherwise a claim the file already holds takes in the other copy's
reviews and evidence (desktop/store/merge_back.py), the rest get new numbers, and sources are
matched by name.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.core.model import ClaimQuery
from desktop.io.import_json import LoadResult, load_export, write_loaded
from desktop.store import Store
from desktop.store.opening import is_sqlite_file
from desktop.store.snapshot import articles_of, claim_records, sources_of


def load_corroborate_file(
    store: Store,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoadResult:
    """Add every claim of the Corroborate file at `path` (opened read-only) to `store`."""
    path = Path(path)
    if path.exists() and store.path.exists() and os.path.samefile(path, store.path):
        raise CorroborateError(f"{path} is the file already open: there is nothing to merge.")
    other = Store.open(path, read_only=True)
    try:
        # Every claim, in number order; "" is no reviewer, so no review-based filter applies.
        ids = other.claim_ids(ClaimQuery(""))
        articles = articles_of(other, ids)
        sources = sources_of(other, ids)
        records = claim_records(other, ids, include_changes=True)
    except (sqlite3.DatabaseError, ValueError, TypeError) as error:
        # The other file passed the checks on open but its content does not hold together: text that
        # is not UTF-8, a source kind or status no version of Corroborate writes, a damaged page.
        raise CorroborateError(f"{path} could not be read as a Corroborate file: {error}.") from error
    finally:
        other.close()
    return write_loaded(store, path, articles, sources, records, progress=progress, cancelled=cancelled)


def load_copy(
    store: Store,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoadResult:
    """A colleague's copy merged into `store`: a Corroborate file, or else its JSON / JSON Lines export."""
    path = Path(path)
    if not path.is_file():
        raise CorroborateError(f"{path} does not exist or is not a file.")
    load = load_corroborate_file if is_sqlite_file(path) else load_export
    return load(store, path, progress=progress, cancelled=cancelled)
