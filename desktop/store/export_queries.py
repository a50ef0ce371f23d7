"""The CSV export's lines, read straight from SQL a batch of claims at a time.

Building a complete ClaimRecord per claim (chains, reviews, evidence, independence) and
formatting every cell in Python took 35 s for a million claims, against 2.7 s for the
sqlite3 shell printing similar rows. Here one statement per batch returns every finished
CSV line, cells quoted and neutralised, in selection order; Python only joins and writes them.

Each cell holds exactly what `desktop.io.export.csv_writer` writes from records (a test
compares the two on the sample and on generated files with odd text):

- A claim's hops are read once per line, in (chain, position) order from the unique index
  on chain_hops, and folded by `group_concat`: the chain text (the phrases of
  `core.model.chain_summary`, "; " between chains and ", " within one), the cited sources (each
  chain's first hop, once each) and the claim's origins (each chain's marked hop, else its
  last; once each, as `core.independence.origins_of`).
- Independent origins and circular-reporting warnings follow the rules of
  `core.independence`. Only claims with evidence have anything to count, so those few claims'
  records are read and assessed in Python and their two cells handed to the statement as JSON.
- SQLite's printf ends a text at a NUL character, so a line whose text holds one comes back as
  None; the caller formats that batch from records instead.

Ratings and formula triggers are the writer's decisions (`CsvCells`); the store only reproduces them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from desktop.core.grades import RELIABILITY_LABELS, Status
from desktop.core.model import Hop, Source, chain_summary, chains_summary
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store.snapshot import claim_records
from desktop.store.store import Store

# Lines per statement: large enough that per-statement costs vanish, small enough that
# progress moves and a cancel is noticed within a fraction of a second.
CSV_BATCH_SIZE = 5_000

_MARK = "\x00"  # stands for a source name while reading phrases off chain_summary


@dataclass(frozen=True)
class CsvCells:
    """How the CSV writer shows what is not stored as such."""

    columns: tuple[str, ...]
    """The header, checked against the cells this module writes."""
    ratings: Mapping[int, tuple[object, object, object, object]]
    """Credibility -> textual rating, rating value, best and worst rating (None for an empty cell)."""
    formula_triggers: tuple[str, ...]
    """A cell starting with one of these gets a single quote in front (CSV injection)."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _hop_phrases() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Relation -> the text before and after the source name, for a first hop and for a later one.

    Read off `chain_summary` itself, so the SQL can never drift from the wording shown elsewhere.
    """
    lead = Hop(Source("x", SourceKind.NEWS_AGENCY), Relation.STATES)
    lead_text = chain_summary((lead,)) + ", "
    first: dict[str, tuple[str, str]] = {}
    later: dict[str, tuple[str, str]] = {}
    for relation in Relation:
        hop = Hop(Source(_MARK, SourceKind.NEWS_AGENCY), relation)
        before, after = chain_summary((hop,)).split(_MARK)
        first[relation.value] = (before, after)
        text = chain_summary((lead, hop))
        if not text.startswith(lead_text):
            raise AssertionError(f"chain_summary no longer joins hops with ', ': {text!r}")
        before, after = text[len(lead_text) :].split(_MARK)
        later[relation.value] = (before, after)
    return first, later


def _phrase_sql(phrases: Mapping[str, tuple[str, str]]) -> str:
    cases = " ".join(
        f"WHEN {_literal(relation)} THEN {_literal(before)} || s.name || {_literal(after)}"
        for relation, (before, after) in phrases.items()
    )
    return f"CASE h.relation {cases} END"


class CsvLineQuery:
    """The statement for one export's CSV lines; build once, then ask for `lines` batch by batch."""

    def __init__(self, cells: CsvCells) -> None:
        self.cells = cells
        self._nul_in_articles: bool | None = None
        self._triggers = ", ".join(str(ord(trigger)) for trigger in cells.formula_triggers)
        if any(len(trigger) != 1 for trigger in cells.formula_triggers):
            raise ValueError("formula triggers are single characters")
        names = tuple(name for names, _, _ in self._parts() for name in names)
        if names != cells.columns:
            raise ValueError(f"CSV columns {cells.columns} differ from the cells the store writes {names}")

    def _text(self, value: str) -> tuple[str, list[str]]:
        """A quoted cell of text: the writer's formula guard in front, quotes doubled for CSV."""
        guard = f"CASE WHEN unicode({value}) IN ({self._triggers}) THEN '''' ELSE '' END"
        return '"%s%s"', [guard, f"replace({value}, '\"', '\"\"')"]

    def _constant(self, *values: object) -> str:
        """Cells fixed by the writer (None: empty), finished as CSV, as an SQL literal."""
        cells = []
        for value in values:
            text = "" if value is None else str(value)
            if text.startswith(self.cells.formula_triggers):
                text = "'" + text
            cells.append('"' + text.replace('"', '""') + '"')
        return _literal(",".join(cells))

    def _parts(self) -> list[tuple[tuple[str, ...], str, list[str]]]:
        """(CSV columns, printf format, SQL arguments) in column order.

        Aliases: c the claim, a its article, r the review (NULL columns when none), ev the
        independence cells of a claim with evidence, hx the hop aggregates (origins, cited, chain_text).
        Columns that go together are one part, so a claim without a review or without evidence
        costs one test instead of a dozen expressions.
        """
        ratings = " ".join(
            f"WHEN {grade} THEN {self._constant(*cells)}" for grade, cells in self.cells.ratings.items()
        )
        labels = " ".join(
            f"WHEN {_literal(letter)} THEN {self._constant(letter, label)}"
            for letter, label in RELIABILITY_LABELS.items()
        )
        reviewer, reviewer_args = self._text("r.reviewer")
        updated, updated_args = self._text("r.updated_at")
        rationale, rationale_args = self._text("r.rationale")
        # Status, letter and number are held to their few values by the schema's CHECKs.
        review_format = f'%s,%s,"%s","%s","%s",{reviewer},{updated},{rationale}'
        review = (
            f"CASE WHEN r.claim_id IS NULL THEN {self._constant(*[None] * 12)} "
            f"ELSE printf({_literal(review_format)}, "
            f"CASE r.credibility {ratings} ELSE {self._constant(None, None, None, None)} END, "
            f"CASE r.reliability {labels} ELSE {self._constant(None, None)} END, "
            "coalesce(r.credibility, ''), coalesce(r.reliability, '?') || coalesce(r.credibility, '?'), "
            f"r.status, {', '.join(reviewer_args + updated_args + rationale_args)}) END"
        )
        circular, circular_args = self._text("ev.circular")
        independence_format = _literal('"%s",' + circular)
        independence = (
            f"CASE WHEN ev.claim_id IS NULL THEN {self._constant(0, None)} "
            f"ELSE printf({independence_format}, ev.independent, {', '.join(circular_args)}) END"
        )
        cited, cited_args = self._text("hx.cited")
        chain, chain_args = self._text("hx.chain_text")
        hops_format = _literal(cited + ',"no",' + chain)
        hops = (
            f"CASE WHEN hx.chain_text IS NULL THEN {self._constant(None, 'yes', chains_summary(()))} "
            f"ELSE printf({hops_format}, {', '.join(cited_args + chain_args)}) END"
        )
        review_columns = (
            "textual_rating",
            "rating_value",
            "best_rating",
            "worst_rating",
            "reliability",
            "reliability_label",
            "credibility",
            "grade",
            "status",
            "reviewer",
            "reviewed_at",
            "rationale",
        )
        author = "coalesce(hx.origins, nullif(a.author, ''), nullif(a.outlet, ''), '')"
        return [
            (("claim_id",), '"%s"', ["CASE WHEN c.id < 0 THEN '''' || c.id ELSE c.id END"]),
            (("claim",), *self._text("c.text")),
            (("claim_author",), *self._text(author)),
            # A claim from a dataset has the dataset's date and address; one from an article, the article's.
            (("claim_date",), *self._text("coalesce(nullif(c.date, ''), a.published)")),
            (("appearance_url",), *self._text("coalesce(nullif(c.url, ''), a.url)")),
            (("appearance_title",), *self._text("a.title")),
            (review_columns, "%s", [review]),
            (("independent_origins", "circular_reporting"), "%s", [independence]),
            (("cited_sources", "unattributed", "chain"), "%s", [hops]),
            (("verdict_as_published",), *self._text("c.verdict_label")),
        ]

    @cached_property
    def line_format(self) -> str:
        return ",".join(part for _, part, _ in self._parts()) + "\r\n"

    @cached_property
    def sql(self) -> str:
        first, later = _hop_phrases()
        phrase = f"CASE WHEN h.position = 0 THEN {_phrase_sql(first)} ELSE {_phrase_sql(later)} END"
        # A chain's origin: its marked hop, else its last hop when none is marked. The unique
        # index gives hops in (chain, position) order, which is the order group_concat keeps;
        # positions count from 0 in every chain, as the store keeps them.
        is_origin = (
            "(h.is_origin = 1 OR (NOT EXISTS (SELECT 1 FROM chain_hops n WHERE n.claim_id = h.claim_id "
            "AND n.chain = h.chain AND n.position > h.position) AND NOT EXISTS (SELECT 1 FROM chain_hops m "
            "WHERE m.claim_id = h.claim_id AND m.chain = h.chain AND m.is_origin = 1)))"
        )
        # Each origin and each cited source once, where its first chain names it.
        new_origin = (
            "(h.chain = 0 OR NOT EXISTS (SELECT 1 FROM claim_origins o WHERE o.claim_id = h.claim_id "
            "AND o.chain < h.chain AND o.source_id = h.source_id))"
        )
        # (+p.position keeps SQLite on the claim's own hops instead of every first hop in the file.)
        new_cited = (
            "(h.chain = 0 OR NOT EXISTS (SELECT 1 FROM chain_hops p WHERE p.claim_id = h.claim_id "
            "AND +p.position = 0 AND p.chain < h.chain AND p.source_id = h.source_id))"
        )
        hops = (
            f"SELECT group_concat(CASE WHEN {is_origin} AND {new_origin} THEN s.name END, '; ') AS origins, "
            f"group_concat(CASE WHEN h.position = 0 AND {new_cited} THEN s.name END, '; ') AS cited, "
            f"group_concat({phrase}, CASE WHEN h.position = 0 THEN '; ' ELSE ', ' END) AS chain_text "
            "FROM chain_hops h JOIN sources s ON s.id = h.source_id WHERE h.claim_id = c.id"
        )
        # Source names all show in chain_text; article fields are checked once per export.
        nul = " OR ".join(
            f"instr({value}, char(0))"
            for value in (
                "c.text",
                "c.date",
                "c.url",
                "c.verdict_label",
                "r.reviewer",
                "r.updated_at",
                "r.rationale",
                "ev.circular",
                "hx.chain_text",
            )
        )
        cells = ", ".join(arg for _, _, args in self._parts() for arg in args)
        return (
            "WITH sel(pos, id) AS MATERIALIZED (SELECT key, value FROM json_each(:ids)), "
            "ev(claim_id, independent, circular) AS MATERIALIZED ("
            "  SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]') "
            "  FROM json_each(:evidence)) "
            f"SELECT (SELECT CASE WHEN {nul} THEN NULL ELSE printf(:line, {cells}) END FROM ({hops}) hx) "
            "FROM sel JOIN claims c ON c.id = sel.id "
            "LEFT JOIN articles a ON a.id = c.article_id "
            "LEFT JOIN reviews r ON r.claim_id = c.id AND (:reviewer IS NULL OR r.reviewer = :reviewer) "
            "LEFT JOIN ev ON ev.claim_id = c.id "
            "ORDER BY sel.pos, r.reviewer"
        )

    def text(self, store: Store, claim_ids: Sequence[int], *, reviewer: str | None) -> CsvText | None:
        """The CSV lines of these claims in the order given, one per claim and review, each ending in
        CR LF; ids not in the file are skipped. None when some text of theirs holds a NUL character,
        which SQLite's printf cannot print: format that batch from records instead."""
        ids = list(claim_ids)
        if not ids:
            return CsvText("", 0)
        if self._nul_in_articles is None:
            self._nul_in_articles = _articles_hold_nul(store)
        if self._nul_in_articles:
            return None
        selected = json.dumps(ids)
        params = {
            "ids": selected,
            "evidence": json.dumps(_independence_cells(store, selected, reviewer)),
            "reviewer": reviewer,
            "line": self.line_format,
        }
        lines = [row[0] for row in store._db.execute(self.sql, params)]
        if None in lines:
            return None
        return CsvText("".join(lines), len(lines))


