"""schema.org ClaimReview: required properties, the grade mapping, and a real JSON-LD check against schema.org.

The JSON-LD check expands the export with pyld using schema.org's own context, read from the
schema.org data folder beside the repository (never the network), and checks every property
against the vocabulary slice kept there. Without that folder those tests are skipped, saying why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_data import PUBLISHER, REVIEWS, reviewed_sample

from desktop.core.grades import CREDIBILITY_LABELS
from desktop.io.export import ExportOptions, export
from desktop.io.export.claimreview import review_url
from desktop.io.export.records import rating_for
from desktop.store import Store

SCHEMAORG = Path(
    os.environ.get(
        "CORROBORATE_SCHEMAORG_DIR", Path(__file__).resolve().parents[3] / "shared" / "data" / "schemaorg"
    )
)
CONTEXT_FILE = SCHEMAORG / "schemaorgcontext.jsonld"
VOCABULARY_FILE = SCHEMAORG / "schemaorg_claimreview_slice.json"
needs_schemaorg = pytest.mark.skipif(
    not (CONTEXT_FILE.exists() and VOCABULARY_FILE.exists()),
    reason=f"schema.org context and vocabulary not found in {SCHEMAORG} (set CORROBORATE_SCHEMAORG_DIR)",
)
SCHEMA = "http://schema.org/"


@pytest.fixture
def reviews(sample_copy: Path, tmp_path: Path) -> list[dict[str, Any]]:
    reviewed_sample(sample_copy)
    target = tmp_path / "reviews.jsonld"
    store = Store.open(sample_copy, read_only=True)
    try:
        result = export(store, list(range(1, 16)), "claimreview", target, PUBLISHER)
    finally:
        store.close()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert result.items == len(data)
    return data


def test_one_claimreview_per_finished_review_with_a_credibility(reviews: list[dict[str, Any]]) -> None:
    # Claims 1-5 are reviewed or disputed with a credibility; 6 is in progress, 7 has no credibility.
    assert [review["url"] for review in reviews] == [
        f"https://factcheck.example.org/reviews/{n}" for n in (1, 2, 3, 4, 5)
    ]


def test_required_and_recommended_properties(reviews: list[dict[str, Any]], sample_copy: Path) -> None:
    store = Store.open(sample_copy, read_only=True)
    try:
        for review in reviews:
            claim_id = int(review["url"].rsplit("/", 1)[1])
            detail = store.claim_detail(claim_id)
            ana = detail.review_by("ana")
            assert ana is not None
            assert review["@context"] == "https://schema.org"
            assert review["@type"] == "ClaimReview"
            assert review["claimReviewed"] == detail.text
            assert review["url"].startswith("https://")
            assert review["datePublished"] == ana.updated_at[:10]
            assert review["author"] == {
                "@type": "Organization",
                "name": "Lantern Fact Desk",
                "url": "https://factcheck.example.org/reviews/",
            }
            rating = review["reviewRating"]
            assert rating["@type"] == "Rating"
            assert rating["alternateName"] == CREDIBILITY_LABELS[ana.credibility or 0]
            assert rating["ratingExplanation"] == REVIEWS[claim_id]["ana"][3]
            claim = review["itemReviewed"]
            assert claim["@type"] == "Claim"
            assert claim["appearance"] == {
                "@type": "CreativeWork",
                "headline": detail.article_title,
                "author": {"@type": "Person", "name": "Mateusz Tomczak"},
            }
    finally:
        store.close()


def test_claim_author_is_the_chains_origin(reviews: list[dict[str, Any]]) -> None:
    authors = {int(r["url"].rsplit("/", 1)[1]): r["itemReviewed"].get("author") for r in reviews}
    nis = {"@type": "Organization", "name": "National Intelligence Service (NIS)"}
    assert authors[1] == nis
    assert authors[2] == nis  # cited Yonhap, whose chain is marked as going back to the NIS
    assert authors[3] == {"@type": "Organization", "name": "X account @polymarketintel"}
    assert authors[4] == {"@type": "Person", "name": "Mateusz Tomczak"}  # unattributed: the article's author


def test_grade_mapping() -> None:
    assert [(r.value, r.best, r.worst) for r in map(rating_for, range(1, 6)) if r] == [
        (5, 5, 1),
        (4, 5, 1),
        (3, 5, 1),
        (2, 5, 1),
        (1, 5, 1),
    ]
    for credibility in range(1, 7):
        rating = rating_for(credibility)
        assert rating is not None and rating.alternate_name == CREDIBILITY_LABELS[credibility]
    cannot_judge = rating_for(6)
    assert cannot_judge is not None and cannot_judge.value is None and cannot_judge.best is None
    assert rating_for(None) is None


def test_rating_values_in_the_file(reviews: list[dict[str, Any]]) -> None:
    ratings = {int(r["url"].rsplit("/", 1)[1]): r["reviewRating"] for r in reviews}
    assert (ratings[1]["ratingValue"], ratings[1]["bestRating"], ratings[1]["worstRating"]) == (4, 5, 1)
    assert ratings[5]["ratingValue"] == 5  # credibility 1: confirmed
    assert "ratingValue" not in ratings[4] and "bestRating" not in ratings[4]  # 6: cannot be judged
    assert ratings[4]["alternateName"] == "Truth cannot be judged"


def test_review_url_joins_the_base_and_the_claim_id() -> None:
    assert review_url("https://x.example/checks", 7) == "https://x.example/checks/7"
    assert review_url("https://x.example/checks/", 7) == "https://x.example/checks/7"
    assert review_url("https://x.example/check?id=", 7) == "https://x.example/check?id=7"


def test_a_chosen_reviewer_is_the_one_published(sample_copy: Path, tmp_path: Path) -> None:
    reviewed_sample(sample_copy)
    store = Store.open(sample_copy, read_only=True)
    target = tmp_path / "lee.jsonld"
    try:
        options = ExportOptions(
            reviewer="lee", publisher_name=PUBLISHER.publisher_name, publisher_url=PUBLISHER.publisher_url
        )
        export(store, [1], "claimreview", target, options)
    finally:
        store.close()
    # lee's review of claim 1 is still in progress: nothing finished to publish.
    assert json.loads(target.read_text(encoding="utf-8")) == []


# ---- the JSON-LD check against schema.org ------------------------------------------------------


@pytest.fixture
def expanded(reviews: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is needed to expand JSON-LD")
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    asked: list[str] = []

    def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        asked.append(url)
        if url.rstrip("/") not in (
            "https://schema.org",
            "http://schema.org",
            "https://schema.org/docs/jsonldcontext.jsonld",
        ):
            raise AssertionError(f"the check must not fetch {url}")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    yield jsonld.expand(reviews, {"documentLoader": offline_loader})
    assert asked, "the context was never loaded, so the expansion proved nothing"


def _vocabulary() -> dict[str, Any]:
    return json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        # Typed literals ({"@value": ..., "@type": Date}) are values, not nodes.
        if "@type" in value and "@value" not in value:
            yield value
        for key, inner in value.items():
            if not key.startswith("@"):
                yield from _nodes(inner)


def _compact_property_count(value: Any) -> int:
    if isinstance(value, list):
        return sum(_compact_property_count(item) for item in value)
    if isinstance(value, dict):
        return sum(1 + _compact_property_count(v) for k, v in value.items() if not k.startswith("@"))
    return 0


@needs_schemaorg
def test_every_property_is_one_schemaorg_accepts_for_its_type(
    expanded: list[dict[str, Any]], reviews: list[dict[str, Any]]
) -> None:
    types = _vocabulary()["types"]
    nodes = list(_nodes(expanded))
    seen_types = set()
    checked = 0
    for node in nodes:
        (type_iri,) = node["@type"]
        assert type_iri.startswith(SCHEMA), type_iri
        type_name = type_iri.removeprefix(SCHEMA)
        seen_types.add(type_name)
        accepted = types[type_name]["accepted_properties"]
        for key in node:
            if key.startswith("@"):
                continue
            assert key.startswith(SCHEMA), f"{key} is not a schema.org term"
            name = key.removeprefix(SCHEMA)
            assert name in accepted, f"schema.org does not accept {name!r} on {type_name}"
            checked += 1
    assert seen_types == {"ClaimReview", "Claim", "Rating", "Organization", "Person", "CreativeWork"}
    # Nothing was dropped by the expansion: every property written was recognised.
    assert checked == _compact_property_count(reviews)


@needs_schemaorg
def test_required_properties_survive_expansion(expanded: list[dict[str, Any]]) -> None:
    assert len(expanded) == 5
    for review in expanded:
        assert review["@type"] == [SCHEMA + "ClaimReview"]
        for name in ("claimReviewed", "reviewRating", "url", "author", "itemReviewed", "datePublished"):
            assert SCHEMA + name in review, name
        (url,) = review[SCHEMA + "url"]
        assert url["@id"].startswith("https://factcheck.example.org/reviews/")  # an IRI, not a string
        (rating,) = review[SCHEMA + "reviewRating"]
        assert SCHEMA + "alternateName" in rating
        (claim,) = review[SCHEMA + "itemReviewed"]
        assert claim["@type"] == [SCHEMA + "Claim"]
        assert SCHEMA + "appearance" in claim
