"""Behaviour that keeps a big file usable: safe search, counts that match listings, snapshot listings,
grade saves that leave the full-text indexes alone, cancellable background work, a deterministic generator.

No timings here: speed is measured by `python -m tests.bench`, never asserted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import StoreWriteError
from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, ReviewField, SortKey
from desktop.core.vocabulary import SourceKind
from desktop.store import Store
from desktop.store.search import FTS_TABLES, SEARCH_TABLE, rebuild_search_index
from desktop.store.snapshot import SnapshotWriter, claim_records
from tests.bench.generate import generated_file
from tests.conftest import content_dump

REVIEWER = "amira"

HOSTILE_SEARCHES = [
    "",
    "   ",
    '"',
    'unbalanced "quote',
    "'single",
    "NEAR(",
    "a AND",
    "OR OR OR",
    "NOT",
    "* ^ : - + ( ) { } [ ]",
    "text:forces",
    "col:",
    "\x00",
    "forces\x00convoy",
    "🙂 convoy 🚁",
    "قوات الحدود",
    "כוחות גבול",
    "\u202eforces",
    "a" * 5_000,
    " ".join(f"w{n}" for n in range(500)),
]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated file of 600 claims (module-wide: tests copy it before writing)."""
    return generated_file(600, seed=3, folder=tmp_path_factory.mktemp("generated"))


@pytest.fixture
def big_copy(big: Path, tmp_path: Path) -> Path:
    target = tmp_path / "big.db"
    target.write_bytes(big.read_bytes())
    return target


def _fts_shadow(path: Path) -> dict[str, str]:
    """A digest of each full-text index's stored segments, read from the saved file and its log."""
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        return {
            table: hashlib.sha256(
                repr(conn.execute(f"SELECT id, block FROM {table}_data ORDER BY id").fetchall()).encode()
            ).hexdigest()
            for table in FTS_TABLES
        }
    finally:
        conn.close()


# ---- search safety ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_any_search_text_gives_results_or_none_never_an_error(big: Path, text: str) -> None:
    store = Store.open(big, read_only=True)
    try:
        query = ClaimQuery(REVIEWER, text=text)
        ids = store.claim_ids(query)
        assert len(ids) == store.count_matching(query) == store.claim_id_stream(query).total
        assert len(set(ids)) == len(ids)
    finally:
        store.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_arbitrary_search_text_never_raises(sample_copy: Path, text: str) -> None:
    store = Store.open(sample_copy, read_only=True)
    try:
        query = ClaimQuery(REVIEWER, text=text)
        assert len(store.claim_ids(query)) == store.count_matching(query)
    finally:
        store.close()


def test_search_still_finds_words_next_to_hostile_characters(big: Path) -> None:
    store = Store.open(big, read_only=True)
    try:
        plain = store.claim_ids(ClaimQuery(REVIEWER, text="convoy"))
        assert len(plain) > 0
        for noisy in ('"convoy', "convoy*", "(convoy)", "convoy\x00", "🙂convoy", "CONVOY"):
            assert list(store.claim_ids(ClaimQuery(REVIEWER, text=noisy))) == list(plain), noisy
    finally:
        store.close()


# ---- counts and listings --------------------------------------------------------------------------