class CsvText(NamedTuple):
    """A batch's CSV lines, joined, and how many there are."""

    text: str
    rows: int


def _articles_hold_nul(store: Store) -> bool:
    """Whether any article's text has a NUL character (very rare; articles are few, so read them all once)."""
    return bool(
        store._db.execute(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE instr(title, char(0)) OR instr(url, char(0)) "
            "OR instr(published, char(0)) OR instr(author, char(0)) OR instr(outlet, char(0)))"
        ).fetchone()[0]
    )


def _independence_cells(store: Store, selected: str, reviewer: str | None) -> dict[str, list[object]]:
    """Claim id -> [independent origins, circular-reporting warnings] for the chosen claims with evidence."""
    with_evidence = [
        row[0]
        for row in store._db.execute(
            "SELECT DISTINCT e.claim_id FROM evidence e WHERE e.claim_id IN (SELECT value FROM json_each(?))",
            [selected],
        )
    ]
    cells: dict[str, list[object]] = {}
    for record in claim_records(store, with_evidence, reviewer=reviewer):
        independence = record.independence
        cells[str(record.id)] = [independence.independent_count, " ".join(independence.warnings)]
    return cells


def claims_with_published_review(
    store: Store, claim_ids: Sequence[int], *, reviewer: str | None
) -> list[int]:
    """Those of these claims (in the order given) with a finished review that has a credibility grade:
    the only ones a ClaimReview export publishes, so the others need no record built."""
    finished = ", ".join(_literal(status.value) for status in Status if status.is_finished)
    return [
        row[0]
        for row in store._db.execute(
            "SELECT sel.value FROM json_each(:ids) sel WHERE EXISTS (SELECT 1 FROM reviews r "
            f"WHERE r.claim_id = sel.value AND r.status IN ({finished}) AND r.credibility IS NOT NULL "
            "AND (:reviewer IS NULL OR r.reviewer = :reviewer)) ORDER BY sel.key",
            {"ids": json.dumps(list(claim_ids)), "reviewer": reviewer},
        )
    ]
