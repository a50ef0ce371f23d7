"""Sources in the store: one source per name however it is written, aliases, edits, merge and its undo."""

from __future__ import annotations

import json
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from factories import (
    ACCOUNT,
    BUREAU,
    COUNCIL,
    DATA_TABLES,
    GAZETTE,
    INSIDERS,
    RADIO,
    REVIEWER,
    SKIPPERS,
    WIRE,
    add_claim,
    add_evidence,
    all_ids,
    chain,
    change_fields,
    dump_tables,
    new_store,
    sid,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.edits import (
    AddAlias,
    AddEvidence,
    AddHop,
    Applied,
    Edit,
    EditCancelled,
    MergeSources,
    RemoveAlias,
    RemoveEvidence,
    RemoveHop,
    RenameSource,
    SetMedia,
    SetOrigin,
    SetSourceDetails,
    SetSourceKind,
    SetSourceReliability,
    WithNewSources,
    placeholder,
)
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.evidence import EvidenceDraft, MediaCategory, MediaDraft, Stance, TrackRecord
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.store.sources import read_track_records
from tests.bench.generate import generated_file


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sources.db"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    opened = new_store(path)
    yield opened
    opened.close()


def apply(store: Store, edit: Edit) -> Applied:
    return store.apply(edit, REVIEWER)


def source_count(store: Store) -> int:
    return len(store.list_sources())


# ---- one source per name -----------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "Bay Radio",
        "bay radio",
        "BAY RADIO",
        "  Bay   Radio ",
        "Bay-Radio",
        "Bay Radio.",
        "Bäy Rádio",
        "bay_radio",
        "BayRadio",
        "B.A.Y. Radio",
    ],
)
def test_spellings_of_one_name_never_make_a_second_source(store: Store, spelling: str) -> None:
    before = source_count(store)
    found = store.ensure_source(Source(spelling, SourceKind.SOCIAL_MEDIA))
    assert (found.id, found.name, found.kind) == (sid(store, RADIO), "Bay Radio", SourceKind.OUTLET)
    assert store.find_source(spelling) == found
    assert source_count(store) == before


_NOISE = st.sampled_from([" ", "  ", ".", ",", "-", "_", "!", "'", "\t"])


@st.composite
def respelled(draw: st.DrawFn, name: str) -> str:
    """`name` with random case, accents on letters, and punctuation or spacing (or none) between words."""
    out = [draw(st.lists(_NOISE, max_size=2).map("".join))]
    for char in name:
        if char == " ":
            out.append(draw(st.lists(_NOISE, max_size=3).map("".join)))
            continue
        if char.isalpha():
            char = char.upper() if draw(st.booleans()) else char.lower()
            if draw(st.booleans()):
                char = unicodedata.normalize("NFC", char + "\u0301")
        out.append(char)
    out.append(draw(st.lists(_NOISE, max_size=2).map("".join)))
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_respelling_finds_the_same_source(store: Store, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from([GAZETTE, WIRE, BUREAU, COUNCIL, SKIPPERS]))
    spelling = data.draw(respelled(source.name))
    before = source_count(store)
    assert store.ensure_source(Source(spelling, SourceKind.ARTICLE)).id == sid(store, source)
    assert source_count(store) == before


def test_aliases_lead_to_their_source(store: Store) -> None:
    apply(store, AddAlias(sid(store, BUREAU), "MIB"))
    bureau = store.find_source(BUREAU.name)
    assert store.find_source("m.i.b.") == bureau
    assert store.ensure_source(Source("Mib", SourceKind.OUTLET)) == bureau
    record = store.source_record(sid(store, BUREAU))
    assert record.aliases == ("MIB",)


def test_no_name_or_an_unknown_one(store: Store) -> None:
    assert store.find_source("Lighthouse Keepers") is None
    assert store.find_source(" ... ") is None
    before = source_count(store)
    with pytest.raises(InvalidValueError, match="at least one letter or digit"):
        store.ensure_source(Source(" -- ", SourceKind.OUTLET))
    assert source_count(store) == before


