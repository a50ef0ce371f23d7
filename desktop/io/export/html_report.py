"""HTML report: one self-contained page (inline CSS, inline SVG charts, no scripts) to read or print.

It shows every chosen claim with its passage, its attribution chains (each hop's
kind and the caveat a reader should keep in mind, the origin marked), the evidence
gathered, how many independent origins stand behind it with any circular-reporting
warning, the reviews with their grades spelled out, and at the top two charts of the grade distribution by the kind of
source the information comes from. The PDF export renders this same page
through Qt, passing its own `chart_markup` because Qt's rich text cannot draw SVG.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from desktop import __version__
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, grade_pair
from desktop.core.independence import chain_origin
from desktop.core.model import Article, Chain, Review
from desktop.core.vocabulary import SourceKind
from desktop.core.wording import counted
from desktop.io.export.job import ExportJob
from desktop.store.base import utc_now
from desktop.store.snapshot import ClaimRecord

NOT_GRADED = "not graded"
UNATTRIBUTED_ROW = "no source cited (the article itself)"

# A diverging scale (green = holds up, red = does not), with the "cannot be judged"
# grade in a neutral blue-grey and "not graded" in light grey, so they never read as a verdict.
_SCALE = ("#1a9641", "#a6d96a", "#ffffbf", "#fdae61", "#d7191c")
_CANNOT_JUDGE = "#9aa5c4"
_UNGRADED = "#e3e3e3"

CREDIBILITY_COLOURS: dict[str, str] = {
    **{str(n): colour for n, colour in zip(range(1, 6), _SCALE, strict=True)},
    "6": _CANNOT_JUDGE,
    NOT_GRADED: _UNGRADED,
}
RELIABILITY_COLOURS: dict[str, str] = {
    **{letter: colour for letter, colour in zip("ABCDE", _SCALE, strict=True)},
    "F": _CANNOT_JUDGE,
    NOT_GRADED: _UNGRADED,
}

# Line height is set on text blocks, not on body: Qt's rich text (used for the PDF) would
# apply it to the line holding a chart image too, leaving a gap under every chart.
_CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f; }
p, li, td, th, .passage { line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 0 0 0.4em 0; }
h4 { font-size: 0.95em; margin: 0.8em 0 0.3em 0; color: #444; }
.meta { color: #555; font-size: 0.9em; }
.claim { border: 1px solid #d0d0d0; border-radius: 4px; padding: 0.8em 1em; margin: 1em 0; }
.claim-text { font-size: 1.05em; font-weight: bold; margin: 0.2em 0 0.5em 0; }
.passage { margin: 0.4em 0; padding: 0.4em 0.8em; border-left: 3px solid #999; background: #f6f6f6;
           color: #333; font-size: 0.92em; }
.passage .context { color: #777; }
.passage mark { background: #fff3a8; }
.warning { color: #8a3b00; background: #fff1e0; border: 1px solid #f0c48a; padding: 0.3em 0.6em;
           font-size: 0.92em; }
.caveat { color: #666; font-style: italic; }
.origin { font-size: 0.8em; color: #fff; background: #4a5a8a; border-radius: 3px; padding: 0 0.3em; }
.status { font-size: 0.8em; font-weight: normal; color: #555; border: 1px solid #bbb; border-radius: 3px;
          padding: 0 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.grade { font-weight: bold; white-space: nowrap; }
.rationale { color: #333; font-style: italic; }
.chart { margin: 0.8em 0 1.2em 0; }
.chart p { margin: 0.2em 0; font-size: 0.85em; color: #555; }
ol.chains { margin: 0.2em 0; padding-left: 1.4em; }
"""

