"""Near-duplicate claims: an incoming claim that reads almost like one in the file or earlier in the import.

They are reported for the person to decide on, never merged. Texts are compared after folding
case, punctuation and spacing, with rapidfuzz's normalised Levenshtein ratio: word order counts,
since "A accused B" and "B accused A" are different claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from desktop.core.imports import ImportCancelled, ImportedClaim

THRESHOLD = 90  # percent; below this, rewordings of different claims start to show up
_CHUNK = 200  # claims between two looks at Cancel


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
) -> list[NearDuplicate]:
    """Each incoming claim that resembles an existing or an earlier incoming one, with its best match."""
    incoming = [normalised(claim.text) for claim in claims]
    best: dict[int, NearDuplicate] = {}

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled("Import cancelled; nothing was added.")

    for batch in existing:
        ids = [claim_id for claim_id, _ in batch]
        texts = [text for _, text in batch]
        choices = [normalised(text) for text in texts]
        for index, query in enumerate(incoming):
            if index % _CHUNK == 0:
                check()
            found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=threshold)
            if found is not None and (index not in best or found[1] > best[index].score):
                claim, column = claims[index], found[2]
                best[index] = NearDuplicate(
                    index,
                    claim.position,
                    claim.text,
                    round(found[1]),
                    texts[column],
                    other_claim_id=ids[column],
                )
    # Within the import: each claim against the ones before it.
    for index, query in enumerate(incoming):
        if index % _CHUNK == 0:
            check()
        if index == 0:
            continue
        found = process.extractOne(query, incoming[:index], scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None or (index in best and best[index].score >= found[1]):
            continue
        claim, other = claims[index], claims[found[2]]
        best[index] = NearDuplicate(
            index, claim.position, claim.text, round(found[1]), other.text, other_position=other.position
        )
    return [best[index] for index in sorted(best)]