def test_list_sources_by_name_with_kind_and_caveat(store: Store) -> None:
    names = [record.source.name for record in store.list_sources()]
    assert names == sorted(names, key=str.casefold)
    record = store.source_record(sid(store, WIRE))
    assert record.source.kind.caveat == "often relays others: look for the origin"
    with pytest.raises(CorroborateError, match="Source 999 is not in this file"):
        store.source_record(999)


# ---- source edits --------------------------------------------------------------------


def check_undo_redo(store: Store, path: Path, edit: Edit, field: str) -> Applied:
    """Apply `edit`: one logged change; its inverse restores the tables exactly, and redo the edited state."""
    before, log = dump_tables(path), change_fields(path)
    applied = apply(store, edit)
    after = dump_tables(path)
    assert after != before, "the edit changed nothing"
    assert change_fields(path) == [*log, field]
    redo = apply(store, applied.inverse)
    assert dump_tables(path) == before
    apply(store, redo.inverse)
    assert dump_tables(path) == after
    assert len(change_fields(path)) == len(log) + 3
    return applied


def test_rename_is_logged_and_undone(store: Store, path: Path) -> None:
    radio = sid(store, RADIO)
    applied = check_undo_redo(store, path, RenameSource(radio, "Bay Radio Network"), "source.rename")
    assert applied.text == "Rename source “Bay Radio” to “Bay Radio Network”"
    assert store.find_source("bay radio network") == store.find_source("Bay Radio Network")
    assert store.find_source("Bay Radio") is None
    changes = store.source_changes(radio)
    assert [c.field for c in changes] == ["source.rename"] * 3
    assert json.loads(changes[0].new_value or "") == {"source": radio, "name": "Bay Radio Network"}


def test_rename_to_another_spelling_of_its_own_name(store: Store) -> None:
    radio = sid(store, RADIO)
    apply(store, RenameSource(radio, "BAY RADIO"))
    assert store.find_source("bay radio") == Source("BAY RADIO", SourceKind.OUTLET, None, None, radio)


@pytest.mark.parametrize("target", ["Harbour Gazette", "harbour gazette!", "HG"])
def test_rename_onto_another_sources_name_or_alias_is_refused(store: Store, path: Path, target: str) -> None:
    apply(store, AddAlias(sid(store, GAZETTE), "HG"))
    before, log = dump_tables(path), change_fields(path)
    with pytest.raises(InvalidValueError) as error:
        apply(store, RenameSource(sid(store, RADIO), target))
    message = str(error.value)
    assert "the source “Harbour Gazette”" in message and "merge them instead" in message
    assert ("an alias of" in message) is (target == "HG")
    assert (dump_tables(path), change_fields(path)) == (before, log)


def test_rename_onto_its_own_alias_swaps_the_two_names(store: Store, path: Path) -> None:
    council = sid(store, COUNCIL)
    apply(store, AddAlias(council, "Town Hall"))
    check_undo_redo(store, path, RenameSource(council, "Town Hall"), "source.rename")
    record = store.source_record(council)
    assert (record.source.name, record.aliases) == ("Town Hall", ("Harbour Council",))


def test_kind_reliability_and_details_are_logged_and_undone(store: Store, path: Path) -> None:
    wire = sid(store, WIRE)
    check_undo_redo(store, path, SetSourceKind(wire, SourceKind.OUTLET), "source.kind")
    assert store.source_record(wire).source.kind is SourceKind.OUTLET
    check_undo_redo(store, path, SetSourceReliability(wire, "b", " long record "), "source.reliability")
    record = store.source_record(wire)
    assert (record.default_reliability, record.reliability_rationale) == ("B", "long record")
    check_undo_redo(
        store,
        path,
        SetSourceDetails(wire, "https://wire.example/about", " desk in the port "),
        "source.details",
    )
    assert store.source_record(wire).source.url == "https://wire.example/about"
    assert store.source_record(wire).source.notes == "desk in the port"
    assert [c.field for c in store.source_changes(wire)] == [
        *["source.kind"] * 3,
        *["source.reliability"] * 3,
        *["source.details"] * 3,
    ]
    assert store.source_changes(sid(store, RADIO)) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (SetSourceReliability(2, "G", ""), "Default reliability of “Coastal Wire Service”"),
        (SetSourceDetails(2, "wire.example", None), "Address of “Coastal Wire Service”: the URL must start"),
        (RenameSource(2, " ?? "), "at least one letter or digit"),
        (AddAlias(2, "Harbour Gazette"), "“Harbour Gazette” already names the source “Harbour Gazette”"),
        (AddAlias(2, "coastal wire-service"), "already names this source"),
        (RemoveAlias(2, "CWS"), "“CWS” is not an alias of “Coastal Wire Service”"),
        (RenameSource(999, "Nobody"), "Source 999 is not in this file"),
        (MergeSources(2, 2), "cannot be merged into itself"),
        (MergeSources(2, 999), "Source 999 is not in this file"),
        (MergeSources(999, 2), "Source 999 is not in this file"),
    ],
)
def test_invalid_source_edits_are_refused_and_write_nothing(
    store: Store, path: Path, edit: Edit, message: str
) -> None:
    assert sid(store, WIRE) == 2 and sid(store, GAZETTE) == 1
    before, log = dump_tables(path), change_fields(path)
    with pytest.raises(CorroborateError, match=message.replace("?", r"\?").replace(".", r"\.")):
        apply(store, edit)
    assert (dump_tables(path), change_fields(path)) == (before, log)


