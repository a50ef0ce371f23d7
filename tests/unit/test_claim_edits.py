"""Claims drawn by hand from an article: saved, searchable, logged, undone and redone under the same
number; taking one back never loses review work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from factories import GAZETTE, REVIEWER, all_ids, new_store, sid

from desktop.core.edits import AddClaim, AddHop, RemoveClaim, SetClaimText
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.model import Anchor, Article, ClaimQuery, NewClaim, ReviewField
from desktop.core.passages import anchor_at
from desktop.core.vocabulary import Relation
from desktop.store import Store

TEXT = "The ferry was late. A diver found a crack in the hull, the harbour office said. Boats stayed in."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return new_store(tmp_path / "drawn.db")


def draw(store: Store, words: str, wording: str) -> tuple[int, AddClaim]:
    article_id = store.article_id_of(1)  # the article's first claim, added with it
    assert article_id is not None
    start = TEXT.index(words)
    edit = AddClaim(article_id, wording, words, anchor_at(TEXT, start, start + len(words)))
    applied = store.apply(edit, REVIEWER)
    assert applied.created_id is not None
    return applied.created_id, edit


@pytest.fixture(autouse=True)
def article(store: Store) -> None:
    article_id = store.add_article(Article("Ferry trouble", TEXT))
    store.add_claims(
        article_id, [NewClaim("The ferry was late", "The ferry was late.", anchor_at(TEXT, 0, 19))]
    )


def test_a_drawn_claim_is_stored_unattributed_found_by_search_and_logged(
    store: Store, tmp_path: Path
) -> None:
    claim_id, _ = draw(
        store, "A diver found a crack in the hull", "  A diver found a\ncrack in the ferry's hull "
    )

    detail = store.claim_detail(claim_id)
    assert detail.text == "A diver found a crack in the ferry's hull"  # spacing tidied
    assert detail.passage == "A diver found a crack in the hull"
    assert detail.anchor is not None and TEXT[detail.anchor.start : detail.anchor.end] == detail.passage
    assert detail.chains == ()
    assert all_ids(store, text="diver") == [claim_id]
    placed = store.article_text(store.article_id_of(claim_id) or 0)
    assert placed.passage_of(claim_id) is not None
    (entry,) = store.claim_history(claim_id).entries
    assert entry.what == "Claim drawn from the article by hand: “A diver found a crack in the ferry's hull”"
    with sqlite3.connect(tmp_path / "drawn.db") as conn:
        assert conn.execute("SELECT unattributed FROM claims WHERE id = ?", [claim_id]).fetchone() == (1,)


def test_undo_takes_it_back_and_redo_brings_it_back_under_its_number(store: Store) -> None:
    claim_id, _ = draw(store, "Boats stayed in.", "Boats stayed in port")
    undo = RemoveClaim(claim_id)
    redo = store.apply(undo, REVIEWER).inverse
    assert claim_id not in all_ids(store)
    assert all_ids(store, text="boats") == []
    assert isinstance(redo, AddClaim) and redo.restore_id == claim_id

    store.apply(redo, REVIEWER)
    assert claim_id in all_ids(store)
    assert all_ids(store, text="boats") == [claim_id]
    assert [e.what.split(":")[0] for e in store.claim_history(claim_id).entries] == [
        "Claim drawn from the article by hand",
        "Claim removed",
        "Claim drawn from the article by hand",
    ]


def test_a_grade_set_and_taken_back_does_not_keep_the_claim(store: Store) -> None:
    claim_id, _ = draw(store, "Boats stayed in.", "Boats stayed in port")
    store.set_review_field(claim_id, REVIEWER, ReviewField.RELIABILITY, "C")
    store.set_review_field(claim_id, REVIEWER, ReviewField.RELIABILITY, None)
    store.apply(RemoveClaim(claim_id), REVIEWER)
    assert claim_id not in all_ids(store)
    assert store.reviews_of(claim_id) == []


@pytest.mark.parametrize(
    "work",
    [
        lambda store, claim: store.set_review_field(claim, "ben", ReviewField.CREDIBILITY, 2),
        lambda store, claim: store.set_review_field(claim, REVIEWER, ReviewField.RATIONALE, "Seen it."),
        lambda store, claim: store.apply(
            AddHop(claim, 0, 0, sid(store, GAZETTE), Relation.REPORTS, new_chain=True), REVIEWER
        ),
    ],
    ids=["graded", "rationale", "chain"],
)
def test_a_claim_with_review_work_is_never_taken_back(store: Store, work) -> None:  # type: ignore[no-untyped-def]
    claim_id, _ = draw(store, "Boats stayed in.", "Boats stayed in port")
    work(store, claim_id)
    with pytest.raises(
        InvalidValueError, match=f"Claim {claim_id} has grades, a rationale, an edited chain or evidence"
    ):
        store.apply(RemoveClaim(claim_id), REVIEWER)
    assert claim_id in all_ids(store)


def test_bad_drawings_are_refused_in_words_and_nothing_is_saved(store: Store) -> None:
    before = all_ids(store)
    article_id = store.article_id_of(1) or 0
    anchor = anchor_at(TEXT, 0, 19)
    with pytest.raises(InvalidValueError, match="needs its wording"):
        store.apply(AddClaim(article_id, "   ", "The ferry was late.", anchor), REVIEWER)
    with pytest.raises(InvalidValueError, match="needs the passage"):
        store.apply(AddClaim(article_id, "Late ferry", " ", anchor), REVIEWER)
    with pytest.raises(InvalidValueError, match="at most 2,000 characters"):
        store.apply(AddClaim(article_id, "x" * 2001, "The ferry was late.", anchor), REVIEWER)
    with pytest.raises(InvalidValueError, match="not at characters 5–24 of the article"):
        store.apply(
            AddClaim(article_id, "Late", "The ferry was late.", Anchor("The ferry was late.", "", "", 5, 24)),
            REVIEWER,
        )
    with pytest.raises(CorroborateError, match="Article 99 is not in this file"):
        store.apply(AddClaim(99, "Late", "The ferry was late.", None), REVIEWER)
    assert all_ids(store) == before


def test_a_dataset_claim_is_not_taken_back(store: Store) -> None:
    (loose,) = store.add_claims(None, [NewClaim("Fuel prices rose", "From a row", None)])
    with pytest.raises(InvalidValueError, match="came from a dataset"):
        store.apply(RemoveClaim(loose), REVIEWER)
    assert loose in store.claim_ids(ClaimQuery(REVIEWER))


def test_rewording_a_claim_changes_what_search_finds_and_undo_puts_it_back(store: Store) -> None:
    applied = store.apply(SetClaimText(1, "The ferry left  two hours\nlate"), REVIEWER)
    assert store.claim_detail(1).text == "The ferry left two hours late"
    assert store.claim_detail(1).passage == "The ferry was late."  # the article's words stay
    assert all_ids(store, text="hours") == [1]
    (entry,) = store.claim_history(1).entries
    assert entry.what == "Reworded: “The ferry left two hours late”"
    assert entry.detail == "Before:\nThe ferry was late\n\nAfter:\nThe ferry left two hours late"

    store.apply(applied.inverse, REVIEWER)
    assert store.claim_detail(1).text == "The ferry was late"
    assert all_ids(store, text="hours") == []


def test_rewording_to_the_same_words_logs_nothing_and_empty_wording_is_refused(store: Store) -> None:
    store.apply(SetClaimText(1, " The ferry was  late "), REVIEWER)
    assert store.claim_history(1).entries == ()
    with pytest.raises(InvalidValueError, match="needs its wording"):
        store.apply(SetClaimText(1, " \n "), REVIEWER)
    with pytest.raises(CorroborateError, match="Claim 42 is not in this file"):
        store.apply(SetClaimText(42, "Anything"), REVIEWER)
    assert store.claim_detail(1).text == "The ferry was late"


def test_an_untouched_extracted_claim_is_removed_with_its_chain_and_comes_back_whole(
    sample_copy: Path,
) -> None:
    store = Store.open(sample_copy, reviewer=REVIEWER)
    try:
        before = store.claim_detail(11)
        assert before.chains  # NHK, based on its sources
        cited = ClaimQuery(REVIEWER, text="NHK")
        listed = list(store.claim_ids(cited))
        applied = store.apply(RemoveClaim(11), REVIEWER)
        assert 11 not in store.claim_ids(ClaimQuery(REVIEWER))
        assert 11 not in store.claim_ids(cited)

        store.apply(applied.inverse, REVIEWER)
        after = store.claim_detail(11)
        assert (after.text, after.passage, after.anchor, after.chains) == (
            before.text,
            before.passage,
            before.anchor,
            before.chains,
        )
        assert list(store.claim_ids(cited)) == listed
        assert not store.claim_rows([11], REVIEWER)[11].unattributed
    finally:
        store.close()


def test_a_removed_claim_comes_back_to_its_place_in_a_saved_set(sample_copy: Path) -> None:
    store = Store.open(sample_copy, reviewer=REVIEWER)
    try:
        store.save_set("to check", REVIEWER, claim_ids=[3, 11, 14])
        applied = store.apply(RemoveClaim(11), REVIEWER)
        assert list(store.saved_set_ids("to check")) == [3, 14]
        store.apply(applied.inverse, REVIEWER)
        assert list(store.saved_set_ids("to check")) == [3, 11, 14]
    finally:
        store.close()


def test_a_claim_whose_words_left_its_article_still_comes_back_after_removal(sample_copy: Path) -> None:
    with sqlite3.connect(sample_copy) as conn:  # the article's text tidied after the claims were drawn
        conn.execute("UPDATE articles SET text = 'A shorter text now.'")
    store = Store.open(sample_copy, reviewer=REVIEWER)
    try:
        before = store.claim_detail(11)
        applied = store.apply(RemoveClaim(11), REVIEWER)
        store.apply(applied.inverse, REVIEWER)
        assert store.claim_detail(11) == before
    finally:
        store.close()


def test_undo_puts_back_a_long_or_many_lined_wording_exactly(store: Store, tmp_path: Path) -> None:
    imported = "A dataset's claim\nover two lines, " + "very long " * 300
    with sqlite3.connect(tmp_path / "drawn.db") as conn:
        conn.execute("UPDATE claims SET text = ? WHERE id = 1", [imported])
    applied = store.apply(SetClaimText(1, "Short now"), REVIEWER)
    store.apply(store.apply(applied.inverse, REVIEWER).inverse, REVIEWER)  # undo, redo
    assert store.claim_detail(1).text == "Short now"
    store.apply(applied.inverse, REVIEWER)
    assert store.claim_detail(1).text == imported
    removed = store.apply(RemoveClaim(1), REVIEWER)
    store.apply(removed.inverse, REVIEWER)
    assert store.claim_detail(1).text == imported
