"""Evidence and media: saved, logged once, undone exactly; the table's SQL flags and filters agree with
core.independence on the same constructed data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from factories import (
    ACCOUNT,
    ALL_SOURCES,
    BUREAU,
    COUNCIL,
    GAZETTE,
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
    stored,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.edits import AddEvidence, Edit, EditEvidence, RemoveEvidence, SetMedia
from desktop.core.errors import CorroborateError
from desktop.core.evidence import EXCERPT_LIMIT, Evidence, EvidenceDraft, MediaCategory, MediaDraft, Stance
from desktop.core.independence import assess, origins_of
from desktop.core.model import Hop, NewClaim, ReviewField
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "evidence.db"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    opened = new_store(path)
    yield opened
    opened.close()


@pytest.fixture
def claim(store: Store) -> int:
    """The Gazette reports, according to the Bureau (the claim's origin)."""
    return add_claim(
        store,
        "A patrol boat ran aground.",
        chain((GAZETTE, Relation.REPORTS), (BUREAU, Relation.ACCORDING_TO)),
    )


def check_round_trip(store: Store, path: Path, edit: Edit, field: str) -> None:
    """One logged change; undo restores the tables exactly; redo brings back the edited state; all saved."""
    before, log = dump_tables(path), change_fields(path)
    applied = store.apply(edit, REVIEWER)
    after = dump_tables(path)
    assert after != before
    assert change_fields(path) == [*log, field]
    store.close()
    reopened = Store.open(path)
    try:
        assert dump_tables(path) == after
        redo = reopened.apply(applied.inverse, REVIEWER)
        assert dump_tables(path) == before
        reopened.apply(redo.inverse, REVIEWER)
        assert dump_tables(path) == after
        assert len(change_fields(path)) == len(log) + 3
    finally:
        reopened.close()


@contextmanager
def reopened(path: Path) -> Iterator[Store]:
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


def test_add_evidence_with_every_field(store: Store, path: Path, claim: int) -> None:
    draft = EvidenceDraft(
        sid(store, RADIO),
        Stance.CORROBORATES,
        url=" https://bayradio.example/news/patrol ",
        date="2024-03",
        excerpt="  The boat hit the sandbank at dawn.  ",
        note="Heard on the morning bulletin.",
        origin_id=sid(store, COUNCIL),
    )
    check_round_trip(store, path, AddEvidence(claim, draft), "evidence.add")
    with reopened(path) as again:
        (item,) = again.evidence_of(claim)
        assert (item.source.name, item.origin and item.origin.name) == ("Bay Radio", "Harbour Council")
        assert (item.url, item.date, item.stance) == (
            "https://bayradio.example/news/patrol",
            "2024-03",
            Stance.CORROBORATES,
        )
        assert (item.excerpt, item.note) == (
            "The boat hit the sandbank at dawn.",
            "Heard on the morning bulletin.",
        )
        assert (item.reviewer, item.claim_id) == (REVIEWER, claim)
        assert item.created_at.endswith("Z")
        assert item.effective_origin.name == "Harbour Council"
        assert again.evidence_item(item.id) == item
        assert item.draft == EvidenceDraft(
            item.source.id or 0,
            Stance.CORROBORATES,
            "https://bayradio.example/news/patrol",
            "2024-03",
            "The boat hit the sandbank at dawn.",
            "Heard on the morning bulletin.",
            item.origin.id if item.origin else None,
        )
        change = again.changes(claim)[0]
        assert json.loads(change.new_value or "")["url"] == "https://bayradio.example/news/patrol"


def test_edit_evidence(store: Store, path: Path, claim: int) -> None:
    item = add_evidence(store, claim, RADIO, Stance.CORROBORATES, date="2024")
    draft = EvidenceDraft(sid(store, SKIPPERS), Stance.CONTRADICTS, date="2024-02-29", note="they deny it")
    check_round_trip(store, path, EditEvidence(item.id, draft), "evidence.edit")
    with reopened(path) as again:
        edited = again.evidence_item(item.id)
        assert (edited.source.name, edited.stance, edited.date, edited.note) == (
            "Fishing skippers",
            Stance.CONTRADICTS,
            "2024-02-29",
            "they deny it",
        )
        assert (edited.created_at, edited.reviewer) == (item.created_at, item.reviewer)


def test_remove_evidence_comes_back_as_it_was(store: Store, path: Path, claim: int) -> None:
    first = add_evidence(store, claim, RADIO, Stance.CORROBORATES, excerpt="first")
    add_evidence(store, claim, WIRE, Stance.CONTEXT, excerpt="second")
    check_round_trip(store, path, RemoveEvidence(first.id), "evidence.remove")
    with reopened(path) as again:
        assert [e.excerpt for e in again.evidence_of(claim)] == ["second"]


def test_removed_evidence_restored_by_someone_else_keeps_its_author(store: Store, claim: int) -> None:
    item = add_evidence(store, claim, RADIO, Stance.CORROBORATES)
    applied = store.apply(RemoveEvidence(item.id), REVIEWER)
    store.apply(applied.inverse, "ben")
    assert store.evidence_item(item.id) == item
    assert store.changes(claim)[-1].reviewer == "ben"


@pytest.mark.parametrize(
    "draft",
    [
        lambda s: MediaDraft(
            sid(s, ACCOUNT), False, "a cropped frame of a longer video", MediaCategory.EDITED_OR_CROPPED
        ),
        lambda s: MediaDraft(None, None, "", None),
        lambda s: MediaDraft(sid(s, ACCOUNT), True, "", MediaCategory.ORIGINAL),
    ],
)
def test_media_provenance_set_and_cleared(store: Store, path: Path, draft: object) -> None:
    photo = add_claim(store, "A photo shows the grounded boat.", chain((ACCOUNT, Relation.IMAGE_CREDIT)))
    assert store.media_info(photo) is None
    media = draft(store)  # type: ignore[operator]
    check_round_trip(store, path, SetMedia(photo, media), "media.set")
    with reopened(path) as again:
        info = again.media_info(photo)
        assert info is not None and info.draft == media and info.claim_id == photo
        check_round_trip(again, path, SetMedia(photo, None), "media.set")
    with reopened(path) as again:
        assert again.media_info(photo) is None


def test_media_replaced(store: Store, path: Path) -> None:
    photo = add_claim(store, "A photo shows the flooded quay.", chain((ACCOUNT, Relation.IMAGE_CREDIT)))
    store.apply(SetMedia(photo, MediaDraft(sid(store, ACCOUNT), None, "", None)), REVIEWER)
    check_round_trip(
        store,
        path,
        SetMedia(photo, MediaDraft(sid(store, RADIO), True, "filmed by the station", MediaCategory.STAGED)),
        "media.set",
    )
    assert MediaCategory.STAGED.url == "https://schema.org/StagedContent"


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (
            dict(url="bayradio.example/story"),
            "New evidence for claim 1: the URL must start with http:// or https://",
        ),
        (
            dict(url="https://bay radio.example"),
            "the URL must start with http:// or https:// and hold no spaces",
        ),
        (
            dict(date="March 2024"),
            "New evidence for claim 1: the date must be written YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (dict(date="2023-02-29"), "'2023-02-29' is not a real date"),
        (dict(date="2024-13"), "'2024-13' is not a real date"),
        (dict(excerpt="x" * (EXCERPT_LIMIT + 1)), "the excerpt is 2,001 characters; keep it under 2,000"),
        (dict(source_id=999), "Source 999 is not in this file"),
        (dict(origin_id=999), "Source 999 is not in this file"),
        (dict(stance="agrees"), "'agrees' is not a valid Stance"),
    ],
)
def test_invalid_evidence_is_refused_naming_the_field_and_nothing_is_written(
    store: Store, path: Path, claim: int, draft: dict[str, object], message: str
) -> None:
    assert claim == 1
    fields = {"source_id": sid(store, RADIO), "stance": Stance.CORROBORATES, **draft}
    before, log = dump_tables(path), change_fields(path)
    with pytest.raises(CorroborateError, match=_literal(message)):
        store.apply(AddEvidence(claim, EvidenceDraft(**fields)), REVIEWER)  # type: ignore[arg-type]
    item = add_evidence(store, claim, RADIO, Stance.CORROBORATES)
    middle, middle_log = dump_tables(path), change_fields(path)
    with pytest.raises(
        CorroborateError,
        match=_literal(message.replace("New evidence for claim 1", f"Evidence item {item.id}")),
    ):
        store.apply(EditEvidence(item.id, EvidenceDraft(**fields)), REVIEWER)  # type: ignore[arg-type]
    assert (dump_tables(path), change_fields(path)) == (middle, middle_log)
    store.apply(RemoveEvidence(item.id), REVIEWER)
    assert dump_tables(path)["evidence"] == before["evidence"] == []
    assert change_fields(path) == [*log, "evidence.add", "evidence.remove"]