def test_aliases_added_and_removed(store: Store, path: Path) -> None:
    skippers = sid(store, SKIPPERS)
    check_undo_redo(store, path, AddAlias(skippers, "the fleet"), "source.add_alias")
    check_undo_redo(store, path, RemoveAlias(skippers, "THE FLEET"), "source.remove_alias")
    assert store.source_record(skippers).aliases == ()


# ---- track record ------------------------------------------------------------------------


def test_track_record_counts_where_a_source_appears_and_how_it_was_graded(store: Store) -> None:
    first = add_claim(
        store, "Ferries stop at dusk.", chain((GAZETTE, Relation.REPORTS), (COUNCIL, Relation.STATES))
    )
    second = add_claim(store, "The pier reopens.", chain((COUNCIL, Relation.STATES)))
    add_claim(
        store,
        "Fish prices rose.",
        chain((RADIO, Relation.REPORTS), (COUNCIL, Relation.STATES, True), (SKIPPERS, Relation.STATES)),
    )
    third = add_claim(store, "Gulls are fewer.")
    add_evidence(store, third, RADIO, Stance.CORROBORATES, origin=COUNCIL)
    add_evidence(store, third, COUNCIL, Stance.CONTEXT)
    store.set_review_field(first, "ana", ReviewField.RELIABILITY, "B")
    store.set_review_field(first, "ben", ReviewField.RELIABILITY, "B")
    store.set_review_field(second, "ana", ReviewField.CREDIBILITY, 2)
    store.set_review_field(second, "ben", ReviewField.STATUS, Status.REVIEWED.value)
    track = store.source_record(sid(store, COUNCIL)).track
    assert (track.claims, track.cited_first, track.as_origin, track.evidence_items) == (3, 1, 3, 2)
    assert (track.reliability, track.credibility) == ({"B": 2}, {2: 1})
    listed = {record.source.id: record.track for record in store.list_sources()}
    assert listed[sid(store, COUNCIL)] == track
    assert listed[sid(store, SKIPPERS)].as_origin == 0
    assert listed[sid(store, RADIO)].evidence_items == 1


# ---- merge -------------------------------------------------------------------------------


@pytest.fixture
def merge_case(store: Store) -> dict[str, int]:
    """'Bay Radio FM' turns out to be Bay Radio: it has its own alias, hops, evidence, media and history."""
    duplicate = store.ensure_source(Source("Bay Radio FM", SourceKind.OUTLET)).id
    assert duplicate is not None
    radio = sid(store, RADIO)
    apply(store, AddAlias(radio, "BR"))
    apply(store, AddAlias(duplicate, "BRFM"))
    apply(store, SetSourceReliability(duplicate, "C", "one slip last year"))
    apply(store, SetSourceKind(duplicate, SourceKind.NEWS_AGENCY))
    claim = add_claim(
        store,
        "The lighthouse was repainted.",
        chain((Source("Bay Radio FM", SourceKind.OUTLET), Relation.REPORTS), (COUNCIL, Relation.STATES)),
    )
    other = add_claim(store, "The ferry was late.", chain((ACCOUNT, Relation.IMAGE_CREDIT)))
    add_evidence(store, claim, Source("Bay Radio FM", SourceKind.OUTLET), Stance.CONTEXT)
    add_evidence(store, claim, WIRE, Stance.CORROBORATES, origin=Source("Bay Radio FM", SourceKind.OUTLET))
    apply(store, SetMedia(other, MediaDraft(duplicate, False, "a crop", MediaCategory.EDITED_OR_CROPPED)))
    return {"radio": radio, "duplicate": duplicate, "claim": claim, "other": other}