# Only for browsers: a readable column width (on paper the page margins do this), and when the
# page is printed from the browser, no heading left at a page's foot and no claim, chart or table
# row cut in two where it can be helped. (The PDF is laid out by Qt instead: see ui/pdf_export.py.)
_SCREEN_CSS = """
body { max-width: 60em; margin: 2em auto; padding: 0 1em; }
@media print {
  body { max-width: none; margin: 0; }
  h1, h2, h3, h4 { break-after: avoid; }
  .claim, .chart, tr { break-inside: avoid; }
}
"""


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG drawing, size in pixels, and a text equivalent for readers who cannot see it."""

    title: str
    svg: str
    width: int
    height: int
    description: str


ChartMarkup = Callable[[Chart], str]


def inline_svg(chart: Chart) -> str:
    return chart.svg


@dataclass(frozen=True)
class Distribution:
    """Counts of grades per kind of origin: rows are kinds, columns are grades."""

    title: str
    grades: tuple[str, ...]
    labels: dict[str, str]
    colours: dict[str, str]
    counts: dict[str, Counter[str]]


def _origin_rows(record: ClaimRecord) -> list[str]:
    if not record.chains:
        return [UNATTRIBUTED_ROW]
    return list(dict.fromkeys(source.kind.label for source in record.origins))


def distributions(records: Sequence[ClaimRecord]) -> tuple[Distribution, Distribution]:
    """Credibility and reliability counted per kind of origin.

    Each review counts once for every kind of origin its claim has; a claim without
    any review counts once as not graded.
    """
    credibility: dict[str, Counter[str]] = {}
    reliability: dict[str, Counter[str]] = {}
    for record in records:
        reviews: tuple[Review | None, ...] = record.reviews or (None,)
        for row in _origin_rows(record):
            for review in reviews:
                cred = str(review.credibility) if review and review.credibility else NOT_GRADED
                rel = review.reliability if review and review.reliability else NOT_GRADED
                credibility.setdefault(row, Counter())[cred] += 1
                reliability.setdefault(row, Counter())[rel] += 1
    order = [kind.label for kind in SourceKind] + [UNATTRIBUTED_ROW]

    def ordered(counts: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
        return {row: counts[row] for row in order if row in counts}

    return (
        Distribution(
            "Information credibility by kind of origin",
            (*(str(n) for n in CREDIBILITY_LABELS), NOT_GRADED),
            {**{str(n): f"{n} {label}" for n, label in CREDIBILITY_LABELS.items()}, NOT_GRADED: NOT_GRADED},
            CREDIBILITY_COLOURS,
            ordered(credibility),
        ),
        Distribution(
            "Source reliability by kind of origin",
            (*RELIABILITY_LABELS, NOT_GRADED),
            {**{k: f"{k} {label}" for k, label in RELIABILITY_LABELS.items()}, NOT_GRADED: NOT_GRADED},
            RELIABILITY_COLOURS,
            ordered(reliability),
        ),
    )


def stacked_bar_chart(distribution: Distribution) -> Chart:
    """A horizontal stacked bar per kind of origin, drawn as plain SVG."""
    label_width, bar_width, row_height, top = 250, 330, 24, 8
    width = label_width + bar_width + 50
    rows = list(distribution.counts.items())
    largest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    parts: list[str] = []
    y = top
    for row, counts in rows:
        total = sum(counts.values())
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12">{escape(row)}</text>'
        )
        x = float(label_width)
        for grade in distribution.grades:
            count = counts.get(grade, 0)
            if not count:
                continue
            length = bar_width * count / largest
            tip = f"{row}: {count} × {distribution.labels[grade]}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{length:.1f}" height="{row_height - 6}" '
                f'fill="{distribution.colours[grade]}" stroke="#555" stroke-width="0.5">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x += length
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12">{total}</text>')
        y += row_height
    # Legend: one swatch per grade, wrapped over as many lines as needed.
    y += 10
    x = 0.0
    for grade in distribution.grades:
        text = distribution.labels[grade]
        # A generous estimate of the text's width (11 px sans-serif), so no label runs past the edge.
        item_width = 22 + 7.5 * len(text) + 14
        if x + item_width > width:
            x = 0.0
            y += 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{distribution.colours[grade]}" '
            'stroke="#555" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{x + 20:.1f}" y="{y + 12}" font-size="11">{escape(text)}</text>')
        x += item_width
    height = y + 22
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(distribution.title)}" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        f"<title>{escape(distribution.title)}</title>{''.join(parts)}</svg>"
    )
    description = "; ".join(
        f"{row}: "
        + ", ".join(f"{counts[g]} × {distribution.labels[g]}" for g in distribution.grades if counts.get(g))
        for row, counts in rows
    )
    return Chart(distribution.title, svg, width, height, description or "no claims")


def _chain_html(chain: Chain) -> str:
    hops = []
    origin = chain_origin(chain)
    for index, hop in enumerate(chain):
        source = hop.source
        role = "cites" if index == 0 else "from"
        mark = ' <span class="origin">origin</span>' if source is origin else ""
        hops.append(
            f"{role} <b>{escape(source.name)}</b> ({escape(source.kind.label)}; {escape(hop.relation.label)})"
            f'{mark} <span class="caveat">— {escape(source.kind.caveat)}</span>'
        )
    return "<li>" + "<br/>".join(hops) + "</li>"


def _evidence_html(record: ClaimRecord) -> str:
    independence = record.independence
    parts = [
        f'<p class="meta">{independence.independent_count} independent '
        f"{'origin corroborates' if independence.independent_count == 1 else 'origins corroborate'} it. "
        f"{escape(independence.reason)}</p>"
    ]
    parts += [f'<p class="warning">{escape(warning)}</p>' for warning in independence.warnings]
    if not record.evidence:
        parts.append('<p class="meta">No evidence gathered.</p>')
        return "\n".join(parts)
    rows = []
    for item in record.evidence:
        origin = escape(item.origin.name) if item.origin is not None else "not known (its own source)"
        where = " ".join(
            part
            for part in (
                escape(item.date) if item.date else "",
                f'<a href="{escape(item.url)}">{escape(item.url)}</a>' if item.url else "",
            )
            if part
        )
        text = "<br/>".join(escape(part) for part in (item.excerpt, item.note) if part)
        rows.append(
            f"<tr><td>{escape(item.source.name)}</td><td>{escape(item.stance.label)}</td>"
            f"<td>{origin}</td><td>{where}</td><td>{text}</td></tr>"
        )
    parts.append(
        '<table width="100%"><tr><th>Source</th><th>Stance</th><th>Rests on</th><th>Date, link</th>'
        "<th>Excerpt, note</th></tr>" + "".join(rows) + "</table>"
    )
    return "\n".join(parts)


def _media_html(record: ClaimRecord) -> str:
    media = record.media
    if media is None:
        return ""
    facts = []
    if media.credited_to is not None:
        facts.append(f"credited to {escape(media.credited_to.name)}")
    if media.credit_is_origin is not None:
        facts.append("the credit is the origin" if media.credit_is_origin else "the credit is not the origin")
    if media.original_known:
        facts.append(f"original: {escape(media.original_known)}")
    if media.category is not None:
        facts.append(f"assessed as {escape(media.category.label)}")
    return f'<p class="meta">Media provenance: {"; ".join(facts) or "nothing recorded"}.</p>'


def _dataset_html(record: ClaimRecord) -> str:
    """What the dataset a claim was imported from said of it, as written there ("" for other claims)."""
    fields = record.dataset
    if fields is None:
        return ""
    facts = []
    if fields.verdict_label:
        facts.append(f"verdict as published “{escape(fields.verdict_label)}”")
    if fields.date:
        facts.append(f"dated {escape(fields.date)}")
    if fields.url:
        address = escape(fields.url)
        linked = fields.url.lower().startswith(("http://", "https://"))
        facts.append(
            f'at <a href="{escape(fields.url, quote=True)}">{address}</a>' if linked else f"at {address}"
        )
    facts += [
        f"{escape(str(name))}: {escape(str(value))}" for name, value in fields.extra.items() if value != ""
    ]
    if not facts:
        return ""
    return f'<p class="meta">From the dataset: {"; ".join(facts)}.</p>'


def _passage_html(record: ClaimRecord) -> str:
    anchor = record.anchor
    if anchor is None:
        return f'<div class="passage">{escape(record.passage)}</div>'
    return (
        f'<div class="passage"><span class="context">…{escape(anchor.prefix)}</span>'
        f"<mark>{escape(anchor.exact)}</mark>"
        f'<span class="context">{escape(anchor.suffix)}…</span></div>'
    )


def _grade_cell(review: Review) -> str:
    reliability = (
        f"{review.reliability} {RELIABILITY_LABELS[review.reliability]}" if review.reliability else NOT_GRADED
    )
    credibility = (
        f"{review.credibility} {CREDIBILITY_LABELS[review.credibility]}" if review.credibility else NOT_GRADED
    )
    return (
        f'<td class="grade">{escape(grade_pair(review.reliability, review.credibility))}</td>'
        f"<td>{escape(reliability)}</td><td>{escape(credibility)}</td>"
    )


def _reviews_html(reviews: Sequence[Review]) -> str:
    if not reviews:
        return '<p class="meta">Not reviewed yet.</p>'
    # The rationale gets a full-width row of its own: on a printed page seven columns are too narrow.
    rows = "".join(
        f"<tr><td>{escape(review.reviewer)}</td>{_grade_cell(review)}"
        f"<td>{escape(review.status.label)}</td>"
        f'<td><span title="{escape(review.updated_at)}">{escape(review.updated_at[:10])}</span></td></tr>'
        f'<tr><td colspan="6" class="rationale">{escape(review.rationale) or "No rationale written."}</td></tr>'
        for review in reviews
    )
    return (
        '<table width="100%"><tr><th>Reviewer</th><th>Grade</th><th>Source reliability</th>'
        "<th>Information credibility</th><th>Status</th><th>Updated</th></tr>"
        f"{rows}</table>"
    )


def _claim_html(record: ClaimRecord) -> str:
    statuses = ", ".join(dict.fromkeys(review.status.label for review in record.reviews)) or "unreviewed"
    parts = [
        f'<div class="claim" id="claim-{record.id}">',
        f'<h3>Claim {record.id} <span class="status">{escape(statuses)}</span></h3>',
        f'<p class="claim-text">{escape(record.text)}</p>',
        _passage_html(record),
        _dataset_html(record),
        "<h4>Attribution</h4>",
    ]
    if record.chains:
        parts.append('<ol class="chains">' + "".join(_chain_html(chain) for chain in record.chains) + "</ol>")
    else:
        parts.append('<p class="warning">Unattributed: the article cites nobody for this.</p>')
    parts += [
        _media_html(record),
        "<h4>Evidence and independence</h4>",
        _evidence_html(record),
        "<h4>Reviews</h4>",
        _reviews_html(record.reviews),
        "</div>",
    ]
    return "\n".join(parts)


def _article_html(article: Article) -> str:
    details = [
        f"by {escape(article.author)}" if article.author else "",
        escape(article.outlet) if article.outlet else "",
        f"published {escape(article.published)}" if article.published else "",
        f'<a href="{escape(article.url)}">{escape(article.url)}</a>' if article.url else "",
    ]
    text = ", ".join(d for d in details if d)
    return f"<li><b>{escape(article.title)}</b>{' — ' + text if text else ''}</li>"


def _agreement_part(records: Sequence[ClaimRecord]) -> list[str]:
    """How far reviewers agree, when claims of the report were graded by two or more."""
    if not any(len(record.reviews) >= 2 for record in records):
        return []
    from desktop.io.export.agreement_html import agreement_section, agreements_of

    results = agreements_of(records)
    if not any(result.pairs for result in results):
        return []
    return ["<h2>Agreement between reviewers</h2>", agreement_section(results, lambda c: f"#claim-{c}")]


def render_report(
    job: ExportJob, chart_markup: ChartMarkup = inline_svg, *, for_screen: bool = True
) -> tuple[str, int]:
    """The whole page, and how many claims it holds; `for_screen` False leaves the layout to the page."""
    articles = job.articles()
    records = list(job.records())
    reviewer = job.options.reviewer
    title = articles[0].title if len(articles) == 1 else counted(len(records), "claim")
    charts = "".join(
        f'<div class="chart"><h3>{escape(chart.title)}</h3>{chart_markup(chart)}'
        f"<p>{escape(chart.description)}</p></div>"
        for chart in (stacked_bar_chart(d) for d in distributions(records))
    )
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        f"<title>Review report: {escape(title)}</title>",
        f"<style>{_CSS}{_SCREEN_CSS if for_screen else ''}</style></head><body>",
        "<h1>Review report</h1>",
        f'<p class="meta">{counted(len(records), "claim")} · reviews by {escape(reviewer) if reviewer else "every reviewer"}'
        f" · exported {escape(utc_now())} by Corroborate {escape(__version__)}</p>",
        "<h2>Articles</h2>",
        "<ul>" + "".join(_article_html(article) for article in articles) + "</ul>"
        if articles
        else '<p class="meta">No article.</p>',
        "<h2>Grades by kind of origin</h2>",
        '<p class="meta">The origin of an attribution chain is the hop a reviewer marked as origin, else its last source. Each review counts '
        "once for every kind of origin its claim has; a claim nobody has reviewed counts once as "
        "not graded.</p>",
        charts,
        *_agreement_part(records),
        "<h2>Claims</h2>",
        *(_claim_html(record) for record in records),
        "</body></html>",
    ]
    return "\n".join(body) + "\n", len(records)


def write_html(job: ExportJob, path: Path) -> int:
    """Returns the number of claims."""
    page, count = render_report(job)
    path.write_text(page, encoding="utf-8", newline="\n")
    return count
