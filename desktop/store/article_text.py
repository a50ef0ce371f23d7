"""An article's full text with its claims placed in it, for reading a claim in its context. Read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.errors import CorroborateError
from desktop.core.model import Article
from desktop.store.base import StoreBase

if TYPE_CHECKING:
    from desktop.core.passages import ArticleText


class ArticleTextMixin(StoreBase):
    """The article a claim was drawn from, and where each of its claims sits in it."""

    def article_id_of(self, claim_id: int) -> int | None:
        """The article claim `claim_id` was drawn from; None for a claim from a dataset or typed in."""
        row = self._db.execute("SELECT article_id FROM claims WHERE id = ?", [claim_id]).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")
        return int(row[0]) if row[0] is not None else None

    def article_text(self, article_id: int) -> ArticleText:
        """Article `article_id` and its claims' passages in it (found through the claims' article index)."""
        # Imported when an article is first read: opening the window needs none of it.
        from desktop.core.passages import ArticleText, ClaimPlace, placed

        row = self._db.execute(
            "SELECT id, title, text, outlet, author, url, published FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Article {article_id} is not in this file.")
        article = Article(row[1], row[2], row[3], row[4], row[5], row[6], row[0])
        places = [
            ClaimPlace(*place)
            for place in self._db.execute(
                "SELECT id, passage, anchor_exact, anchor_start, anchor_end FROM claims "
                "WHERE article_id = ? ORDER BY id",
                [article_id],
            )
        ]
        passages, not_placed = placed(article.text, places)
        return ArticleText(article, tuple(passages), tuple(not_placed))

    def same_articles(self, title: str, text: str) -> list[tuple[int, int]]:
        """(id, number of claims) of each article here with this very title and text: importing the
        article again would add it, and its claims, a second time."""
        return [
            (int(row[0]), int(row[1]))
            for row in self._db.execute(
                "SELECT a.id, (SELECT count(*) FROM claims c WHERE c.article_id = a.id) FROM articles a "
                "WHERE a.title = ? AND a.text = ? ORDER BY a.id",
                [title, text],
            )
        ]