def test_merge_keeps_both_names_and_everything_that_used_the_merged_source(
    store: Store, path: Path, merge_case: dict[str, int]
) -> None:
    radio, duplicate, claim, other = (merge_case[k] for k in ("radio", "duplicate", "claim", "other"))
    history = store.source_changes(duplicate)
    assert len(history) == 3
    applied = check_undo_redo(store, path, MergeSources(radio, duplicate), "source.merge")
    assert applied.text == "Merge “Bay Radio FM” into “Bay Radio”"
    record = store.source_record(radio)
    assert (record.source.name, record.source.kind) == ("Bay Radio", SourceKind.OUTLET)
    assert set(record.aliases) == {"BR", "BRFM", "Bay Radio FM"}
    assert store.find_source("bay radio fm") == store.find_source("BRFM") == record.source
    assert duplicate not in {r.source.id for r in store.list_sources()}
    with pytest.raises(CorroborateError):
        store.source_record(duplicate)
    assert store.claim_detail(claim).chains[0][0].source == record.source
    evidence = store.evidence_of(claim)
    assert evidence[0].source == record.source and evidence[1].origin == record.source
    media = store.media_info(other)
    assert media is not None and media.credited_to == record.source
    assert record.track.claims == 1 and record.track.evidence_items == 2
    assert all_ids(store, source_ids=frozenset({radio})) == [claim]
    # The merged source's history stays reachable from the source it now belongs to.
    kept_history = store.source_changes(radio)
    assert {c.id for c in history} <= {c.id for c in kept_history}
    assert [c.field for c in kept_history].count("source.merge") == 2


def test_edits_that_rewrite_many_claims_say_how_many(store: Store, merge_case: dict[str, int]) -> None:
    radio, duplicate = merge_case["radio"], merge_case["duplicate"]
    hops_of = {
        source: store._db.execute("SELECT count(*) FROM chain_hops WHERE source_id = ?", [source]).fetchone()[
            0
        ]
        for source in (radio, duplicate)
    }
    assert hops_of[duplicate] >= 1
    assert store.claims_reindexed_by(MergeSources(radio, duplicate)) == hops_of[radio] + hops_of[duplicate]
    assert store.claims_reindexed_by(RenameSource(duplicate, "Bay Radio 95")) == hops_of[duplicate]
    assert store.claims_reindexed_by(AddAlias(radio, "Radio on the bay")) == hops_of[radio]
    # Grades and kinds are in no search document: nothing to rewrite.
    assert store.claims_reindexed_by(SetSourceKind(radio, SourceKind.OUTLET)) == 0
    applied = apply(store, MergeSources(radio, duplicate))
    assert store.claims_reindexed_by(applied.inverse) == hops_of[radio] + hops_of[duplicate]


@pytest.mark.parametrize("first_asked", [1, 2, 3])
def test_a_cancelled_merge_leaves_the_file_and_its_search_index_as_they_were(
    store: Store, path: Path, merge_case: dict[str, int], first_asked: int
) -> None:
    """Cancel heard at the first, second or third time it is asked: while SQLite works or before the commit."""
    radio, duplicate = merge_case["radio"], merge_case["duplicate"]
    tables = (*DATA_TABLES, "search_fts_data", "search_fts_docsize")
    before = dump_tables(path, tables)
    found_before = all_ids(store, text="BRFM")
    assert found_before == [merge_case["claim"]]
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= first_asked

    try:
        store.apply(MergeSources(radio, duplicate), REVIEWER, cancelled=cancelled)
    except EditCancelled:
        assert dump_tables(path, tables) == before
        assert all_ids(store, text="BRFM") == found_before
        assert store.source_record(duplicate).source.name == "Bay Radio FM"
    else:  # asked fewer times than that: the merge was saved, exactly as without a cancel
        assert asked < first_asked
        assert duplicate not in {r.source.id for r in store.list_sources()}


