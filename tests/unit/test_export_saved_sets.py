"""Named saved sets: a kept filter follows later grades, a kept selection stays exactly those claims."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.errors import CorroborateError, InvalidValueError, StoreWriteError
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField, SortKey
from desktop.core.saved_sets import query_from_json, query_to_json
from desktop.store import Store


@pytest.fixture
def store(sample_copy: Path) -> Iterator[Store]:
    opened = Store.open(sample_copy)
    yield opened
    opened.close()


def test_a_saved_filter_is_run_again_when_read(store: Store) -> None:
    query = ClaimQuery("ana", statuses=frozenset({Status.REVIEWED}))
    store.save_set("done by ana", "ana", query=query)
    assert list(store.saved_set_ids("done by ana")) == []
    store.set_review_field(4, "ana", ReviewField.STATUS, "reviewed")
    store.set_review_field(2, "ana", ReviewField.STATUS, "reviewed")
    assert list(store.saved_set_ids("done by ana")) == [2, 4]
    saved = store.saved_set("done by ana")
    assert saved.query == query and saved.reviewer == "ana"


def test_a_saved_selection_keeps_its_claims_in_order_and_survives_reopening(sample_copy: Path) -> None:
    store = Store.open(sample_copy)
    store.save_set("  for  Lee ", "ana", claim_ids=[7, 3, 7, 12])
    store.close()
    again = Store.open(sample_copy, read_only=True)
    try:
        assert [s.name for s in again.saved_sets()] == ["for Lee"]
        assert list(again.saved_set_ids("for Lee")) == [7, 3, 12]
        assert again.saved_set("for Lee").claim_count == 3
    finally:
        again.close()


def test_names_are_unique_unless_replacing(store: Store) -> None:
    store.save_set("week", "ana", claim_ids=[1])
    with pytest.raises(InvalidValueError, match="already a saved set called 'week'"):
        store.save_set("week", "ana", claim_ids=[2])
    store.save_set("week", "ana", claim_ids=[2, 5], replace=True)
    assert list(store.saved_set_ids("week")) == [2, 5]


def test_bad_sets_are_refused_with_a_reason(store: Store) -> None:
    with pytest.raises(InvalidValueError, match="needs a name"):
        store.save_set("   ", "ana", claim_ids=[1])
    with pytest.raises(InvalidValueError, match="no claim"):
        store.save_set("empty", "ana", claim_ids=[])
    with pytest.raises(CorroborateError, match="not in this file"):
        store.save_set("ghost", "ana", claim_ids=[9999])
    assert store.saved_sets() == []
    with pytest.raises(CorroborateError, match="no saved set called 'nope'"):
        store.saved_set_ids("nope")


def test_deleting_a_set_leaves_the_claims(store: Store) -> None:
    store.save_set("a", "ana", claim_ids=[1, 2])
    store.delete_saved_set("a")
    assert store.saved_sets() == []
    assert store.count_claims() == 15


def test_a_read_only_file_refuses_new_sets(sample_copy: Path) -> None:
    store = Store.open(sample_copy, read_only=True)
    try:
        with pytest.raises(StoreWriteError):
            store.save_set("x", "ana", claim_ids=[1])
    finally:
        store.close()


def test_query_json_round_trip_keeps_every_filter() -> None:
    query = ClaimQuery(
        "ana",
        text="NIS drones",
        statuses=frozenset({Status.REVIEWED, Status.DISPUTED}),
        sort=SortKey.CREDIBILITY,
        descending=True,
        source_ids=frozenset({3, 1}),
        reliabilities=frozenset({"B", None}),
        credibilities=frozenset({2, None}),
        has_evidence=True,
        warnings_only=True,
        reviewer_filter="lee",
    )
    assert query_from_json(query_to_json(query)) == query
    with pytest.raises(ValueError, match="unknown value"):
        query_from_json('{"reviewer": "ana", "statuses": ["finished"]}')
