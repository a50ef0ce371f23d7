"""Deterministic Corroborate files of any size, for benchmarks and scale tests.

`generated_file(n, seed)` returns a file with `n` claims of about 200 characters, about 5,000
sources of every kind, attribution chains of one to three hops, 40 % of the claims graded by
one of a few reviewers (some with a rationale) and evidence on a small share of them. The same
`n` and `seed` always give the same content (only the change log's record of when the evidence
was added says when the file was built). Everything is written through the store's own API
(the snapshot writer for the bulk, `Store.apply` for evidence), so the files are exactly what
the program itself would write; built files are cached in the temporary folder by size and seed.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

from desktop.core.edits import AddEvidence
from desktop.core.evidence import EvidenceDraft, Stance
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.model import Anchor, Article, Hop, Review, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.store.schema import known_migration_names
from desktop.store.snapshot import ClaimRecord, SnapshotWriter

# Bump when the generated content changes, so stale cached files are not reused.
GENERATOR_VERSION = 2
SOURCE_COUNT = 5_000
GRADED_SHARE = 0.40
EVIDENCE_EVERY = 500  # one claim in this many gets an evidence item
CLAIMS_PER_ARTICLE = 1_000
BATCH = 20_000
REVIEWERS = ("amira", "bruno", "chen", "dagny")
WHEN = "2026-11-01T09:00:00Z"

_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tan",
    "vel",
    "sor",
    "pe",
    "lin",
    "gar",
    "dus",
    "ne",
    "bor",
    "alt",
    "ves",
    "cri",
    "mon",
    "tal",
    "pra",
    "del",
    "fu",
    "sen",
    "or",
    "bi",
    "lu",
    "max",
    "ten",
    "har",
    "qui",
    "zo",
    "ram",
    "eth",
    "nor",
    "pol",
    "sta",
    "ver",
    "gin",
    "lo",
    "cas",
    "tre",
    "mul",
]
_PLAIN_WORDS = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "to",
    "from",
    "by",
    "with",
    "at",
    "near",
    "after",
    "before",
    "during",
    "over",
    "under",
    "across",
    "reported",
    "said",
    "claimed",
    "stated",
    "confirmed",
    "denied",
    "announced",
    "warned",
    "estimated",
    "counted",
    "forces",
    "troops",
    "officials",
    "residents",
    "village",
    "city",
    "border",
    "bridge",
    "convoy",
    "drone",
    "missile",
    "units",
    "soldiers",
    "civilians",
    "hospital",
    "school",
    "port",
    "station",
    "airfield",
    "depot",
    "region",
    "district",
    "attack",
    "strike",
    "shelling",
    "advance",
    "retreat",
    "losses",
    "casualties",
    "prisoners",
    "ceasefire",
    "talks",
    "thousand",
    "hundred",
    "dozens",
    "several",
    "many",
    "few",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "twenty",
    "morning",
    "evening",
    "night",
    "week",
    "month",
    "yesterday",
    "today",
    "since",
    "until",
    "about",
    "more",
    "than",
]
_KINDS = list(SourceKind)
_RELATIONS = list(Relation)
_LETTERS = list(RELIABILITY_LABELS)
_NUMBERS = list(CREDIBILITY_LABELS)


def cache_dir() -> Path:
    """Where generated files are kept between runs (outside the repository)."""
    folder = Path(os.environ.get("CORROBORATE_BENCH_DIR", Path(tempfile.gettempdir()) / "corroborate-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached_path(claims: int, seed: int) -> Path:
    # The schema is part of the key: a file cached before a migration would otherwise be upgraded
    # (and backed up) on every benchmark's first open.
    schema = hashlib.sha1("/".join(known_migration_names()).encode()).hexdigest()[:8]
    return cache_dir() / f"claims-{claims}-seed{seed}-v{GENERATOR_VERSION}-{schema}.db"


def generated_file(claims: int, seed: int = 1, *, folder: Path | None = None) -> Path:
    """The cached file for (`claims`, `seed`), built first if absent. Never half-built: written aside."""
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    target = (folder / f"claims-{claims}-seed{seed}.db") if folder else cached_path(claims, seed)
    if target.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    build(partial, claims, seed)
    partial.rename(target)
    return target


class _Words:
    """A fixed vocabulary: a few hundred made-up names and plain words, drawn with a skew like real text."""

    def __init__(self, rng: random.Random) -> None:
        made_up = sorted(
            {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(3_000)}
        )
        self.words = _PLAIN_WORDS + made_up
        # Zipf-like weights: common words very common, names rare, as in news text.
        self.cumulative = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(self.words))))
        self.rng = rng

    def sentence(self, length: int) -> str:
        # Drawn in one call (about six letters a word), then trimmed to the length asked for.
        drawn = self.rng.choices(self.words, cum_weights=self.cumulative, k=length // 4)
        out: list[str] = []
        size = 0
        for word in drawn:
            if size >= length:
                break
            out.append(word)
            size += len(word) + 1
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."


def sources(rng: random.Random, words: _Words) -> list[Source]:
    """About 5,000 sources with distinct names, ids 1..n, of every kind."""
    found: dict[str, Source] = {}
    number = 0
    while len(found) < SOURCE_COUNT:
        number += 1
        name = f"{words.sentence(8).rstrip('.')} {rng.choice(('Agency', 'News', 'Ministry', 'Post', 'Office'))} {number}"
        found.setdefault(name, Source(name, rng.choice(_KINDS), id=len(found) + 1))
    return list(found.values())


def _records(rng: random.Random, words: _Words, pool: list[Source], claims: int) -> Iterator[ClaimRecord]:
    for claim_id in range(1, claims + 1):
        text = words.sentence(rng.randint(150, 250))
        passage = words.sentence(rng.randint(120, 220))
        start = rng.randint(0, 5_000)
        chains: list[tuple[Hop, ...]] = []
        if rng.random() >= 0.08:  # about one claim in twelve cites nobody
            for _ in range(1 if rng.random() < 0.8 else 2):
                hops = rng.choice((1, 1, 2, 2, 3))
                chains.append(tuple(Hop(rng.choice(pool), rng.choice(_RELATIONS)) for _ in range(hops)))
        reviews: tuple[Review, ...] = ()
        if rng.random() < GRADED_SHARE:
            rationale = words.sentence(rng.randint(40, 160)) if rng.random() < 0.5 else ""
            status = rng.choice((Status.IN_PROGRESS, Status.REVIEWED, Status.REVIEWED, Status.DISPUTED))
            reviews = (
                Review(
                    claim_id,
                    rng.choice(REVIEWERS),
                    rng.choice(_LETTERS),
                    rng.choice(_NUMBERS),
                    status,
                    rationale,
                    WHEN,
                    WHEN,
                ),
            )
        yield ClaimRecord(
            id=claim_id,
            article_id=(claim_id - 1) // CLAIMS_PER_ARTICLE + 1,
            text=text,
            passage=passage,
            anchor=Anchor(passage, "", "", start, start + len(passage)),
            chains=tuple(chains),
            reviews=reviews,
        )


def build(path: Path, claims: int, seed: int) -> None:
    """Write a new file at `path` with `claims` claims; the content depends only on `claims` and `seed`."""
    rng = random.Random(seed)
    words = _Words(rng)
    pool = sources(rng, words)
    store = Store.open(path, create=True)
    try:
        writer = SnapshotWriter(store, keep_ids=True)
        article_count = max(1, -(-claims // CLAIMS_PER_ARTICLE))
        writer.add_articles(
            Article(title=f"Generated article {n}", text=words.sentence(300), outlet="Bench Daily", id=n)
            for n in range(1, article_count + 1)
        )
        writer.add_sources(pool)
        records = _records(rng, words, pool, claims)
        while True:
            batch = [record for _, record in zip(range(BATCH), records, strict=False)]
            if not batch:
                break
            writer.add_claims(batch)
        for claim_id in range(EVIDENCE_EVERY // 2, claims + 1, EVIDENCE_EVERY):
            draft = EvidenceDraft(
                source_id=rng.choice(pool).id or 1,
                stance=rng.choice(list(Stance)),
                excerpt=words.sentence(rng.randint(60, 160)),
                origin_id=rng.choice(pool).id if rng.random() < 0.5 else None,
            )
            reviewer = rng.choice(REVIEWERS)
            store.apply(AddEvidence(claim_id, draft, created_at=WHEN, added_by=reviewer), reviewer)
    finally:
        store.close()