FILTERS = {
    "none": {},
    "status": {"statuses": frozenset({Status.UNREVIEWED})},
    "reliability": {"reliabilities": frozenset({"A", None})},
    "credibility": {"credibilities": frozenset({2, 3})},
    "kind": {"kinds": frozenset({SourceKind.NEWS_AGENCY, SourceKind.ARTICLE})},
    "reviewer": {"reviewer_filter": "bruno"},
    "evidence": {"has_evidence": True},
    "warnings": {"warnings_only": True},
    "search": {"text": "forces"},
    "combined": {
        "statuses": frozenset({Status.REVIEWED}),
        "text": "the",
        "kinds": frozenset({SourceKind.OUTLET}),
    },
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("sort", list(SortKey))
def test_count_and_stream_agree_with_the_listing(
    big: Path, name: str, sort: SortKey, descending: bool
) -> None:
    """The table reads its ids in segments, each in index order; together they are the one true order."""
    store = Store.open(big, read_only=True)
    try:
        query = ClaimQuery(REVIEWER, sort=sort, descending=descending, **FILTERS[name])  # type: ignore[arg-type]
        listed = list(store.claim_ids(query))
        stream = store.claim_id_stream(query)
        streamed: list[int] = []
        while batch := stream.next_batch(37):
            streamed.extend(batch)
        assert stream.exhausted
        assert stream.total == store.count_matching(query) == len(listed)
        assert streamed == listed
    finally:
        store.close()


def test_a_stream_reads_one_snapshot_while_grades_are_saved(big_copy: Path) -> None:
    store = Store.open(big_copy)
    try:
        query = ClaimQuery(REVIEWER, statuses=frozenset({Status.UNREVIEWED}))
        before = list(store.claim_ids(query))
        stream = store.claim_id_stream(query)
        first = list(stream.next_batch(10))
        # Saving takes claims out of the filter on the Store's connection, mid-listing.
        for claim_id in before[20:60]:
            store.set_review_field(claim_id, REVIEWER, ReviewField.STATUS, Status.REVIEWED.value)
        rest: list[int] = []
        while batch := stream.next_batch(100):
            rest.extend(batch)
        assert first + rest == before
        assert stream.total == len(before)
        assert store.count_matching(query) == len(before) - 40
    finally:
        store.close()


# ---- grade saves leave the full-text indexes alone ------------------------------------------------


def test_saving_grades_and_status_never_touches_a_full_text_index(big_copy: Path) -> None:
    store = Store.open(big_copy)
    try:
        for claim_id in (1, 2, 3, 250, 599):  # graded and ungraded claims, new and existing reviews
            store.set_review_field(claim_id, REVIEWER, ReviewField.RELIABILITY, "B")
            store.set_review_field(claim_id, REVIEWER, ReviewField.CREDIBILITY, 2)
            store.set_review_field(claim_id, REVIEWER, ReviewField.STATUS, Status.REVIEWED.value)
        store.set_review_field(4, REVIEWER, ReviewField.RELIABILITY, "C")
        before = _fts_shadow(big_copy)
        for claim_id in (1, 2, 3, 4, 250, 599):
            store.set_review_field(claim_id, REVIEWER, ReviewField.RELIABILITY, "E")
            store.set_review_field(claim_id, REVIEWER, ReviewField.CREDIBILITY, 5)
            store.set_review_field(claim_id, REVIEWER, ReviewField.STATUS, Status.DISPUTED.value)
        assert _fts_shadow(big_copy) == before
        # The check can fail: a rationale is indexed text, and saving one does change the index.
        store.set_review_field(4, REVIEWER, ReviewField.RATIONALE, "wholly distinctive wording")
        after = _fts_shadow(big_copy)
        assert after[SEARCH_TABLE] != before[SEARCH_TABLE]
        assert 4 in store.claim_ids(ClaimQuery(REVIEWER, text="distinctive"))
    finally:
        store.close()


# ---- background work: cancel leaves nothing behind ------------------------------------------------


def test_a_cancelled_index_rebuild_leaves_the_indexes_as_they_were(big_copy: Path) -> None:
    before = _fts_shadow(big_copy)
    store = Store.open(big_copy)
    try:
        found = list(store.claim_ids(ClaimQuery(REVIEWER, text="convoy")))
        calls: list[tuple[int, int]] = []
        finished = rebuild_search_index(big_copy, lambda d, t: calls.append((d, t)), lambda: bool(calls))
        assert finished is False
        assert _fts_shadow(big_copy) == before
        assert list(store.claim_ids(ClaimQuery(REVIEWER, text="convoy"))) == found
        # Not cancelled, the same rebuild goes through and search finds the same claims.
        assert rebuild_search_index(big_copy) is True
        assert list(store.claim_ids(ClaimQuery(REVIEWER, text="convoy"))) == found
    finally:
        store.close()
    leftovers = [p.name for p in big_copy.parent.iterdir() if p.name.endswith("-journal")]
    assert leftovers == []


class _Stop(Exception):
    """Stands in for a cancel arriving in the middle of a bulk insert."""


def test_a_bulk_insert_stopped_midway_adds_nothing(big: Path, tmp_path: Path) -> None:
    source = Store.open(big, read_only=True)
    records = claim_records(source, list(range(1, 201)))
    source.close()
    target = Store.open(tmp_path / "target.db", create=True)
    try:
        before = content_dump(target.path)

        def stopping() -> object:
            for number, record in enumerate(records):
                if number == 150:
                    raise _Stop
                yield record

        writer = SnapshotWriter(target, keep_ids=True)
        with pytest.raises(_Stop):
            writer.add_claims(stopping())  # type: ignore[arg-type]
        assert target.count_claims() == 0
        assert content_dump(target.path) == before
        assert len(target.claim_ids(ClaimQuery(REVIEWER, text="the"))) == 0
    finally:
        target.close()


def test_an_index_rebuild_on_a_read_only_file_is_refused_loudly(big: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ro.db"
    copy.write_bytes(big.read_bytes())
    copy.chmod(0o444)
    try:
        with pytest.raises(StoreWriteError, match="cannot be rebuilt"):
            rebuild_search_index(copy)
    finally:
        copy.chmod(0o644)


# ---- the generator --------------------------------------------------------------------------------


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    one = generated_file(250, seed=5, folder=tmp_path / "one")
    two = generated_file(250, seed=5, folder=tmp_path / "two")
    other = generated_file(250, seed=6, folder=tmp_path / "other")
    dumps = [content_dump(path) for path in (one, two, other)]
    for dump in dumps:  # the change log says when each file was built; nothing else may differ
        dump["change_log"] = [row[:1] + row[2:] for row in dump["change_log"]]
    assert dumps[0] == dumps[1]
    assert dumps[0]["claims"] != dumps[2]["claims"]
    assert dumps[0]["change_log"]  # the evidence went in through the store's edits


def test_the_generated_file_looks_like_real_work(big: Path) -> None:
    store = Store.open(big, read_only=True)
    try:
        stats = store.stats()
        assert stats["claims"] == 600
        graded = sum(stats["reviewers"].values())
        assert 0.3 * 600 < graded < 0.5 * 600
        assert 0 < stats["unattributed_claims"] < 600 * 0.2
        rows = store.claim_rows(list(range(1, 601)), REVIEWER)
        assert 150 < sum(len(r.text) for r in rows.values()) / 600 < 250
        assert len(store.claim_ids(ClaimQuery(REVIEWER, has_evidence=True))) >= 1
        assert replace(ClaimQuery(REVIEWER), sort=SortKey.TEXT)  # every sort key exists for the bench
    finally:
        store.close()


def test_segmented_order_holds_with_several_reviewers_per_claim(big_copy: Path) -> None:
    store = Store.open(big_copy)
    try:
        # Extra reviews by people sorting before and after the existing ones, some without grades.
        for claim_id in range(1, 600, 7):
            store.set_review_field(claim_id, "aaron", ReviewField.STATUS, Status.IN_PROGRESS.value)
            store.set_review_field(claim_id + 1, "zoe", ReviewField.RELIABILITY, "C")
            store.set_review_field(claim_id + 2, REVIEWER, ReviewField.STATUS, Status.UNREVIEWED.value)
        for sort in (SortKey.REVIEWER, SortKey.STATUS, SortKey.RELIABILITY, SortKey.CREDIBILITY):
            for descending in (False, True):
                for who in (REVIEWER, "zoe", "nobody"):
                    query = ClaimQuery(who, sort=sort, descending=descending)
                    stream = store.claim_id_stream(query)
                    streamed: list[int] = []
                    while batch := stream.next_batch(101):
                        streamed.extend(batch)
                    assert streamed == list(store.claim_ids(query)), (sort, descending, who)
    finally:
        store.close()


def test_closing_the_file_ends_its_listings_and_leaves_no_log_beside_it(big_copy: Path) -> None:
    store = Store.open(big_copy)
    stream = store.claim_id_stream(ClaimQuery(REVIEWER, sort=SortKey.CITED_SOURCE))
    assert len(stream.next_batch(50)) == 50
    store.close()
    assert stream.exhausted and not stream.complete
    assert len(stream.next_batch(50)) == 0
    assert sorted(p.name for p in big_copy.parent.iterdir() if p.name.startswith("big.db")) == ["big.db"]


def test_the_words_marked_are_the_words_a_search_finds() -> None:
    from desktop.core.search_words import found_spans

    text = "The Ministry said ministers met; an MoD official, Élodie, was at the meeting."

    def marked(search: str) -> list[str]:
        return [text[start:end] for start, end in found_spans(text, search)]

    assert marked("ministr") == ["Ministry"]  # a prefix, whatever the case
    assert marked("minis") == ["Ministry", "ministers"]
    assert marked("elodie") == ["Élodie"]  # accents set aside, as the index does
    assert marked("at") == ["at"]  # a short word is matched whole: not "meeting"'s "at" nor "that"
    assert marked('"meet* OR') == ["meeting"]  # quotes and operators are not words; "OR" finds nothing here
    assert marked("") == [] and marked("zzqx") == []


def test_the_words_a_pane_does_not_show_are_named_in_the_search_order() -> None:
    from desktop.core.search_words import words_not_in

    shown = ["Troops crossed the river", "according to the Ministry of Defence"]
    assert words_not_in("ministr satellite troop at", shown) == ["satellite", "at"]  # "at": whole words only
    assert words_not_in("RIVER Troops", shown) == []
    assert words_not_in("", shown) == [] and words_not_in("satellite", []) == ["satellite"]
