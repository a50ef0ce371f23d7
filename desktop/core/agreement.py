"""How far reviewers agree on the grades they gave the same claims.

When a desk grades a set twice (a colleague's copy merged back, or two reviewers in one file), the
grades are only worth publishing if the reviewers mostly agree, and the claims they disagree on most
are the ones to talk over. For each axis this gives Krippendorff's alpha over every reviewer (missing
grades allowed), and for each pair of reviewers the claims both graded, how many they graded alike,
the pair's own alpha and the claims two or more steps apart.

Both axes are ordinal: credibility 1 (confirmed) to 5 (improbable), reliability A to E. Credibility 6
("truth cannot be judged") and reliability F ("cannot be judged") say that no grade on the scale was
given, so they count as no grade here. Alpha is computed by the krippendorff library (chosen over
writing the coincidence matrices out by hand: it is the reference implementation, tested against
Krippendorff's own examples); it needs numpy, which is loaded only when agreement is asked for.
Alpha is None when it cannot be computed: fewer than two claims graded by two reviewers, or every
grade the same (no variation to agree on).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import Any

from desktop.core.wording import counted

# Grades on each scale, in order; the ones that mean "no grade on the scale" are left out.
_ORDER: dict[str, dict[object, int]] = {
    "credibility": {number: number for number in (1, 2, 3, 4, 5)},
    "reliability": {letter: n for n, letter in enumerate("ABCDE", start=1)},
}
FAR_APART = 2  # steps between two grades of one claim that make it worth talking over


class Axis(str, Enum):
    CREDIBILITY = "credibility"
    RELIABILITY = "reliability"

    @property
    def left_out(self) -> str:
        return '6 "truth cannot be judged"' if self is Axis.CREDIBILITY else 'F "cannot be judged"'


@dataclass(frozen=True)
class PairAgreement:
    """Two reviewers on the claims both graded."""

    first: str
    second: str
    both_graded: int
    same: int  # graded alike
    alpha: float | None
    far_apart: tuple[int, ...]  # claim ids graded FAR_APART or more steps apart, in order


@dataclass(frozen=True)
class Agreement:
    """One axis: every reviewer together, and each pair."""

    axis: Axis
    reviewers: tuple[str, ...]  # everyone who gave a grade on the scale
    compared: int  # claims graded on the scale by two reviewers or more
    alpha: float | None
    pairs: tuple[PairAgreement, ...]  # pairs who graded at least one claim in common


def agreement(axis: Axis, grades: Mapping[int, Mapping[str, object]]) -> Agreement:
    """`grades`: claim id -> reviewer -> the grade given (anything off the scale counts as none)."""
    order = _ORDER[axis.value]
    on_scale = {
        claim_id: {reviewer: order[grade] for reviewer, grade in given.items() if grade in order}
        for claim_id, given in grades.items()
    }
    reviewers = tuple(sorted({reviewer for given in on_scale.values() for reviewer in given}))
    compared = [claim_id for claim_id in sorted(on_scale) if len(on_scale[claim_id]) >= 2]
    pairs = []
    for first, second in combinations(reviewers, 2):
        both = [c for c in compared if first in on_scale[c] and second in on_scale[c]]
        if not both:
            continue
        pairs.append(
            PairAgreement(
                first,
                second,
                both_graded=len(both),
                same=sum(1 for c in both if on_scale[c][first] == on_scale[c][second]),
                alpha=_alpha([[on_scale[c][first] for c in both], [on_scale[c][second] for c in both]]),
                far_apart=tuple(
                    c for c in both if abs(on_scale[c][first] - on_scale[c][second]) >= FAR_APART
                ),
            )
        )
    everyone = [[on_scale[c].get(reviewer) for c in compared] for reviewer in reviewers]
    return Agreement(axis, reviewers, len(compared), _alpha(everyone), tuple(pairs))


def _alpha(rows: list[list[int | None]]) -> float | None:
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    if len({value for row in rows for value in row if value is not None}) < 2:
        return None  # every grade the same: no variation to agree on
    import krippendorff
    import numpy

    data = numpy.array([[math.nan if v is None else float(v) for v in row] for row in rows], dtype=float)
    with numpy.errstate(divide="ignore", invalid="ignore"):  # no variation: 0 / 0, reported as None
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal"))
    return None if math.isnan(value) else value


def describe(result: Agreement) -> list[str]:
    """The result in lines of plain text, for the command line."""
    head = (
        f"{result.axis.value} ({result.axis.left_out} counts as no grade): "
        f"{counted(len(result.reviewers), 'reviewer')}, {counted(result.compared, 'claim')} graded by two or more"
    )
    lines = [head]
    if not result.pairs:
        lines.append("  no claim has grades from two reviewers yet")
        return lines
    lines.append(f"  all reviewers: alpha {_shown(result.alpha)}")
    for pair in result.pairs:
        share = round(100 * pair.same / pair.both_graded)
        line = (
            f"  {pair.first} and {pair.second}: {counted(pair.both_graded, 'claim')} graded by both, {pair.same:,} alike "
            f"({share}%), alpha {_shown(pair.alpha)}"
        )
        if pair.far_apart:
            shown = ", ".join(str(c) for c in pair.far_apart[:20])
            more = f" and {len(pair.far_apart) - 20:,} more" if len(pair.far_apart) > 20 else ""
            line += f"; {FAR_APART}+ steps apart on claims {shown}{more}"
        lines.append(line)
    return lines


def as_json(result: Agreement) -> dict[str, Any]:
    """The result as plain JSON values, for `corroborate agreement --json`."""
    return {
        "axis": result.axis.value,
        "reviewers": list(result.reviewers),
        "claims_compared": result.compared,
        "alpha": result.alpha,
        "pairs": [
            {
                "reviewers": [pair.first, pair.second],
                "graded_by_both": pair.both_graded,
                "alike": pair.same,
                "alpha": pair.alpha,
                "far_apart": list(pair.far_apart),
            }
            for pair in result.pairs
        ],
    }


def _shown(alpha: float | None) -> str:
    return "not computable (too few claims, or every grade the same)" if alpha is None else f"{alpha:.2f}"
