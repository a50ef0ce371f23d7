"""The search index: every place a word can sit is found, and no longer found once it changes.

Each test edits through the Store as the window does, then searches, and asks FTS5 to compare its
index with the documents it should hold (`integrity-check`), so a trigger that forgot to take a
document out, or put one in twice, fails here. Bulk writing with deferred upkeep must leave the
same index as row-by-row upkeep, and older files get their documents when they are upgraded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import indexed_words
from sqlite_utils import Database

from desktop.core.edits import (
    AddAlias,
    AddEvidence,
    AddHop,
    EditEvidence,
    MergeSources,
    MoveHop,
    RemoveAlias,
    RemoveEvidence,
    RemoveHop,
    RenameSource,
    SetHopSource,
)
from desktop.core.evidence import EvidenceDraft, Stance
from desktop.core.model import ClaimQuery, Hop, NewClaim, ReviewField, SortKey, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.store.schema import migrations
from desktop.store.search import SEARCH_TABLE, deferred_search_upkeep
from desktop.store.snapshot import SnapshotWriter, claim_records, sources_of
from tests.bench.generate import generated_file

REVIEWER = "amira"


def found(store: Store, text: str) -> list[int]:
    """Claims a search lists, after checking that the count and the listing agree."""
    query = ClaimQuery(REVIEWER, text=text)
    ids = list(store.claim_ids(query))
    assert store.count_matching(query) == len(ids)
    return ids


def assert_in_step(store: Store) -> None:
    """FTS5 compares its index with every claim's document: raises if they differ in any word."""
    store._db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('integrity-check', 1)")
    indexed = store._db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_docsize").fetchone()[0]
    assert indexed == store.count_claims()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "search.db", create=True)
    yield opened
    opened.close()


def source(store: Store, name: str, kind: SourceKind = SourceKind.OUTLET) -> Source:
    return store.ensure_source(Source(name, kind))


def add_claim(store: Store, text: str, passage: str, *sources: Source) -> int:
    chain = tuple(Hop(s, Relation.REPORTS) for s in sources)
    (claim_id,) = store.add_claims(None, [NewClaim(text, passage, None, (chain,) if chain else ())])
    return claim_id


@pytest.fixture
def claims(store: Store) -> dict[str, int]:
    """Two claims through different sources, and one that cites nobody."""
    herald = source(store, "Quillmoor Herald")
    wire = source(store, "Tarnwick Wire", SourceKind.NEWS_AGENCY)
    return {
        "first": add_claim(store, "Ferries stopped at dawn.", "the ferries stopped, it said", herald, wire),
        "second": add_claim(store, "Bridge closed for repairs.", "a bridge was closed", wire),
        "bare": add_claim(store, "Prices rose sharply.", "prices rose"),
    }


def test_claim_text_and_passage_are_found(store: Store, claims: dict[str, int]) -> None:
    assert found(store, "ferries") == [claims["first"]]
    assert found(store, "repairs") == [claims["second"]]
    assert found(store, "sharply") == [claims["bare"]]
    assert found(store, "said") == [claims["first"]]  # only in the passage
    assert_in_step(store)


def test_changed_claim_text_is_found_and_the_old_text_is_not(store: Store, claims: dict[str, int]) -> None:
    # No edit in the program changes a claim's wording yet; the file itself must still keep step.
    with store._db.atomic():
        store._db.execute(
            "UPDATE claims SET text = 'Lanterns dimmed at dusk.' WHERE id = ?", [claims["bare"]]
        )
    assert found(store, "lanterns") == [claims["bare"]]
    assert found(store, "sharply") == []
    assert found(store, "prices") == [claims["bare"]]  # still in the passage
    assert_in_step(store)


def test_source_names_of_every_hop_are_found(store: Store, claims: dict[str, int]) -> None:
    assert found(store, "Quillmoor") == [claims["first"]]
    assert found(store, "Tarnwick") == [claims["first"], claims["second"]]  # second hop and first hop
    # Words of one search may sit in different places of the same claim.
    assert found(store, "Quillmoor ferries") == [claims["first"]]
    assert found(store, "Quillmoor bridge") == []


