"""Agreement between reviewers as HTML: for the window's dialog and for the report.

The numbers come from desktop/core/agreement.py; this only lays them out, each claim far apart
linked as the caller wants (a claim in the window, an anchor in the report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape

from desktop.core.agreement import FAR_APART, Agreement, Axis, agreement
from desktop.core.wording import counted
from desktop.store.snapshot import ClaimRecord

SHOWN_FAR_APART = 200  # claim links listed per pair; the rest are counted


def agreements_of(records: Iterable[ClaimRecord]) -> list[Agreement]:
    """Both axes over the reviews these claims carry."""
    records = list(records)
    return [
        agreement(axis, {r.id: {v.reviewer: getattr(v, axis.value) for v in r.reviews} for r in records})
        for axis in Axis
    ]


def agreement_section(results: Sequence[Agreement], claim_href: Callable[[int], str]) -> str:
    """Each axis as a heading, a summary and a table of pairs; `claim_href(id)` links a claim number."""
    parts = []
    for result in results:
        parts.append(f"<h3>{escape(result.axis.value.capitalize())}</h3>")
        parts.append(
            f"<p>{counted(len(result.reviewers), 'reviewer')}; "
            f"{counted(result.compared, 'claim')} graded by two or more. "
            f"{escape(result.axis.left_out.capitalize())} counts as no grade.</p>"
        )
        if not result.pairs:
            parts.append("<p><i>No claim has grades from two reviewers yet.</i></p>")
            continue
        parts.append(f"<p>All reviewers together: alpha <b>{_alpha(result.alpha)}</b></p>")
        rows = []
        for pair in result.pairs:
            links = ", ".join(
                f'<a href="{escape(claim_href(c), quote=True)}">{c}</a>'
                for c in pair.far_apart[:SHOWN_FAR_APART]
            )
            if len(pair.far_apart) > SHOWN_FAR_APART:
                links += f" and {len(pair.far_apart) - SHOWN_FAR_APART:,} more"
            rows.append(
                f"<tr><td>{escape(pair.first)} and {escape(pair.second)}</td>"
                f"<td align=right>{pair.both_graded:,}</td>"
                f"<td align=right>{pair.same:,} ({round(100 * pair.same / pair.both_graded)}%)</td>"
                f"<td align=right>{_alpha(pair.alpha)}</td><td>{links or '—'}</td></tr>"
            )
        parts.append(
            "<table cellspacing=0 cellpadding=4 border=1><tr><th>Reviewers</th><th>Graded by both</th>"
            f"<th>Alike</th><th>Alpha</th><th>Claims {FAR_APART}+ steps apart</th></tr>{''.join(rows)}</table>"
        )
    parts.append(
        "<p><small>Krippendorff's alpha, ordinal: 1 is full agreement, 0 no better than chance, "
        "below 0 worse. Published sets usually want 0.8 or more; under 0.67 the grades are worth "
        "talking over.</small></p>"
    )
    return "".join(parts)


def _alpha(alpha: float | None) -> str:
    return "—" if alpha is None else f"{alpha:.2f}"