def test_a_merge_that_may_be_cancelled_saves_what_a_plain_one_saves(
    store: Store, path: Path, tmp_path: Path, merge_case: dict[str, int]
) -> None:
    plain = tmp_path / "plain.db"
    source, copy = sqlite3.connect(path), sqlite3.connect(plain)
    try:
        source.backup(copy)  # the write-ahead log's pages too
    finally:
        source.close()
        copy.close()
    other = Store.open(plain)
    try:
        other.apply(MergeSources(merge_case["radio"], merge_case["duplicate"]), REVIEWER)
    finally:
        other.close()
    store.apply(MergeSources(merge_case["radio"], merge_case["duplicate"]), REVIEWER, cancelled=lambda: False)
    tables = (*DATA_TABLES, "search_fts_data", "search_fts_docsize")
    assert dump_tables(path, tables) == dump_tables(plain, tables)


def searches_after_a_rebuild_agree(store: Store, words: list[str]) -> None:
    """The index as edits left it finds what an index rebuilt from the tables finds, for every word."""
    found = {word: all_ids(store, text=word) for word in words}
    claims = store._db.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert store._db.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0] == claims
    assert store._db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    store._db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    assert {word: all_ids(store, text=word) for word in words} == found


def test_a_merge_and_its_undo_leave_the_search_index_as_a_rebuild_would(
    store: Store, merge_case: dict[str, int]
) -> None:
    words = ["BRFM", "Bay Radio FM", "BR", "Bay", "radio", "lighthouse", "ferry", "council"]
    applied = apply(store, MergeSources(merge_case["radio"], merge_case["duplicate"]))
    searches_after_a_rebuild_agree(store, words)
    assert merge_case["claim"] in all_ids(store, text="Bay Radio")  # it now cites Bay Radio itself
    apply(store, applied.inverse)
    searches_after_a_rebuild_agree(store, words)


def test_undoing_a_merge_restores_both_sources(store: Store, path: Path, merge_case: dict[str, int]) -> None:
    radio, duplicate = merge_case["radio"], merge_case["duplicate"]
    records = {r.source.id: r for r in store.list_sources()}
    applied = apply(store, MergeSources(radio, duplicate))
    apply(store, applied.inverse)
    assert {r.source.id: r for r in store.list_sources()} == records
    assert store.source_record(duplicate).aliases == ("BRFM",)
    assert store.source_record(radio).aliases == ("BR",)
    assert [c.field for c in store.source_changes(duplicate)][-2:] == ["source.merge", "source.unmerge"]
    # After the separation the kept source no longer shows the other's own history.
    assert "source.reliability" not in [c.field for c in store.source_changes(radio)]


def test_undo_of_a_merge_after_later_edits_were_undone(
    store: Store, path: Path, merge_case: dict[str, int]
) -> None:
    """Edits after a merge, undone in order, leave the merge undoable: names and rows keep their identity."""
    radio, duplicate, claim = merge_case["radio"], merge_case["duplicate"], merge_case["claim"]
    before = dump_tables(path)
    merge = apply(store, MergeSources(radio, duplicate))
    stack = [
        apply(store, RenameSource(radio, "Bay Radio FM")),  # swaps with the alias the merge made
        apply(store, RemoveAlias(radio, "BRFM")),  # an alias the merge moved
        apply(store, RemoveHop(claim, 0, 0)),
        apply(store, RemoveEvidence(store.evidence_of(claim)[1].id)),
    ]
    for applied in reversed(stack):
        apply(store, applied.inverse)
    apply(store, merge.inverse)
    assert dump_tables(path) == before


def test_undo_of_a_merge_after_a_new_source_was_added(
    store: Store, path: Path, merge_case: dict[str, int]
) -> None:
    """A source created after the merge must not take the merged source's number."""
    radio, duplicate = merge_case["radio"], merge_case["duplicate"]
    merge = apply(store, MergeSources(radio, duplicate))
    newcomer = store.ensure_source(Source("Lighthouse Keepers", SourceKind.COLLECTIVE))
    assert newcomer.id != duplicate
    apply(store, merge.inverse)
    assert store.source_record(duplicate).source.name == "Bay Radio FM"
    assert store.find_source("Lighthouse Keepers") == newcomer


