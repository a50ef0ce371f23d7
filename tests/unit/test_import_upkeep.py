"""A dataset import does the search index and filter facts set-wise, and gets what row-by-row upkeep gets.

The import takes the per-row insert triggers out inside its transaction and does their work once
for all its claims at the end. Here the same import is written both ways into copies of the same
file: the saved content (filter facts, schema text included), every word of the search index and
what searches and filters list must be the same; the triggers are back afterwards, and a cancel
at any moment of the import leaves the file exactly as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from factories import indexed_words

from desktop.core.edits import AddAlias, AddHop, RemoveHop, RenameSource, SetSourceKind
from desktop.core.imports import ImportBatch, ImportCancelled, ImportedClaim
from desktop.core.model import ClaimQuery, NewClaim
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store, imports
from desktop.store.search import SEARCH_TABLE

REVIEWER = "ana"
NOW = "2026-11-25T10:00:00Z"
KINDS = (SourceKind.INTELLIGENCE_AGENCY, SourceKind.NEWS_AGENCY, SourceKind.ARTICLE)


@contextmanager
def _row_by_row(
    db: object, *, rebuild_indexes: bool = False, finished: object = None
) -> Iterator[imports._Upkeep]:
    """The import as it was before: every trigger and index in place, each insert keeping them in step."""
    yield imports._Upkeep()


def _claims(count: int) -> list[ImportedClaim]:
    """Claims citing existing sources by name and by alias, new sources, nobody, and no one usable."""
    speakers = [
        "Yonhap",
        "  yonhap ",  # the same source written differently
        "South Korean intelligence",  # an alias added below
        "Dunmere Courier",  # new
        "Dunmere  courier",  # the same new source
        None,
        "—",  # no letter or digit: unattributed
        f"Harbour Watch {count}",
    ]
    return [
        ImportedClaim(
            f"Claim {n}: convoys crossed the bridge near Velmora",
            f"line {n + 2}",
            speaker=speakers[n % len(speakers)],
            verdict_label="false" if n % 3 else None,
            context=f"Passage {n} about the ministry" if n % 4 == 0 else None,
            credibility=5 if n % 3 else None,
        )
        for n in range(count)
    ]


def _prepare(path: Path) -> None:
    store = Store.open(path)
    try:
        nis = store.find_source("National Intelligence Service (NIS)")
        assert nis is not None and nis.id is not None
        store.apply(AddAlias(nis.id, "South Korean intelligence"), REVIEWER)
        store.apply(AddAlias(nis.id, "NIS Seoul"), REVIEWER)
    finally:
        store.close()


def _import(path: Path, claims: list[ImportedClaim], monkeypatch: pytest.MonkeyPatch, set_wise: bool) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(imports, "utc_now", lambda: NOW)
        patch.setattr("desktop.store.base.utc_now", lambda: NOW)
        if not set_wise:
            patch.setattr(imports, "_set_wise_upkeep", _row_by_row)
        store = Store.open(path)
        try:
            store.add_imported_claims(ImportBatch("dataset.csv", "csv", REVIEWER, {}), claims)
        finally:
            store.close()


def _triggers(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def _assert_in_step(store: Store) -> None:
    """FTS5 compares its index with every claim's document as the view builds it."""
    store._db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('integrity-check', 1)")
    indexed = store._db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_docsize").fetchone()[0]
    assert indexed == store.count_claims()
    assert store._db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0


def _listings(store: Store) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for text in ("convoys", "Yonhap", "intelligence", "Seoul", "Dunmere", "ministry", "Harbour", "claim 7"):
        out[f"search {text}"] = list(store.claim_ids(ClaimQuery(REVIEWER, text=text)))
    for kind in KINDS:
        out[f"kind {kind.value}"] = list(store.claim_ids(ClaimQuery(REVIEWER, kinds=frozenset({kind}))))
    return out


