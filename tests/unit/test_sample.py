"""The committed sample.db is what the builder produces, and what it holds matches the article."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from desktop.core.errors import SampleDataError
from desktop.core.model import ClaimDetail, ClaimQuery
from desktop.core.vocabulary import Relation, SourceKind
from desktop.io.sample import SAMPLE_DESCRIPTION, build_sample
from desktop.store import Store

ARTICLE_TEXT = (SAMPLE_DESCRIPTION.parent / "article.txt").read_text(encoding="utf-8")


@pytest.fixture
def sample(sample_copy: Path) -> Iterator[Store]:
    store = Store.open(sample_copy)
    yield store
    store.close()


@pytest.fixture
def details(sample: Store) -> list[ClaimDetail]:
    return [sample.claim_detail(claim_id) for claim_id in sample.claim_ids(ClaimQuery("anyone"))]


def _stored_article_text(path: Path) -> str:
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
    try:
        rows = conn.execute("SELECT text FROM articles").fetchall()
    finally:
        conn.close()
    assert len(rows) == 1
    return str(rows[0][0])


def test_committed_sample_equals_a_fresh_build(
    tmp_path: Path, sample_copy: Path, dump_content: Callable
) -> None:
    built = tmp_path / "built.db"
    build_sample(built).close()
    committed = dump_content(sample_copy)
    assert committed["claims"], "the dump must hold the claims, or the comparison proves nothing"
    assert dump_content(built) == committed, (
        "sample.db differs from a fresh build: rebuild it with `python -m desktop build-sample -o sample.db` "
        "(after removing the old one) and commit it with the change that caused the difference"
    )


def test_builder_refuses_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "taken.db"
    target.write_bytes(b"someone else's work")
    with pytest.raises(SampleDataError, match=r"taken\.db"):
        build_sample(target)
    assert target.read_bytes() == b"someone else's work"


def test_sample_counts(sample: Store) -> None:
    stats = sample.stats()
    assert (stats["articles"], stats["claims"], stats["unattributed_claims"]) == (1, 15, 6)
    assert stats["reviewed_claims"] == 0
    assert stats["reviewers"] == {}


def test_nobody_has_reviewed_the_sample(sample: Store, details: list[ClaimDetail]) -> None:
    assert sample.changes() == []
    assert all(detail.reviews == () for detail in details)


def test_unattributed_claims_cite_nobody(details: list[ClaimDetail]) -> None:
    assert sum(detail.unattributed for detail in details) == 6
    assert all(detail.chains == () for detail in details if detail.unattributed)


def test_every_anchor_slices_the_article_to_its_passage(
    sample_copy: Path, details: list[ClaimDetail]
) -> None:
    text = _stored_article_text(sample_copy)
    assert text == ARTICLE_TEXT
    for detail in details:
        anchor = detail.anchor
        assert anchor is not None, f"claim {detail.id} has no anchor"
        assert text[anchor.start : anchor.end] == anchor.exact == detail.passage, f"claim {detail.id}"
        assert text[: anchor.start].endswith(anchor.prefix), f"claim {detail.id}"
        assert text[anchor.end :].startswith(anchor.suffix), f"claim {detail.id}"
        assert anchor.prefix or anchor.start == 0
        assert anchor.suffix or anchor.end == len(text)


def _shape(detail: ClaimDetail) -> list[list[tuple[str, SourceKind, Relation]]]:
    return [[(hop.source.name, hop.source.kind, hop.relation) for hop in chain] for chain in detail.chains]


def test_claim_citing_yonhap_is_traced_to_the_nis(sample: Store, details: list[ClaimDetail]) -> None:
    traced = [
        d
        for d in details
        if any(
            len(chain) == 2
            and chain[0].source.name == "Yonhap"
            and chain[0].source.kind is SourceKind.NEWS_AGENCY
            and chain[0].relation is Relation.REPORTS
            and chain[1].source.kind is SourceKind.INTELLIGENCE_AGENCY
            and "NIS" in chain[1].source.name
            for chain in d.chains
        )
    ]
    assert len(traced) == 1
    assert "Yonhap" in traced[0].passage
    assert traced[0].id in sample.claim_ids(ClaimQuery("anyone", text="Yonhap NIS"))


def test_both_nhk_claims_are_traced_to_its_unnamed_sources(details: list[ClaimDetail]) -> None:
    nhk = [d for d in details if d.chains and d.chains[0][0].source.name == "NHK"]
    assert len(nhk) == 2
    relations = set()
    for detail in nhk:
        assert len(detail.chains) == 1
        chain = detail.chains[0]
        assert chain[0].source.kind is SourceKind.OUTLET
        assert chain[-1].source.kind is SourceKind.UNNAMED
        relations.add(chain[0].relation)
    # "based on its sources" and, later, "according to the broadcaster".
    assert relations == {Relation.BASED_ON_UNNAMED_SOURCES, Relation.ACCORDING_TO}
    assert nhk[0].chains[0][-1].source.id == nhk[1].chains[0][-1].source.id


def test_photo_is_credited_to_a_social_media_account(details: list[ClaimDetail]) -> None:
    credited = [
        d
        for d in details
        if any(hop.relation is Relation.IMAGE_CREDIT for chain in d.chains for hop in chain)
    ]
    assert len(credited) == 1
    assert _shape(credited[0]) == [
        [("X account @polymarketintel", SourceKind.SOCIAL_MEDIA, Relation.IMAGE_CREDIT)]
    ]
    assert "@polymarketintel" in credited[0].passage


def test_losses_claim_has_a_commanders_chain_and_a_prisoners_chain(details: list[ClaimDetail]) -> None:
    both = [d for d in details if len(d.chains) == 2]
    assert len(both) == 1
    claim = both[0]
    assert sorted(chain[0].source.kind.value for chain in claim.chains) == [
        SourceKind.PARTY_TO_CONFLICT.value,
        SourceKind.PRISONER.value,
    ]
    assert "commanders" in claim.passage and "prisoners" in claim.passage
