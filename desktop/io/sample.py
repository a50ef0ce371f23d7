"""Builds sample.db from the hand-written description in resources/sample/.

The description (claims.json) holds our neutral wording of every claim, the
verbatim passage it comes from and its attribution chains; anchors are computed
here from the article text so offsets can never drift from the stored text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.core.errors import SampleDataError
from desktop.core.model import Anchor, Article, Hop, NewClaim, Source
from desktop.core.passages import anchor_at
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SAMPLE_DESCRIPTION = RESOURCES / "sample" / "claims.json"


def anchor_in(text: str, passage: str) -> Anchor:
    """Locate a passage that occurs exactly once in `text` and describe it as an anchor."""
    count = text.count(passage)
    if count != 1:
        raise SampleDataError(
            f"The passage must occur exactly once in the article, found {count}: {passage[:60]!r}"
        )
    start = text.index(passage)
    return anchor_at(text, start, start + len(passage))


def load_description(description: Path) -> tuple[Article, list[NewClaim]]:
    raw: dict[str, Any] = json.loads(description.read_text(encoding="utf-8"))
    meta = raw["article"]
    text = (description.parent / meta["text_file"]).read_text(encoding="utf-8")
    article = Article(
        title=meta["title"],
        text=text,
        outlet=meta.get("outlet"),
        author=meta.get("author"),
        url=meta.get("url"),
        published=meta.get("published"),
    )
    sources = {
        entry["key"]: Source(entry["name"], SourceKind(entry["kind"]), entry.get("url"), entry.get("notes"))
        for entry in raw["sources"]
    }
    claims = []
    for number, entry in enumerate(raw["claims"], start=1):
        try:
            chains = tuple(
                tuple(
                    Hop(sources[hop["source"]], Relation(hop["relation"]), bool(hop.get("origin", False)))
                    for hop in chain
                )
                for chain in entry["chains"]
            )
        except (KeyError, ValueError) as error:
            raise SampleDataError(
                f"{description}: claim {number} has an unknown source or relation: {error}"
            ) from error
        claims.append(NewClaim(entry["text"], entry["passage"], anchor_in(text, entry["passage"]), chains))
    return article, claims


def build_sample(target: Path, description: Path = SAMPLE_DESCRIPTION) -> Store:
    """Write a fresh, unreviewed sample file at `target` (which must not exist yet)."""
    if target.exists():
        raise SampleDataError(f"{target} already exists; remove it first or choose another path.")
    article, claims = load_description(description)
    store = Store.open(target, create=True)
    article_id = store.add_article(article)
    store.add_claims(article_id, claims)
    return store