def test_a_renamed_source_is_found_by_its_new_name_only(store: Store, claims: dict[str, int]) -> None:
    wire = store.find_source("Tarnwick Wire")
    assert wire is not None and wire.id is not None
    store.apply(RenameSource(wire.id, "Ostrava Relay"), REVIEWER)
    assert found(store, "Ostrava") == [claims["first"], claims["second"]]
    assert found(store, "Tarnwick") == []
    assert_in_step(store)


def test_aliases_are_found_until_removed(store: Store, claims: dict[str, int]) -> None:
    herald = store.find_source("Quillmoor Herald")
    assert herald is not None and herald.id is not None
    store.apply(AddAlias(herald.id, "QMH Gazette"), REVIEWER)
    assert found(store, "QMH") == [claims["first"]]
    assert_in_step(store)
    store.apply(RemoveAlias(herald.id, "QMH Gazette"), REVIEWER)
    assert found(store, "QMH") == []
    assert found(store, "Quillmoor") == [claims["first"]]
    assert_in_step(store)


def test_a_merged_source_moves_its_claims_and_names(store: Store, claims: dict[str, int]) -> None:
    herald = store.find_source("Quillmoor Herald")
    wire = store.find_source("Tarnwick Wire")
    assert herald is not None and herald.id is not None and wire is not None and wire.id is not None
    merge = store.apply(MergeSources(herald.id, wire.id), REVIEWER)
    # The second claim now cites the kept source; the merged name stays searchable as its alias.
    assert found(store, "Quillmoor") == [claims["first"], claims["second"]]
    assert found(store, "Tarnwick") == [claims["first"], claims["second"]]
    assert_in_step(store)
    store.apply(merge.inverse, REVIEWER)  # undone: each source has its own claims again
    assert found(store, "Quillmoor") == [claims["first"]]
    assert found(store, "Tarnwick") == [claims["first"], claims["second"]]
    assert_in_step(store)


def test_hops_added_removed_moved_and_changed(store: Store, claims: dict[str, int]) -> None:
    marsh = source(store, "Marshfield Observer")
    assert marsh.id is not None
    store.apply(AddHop(claims["bare"], 0, 0, marsh.id, Relation.ACCORDING_TO, new_chain=True), REVIEWER)
    assert found(store, "Marshfield") == [claims["bare"]]
    assert_in_step(store)
    store.apply(MoveHop(claims["first"], 0, 0, 1), REVIEWER)  # the same names in another order
    assert found(store, "Quillmoor") == [claims["first"]]
    assert_in_step(store)
    store.apply(SetHopSource(claims["second"], 0, 0, marsh.id), REVIEWER)
    assert found(store, "Marshfield") == [claims["second"], claims["bare"]]
    assert found(store, "Tarnwick") == [claims["first"]]
    assert_in_step(store)
    store.apply(RemoveHop(claims["bare"], 0, 0), REVIEWER)
    assert found(store, "Marshfield") == [claims["second"]]
    assert_in_step(store)


def test_rationales_are_found_and_replaced(store: Store, claims: dict[str, int]) -> None:
    store.set_review_field(claims["second"], REVIEWER, ReviewField.RATIONALE, "Engineers confirmed it.")
    store.set_review_field(claims["second"], "bruno", ReviewField.RATIONALE, "Photos from a resident.")
    assert found(store, "engineers") == [claims["second"]]
    assert found(store, "resident") == [claims["second"]]  # anyone's rationale
    store.set_review_field(claims["second"], REVIEWER, ReviewField.RATIONALE, "Only the mayor says so.")
    assert found(store, "engineers") == []
    assert found(store, "mayor") == [claims["second"]]
    assert_in_step(store)