def test_merge_of_sources_on_one_chain(store: Store, path: Path) -> None:
    claim = add_claim(
        store, "Nets were cut.", chain((RADIO, Relation.REPORTS), (GAZETTE, Relation.ACCORDING_TO))
    )
    check_undo_redo(store, path, MergeSources(sid(store, RADIO), sid(store, GAZETTE)), "source.merge")
    (hops,) = store.claim_detail(claim).chains
    assert [hop.source.name for hop in hops] == ["Bay Radio", "Bay Radio"]


def test_merged_names_stay_searchable(store: Store, merge_case: dict[str, int]) -> None:
    apply(store, MergeSources(merge_case["radio"], merge_case["duplicate"]))
    assert all_ids(store, text="BRFM") == [merge_case["claim"]]


def test_a_merged_alias_can_be_added_back_only_as_a_separate_source_after_undo(
    store: Store, merge_case: dict[str, int]
) -> None:
    apply(store, MergeSources(merge_case["radio"], merge_case["duplicate"]))
    with pytest.raises(InvalidValueError, match="already names the source “Bay Radio”"):
        apply(store, AddAlias(sid(store, INSIDERS), "Bay Radio FM"))


def test_hop_edits_after_a_merge_point_at_the_kept_source(store: Store, merge_case: dict[str, int]) -> None:
    radio, duplicate, claim = merge_case["radio"], merge_case["duplicate"], merge_case["claim"]
    apply(store, MergeSources(radio, duplicate))
    with pytest.raises(CorroborateError, match=f"Source {duplicate} is not in this file"):
        apply(store, AddHop(claim, 0, 0, duplicate, Relation.STATES))
    assert store.find_source(BUREAU.name) is not None


def _reference_tracks(path: Path) -> dict[int, tuple]:
    """Track records counted the plain way: through the claim_origins view, a probe per hop."""
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:

        def counts(sql: str) -> dict[int, int]:
            return dict(conn.execute(sql).fetchall())

        claims = counts("SELECT source_id, count(DISTINCT claim_id) FROM chain_hops GROUP BY source_id")
        first = counts(
            "SELECT source_id, count(DISTINCT claim_id) FROM chain_hops WHERE position = 0 GROUP BY source_id"
        )
        origin = counts("SELECT source_id, count(DISTINCT claim_id) FROM claim_origins GROUP BY source_id")
        evidence = counts(
            "SELECT source_id, count(DISTINCT id) FROM (SELECT id, source_id FROM evidence UNION ALL "
            "SELECT id, origin_source_id FROM evidence WHERE origin_source_id IS NOT NULL) GROUP BY source_id"
        )
        grades: dict[int, tuple[dict, dict]] = {}
        for column, index in (("reliability", 0), ("credibility", 1)):
            for source_id, grade, number in conn.execute(
                f"SELECT c.source_id, r.{column}, count(*) FROM (SELECT DISTINCT claim_id, source_id "
                f"FROM chain_hops) c JOIN reviews r ON r.claim_id = c.claim_id WHERE r.{column} IS NOT NULL "
                "GROUP BY 1, 2"
            ):
                grades.setdefault(source_id, ({}, {}))[index][grade] = number
    finally:
        conn.close()
    return {
        source_id: (
            claims.get(source_id, 0),
            first.get(source_id, 0),
            origin.get(source_id, 0),
            evidence.get(source_id, 0),
            *grades.get(source_id, ({}, {})),
        )
        for source_id in claims.keys() | evidence.keys()
    }


