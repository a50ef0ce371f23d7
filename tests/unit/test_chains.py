"""Attribution chains: the sample's chains, and every chain edit saved, logged once, undone and redone exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import (
    BULLETIN,
    BUREAU,
    COUNCIL,
    GAZETTE,
    INSIDERS,
    RADIO,
    REVIEWER,
    WIRE,
    add_claim,
    all_ids,
    chain,
    change_fields,
    dump_tables,
    new_store,
    sid,
)

from desktop.core.edits import AddHop, MoveHop, RemoveHop, SetHopRelation, SetHopSource, SetOrigin
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.model import ClaimQuery
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store

# ---- the sample ------------------------------------------------------------------------


@pytest.fixture
def sample(sample_copy: Path) -> Iterator[Store]:
    store = Store.open(sample_copy, read_only=True)
    yield store
    store.close()


def described(store: Store, claim_id: int) -> list[list[tuple[str, Relation, bool]]]:
    return [
        [(hop.source.name, hop.relation, hop.is_origin) for hop in hops]
        for hops in store.claim_detail(claim_id).chains
    ]


def test_sample_wire_report_is_traced_to_the_intelligence_agency(sample: Store) -> None:
    assert described(sample, 2) == [
        [
            ("Yonhap", Relation.REPORTS, False),
            ("National Intelligence Service (NIS)", Relation.ACCORDING_TO, True),
        ]
    ]
    (origin,) = sample.claim_independence(2).claim_origins
    assert origin.name == "National Intelligence Service (NIS)"


def test_sample_broadcaster_claims_are_traced_to_its_unnamed_sources(sample: Store) -> None:
    for claim_id, relation in ((11, Relation.BASED_ON_UNNAMED_SOURCES), (12, Relation.ACCORDING_TO)):
        assert described(sample, claim_id) == [
            [("NHK", relation, False), ("Unnamed sources (NHK)", Relation.STATES, True)]
        ]
        (origin,) = sample.claim_independence(claim_id).claim_origins
        assert origin.kind is SourceKind.UNNAMED


def test_sample_ships_with_no_reviews_evidence_or_media(sample: Store, sample_copy: Path) -> None:
    dump = dump_tables(sample_copy)
    assert dump["claims"] and dump["chain_hops"], "the sample must hold claims and chains"
    assert (dump["reviews"], dump["evidence"], dump["media"]) == ([], [], [])
    assert change_fields(sample_copy) == []
    ids = list(sample.claim_ids(ClaimQuery("anyone")))
    flags = sample.claim_flags(ids, "anyone")
    assert all(f.evidence_count == 0 and not f.circular_warning and not f.second_look for f in flags.values())


# ---- edits on a constructed claim ---------------------------------------------------------


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "chains.db"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    opened = new_store(path)
    yield opened
    opened.close()


@pytest.fixture
def claim(store: Store) -> int:
    """Chain 1: the Gazette reports, relaying the wire, according to the Bureau. Chain 2: the Council states."""
    return add_claim(
        store,
        "Three trawlers were seized.",
        chain((GAZETTE, Relation.REPORTS), (WIRE, Relation.REPORTS), (BUREAU, Relation.ACCORDING_TO)),
        chain(
            (COUNCIL, Relation.STATES),
        ),
    )


Shape = list[list[tuple[str, str, bool]]]


def shape(store: Store, claim_id: int) -> Shape:
    return [[(name, rel.value, mark) for name, rel, mark in hops] for hops in described(store, claim_id)]


G, W, B, C, R, D = (
    ("Harbour Gazette", "reports"),
    ("Coastal Wire Service", "reports"),
    ("Maritime Intelligence Bureau", "according_to"),
    ("Harbour Council", "states"),
    ("Bay Radio", "states"),
    ("Council bulletin", "quotes"),
)


def h(hop: tuple[str, str], origin: bool = False) -> tuple[str, str, bool]:
    return (*hop, origin)


# (edit builder, change-log field, chains afterwards); ids: 1 Gazette, 2 Wire, 3 Bureau, 4 Council,
# 5 Council bulletin, 8 Bay Radio (factories.ALL_SOURCES order).
CHAIN_EDITS = {
    "add hop in the middle": (
        lambda c: AddHop(c, 0, 1, 8, Relation.STATES),
        "chain.add_hop",
        [[h(G), h(R), h(W), h(B)], [h(C)]],
    ),
    "add marked hop at the end": (
        lambda c: AddHop(c, 1, 1, 5, Relation.QUOTES, is_origin=True),
        "chain.add_hop",
        [[h(G), h(W), h(B)], [h(C), h(D, True)]],
    ),
    "add a new first chain": (
        lambda c: AddHop(c, 0, 0, 8, Relation.STATES, new_chain=True),
        "chain.add_hop",
        [[h(R)], [h(G), h(W), h(B)], [h(C)]],
    ),
    "add a new last chain": (
        lambda c: AddHop(c, 2, 0, 8, Relation.STATES, new_chain=True),
        "chain.add_hop",
        [[h(G), h(W), h(B)], [h(C)], [h(R)]],
    ),
    "remove a middle hop": (lambda c: RemoveHop(c, 0, 1), "chain.remove_hop", [[h(G), h(B)], [h(C)]]),
    "remove the only hop of a chain": (
        lambda c: RemoveHop(c, 1, 0),
        "chain.remove_hop",
        [[h(G), h(W), h(B)]],
    ),
    "remove the only hop of the first chain": (
        lambda c: (SetOrigin(c, 0, 2), RemoveHop(c, 0, 0), RemoveHop(c, 0, 0), RemoveHop(c, 0, 0)),
        "chain.remove_hop",
        [[h(C)]],
    ),
    "remove the marked hop": (
        lambda c: (SetOrigin(c, 0, 1), RemoveHop(c, 0, 1)),
        "chain.remove_hop",
        [[h(G), h(B)], [h(C)]],
    ),
    "move a hop up": (lambda c: MoveHop(c, 0, 2, -1), "chain.move_hop", [[h(G), h(B), h(W)], [h(C)]]),
    "move a hop down with its mark": (
        lambda c: (SetOrigin(c, 0, 0), MoveHop(c, 0, 0, 1)),
        "chain.move_hop",
        [[h(W), h(G, True), h(B)], [h(C)]],
    ),
    "set relation": (
        lambda c: SetHopRelation(c, 0, 2, Relation.BASED_ON_UNNAMED_SOURCES),
        "chain.set_relation",
        [[h(G), h(W), ("Maritime Intelligence Bureau", "based_on_unnamed_sources", False)], [h(C)]],
    ),
    "set source": (
        lambda c: SetHopSource(c, 1, 0, 8),
        "chain.set_source",
        [[h(G), h(W), h(B)], [("Bay Radio", "states", False)]],
    ),
    "mark the origin": (
        lambda c: SetOrigin(c, 0, 1),
        "chain.set_origin",
        [[h(G), h(W, True), h(B)], [h(C)]],
    ),
    "move the mark": (
        lambda c: (SetOrigin(c, 0, 1), SetOrigin(c, 0, 0)),
        "chain.set_origin",
        [[h(G, True), h(W), h(B)], [h(C)]],
    ),
    "clear the mark": (
        lambda c: (SetOrigin(c, 0, 1), SetOrigin(c, 0, None)),
        "chain.set_origin",
        [[h(G), h(W), h(B)], [h(C)]],
    ),
}


@pytest.mark.parametrize("name", list(CHAIN_EDITS))
def test_chain_edit_is_saved_logged_once_and_undone_exactly(
    store: Store, path: Path, claim: int, name: str
) -> None:
    build, field, expected = CHAIN_EDITS[name]
    built = build(claim)
    *setup, edit = built if isinstance(built, tuple) else (built,)
    for step in setup:
        store.apply(step, REVIEWER)
    before, log = dump_tables(path), change_fields(path)
    applied = store.apply(edit, REVIEWER)
    assert applied.claim_id == claim and applied.text
    after = dump_tables(path)
    assert change_fields(path) == [*log, field]
    assert shape(store, claim) == expected
    # Saved: the reopened file reads the same (closing twice, here and in the fixture, is harmless).
    store.close()
    reopened = Store.open(path)
    try:
        assert shape(reopened, claim) == expected
        redo = reopened.apply(applied.inverse, REVIEWER)
        assert dump_tables(path) == before
        again = reopened.apply(redo.inverse, REVIEWER)
        assert dump_tables(path) == after
        reopened.apply(again.inverse, REVIEWER)
        assert dump_tables(path) == before
        undo_field = _inverse_field(field)
        assert change_fields(path) == [*log, field, undo_field, field, undo_field]
    finally:
        reopened.close()


def _inverse_field(field: str) -> str:
    return {"chain.add_hop": "chain.remove_hop", "chain.remove_hop": "chain.add_hop"}.get(field, field)


def test_emptying_the_last_chain_makes_the_claim_unattributed(store: Store, path: Path) -> None:
    claim_id = add_claim(store, "The quay flooded.", chain((RADIO, Relation.STATES)))
    attributed = add_claim(store, "The tide was high.", chain((COUNCIL, Relation.STATES)))
    unattributed = frozenset({SourceKind.ARTICLE})
    assert all_ids(store, kinds=unattributed) == []
    before = dump_tables(path)
    applied = store.apply(RemoveHop(claim_id, 0, 0), REVIEWER)
    detail = store.claim_detail(claim_id)
    assert detail.unattributed and detail.chains == ()
    assert store.claim_rows([claim_id], REVIEWER)[claim_id].unattributed
    assert store.stats()["unattributed_claims"] == 1
    assert all_ids(store, kinds=unattributed) == [claim_id]
    assert store.claim_independence(claim_id).claim_origins == ()
    store.apply(applied.inverse, REVIEWER)
    assert dump_tables(path) == before
    assert not store.claim_detail(claim_id).unattributed
    assert all_ids(store, kinds=unattributed) == []
    assert not store.claim_detail(attributed).unattributed


def test_an_unattributed_claim_gains_a_chain(store: Store) -> None:
    claim_id = add_claim(store, "Nobody says who counted the boats.")
    assert store.claim_detail(claim_id).unattributed
    store.apply(AddHop(claim_id, 0, 0, sid(store, INSIDERS), Relation.STATES, new_chain=True), REVIEWER)
    assert not store.claim_detail(claim_id).unattributed
    assert all_ids(store, kinds=frozenset({SourceKind.UNNAMED})) == [claim_id]


def test_the_origin_mark_decides_the_claims_origin(store: Store, claim: int) -> None:
    names = [s.name for s in store.claim_independence(claim).claim_origins]
    assert names == ["Maritime Intelligence Bureau", "Harbour Council"]
    store.apply(SetOrigin(claim, 0, 1), REVIEWER)
    names = [s.name for s in store.claim_independence(claim).claim_origins]
    assert names == ["Coastal Wire Service", "Harbour Council"]
    assert store.source_record(sid(store, WIRE)).track.as_origin == 1
    assert store.source_record(sid(store, BUREAU)).track.as_origin == 0


def test_a_log_row_names_what_changed(store: Store, claim: int) -> None:
    store.apply(SetHopSource(claim, 1, 0, sid(store, BULLETIN)), REVIEWER)
    change = store.changes(claim)[-1]
    assert (change.field, change.reviewer, change.claim_id) == ("chain.set_source", REVIEWER, claim)
    assert json.loads(change.old_value or "") == {
        "chain": 1,
        "position": 0,
        "source": 4,
        "name": "Harbour Council",
    }
    assert json.loads(change.new_value or "") == {
        "chain": 1,
        "position": 0,
        "source": 5,
        "name": "Council bulletin",
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: AddHop(c, 2, 0, 8, Relation.STATES), r"Claim \d+ has 2 chains; there is no chain 3"),
        (
            lambda c: AddHop(c, 0, 4, 8, Relation.STATES),
            r"Chain 1 of claim \d+ has 3 hops; a hop cannot go at position 5",
        ),
        (lambda c: AddHop(c, 0, -1, 8, Relation.STATES), "a hop cannot go at position 0"),
        (
            lambda c: AddHop(c, 3, 0, 8, Relation.STATES, new_chain=True),
            "can go at chain 1 to 3, first hop only",
        ),
        (lambda c: AddHop(c, 1, 1, 8, Relation.STATES, new_chain=True), "first hop only"),
        (lambda c: AddHop(c, 0, 0, 999, Relation.STATES), "Source 999 is not in this file"),
        (lambda c: AddHop(999, 0, 0, 8, Relation.STATES), "Claim 999 is not in this file"),
        (lambda c: RemoveHop(c, 0, 3), r"Chain 1 of claim \d+ has 3 hops; there is no hop 4"),
        (lambda c: RemoveHop(c, 5, 0), "there is no chain 6"),
        (lambda c: MoveHop(c, 0, 0, -1), "Hop 1 is the first of chain 1 .* cannot move up"),
        (lambda c: MoveHop(c, 0, 2, 1), "Hop 3 is the last of chain 1 .* cannot move down"),
        (lambda c: MoveHop(c, 0, 1, 2), "one place at a time"),
        (lambda c: SetHopRelation(c, 1, 1, Relation.QUOTES), "there is no hop 2"),
        (lambda c: SetHopSource(c, 0, 0, 999), "Source 999 is not in this file"),
        (lambda c: SetOrigin(c, 2, 0), "there is no chain 3"),
        (lambda c: SetOrigin(c, 0, 3), "there is no hop 4"),
    ],
)
def test_invalid_chain_edits_are_refused_and_write_nothing(
    store: Store, path: Path, claim: int, edit: object, message: str
) -> None:
    before, log = dump_tables(path), change_fields(path)
    with pytest.raises(CorroborateError, match=message):
        store.apply(edit(claim), REVIEWER)  # type: ignore[operator]
    assert (dump_tables(path), change_fields(path)) == (before, log)


def test_a_chain_has_at_most_one_marked_origin(store: Store, path: Path, claim: int) -> None:
    store.apply(SetOrigin(claim, 0, 2), REVIEWER)
    before = dump_tables(path)
    with pytest.raises(InvalidValueError, match="already has a marked origin; move the mark instead"):
        store.apply(AddHop(claim, 0, 0, sid(store, RADIO), Relation.STATES, is_origin=True), REVIEWER)
    assert dump_tables(path) == before


def test_edits_are_refused_on_a_read_only_file(sample: Store, sample_copy: Path) -> None:
    before = dump_tables(sample_copy)
    with pytest.raises(CorroborateError, match="read-only"):
        sample.apply(RemoveHop(2, 0, 0), REVIEWER)
    assert dump_tables(sample_copy) == before


def test_chains_of_many_claims_at_once(store: Store, claim: int) -> None:
    other = add_claim(store, "Lobster pots were stolen.", chain((RADIO, Relation.STATES)))
    lonely = add_claim(store, "No one says.")
    chains = store.chains_of([claim, other, lonely])
    assert set(chains) == {claim, other}
    assert chains[claim] == store.claim_detail(claim).chains