def test_evidence_excerpts_and_notes_are_found_until_changed(store: Store, claims: dict[str, int]) -> None:
    harbour = source(store, "Harbour Office", SourceKind.GOVERNMENT)
    assert harbour.id is not None
    draft = EvidenceDraft(harbour.id, Stance.CORROBORATES, excerpt="Sailings cancelled.", note="Timetable")
    added = store.apply(AddEvidence(claims["first"], draft), REVIEWER)
    assert added.created_id is not None
    assert found(store, "sailings") == [claims["first"]]
    assert found(store, "timetable") == [claims["first"]]
    edited = EvidenceDraft(harbour.id, Stance.CORROBORATES, excerpt="Crossings halted.", note="Timetable")
    store.apply(EditEvidence(added.created_id, edited), REVIEWER)
    assert found(store, "sailings") == []
    assert found(store, "crossings") == [claims["first"]]
    assert_in_step(store)
    store.apply(RemoveEvidence(added.created_id), REVIEWER)
    assert found(store, "crossings") == []
    assert found(store, "timetable") == []
    assert_in_step(store)


def test_short_words_are_whole_words_and_longer_ones_prefixes(store: Store) -> None:
    often = add_claim(store, "Storms often strike.", "storms often strike")
    of = add_claim(store, "Much of it was lost.", "much of it")
    assert found(store, "of") == [of]
    assert found(store, "oft") == [often]
    assert found(store, "stor") == [often]


def test_search_alone_lists_what_the_general_query_lists(tmp_path: Path) -> None:
    """Text with no other filter is read from the index alone; with a filter that keeps every claim
    it goes through the general query. Both must list the same claims in the same order."""
    path = generated_file(400, seed=4, folder=tmp_path)
    store = Store.open(path, read_only=True)
    try:
        for text in ("the", "forces", "reported drone", "Agency 42", "ministr", "zzqx"):
            for descending in (False, True):
                alone = ClaimQuery(REVIEWER, text=text, descending=descending)
                general = ClaimQuery(
                    REVIEWER, text=text, descending=descending, has_evidence=None, kinds=frozenset(SourceKind)
                )
                listed = list(store.claim_ids(alone))
                assert listed == list(store.claim_ids(general)), text
                stream = store.claim_id_stream(alone)
                assert stream.total == len(listed)
                streamed: list[int] = []
                while batch := stream.next_batch(50):
                    streamed.extend(batch)
                assert streamed == listed
                by_text = sorted(store.claim_ids(ClaimQuery(REVIEWER, text=text, sort=SortKey.TEXT)))
                assert by_text == sorted(listed)
    finally:
        store.close()


def test_grade_saves_leave_the_index_alone(store: Store, claims: dict[str, int]) -> None:
    before = store._db.execute(f"SELECT id, block FROM {SEARCH_TABLE}_data ORDER BY id").fetchall()
    store.set_review_field(claims["first"], REVIEWER, ReviewField.RELIABILITY, "B")
    store.set_review_field(claims["first"], REVIEWER, ReviewField.CREDIBILITY, 2)
    store.set_review_field(claims["bare"], "bruno", ReviewField.STATUS, "disputed")
    assert store._db.execute(f"SELECT id, block FROM {SEARCH_TABLE}_data ORDER BY id").fetchall() == before


# ---- bulk writing -------------------------------------------------------------------------------


