"""Filters give exactly the claims their words promise, however SQLite is asked to find and count them.

The store answers filters from indexes (per-claim source kinds kept by triggers, the reviewer's grades
index, counts of the few claims a filter keeps out). These tests check every filter shape against a
plain reading of each claim through the public store API, before and after the edits that move a
claim in or out of a kind, and that counts, listings and batched streams agree for every sort.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.edits import AddEvidence, AddHop, MergeSources, RemoveHop, SetHopSource, SetSourceKind
from desktop.core.evidence import EvidenceDraft, Stance
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, Hop, NewClaim, ReviewField, SortKey, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from tests.bench.generate import generated_file

REVIEWER = "amira"
CLAIMS = 400

# Each shape is read by a different path: sets the filter lets through, sets it keeps out, both,
# and filters tested claim by claim.
SHAPES: dict[str, dict[str, object]] = {
    "kind, one": {"kinds": frozenset({SourceKind.NEWS_AGENCY})},
    "kind with the article itself": {
        "kinds": frozenset({SourceKind.INTELLIGENCE_AGENCY, SourceKind.ARTICLE})
    },
    "status in progress": {"statuses": frozenset({Status.IN_PROGRESS})},
    "still to do": {"statuses": frozenset({Status.UNREVIEWED, Status.IN_PROGRESS})},
    "credibility 1 or not graded": {"credibilities": frozenset({1, None})},
    "reliability not graded, no evidence": {"reliabilities": frozenset({None}), "has_evidence": False},
    "status + reliability + kind": {
        "statuses": frozenset({Status.REVIEWED}),
        "reliabilities": frozenset({"C", "D"}),
        "kinds": frozenset({SourceKind.OUTLET}),
    },
    "reviewed, reliability or not graded": {
        "statuses": frozenset({Status.REVIEWED}),
        "reliabilities": frozenset({"B", None}),
    },
    "kind + still to do": {
        "kinds": frozenset({SourceKind.GOVERNMENT}),
        "statuses": frozenset({Status.UNREVIEWED, Status.IN_PROGRESS}),
    },
    "reviewer + has evidence": {"reviewer_filter": "bruno", "has_evidence": True},
    "reviewer alone": {"reviewer_filter": "chen"},
    "one source": {},  # filled in with a real source id below
    "warnings": {"warnings_only": True},
    "warnings + not graded reliability": {"warnings_only": True, "reliabilities": frozenset({None})},
    "kind + text": {"kinds": frozenset({SourceKind.OUTLET}), "text": "forces"},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_file(CLAIMS, seed=7, folder=tmp_path_factory.mktemp("generated"))


@pytest.fixture
def worked(generated: Path, tmp_path: Path) -> Path:
    """A copy with evidence, grades of 1 and reviews by several people, so every filter has work to do."""
    target = tmp_path / "worked.db"
    target.write_bytes(generated.read_bytes())
    store = Store.open(target)
    try:
        sources = [s.id for s in store.all_sources()]
        for n, claim_id in enumerate(range(3, CLAIMS, 11)):
            stance = (Stance.CORROBORATES, Stance.CONTRADICTS, Stance.CONTEXT)[n % 3]
            draft = EvidenceDraft(sources[n % len(sources)], stance, origin_id=sources[(n * 7) % 5])
            store.apply(AddEvidence(claim_id, draft), REVIEWER)
            if n % 2:
                store.apply(AddEvidence(claim_id, replace(draft, source_id=sources[(n + 1) % 5])), REVIEWER)
        for claim_id in range(5, CLAIMS, 13):
            store.set_review_field(claim_id, REVIEWER, ReviewField.CREDIBILITY, 1 + claim_id % 3)
            store.set_review_field(claim_id, REVIEWER, ReviewField.STATUS, Status.REVIEWED.value)
            store.set_review_field(claim_id + 1, "bruno", ReviewField.RELIABILITY, "C")
    finally:
        store.close()
    return target


def _query(store: Store, name: str, **changes: object) -> ClaimQuery:
    shape = dict(SHAPES[name])
    if name == "one source":
        shape["source_ids"] = frozenset({store.all_sources()[3].id})
    return ClaimQuery(REVIEWER, **shape, **changes)  # type: ignore[arg-type]


def _expected(store: Store, query: ClaimQuery) -> set[int]:
    """The claims `query` should list, decided claim by claim from what the store says about each."""
    ids = list(store.claim_ids(ClaimQuery(query.reviewer)))
    rows = store.claim_rows(ids, query.reviewer)
    flags = store.claim_flags(ids, query.reviewer)
    text_matches = set(store.claim_ids(ClaimQuery(query.reviewer, text=query.text))) if query.text else None
    wanted: set[int] = set()
    for claim_id in ids:
        detail = store.claim_detail(claim_id)
        review = detail.review_by(query.reviewer)
        hops = [hop for chain in detail.chains for hop in chain]
        kinds = {hop.source.kind for hop in hops} | (
            {SourceKind.ARTICLE} if rows[claim_id].unattributed else set()
        )
        checks = [
            not query.statuses or (review.status if review else Status.UNREVIEWED) in query.statuses,
            not query.reliabilities or (review.reliability if review else None) in query.reliabilities,
            not query.credibilities or (review.credibility if review else None) in query.credibilities,
            not query.source_ids or any(hop.source.id in query.source_ids for hop in hops),
            not query.kinds or bool(kinds & query.kinds),
            query.has_evidence is None or (flags[claim_id].evidence_count > 0) == query.has_evidence,
            query.reviewer_filter is None or detail.review_by(query.reviewer_filter) is not None,
            not query.warnings_only or flags[claim_id].circular_warning or flags[claim_id].second_look,
            text_matches is None or claim_id in text_matches,
        ]
        if all(checks):
            wanted.add(claim_id)
    return wanted


def _streamed(store: Store, query: ClaimQuery) -> list[int]:
    stream = store.claim_id_stream(query)
    ids: list[int] = []
    while batch := stream.next_batch(23):
        ids.extend(batch)
    assert stream.total == len(ids)
    return ids


@pytest.mark.parametrize("name", SHAPES)
def test_each_filter_lists_exactly_the_claims_it_describes(worked: Path, name: str) -> None:
    store = Store.open(worked, read_only=True)
    try:
        query = _query(store, name)
        expected = _expected(store, query)
        assert expected or name.startswith("warnings +") or name == "kind + text", (
            "a shape that finds nothing proves little"
        )
        listed = list(store.claim_ids(query))
        assert set(listed) == expected
        assert store.count_matching(query) == len(expected)
        assert _streamed(store, query) == listed
    finally:
        store.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_of_every_shape_streams_what_the_listing_holds(
    worked: Path, sort: SortKey, descending: bool
) -> None:
    store = Store.open(worked, read_only=True)
    try:
        for name in SHAPES:
            query = _query(store, name, sort=sort, descending=descending)
            listed = list(store.claim_ids(query))
            assert _streamed(store, query) == listed, name
            assert store.count_matching(query) == len(listed), name
    finally:
        store.close()


def _kind_listings_hold(store: Store) -> None:
    ids = list(store.claim_ids(ClaimQuery(REVIEWER)))
    rows = store.claim_rows(ids, REVIEWER)
    behind = {
        claim_id: {hop.source.kind for chain in store.claim_detail(claim_id).chains for hop in chain}
        | ({SourceKind.ARTICLE} if rows[claim_id].unattributed else set())
        for claim_id in ids
    }
    for kind in SourceKind:
        for kinds in (frozenset({kind}), frozenset({kind, SourceKind.ARTICLE})):
            query = ClaimQuery(REVIEWER, kinds=kinds)
            expected = {claim_id for claim_id, found in behind.items() if found & kinds}
            assert set(store.claim_ids(query)) == expected, kinds
            assert store.count_matching(query) == len(expected), kinds


def test_kinds_follow_every_edit_of_chains_and_sources(worked: Path) -> None:
    """The per-claim kinds are kept by triggers: each edit (and its undo) moves claims in or out."""
    store = Store.open(worked)
    try:
        cited = store.claim_detail(2).chains
        assert cited, "claim 2 of the generated file has a chain"
        first = cited[0][0].source  # a source some claim cites, so changing it moves claims
        other = next(
            hop.source
            for claim_id in range(3, CLAIMS)
            for chain in store.claim_detail(claim_id).chains
            for hop in chain
            # a kind claim 2 does not have yet, so adding and removing its hop moves claim 2
            if hop.source.kind
            not in {h.source.kind for chain in cited for h in chain} | {SourceKind.DOCUMENT}
        )
        lone = next(
            claim_id
            for claim_id in range(1, CLAIMS)
            if len(store.claim_detail(claim_id).chains) == 1
            and len(store.claim_detail(claim_id).chains[0]) == 1
        )
        unattributed = next(
            claim_id for claim_id in range(1, CLAIMS) if not store.claim_detail(claim_id).chains
        )
        edits = [
            SetSourceKind(first.id, SourceKind.DOCUMENT),  # type: ignore[arg-type]
            AddHop(2, 0, len(cited[0]), other.id, Relation.REPORTS),  # type: ignore[arg-type]
            RemoveHop(2, 0, len(cited[0])),
            AddHop(2, 0, len(cited[0]), other.id, Relation.REPORTS),  # type: ignore[arg-type]
            SetHopSource(2, 0, 0, other.id),  # type: ignore[arg-type]
            RemoveHop(lone, 0, 0),  # the claim now cites nobody: the article stands behind it
            AddHop(unattributed, 0, 0, other.id, Relation.STATES, new_chain=True),  # type: ignore[arg-type]
            MergeSources(first.id, other.id),  # type: ignore[arg-type]
        ]
        undos = []
        for edit in edits:
            undos.append(store.apply(edit, REVIEWER).inverse)
            _kind_listings_hold(store)
        for undo in reversed(undos):
            store.apply(undo, REVIEWER)
        _kind_listings_hold(store)
        # Claims added later, with and without a chain, are counted at once.
        wire = store.ensure_source(Source("A new wire desk", SourceKind.NEWS_AGENCY))
        store.add_claims(
            None,
            [
                NewClaim(
                    "Cited claim", "Cited claim, in its passage.", None, ((Hop(wire, Relation.REPORTS),),)
                ),
                NewClaim("Uncited claim", "Uncited claim, in its passage.", None),
            ],
        )
        _kind_listings_hold(store)
    finally:
        store.close()