def _literal(text: str) -> str:
    return re.escape(text)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (AddEvidence(999, EvidenceDraft(1, Stance.CONTEXT)), "Claim 999 is not in this file"),
        (EditEvidence(999, EvidenceDraft(1, Stance.CONTEXT)), "Evidence item 999 is not in this file"),
        (RemoveEvidence(999), "Evidence item 999 is not in this file"),
        (SetMedia(999, None), "Claim 999 is not in this file"),
        (SetMedia(1, MediaDraft(999)), "Source 999 is not in this file"),
        (
            SetMedia(1, MediaDraft(None, None, "", "Photoshopped")),
            "'Photoshopped' is not a schema.org media category",
        ),  # type: ignore[arg-type]
    ],
)
def test_unknown_claims_items_and_sources_are_refused(
    store: Store, path: Path, claim: int, edit: Edit, message: str
) -> None:
    before, log = dump_tables(path), change_fields(path)
    with pytest.raises(CorroborateError, match=message):
        store.apply(edit, REVIEWER)
    assert (dump_tables(path), change_fields(path)) == (before, log)


@pytest.mark.parametrize("when", ["2024", "2024-02", "2024-02-29", " 1999-12-31 ", "", None])
def test_dates_as_sources_give_them(store: Store, claim: int, when: str | None) -> None:
    item = add_evidence(store, claim, RADIO, Stance.CONTEXT, date=when)
    assert item.date == (when.strip() or None if when is not None else None)