def test_track_records_of_a_large_file_agree_with_the_plain_count(tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    shutil.copyfile(generated_file(600, seed=4, folder=tmp_path / "generated"), path)
    store = Store.open(path, reviewer="ana")
    try:
        # Origins marked inside some chains, so "origin" is not always the last hop.
        marked = 0
        for claim_id in store.claim_ids(ClaimQuery(reviewer="ana"))[:200]:
            chains = store.claim_detail(claim_id).chains
            if chains and len(chains[0]) > 1:
                store.apply(SetOrigin(claim_id, 0, 0), "ana")
                marked += 1
        assert marked > 10
        listed = {record.source.id: record.track for record in store.list_sources()}
        quick = store.list_sources(counted=False)
        some = [record.source.id for record in quick[::97]]
        single = {source_id: store.source_record(source_id).track for source_id in some}
    finally:
        store.close()
    expected = _reference_tracks(path)
    for source_id, track in listed.items():
        got = (track.claims, track.cited_first, track.as_origin, track.evidence_items)
        want = expected.get(source_id, (0, 0, 0, 0, {}, {}))
        assert got == want[:4] and track.reliability == want[4] and track.credibility == want[5], source_id
    assert sum(track.as_origin for track in listed.values()) > 0
    assert all(record.track == TrackRecord() for record in quick)
    assert read_track_records(path) == {k: v for k, v in listed.items() if v != TrackRecord()}
    assert all(single[source_id] == listed[source_id] for source_id in some)


# ---- sources made for an edit ------------------------------------------------------------------


def test_a_source_typed_for_an_edit_comes_and_goes_with_it(store: Store, path: Path) -> None:
    claim = add_claim(store, "Ferries stop at noon.", chain((GAZETTE, Relation.REPORTS)))
    before = dump_tables(path)
    wire = Source("Northern Harbour Wire", SourceKind.NEWS_AGENCY)
    ministry = Source("Ministry of Harbours", SourceKind.GOVERNMENT)
    draft = EvidenceDraft(source_id=placeholder(0), stance=Stance.CORROBORATES, origin_id=placeholder(1))
    applied = apply(store, WithNewSources((wire, ministry), AddEvidence(claim, draft)))
    assert "Northern Harbour Wire" in applied.text
    assert change_fields(path)[-3:] == ["source.create", "source.create", "evidence.add"]
    made_wire, made_ministry = store.find_source(wire.name), store.find_source(ministry.name)
    assert made_wire is not None and made_ministry is not None
    assert made_ministry.kind is SourceKind.GOVERNMENT
    [item] = store.evidence_of(claim)
    assert item.source.id == made_wire.id and item.origin is not None and item.origin.id == made_ministry.id
    after = dump_tables(path)

    redo = apply(store, applied.inverse)  # undo: the item and both sources are gone
    assert dump_tables(path) == before
    assert store.find_source(wire.name) is None and store.find_source(ministry.name) is None
    assert change_fields(path)[-3:] == ["evidence.remove", "source.delete", "source.delete"]
    apply(store, redo.inverse)  # redo: all back, under the same numbers
    assert dump_tables(path) == after


def test_undo_keeps_a_new_source_someone_else_uses_and_changes_nothing(store: Store, path: Path) -> None:
    first = add_claim(store, "Ferries stop at noon.", chain((GAZETTE, Relation.REPORTS)))
    second = add_claim(store, "Buses replace them.", chain((GAZETTE, Relation.REPORTS)))
    wire = Source("Northern Harbour Wire", SourceKind.NEWS_AGENCY)
    hop = AddHop(first, 0, 1, placeholder(0), Relation.REPORTS)
    applied = apply(store, WithNewSources((wire,), hop))
    wire_id = store.find_source(wire.name).id
    apply(store, AddHop(second, 0, 1, wire_id, Relation.REPORTS))  # used elsewhere since
    kept = dump_tables(path)
    with pytest.raises(CorroborateError, match="still used by a chain"):
        store.apply(applied.inverse, REVIEWER)
    assert dump_tables(path) == kept  # the hop of the first claim is not taken back either


def test_deleted_source_numbers_are_never_reused(store: Store) -> None:
    claim = add_claim(store, "Ferries stop at noon.", chain((GAZETTE, Relation.REPORTS)))
    draft = EvidenceDraft(source_id=placeholder(0), stance=Stance.CONTEXT)
    applied = apply(
        store, WithNewSources((Source("Pier Notice", SourceKind.DOCUMENT),), AddEvidence(claim, draft))
    )
    gone = store.find_source("Pier Notice").id
    apply(store, applied.inverse)
    assert store.ensure_source(Source("Quay Office", SourceKind.GOVERNMENT)).id > gone