def test_bulk_writing_indexes_the_same_as_row_by_row_upkeep(tmp_path: Path) -> None:
    origin = Store.open(generated_file(300, seed=8, folder=tmp_path / "gen"), read_only=True)
    ids = list(origin.claim_ids(ClaimQuery(REVIEWER)))
    records = claim_records(origin, ids)
    sources = sources_of(origin, ids)
    origin.close()

    bulk = Store.open(tmp_path / "bulk.db", create=True)
    writer = SnapshotWriter(bulk, keep_ids=True)
    writer.add_sources(sources)
    writer.add_claims(records)  # documents built once, at the end
    assert bulk._db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert_in_step(bulk)
    bulk.close()

    # Row by row: the same rows copied table by table, each insert keeping the index in step.
    rows = Store.open(tmp_path / "rows.db", create=True)
    db = rows._db
    db.execute("ATTACH DATABASE ? AS other", [str(tmp_path / "bulk.db")])
    with db.atomic():
        for table in ("sources", "source_aliases", "articles", "claims", "chain_hops", "reviews", "evidence"):
            db.execute(f"INSERT INTO main.{table} SELECT * FROM other.{table} ORDER BY rowid")
    db.execute("DETACH DATABASE other")
    assert_in_step(rows)
    rows.close()

    assert indexed_words(tmp_path / "bulk.db") == indexed_words(tmp_path / "rows.db")
    assert sum(indexed_words(tmp_path / "bulk.db").values()) > 1000


def test_deferred_upkeep_keeps_edits_of_existing_claims_in_step(store: Store, claims: dict[str, int]) -> None:
    wire = store.find_source("Tarnwick Wire")
    assert wire is not None and wire.id is not None
    with deferred_search_upkeep(store._db):
        (new,) = store.add_claims(
            None, [NewClaim("Gulls returned.", "gulls", None, ((Hop(wire, Relation.REPORTS),),))]
        )
        store.apply(RenameSource(wire.id, "Velmora Post"), REVIEWER)  # touches old claims and the new one
        assert found(store, "gulls") == []  # not indexed until the block ends
    assert found(store, "gulls") == [new]
    assert found(store, "Velmora") == [claims["first"], claims["second"], new]
    assert found(store, "Tarnwick") == []
    assert_in_step(store)


def test_a_failed_bulk_write_leaves_no_deferral_behind(store: Store, claims: dict[str, int]) -> None:
    with pytest.raises(RuntimeError), deferred_search_upkeep(store._db):
        store.add_claims(None, [NewClaim("Gulls returned.", "gulls", None)])
        raise RuntimeError("stopped")
    later = add_claim(store, "Geese arrived.", "geese")
    assert found(store, "geese") == [later]  # indexed at once: nothing was left deferred
    assert found(store, "gulls") == []
    assert_in_step(store)


# ---- upgrading older files ----------------------------------------------------------------------


def test_an_older_file_gets_its_documents_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    db = Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before="0007_search_documents")
    with db.atomic():
        db.execute(
            "INSERT INTO sources (id, name, name_key, kind) VALUES (1, 'Dunmere Courier', 'dunmere courier', 'outlet')"
        )
        db.execute(
            "INSERT INTO source_aliases (source_id, alias, alias_key) VALUES (1, 'DC Daily', 'dc daily')"
        )
        db.execute("INSERT INTO claims (id, text, passage) VALUES (1, 'Wells ran dry.', 'the wells ran dry')")
        db.execute("INSERT INTO claims (id, text, passage) VALUES (2, 'Rain came.', 'rain came late')")
        db.execute(
            "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation) VALUES (1, 0, 0, 1, 'reports')"
        )
        db.execute(
            "INSERT INTO reviews (claim_id, reviewer, rationale, created_at, updated_at) "
            "VALUES (2, 'amira', 'Farmers agree.', 'x', 'x')"
        )
        db.execute(
            "INSERT INTO evidence (claim_id, source_id, stance, excerpt, note, created_at, reviewer) "
            "VALUES (2, 1, 'context', 'Gauges read low.', 'station', 'x', 'amira')"
        )
    db.close()
    store = Store.open(path)
    try:
        assert store.open_report.backup_made is not None  # upgraded only after a backup
        for word, claim in (
            ("wells", 1),
            ("Dunmere", 1),
            ("DC", 1),
            ("farmers", 2),
            ("gauges", 2),
            ("station", 2),
        ):
            assert found(store, word) == [claim], word
        assert_in_step(store)
        tables = {row[0] for row in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert not {"claims_fts", "reviews_fts", "sources_fts", "evidence_fts", "source_aliases_fts"} & tables
    finally:
        store.close()