def test_evidence_text_is_searchable(store: Store, claim: int) -> None:
    other = add_claim(store, "Nets were found on the beach.")
    add_evidence(
        store, claim, RADIO, Stance.CONTEXT, excerpt="the sandbank moved after the storm", note="tidal chart"
    )
    assert all_ids(store, text="sandbank") == [claim]
    assert all_ids(store, text="tidal") == [claim]
    assert all_ids(store, text="beach") == [other]


# ---- the table's SQL flags and filters agree with core.independence -------------------------

_source_index = st.integers(0, len(ALL_SOURCES) - 1)
_hops = st.lists(st.tuples(_source_index, st.sampled_from(Relation)), min_size=1, max_size=3)
_chain = st.tuples(_hops, st.none() | st.integers(0, 2))  # hops, and which (if any) is marked origin
_item = st.tuples(_source_index, st.sampled_from(Stance), st.none() | _source_index)
_case = st.fixed_dictionaries(
    {
        "chains": st.lists(_chain, max_size=2),
        "evidence": st.lists(_item, max_size=6),
        "credibility": st.none() | st.integers(1, 6),
        "reliability": st.none() | st.sampled_from("ABCDEF"),
        "ben_reviews": st.booleans(),
        "kind": st.sampled_from(SourceKind),
        "source": _source_index,
        "credibility_filter": st.frozensets(st.none() | st.integers(1, 6), min_size=1, max_size=2),
        "reliability_filter": st.frozensets(st.none() | st.sampled_from("ABCDEF"), min_size=1, max_size=2),
    }
)


