"""Where an article's claims sit in its text, for reading the article with its claims marked.

Each claim keeps the exact words it was drawn from and their offsets in the article (its anchor).
The offsets are trusted only when the text there is still those words; otherwise the words are
looked for (a file whose article text was tidied after the claims were drawn), and then the
claim's passage; a claim found nowhere is listed as not placed rather than marked in the wrong
place. The placed passages then cut the text into stretches, each with the claims that cover it
(passages may overlap: two claims drawn from one sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from desktop.core.model import Anchor, Article

# Text no claim covers is offered as a possible missed claim from this many letters and digits on:
# shorter leftovers are punctuation, a byline, a stray word.
UNCOVERED_LETTERS = 12
# Characters of the article kept either side of a claim's words in its anchor, to find them again.
CONTEXT_CHARS = 40


@dataclass(frozen=True)
class ClaimPlace:
    """What a claim says of its place in the article, as stored."""

    claim_id: int
    passage: str
    exact: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Passage:
    """A claim's words in the article: text[start:end] (Python string offsets)."""

    claim_id: int
    start: int
    end: int


@dataclass(frozen=True)
class Stretch:
    """A piece of the article's text and the claims whose passages cover it (none: no claim)."""

    start: int
    end: int
    claim_ids: tuple[int, ...]


@dataclass(frozen=True)
class ArticleText:
    """An article with its claims placed in it."""

    article: Article
    passages: tuple[Passage, ...]
    not_placed: tuple[int, ...]  # claims of this article whose words are not in its text

    def stretches(self) -> list[Stretch]:
        return stretches(len(self.article.text), self.passages)

    def uncovered(self) -> list[tuple[int, int]]:
        """Stretches of text no claim covers, spaces trimmed, that hold a few words at least: where
        the extraction may have missed a claim (headings and credits among them)."""
        text = self.article.text
        found = []
        for stretch in self.stretches():
            if stretch.claim_ids:
                continue
            start, end = stretch.start, stretch.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if sum(character.isalnum() for character in text[start:end]) >= UNCOVERED_LETTERS:
                found.append((start, end))
        return found

    def passage_of(self, claim_id: int) -> Passage | None:
        return next((p for p in self.passages if p.claim_id == claim_id), None)


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """An anchor for text[start:end] with a little context either side."""
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def placed(text: str, places: Iterable[ClaimPlace]) -> tuple[list[Passage], list[int]]:
    """(the passages found in `text`, by claim, in text order; the ids of claims found nowhere)."""
    found: list[Passage] = []
    missing: list[int] = []
    for place in places:
        span = _span(text, place)
        if span is None:
            missing.append(place.claim_id)
        else:
            found.append(Passage(place.claim_id, *span))
    found.sort(key=lambda passage: (passage.start, passage.end, passage.claim_id))
    return found, missing


def _span(text: str, place: ClaimPlace) -> tuple[int, int] | None:
    exact = place.exact
    if exact and place.start is not None and place.end is not None and text[place.start : place.end] == exact:
        return place.start, place.end
    for words in (exact, place.passage):
        if words:
            at = text.find(words)
            if at >= 0:
                return at, at + len(words)
    return None


def stretches(length: int, passages: Sequence[Passage]) -> list[Stretch]:
    """The text [0, length) cut where any passage starts or ends, each piece with its claims.

    One sweep over the cuts with the passages open at each, so an article of a thousand claims is
    cut in milliseconds.
    """
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for passage in passages:
        if 0 <= passage.start < passage.end <= length:
            starting.setdefault(passage.start, []).append(passage.claim_id)
            ending.setdefault(passage.end, []).append(passage.claim_id)
    cuts = sorted({0, length, *starting, *ending})
    open_claims: dict[int, int] = {}  # claim id -> how many of its passages are open (one, normally)
    pieces: list[Stretch] = []
    for start, end in pairwise(cuts):
        for claim_id in ending.get(start, ()):
            open_claims[claim_id] -= 1
            if not open_claims[claim_id]:
                del open_claims[claim_id]
        for claim_id in starting.get(start, ()):
            open_claims[claim_id] = open_claims.get(claim_id, 0) + 1
        pieces.append(Stretch(start, end, tuple(sorted(open_claims))))
    return pieces
