"""Articles in: read a .txt, .md or .html article, propose its claims with their sources, save the accepted.

    article = read_article(path)            # visible text only, normalised; offsets refer to it
    proposals = propose(article)            # rule-based; every proposal says what it guessed
    ids = save_proposals(store, article, accepted)   # one transaction: all or nothing

Nothing here imports Qt; the window's proposal dialog and the `import` command both call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.core.model import Article, NewClaim
from desktop.core.passages import anchor_at
from desktop.io.extract.rules import Proposal, propose
from desktop.io.extract.text import ArticleReadError, article_from_text
from desktop.io.extract.text import read_article as _read_article
from desktop.store import Store
from desktop.store.snapshot import SnapshotWriter

__all__ = [
    "ArticleReadError",
    "Proposal",
    "anchor_at",
    "article_from_text",
    "propose",
    "read_article",
    "save_proposals",
]


def read_article(path: Path, encoding: str | None = None) -> Article:
    """Read a .txt, .md or .html article: visible text only, normalised; the title is guessed."""
    return _read_article(path, encoding)


def save_proposals(store: Store, article: Article, proposals: Sequence[Proposal]) -> list[int]:
    """Store the article and the given (accepted) proposals as claims; returns the new claim ids.

    One transaction: either the article and every claim, chain and anchor are written, or the
    file is left exactly as it was. Each anchor must point at its passage in `article.text`.
    """
    claims: list[NewClaim] = []
    for number, proposal in enumerate(proposals, start=1):
        anchor = proposal.anchor
        if article.text[anchor.start : anchor.end] != anchor.exact:
            raise CorroborateError(
                f"Proposal {number} ({proposal.text[:50]!r}) no longer points at its passage in the "
                "article; nothing was saved."
            )
        if not proposal.text.strip():
            raise CorroborateError(f"Proposal {number} has no wording; nothing was saved.")
        claims.append(NewClaim(" ".join(proposal.text.split()), proposal.passage, anchor, proposal.chains))
    # The writer's transaction groups the article and its claims: one commit, or one rollback.
    with SnapshotWriter(store, keep_ids=False).transaction():
        article_id = store.add_article(article)
        return store.add_claims(article_id, claims)