def test_sql_flags_and_filters_agree_with_the_independence_rules(tmp_path: Path) -> None:
    store = new_store(tmp_path / "property.db")
    sources = [stored(store, source) for source in ALL_SOURCES]
    counter = iter(range(1, 10_000))

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=_case)
    def check(case: dict) -> None:
        chains = tuple(
            tuple(
                Hop(sources[s], relation, mark is not None and mark == position)
                for position, (s, relation) in enumerate(hops)
            )
            for hops, mark in case["chains"]
        )
        (claim_id,) = store.add_claims(None, [_new_claim(f"Generated claim {next(counter)}", chains)])
        for s, stance, origin in case["evidence"]:
            add_evidence(
                store, claim_id, ALL_SOURCES[s], stance, ALL_SOURCES[origin] if origin is not None else None
            )
        if case["credibility"] is not None:
            store.set_review_field(claim_id, REVIEWER, ReviewField.CREDIBILITY, case["credibility"])
        if case["reliability"] is not None:
            store.set_review_field(claim_id, REVIEWER, ReviewField.RELIABILITY, case["reliability"])
        if case["ben_reviews"]:
            store.set_review_field(claim_id, "ben", ReviewField.RATIONALE, "looked at it")

        # What the rules say about the data as generated (not as read back from the file).
        evidence = [
            Evidence(n, claim_id, sources[s], stance, sources[o] if o is not None else None)
            for n, (s, stance, o) in enumerate(case["evidence"])
        ]
        expected = assess(origins_of(chains), evidence, case["credibility"])

        flags = store.claim_flags([claim_id], REVIEWER)[claim_id]
        assert flags.claim_id == claim_id
        assert flags.evidence_count == len(evidence)
        assert flags.independent_origins == expected.independent_count
        assert flags.suggested_credibility == expected.suggested_credibility
        assert flags.circular_warning is bool(expected.warnings)
        assert flags.second_look is expected.second_look

        full = store.claim_independence(claim_id, REVIEWER)
        assert full.corroborating_origins == expected.corroborating_origins
        assert full.contradicting_origins == expected.contradicting_origins
        assert (full.warnings, full.reason) == (expected.warnings, expected.reason)
        assert (full.suggested_credibility, full.second_look) == (
            expected.suggested_credibility,
            expected.second_look,
        )

        def listed(**filters: object) -> bool:
            return claim_id in all_ids(store, **filters)

        assert listed(warnings_only=True) is (bool(expected.warnings) or expected.second_look)
        assert listed(has_evidence=True) is bool(evidence)
        assert listed(has_evidence=False) is not evidence
        kind = case["kind"]
        hop_kinds = {hop.source.kind for hops in chains for hop in hops}
        assert listed(kinds=frozenset({kind})) is (
            kind in hop_kinds or (kind is SourceKind.ARTICLE and not chains)
        )
        source = sources[case["source"]]
        assert listed(source_ids=frozenset({source.id})) is any(
            hop.source == source for hops in chains for hop in hops
        )
        assert listed(credibilities=case["credibility_filter"]) is (
            case["credibility"] in case["credibility_filter"]
        )
        assert listed(reliabilities=case["reliability_filter"]) is (
            case["reliability"] in case["reliability_filter"]
        )
        assert listed(reviewer_filter="ben") is case["ben_reviews"]
        assert listed(reviewer_filter=REVIEWER) is (
            case["credibility"] is not None or case["reliability"] is not None
        )

    try:
        check()
    finally:
        store.close()


def _new_claim(text: str, chains: tuple[tuple[Hop, ...], ...]) -> NewClaim:
    return NewClaim(text, f"Passage of {text}", None, chains)


def test_flags_for_a_page_of_claims(store: Store, claim: int) -> None:
    relayed = add_claim(
        store, "Harbour fees will rise.", chain((RADIO, Relation.REPORTS), (COUNCIL, Relation.STATES))
    )
    bare = add_claim(store, "The market moved indoors.")
    add_evidence(store, claim, WIRE, Stance.CORROBORATES, origin=BUREAU)  # self-corroboration
    add_evidence(store, relayed, SKIPPERS, Stance.CORROBORATES)
    add_evidence(store, relayed, GAZETTE, Stance.CORROBORATES, origin=SKIPPERS)
    add_evidence(store, relayed, WIRE, Stance.CONTRADICTS)
    store.set_review_field(relayed, REVIEWER, ReviewField.CREDIBILITY, 1)
    flags = store.claim_flags([claim, relayed, bare, 999], REVIEWER)
    assert set(flags) == {claim, relayed, bare}
    assert (
        flags[claim].independent_origins,
        flags[claim].circular_warning,
        flags[claim].suggested_credibility,
    ) == (0, True, 6)
    assert (flags[relayed].evidence_count, flags[relayed].independent_origins) == (3, 1)
    assert (flags[relayed].suggested_credibility, flags[relayed].second_look) == (3, True)
    assert flags[relayed].circular_warning
    assert (flags[bare].evidence_count, flags[bare].suggested_credibility, flags[bare].second_look) == (
        0,
        6,
        False,
    )
    assert store.claim_flags([], REVIEWER) == {}
    # Someone else's grade does not mark this reviewer's row.
    assert not store.claim_flags([relayed], "ben")[relayed].second_look
    assert all_ids(store, warnings_only=True) == [claim, relayed]
    assert all_ids(store, "ben", warnings_only=True) == [claim, relayed]
    assert all_ids(store, has_evidence=False) == [bare]
