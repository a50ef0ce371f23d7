"""The two Admiralty (NATO STANAG 2511) axes and the review status vocabulary.

Reliability belongs to the source, credibility to the piece of information;
they are judged separately and written as a pair such as "B2".
"""

from __future__ import annotations

from enum import Enum

RELIABILITY_LABELS: dict[str, str] = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}

CREDIBILITY_LABELS: dict[int, str] = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}


class Status(str, Enum):
    """Where a reviewer stands with one claim."""

    UNREVIEWED = "unreviewed"
    IN_PROGRESS = "in_progress"
    REVIEWED = "reviewed"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_finished(self) -> bool:
        """Reviewed and disputed are both conclusions; the others still need work."""
        return self in (Status.REVIEWED, Status.DISPUTED)


def parse_reliability(value: object) -> str | None:
    """Return a valid reliability letter (upper case) or None for 'not graded'."""
    if value is None or value == "":
        return None
    letter = str(value).strip().upper()
    if letter not in RELIABILITY_LABELS:
        raise ValueError(f"reliability must be one of A–F, not {value!r}")
    return letter


def parse_credibility(value: object) -> int | None:
    """Return a valid credibility number or None for 'not graded'."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"credibility must be a number 1–6, not {value!r}") from None
    if number not in CREDIBILITY_LABELS:
        raise ValueError(f"credibility must be a number 1–6, not {value!r}")
    return number


def grade_pair(reliability: str | None, credibility: int | None) -> str:
    """The conventional written form, '?' standing for an axis not yet graded."""
    return f"{reliability or '?'}{credibility or '?'}"
