"""Placing an article's claims in its text: offsets trusted only when the words are still there, the
words looked for otherwise, overlaps cut into stretches that name every claim covering them."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from factories import new_store
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.errors import CorroborateError
from desktop.core.model import Anchor, Article, NewClaim
from desktop.core.passages import ArticleText, ClaimPlace, Passage, Stretch, placed, stretches

TEXT = "The ferry was late. The harbour master blamed fog. Fishermen said the engine failed."


def test_offsets_are_used_when_the_words_are_there_and_the_words_found_when_not() -> None:
    at = TEXT.index("The harbour")
    places = [
        ClaimPlace(1, "The ferry was late.", "The ferry was late.", 0, 19),
        ClaimPlace(2, "blamed fog", "The harbour master blamed fog.", at, at + 30),
        ClaimPlace(3, "Fishermen said the engine failed.", "Fishermen said", 0, 14),  # stale offsets
        ClaimPlace(4, "Fishermen said the engine failed.", None, None, None),  # no anchor: its passage
        ClaimPlace(5, "A gull stole a sandwich.", "A gull", 3, 9),  # nowhere in the text
    ]
    found, missing = placed(TEXT, places)
    fishermen = TEXT.index("Fishermen")
    assert found == [
        Passage(1, 0, 19),
        Passage(2, at, at + 30),
        Passage(3, fishermen, fishermen + 14),
        Passage(4, fishermen, len(TEXT)),
    ]
    assert missing == [5]


def test_overlapping_passages_cut_the_text_into_stretches_with_every_claim_covering_each() -> None:
    pieces = stretches(20, [Passage(1, 2, 10), Passage(2, 5, 15), Passage(3, 15, 18)])
    assert pieces == [
        Stretch(0, 2, ()),
        Stretch(2, 5, (1,)),
        Stretch(5, 10, (1, 2)),
        Stretch(10, 15, (2,)),
        Stretch(15, 18, (3,)),
        Stretch(18, 20, ()),
    ]
    assert stretches(0, []) == []
    assert stretches(5, [Passage(1, 3, 9)]) == [Stretch(0, 5, ())]  # past the end: not marked


@given(
    st.integers(min_value=1, max_value=200),
    st.lists(st.tuples(st.integers(0, 220), st.integers(0, 220)), max_size=30),
)
def test_stretches_cover_the_text_once_and_agree_with_the_passages(
    length: int, spans: list[tuple[int, int]]
) -> None:
    passages = [Passage(i, min(a, b), max(a, b)) for i, (a, b) in enumerate(spans, start=1)]
    pieces = stretches(length, passages)
    assert [p.start for p in pieces][:1] == [0] and pieces[-1].end == length
    assert all(a.end == b.start for a, b in pairwise(pieces))
    for piece in pieces:
        expected = tuple(
            p.claim_id
            for p in passages
            if p.start <= piece.start and piece.end <= p.end and p.start < p.end <= length
        )
        assert piece.claim_ids == expected


def test_the_store_gives_an_article_with_its_claims_placed(tmp_path: Path) -> None:
    store = new_store(tmp_path / "article.db")
    article_id = store.add_article(Article("Fog at the harbour", TEXT, outlet="Harbour Gazette"))
    late = Anchor("The ferry was late.", "", " The", 0, 19)
    ids = store.add_claims(
        article_id,
        [NewClaim("The ferry ran late", "The ferry was late.", late), NewClaim("Gulls", "Not in it.", None)],
    )
    (loose,) = store.add_claims(None, [NewClaim("A dataset claim", "From a spreadsheet", None)])

    shown = store.article_text(article_id)

    assert store.article_id_of(ids[0]) == article_id and store.article_id_of(loose) is None
    assert shown.article.title == "Fog at the harbour" and shown.article.outlet == "Harbour Gazette"
    assert shown.passages == (Passage(ids[0], 0, 19),)
    assert shown.not_placed == (ids[1],)
    assert shown.passage_of(ids[0]) == Passage(ids[0], 0, 19) and shown.passage_of(ids[1]) is None
    with pytest.raises(CorroborateError, match="Article 99 is not in this file"):
        store.article_text(99)
    with pytest.raises(CorroborateError, match="Claim 99 is not in this file"):
        store.article_id_of(99)


def test_uncovered_text_is_trimmed_and_leaves_out_mere_leftovers() -> None:
    text = "Headline about the harbour\n\nThe ferry was late. By A. N. Other\n\nFog closed the port."
    late, fog = text.index("The ferry was late."), text.index("Fog closed the port.")
    shown = ArticleText(
        Article("t", text),
        (Passage(1, late, late + len("The ferry was late.")), Passage(2, fog, len(text))),
        (),
    )
    assert [text[start:end] for start, end in shown.uncovered()] == ["Headline about the harbour"]
    # "By A. N. Other" has fewer than twelve letters: a byline, not a missed claim.
