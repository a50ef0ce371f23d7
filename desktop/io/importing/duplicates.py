"""Near-duplicate claims: an incoming claim that reads almost like one in the file or earlier in the import.

They are reported for the person to decide on, never merged. Texts are compared after folding
case, punctuation and spacing, with rapidfuzz's normalised Levenshtein ratio: word order counts,
since "A accused B" and "B accused A" are different claims.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from desktop.core.imports import ImportCancelled, ImportedClaim

THRESHOLD = 90  # percent; below this, rewordings of different claims start to show up
_CHUNK = 200  # claims between two looks at Cancel
# Pairs compared one by one before switching to comparing only claims that share a rare word.
FULL_COMPARISON_LIMIT = 5_000_000


@dataclass(frozen=True)
class NearDuplicate:
    """Incoming claim `index` (its position and text) and the claim it resembles, with the score."""

    index: int
    position: str
    text: str
    score: int
    other_text: str
    other_claim_id: int | None = None  # a claim already in the file
    other_position: str | None = None  # or an earlier record of the same import

    def describe(self) -> str:
        other = f"claim {self.other_claim_id} in the file" if self.other_claim_id else self.other_position
        return f"{self.position} ≈ {other} ({self.score}%)"


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def find_near_duplicates(
    claims: Sequence[ImportedClaim],
    existing: Iterable[list[tuple[int, str]]],
    *,
    threshold: int = THRESHOLD,
    cancelled: Callable[[], bool] | None = None,
    full_limit: int = FULL_COMPARISON_LIMIT,
) -> list[NearDuplicate]:
    """Each incoming claim that resembles an existing or an earlier incoming one, with its best match.

    Up to `full_limit` pairs, every pair is compared. Beyond that (large imports or files), only
    claims sharing one of their three rarest words are: a near-duplicate differs in a few
    characters, so it keeps most of its words, and the quadratic cost would otherwise stall the import.
    """
    incoming = [normalised(claim.text) for claim in claims]
    best: dict[int, NearDuplicate] = {}

    def check(index: int) -> None:
        if index % _CHUNK == 0 and cancelled is not None and cancelled():
            raise ImportCancelled("Import cancelled; nothing was added.")

    def offer(index: int, score: float, other_text: str, claim_id: int | None, other: str | None) -> None:
        if index in best and best[index].score >= round(score):
            return
        claim = claims[index]
        best[index] = NearDuplicate(
            index, claim.position, claim.text, round(score), other_text, claim_id, other
        )

    for batch in existing:
        texts = [text for _, text in batch]
        choices = [normalised(text) for text in texts]
        for index, column, score in _matches(
            incoming, choices, threshold, full=len(incoming) * len(choices) <= full_limit, check=check
        ):
            offer(index, score, texts[column], batch[column][0], None)
    full = len(incoming) * len(incoming) // 2 <= full_limit
    for index, other, score in _matches(
        incoming, incoming, threshold, full=full, check=check, earlier_only=True
    ):
        offer(index, score, claims[other].text, None, claims[other].position)
    return [best[index] for index in sorted(best)]


def _matches(
    queries: Sequence[str],
    choices: Sequence[str],
    threshold: int,
    *,
    full: bool,
    check: Callable[[int], None],
    earlier_only: bool = False,
) -> Iterator[tuple[int, int, float]]:
    """(query index, choice index, score) of each query's best choice at or above the threshold."""
    if full:
        for index, query in enumerate(queries):
            check(index)
            pool = choices[:index] if earlier_only else choices
            if not pool:
                continue
            found = process.extractOne(query, pool, scorer=fuzz.ratio, score_cutoff=threshold)
            if found is not None:
                yield index, found[2], found[1]
        return
    frequency = Counter(word for text in (*queries, *choices) for word in set(text.split()))
    by_word: dict[str, list[int]] = {}
    for column, text in enumerate(choices):
        for word in _rare_words(text, frequency):
            by_word.setdefault(word, []).append(column)
    for index, query in enumerate(queries):
        check(index)
        candidates = {c for word in _rare_words(query, frequency) for c in by_word.get(word, ())}
        top: tuple[int, float] | None = None
        for column in candidates:
            if earlier_only and column >= index:
                continue
            score = fuzz.ratio(query, choices[column], score_cutoff=threshold)
            if score and (top is None or score > top[1]):
                top = (column, score)
        if top is not None:
            yield index, top[0], top[1]


def _rare_words(text: str, frequency: Counter[str], count: int = 3) -> list[str]:
    words = set(text.split()) or {text}
    return sorted(words, key=lambda word: (frequency[word], -len(word), word))[:count]