@pytest.fixture
def twin(sample_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    _prepare(sample_copy)
    rows = tmp_path / "rows.db"
    shutil.copyfile(sample_copy, rows)
    return sample_copy, rows


@pytest.mark.parametrize("count", [1, 7, imports.BATCH_SIZE + 13])
def test_a_set_wise_import_saves_what_row_by_row_upkeep_saves(
    twin: tuple[Path, Path],
    count: int,
    monkeypatch: pytest.MonkeyPatch,
    dump_content: Callable[[Path], dict[str, object]],
) -> None:
    set_wise, rows = twin
    claims = _claims(count)
    _import(set_wise, claims, monkeypatch, set_wise=True)
    _import(rows, claims, monkeypatch, set_wise=False)

    assert dump_content(set_wise) == dump_content(rows)  # claim_facts and the schema's text included
    assert indexed_words(set_wise) == indexed_words(rows)
    assert _triggers(set_wise) == _triggers(rows)
    for path in (set_wise, rows):
        store = Store.open(path)
        try:
            _assert_in_step(store)
        finally:
            store.close()
    listed = []
    for path in (set_wise, rows):
        store = Store.open(path, read_only=True)
        try:
            listed.append(_listings(store))
        finally:
            store.close()
    assert listed[0] == listed[1]
    if count > 8:  # every kind of speaker is among the claims
        assert listed[0]["search Seoul"] and listed[0]["search Dunmere"] and listed[0]["kind article"]


def test_edits_after_a_set_wise_import_keep_the_index_and_facts_in_step(
    twin: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_wise, rows = twin
    _import(set_wise, _claims(40), monkeypatch, set_wise=True)
    _import(rows, _claims(40), monkeypatch, set_wise=False)

    def edit(path: Path) -> dict[str, list[int]]:
        store = Store.open(path)
        try:
            courier = store.find_source("Dunmere Courier")
            yonhap = store.find_source("Yonhap")
            assert (
                courier is not None
                and courier.id is not None
                and yonhap is not None
                and yonhap.id is not None
            )
            imported = [
                row[0] for row in store._db.execute("SELECT id FROM claims WHERE import_id IS NOT NULL")
            ]
            # claim 5 cites nobody: its first chain
            store.apply(AddHop(imported[5], 0, 0, courier.id, Relation.REPORTS, new_chain=True), REVIEWER)
            store.apply(RemoveHop(imported[0], 0, 0), REVIEWER)  # claim 0 cites Yonhap
            store.apply(RenameSource(courier.id, "Velmora Post"), REVIEWER)
            store.apply(SetSourceKind(yonhap.id, SourceKind.INTELLIGENCE_AGENCY), REVIEWER)
            store.add_claims(None, [NewClaim("Gulls returned to the harbour.", "gulls", None)])
            _assert_in_step(store)
            listed = _listings(store)
            for text in ("Velmora Post", "gulls", "Dunmere"):
                listed[f"search {text}"] = list(store.claim_ids(ClaimQuery(REVIEWER, text=text)))
            return listed
        finally:
            store.close()

    after = edit(set_wise)
    assert after == edit(rows)
    assert after["search gulls"] and after["search Velmora Post"] and not after["search Dunmere"]


def test_a_cancel_at_any_moment_of_a_set_wise_import_leaves_the_file_as_it_was(
    sample_copy: Path, tmp_path: Path
) -> None:
    _prepare(sample_copy)
    claims = _claims(imports.BATCH_SIZE + 500)
    batch = ImportBatch("dataset.csv", "csv", REVIEWER, {})
    # The import run to the end on a copy, counting how often Cancel is asked (between batches and
    # while SQLite works); then the same import cancelled at several of those moments.
    asked: list[int] = []
    finished = tmp_path / "finished.db"
    shutil.copyfile(sample_copy, finished)
    store = Store.open(finished)
    try:
        store.add_imported_claims(batch, claims, cancelled=lambda: bool(asked.append(1)))
    finally:
        store.close()
    total = len(asked)
    assert total > 5
    triggers = _triggers(sample_copy)
    for moment in sorted({1, 2, total // 2, total - 2, total - 1, total}):
        path = tmp_path / f"cancelled-{moment}.db"
        shutil.copyfile(sample_copy, path)
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        calls: list[int] = []

        def cancelled(moment: int = moment, calls: list[int] = calls) -> bool:
            calls.append(1)
            return len(calls) >= moment

        store = Store.open(path)
        try:
            with pytest.raises(ImportCancelled):
                store.add_imported_claims(batch, claims, cancelled=cancelled)
        finally:
            store.close()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before, moment
        assert _triggers(path) == triggers
        store = Store.open(path)
        try:
            added = store.add_claims(None, [NewClaim("Gulls returned to the harbour.", "gulls", None)])
            assert list(store.claim_ids(ClaimQuery(REVIEWER, text="gulls"))) == added  # indexed row by row
            _assert_in_step(store)
        finally:
            store.close()


def _indexes(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def _traced_import(
    path: Path, claims: list[ImportedClaim], cancelled: Callable[[], bool] | None = None
) -> list[str]:
    """The statements an import runs, as SQLite starts them."""
    statements: list[str] = []
    store = Store.open(path)
    try:
        store._db.conn.set_trace_callback(statements.append)
        store.add_imported_claims(
            ImportBatch("dataset.csv", "csv", REVIEWER, {}), claims, cancelled=cancelled
        )
    finally:
        store.close()
    return statements


def test_an_import_larger_than_the_file_builds_the_bulk_tables_indexes_again(
    sample_copy: Path,
) -> None:
    before = _indexes(sample_copy)
    own = {name for name, table, sql in before if sql is not None and table in imports.BULK_TABLES}
    assert {"claims_text_nocase", "chain_hops_source_claim", "reviews_reviewer_grades"} <= own

    statements = _traced_import(sample_copy, _claims(imports.BATCH_SIZE + 13))

    dropped = {s.split('"')[1] for s in statements if s.startswith("DROP INDEX")}
    assert dropped == own
    built = [s for s in statements if s.startswith("CREATE INDEX") or s.startswith("CREATE UNIQUE INDEX")]
    assert len(built) == len(own)
    assert _indexes(sample_copy) == before  # every index back, with the very text it had
    conn = sqlite3.connect(sample_copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM claims ORDER BY text COLLATE NOCASE"
        ).fetchall()
        assert "claims_text_nocase" in str(plan)
    finally:
        conn.close()


def test_an_import_smaller_than_the_file_keeps_its_indexes_in_place(sample_copy: Path) -> None:
    before = _indexes(sample_copy)
    statements = _traced_import(sample_copy, _claims(7))  # the sample holds 15 claims
    assert not [s for s in statements if "DROP INDEX" in s or "CREATE INDEX" in s]
    assert _indexes(sample_copy) == before


def test_a_cancel_while_the_indexes_are_built_again_leaves_the_file_as_it_was(sample_copy: Path) -> None:
    before = hashlib.sha256(sample_copy.read_bytes()).hexdigest()
    indexes = _indexes(sample_copy)
    statements: list[str] = []

    def cancelled() -> bool:
        return any("CREATE INDEX" in s for s in statements)

    store = Store.open(sample_copy)
    try:
        store._db.conn.set_trace_callback(statements.append)
        with pytest.raises(ImportCancelled):
            store.add_imported_claims(
                ImportBatch("dataset.csv", "csv", REVIEWER, {}),
                _claims(imports.BATCH_SIZE + 13),
                cancelled=cancelled,
            )
    finally:
        store.close()
    assert cancelled()  # the cancel came once the first index was being built
    assert hashlib.sha256(sample_copy.read_bytes()).hexdigest() == before
    assert _indexes(sample_copy) == indexes
