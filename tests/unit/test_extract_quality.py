"""How well the attribution extractor does on hand-labelled articles: precision and recall of claim-source pairs.

Run with `pytest -s` to see the table. A pair is (claim, cited source), the cited source being the
first hop of a chain; an unattributed claim counts as the pair (claim, "nobody"). A proposal is
matched to the labelled claim whose passage it overlaps most; a proposal that overlaps none is a
claim the reviewer would reject, and each of its pairs counts against precision.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.core.model import source_key
from desktop.io.extract import Proposal, propose, read_article
from desktop.io.extract.text import normalise

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
NOBODY = "(nobody)"


@dataclass(frozen=True)
class KeyClaim:
    start: int
    end: int
    sources: frozenset[str]
    factual: bool


@dataclass(frozen=True)
class Score:
    name: str
    gold: int
    predicted: int
    correct: int
    attributed_right: int
    attributed_total: int
    factual_flagged: int
    factual_total: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0


def _load_key(path: Path) -> tuple[Path, list[KeyClaim], dict[str, set[str]]]:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    article_path = (path.parent / raw["article"]).resolve()
    text = read_article(article_path).text
    names: dict[str, set[str]] = {}
    entries: list[tuple[str, list[str], bool]] = []
    if "claims_from" in raw:
        described = json.loads((path.parent / raw["claims_from"]).read_text(encoding="utf-8"))
        for entry in described["sources"]:
            names[entry["key"]] = {entry["name"], *raw["aliases"].get(entry["key"], [])}
        factual = set(raw["factual_unattributed"])
        for number, claim in enumerate(described["claims"], start=1):
            cited = [chain[0]["source"] for chain in claim["chains"]]
            entries.append((claim["passage"], cited, number in factual))
    else:
        names = {key: set(aliases) for key, aliases in raw["sources"].items()}
        entries = [(c["passage"], c["sources"], bool(c.get("factual"))) for c in raw["claims"]]
    claims = []
    for passage, cited, factual in entries:
        # Passages are located in the normalised text, as the extractor sees it; a multi-line
        # passage is found line by line and spans from its first line to its last.
        lines = [normalise(line) for line in passage.split("\n") if line.strip()]
        first = text.rindex(lines[0]) if len(lines) > 1 else text.index(lines[0])
        last = text.index(lines[-1], first)
        claims.append(
            KeyClaim(first, last + len(lines[-1]), frozenset(cited) or frozenset({NOBODY}), factual)
        )
    return article_path, claims, names


def _source_label(name: str, names: dict[str, set[str]]) -> str:
    """The key's label for a proposed source name; unknown names stay as themselves."""
    candidates = {source_key(name), source_key(re.sub(r"\s*\([^)]*\)$", "", name))}
    for label, known in names.items():
        if candidates & {source_key(alias) for alias in known}:
            return label
    return name


def _overlap(proposal: Proposal, claim: KeyClaim) -> int:
    return max(0, min(proposal.anchor.end, claim.end) - max(proposal.anchor.start, claim.start))


def score(key_path: Path) -> Score:
    article_path, claims, names = _load_key(key_path)
    proposals = propose(read_article(article_path))
    predicted: set[tuple[int, str]] = set()
    for number, proposal in enumerate(proposals):
        overlaps = [_overlap(proposal, claim) for claim in claims]
        best = max(range(len(claims)), key=lambda i: overlaps[i])
        claim_id = best if overlaps[best] > 0 else -1 - number  # matched nothing: a spurious claim
        if proposal.unattributed:
            predicted.add((claim_id, NOBODY))
        for chain in proposal.chains:
            predicted.add((claim_id, _source_label(chain[0].source.name, names)))
    gold = {(index, source) for index, claim in enumerate(claims) for source in claim.sources}
    found = {index: {s for i, s in predicted if i == index} for index in range(len(claims))}
    attributed = [i for i, claim in enumerate(claims) if NOBODY not in claim.sources]
    factual = [i for i, claim in enumerate(claims) if claim.factual]
    return Score(
        name=key_path.name.removesuffix(".key.json"),
        gold=len(gold),
        predicted=len(predicted),
        correct=len(gold & predicted),
        attributed_right=sum(1 for i in attributed if claims[i].sources <= found[i]),
        attributed_total=len(attributed),
        factual_flagged=sum(1 for i in factual if NOBODY in found[i]),
        factual_total=len(factual),
    )


KEYS = sorted(ARTICLES.glob("*.key.json"))


def test_there_are_the_sample_and_at_least_three_more_articles() -> None:
    names = {key.name for key in KEYS}
    assert "sample.key.json" in names
    assert len(names - {"sample.key.json"}) >= 3


def test_precision_and_recall_table() -> None:
    scores = [score(key) for key in KEYS]
    lines = [
        f"{'article':<16} {'pairs':>5} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6}  "
        f"{'attributed':>10}  {'unattributed facts':>18}"
    ]
    for s in scores:
        lines.append(
            f"{s.name:<16} {s.gold:>5} {s.predicted:>5} {s.correct:>5} {s.precision:>9.2f} {s.recall:>6.2f}  "
            f"{f'{s.attributed_right}/{s.attributed_total}':>10}  {f'{s.factual_flagged}/{s.factual_total}':>18}"
        )
    print("\nClaim-source pairs found by the extractor\n" + "\n".join(lines))
    # A floor for every article, so a change that breaks the others does not pass unnoticed.
    for s in scores:
        assert s.precision >= 0.6 and s.recall >= 0.6, s


def test_sample_article_floor() -> None:
    sample = score(ARTICLES / "sample.key.json")
    assert sample.attributed_total == 9 and sample.factual_total == 4
    assert sample.attributed_right >= 8, sample
    assert sample.factual_flagged >= 3, sample


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.name.removesuffix(".key.json"))
def test_every_proposal_points_at_its_passage(key: Path) -> None:
    article_path, _, _ = _load_key(key)
    article = read_article(article_path)
    for proposal in propose(article):
        anchor = proposal.anchor
        assert article.text[anchor.start : anchor.end] == anchor.exact == proposal.passage
        assert anchor.prefix == article.text[max(0, anchor.start - len(anchor.prefix)) : anchor.start]
        assert anchor.suffix == article.text[anchor.end : anchor.end + len(anchor.suffix)]
        assert proposal.cues, proposal
        assert proposal.unattributed == (not proposal.chains)
