"""The CSV export's lines come from SQL; they must be exactly what formatting complete records gives.

The reference is the record-based formatting of `csv_writer` (every cell from a ClaimRecord in
Python). It is compared byte for byte with the export on the reviewed sample and on a generated
file of a few thousand claims with several chains, marked origins, shared sources, several
reviewers, evidence that collapses into one origin, and text full of quotes, commas, line breaks,
right-to-left script, emoji and formula starts.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from export_data import reviewed_sample

from desktop.core.edits import AddHop
from desktop.core.evidence import Evidence, Stance
from desktop.core.grades import Status
from desktop.core.imports import DatasetFields
from desktop.core.model import Article, ClaimQuery, Hop, Review, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.io.export import ExportCancelled, ExportOptions, csv_workers, csv_writer, export
from desktop.io.export.csv_writer import COLUMNS, write_record
from desktop.io.export.job import ExportJob
from desktop.store import Store
from desktop.store.snapshot import ClaimRecord, SnapshotWriter

CLAIMS = 2_400
REVIEWERS = ("ana", "bo", "chidi", "dana")
WHEN = "2026-10-0{}T08:00:00Z"

# Pieces of text a CSV must carry unharmed; several start the way a spreadsheet formula does.
ODD = (
    'she said "no", then left',
    "first line\nsecond line",
    "a, b, and c",
    "\u0627\u0644\u0645\u0635\u062f\u0631 \u064a\u0642\u0648\u0644",  # Arabic, right to left
    "\u05de\u05e7\u05d5\u05e8 \u05e8\u05e9\u05de\u05d9",  # Hebrew, right to left
    "drones \U0001f681 over the bay \U0001f30a",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-3 degrees",
    "@everyone look",
    "\tindented",
    "\rreturn first",
    "'already quoted",
    'ends with a quote"',
    "semi; colon",
    "",
)


def _text(rng: random.Random, words: int) -> str:
    vocabulary = ("convoy", "ministry", "briefing", "reported", "near", "the", "border", "units")
    parts = [rng.choice(vocabulary) for _ in range(words)]
    if rng.random() < 0.5:
        parts.insert(rng.randint(0, len(parts)), rng.choice(ODD))
    text = " ".join(parts)
    return rng.choice(ODD) + text if rng.random() < 0.15 else text


def _sources() -> list[Source]:
    names = [
        "Agency, North",
        'The "Monitor"',
        "=Official Channel",
        "-Minus Desk",
        "@handle_of_record",
        "\u0648\u0643\u0627\u0644\u0629 \u0627\u0644\u0623\u0646\u0628\u0627\u0621",
        "\u05d3\u05d5\u05d1\u05e8 \u05e6\u05d1\u05d0\u05d9",
        "Relay \U0001f4e1 Wire",
        "Line\nBreak Radio",
    ]
    names += [f"Source {n}" for n in range(40)]
    kinds = list(SourceKind)
    return [Source(name, kinds[n % len(kinds)], id=n + 1) for n, name in enumerate(names)]


def _chains(rng: random.Random, pool: list[Source]) -> tuple[tuple[Hop, ...], ...]:
    if rng.random() < 0.1:
        return ()
    chains = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        # A small slice of the pool, so chains of one claim often share first hops and origins.
        hops = [Hop(rng.choice(pool[:12]), rng.choice(list(Relation))) for _ in range(rng.choice((1, 2, 3)))]
        if rng.random() < 0.2:
            marked = rng.randrange(len(hops))
            hops[marked] = Hop(hops[marked].source, hops[marked].relation, is_origin=True)
        chains.append(tuple(hops))
    return tuple(chains)


def _reviews(rng: random.Random, claim_id: int) -> tuple[Review, ...]:
    chosen = sorted(rng.sample(REVIEWERS, rng.choice((0, 0, 1, 1, 2, 4))))
    return tuple(
        Review(
            claim_id,
            reviewer,
            rng.choice((None, "A", "B", "C", "D", "E", "F")),
            rng.choice((None, 1, 2, 3, 4, 5, 6)),
            rng.choice(list(Status)),
            _text(rng, rng.randint(0, 12)) if rng.random() < 0.6 else "",
            WHEN.format(rng.randint(1, 9)),
            WHEN.format(rng.randint(1, 9)),
        )
        for reviewer in chosen
    )


def _evidence(
    rng: random.Random, claim_id: int, chains: Sequence[Sequence[Hop]], pool: list[Source], first_id: int
) -> tuple[Evidence, ...]:
    if rng.random() > 0.08:
        return ()
    own = [chain[-1].source for chain in chains]
    items = []
    for n in range(rng.randint(1, 5)):
        source = rng.choice(pool[:12])
        # Often back to the claim's own origin or to a shared briefing: circular reporting.
        origin = rng.choice([None, None, pool[3], *own])
        items.append(
            Evidence(
                id=first_id + n,
                claim_id=claim_id,
                source=source,
                stance=rng.choice(list(Stance)),
                origin=origin,
                excerpt=_text(rng, 5),
                created_at=WHEN.format(1),
                reviewer=rng.choice(REVIEWERS),
            )
        )
    return tuple(items)


def _records(rng: random.Random, pool: list[Source]) -> Iterator[ClaimRecord]:
    evidence_id = 1
    for claim_id in range(1, CLAIMS + 1):
        chains = _chains(rng, pool)
        evidence = _evidence(rng, claim_id, chains, pool, evidence_id)
        evidence_id += len(evidence)
        yield ClaimRecord(
            id=claim_id,
            article_id=rng.choice((1, 2, 3, None)),
            text=_text(rng, rng.randint(3, 30)),
            passage=_text(rng, 8),
            anchor=None,
            chains=chains,
            reviews=_reviews(rng, claim_id),
            evidence=evidence,
            dataset=_dataset(rng),
        )


def _dataset(rng: random.Random) -> DatasetFields | None:
    """A third of the claims came from a dataset: odd or empty date, address and verdict."""
    if rng.random() < 0.66:
        return None
    return DatasetFields(
        date=rng.choice(("2025-03-14", "", None, rng.choice(ODD))),
        url=rng.choice(("https://example.net/a?b=1,2", "", None, rng.choice(ODD))),
        verdict_label=rng.choice(("Mostly false", None, rng.choice(ODD))),
        extra={"desk": rng.choice(ODD)} if rng.random() < 0.5 else {},
    )


def build_odd_file(path: Path, *, seed: int = 11) -> None:
    rng = random.Random(seed)
    pool = _sources()
    store = Store.open(path, create=True, reviewer="ana")
    try:
        writer = SnapshotWriter(store, keep_ids=True)
        writer.add_articles(
            [
                Article(title='Report: "Drones", convoys', text="body", author="Kim Lee", id=1),
                Article(title="=cmd|' /C calc'!A0", text="body", outlet="Harbour Post", url="-x", id=2),
                Article(
                    title="\u062a\u0642\u0631\u064a\u0631 \U0001f4f0",
                    text="body",
                    published="2026-01-02",
                    url="https://example.org/a?x=1,2",
                    id=3,
                ),
            ]
        )
        writer.add_sources(pool)
        writer.add_claims(_records(rng, pool))
        # New first chains added later through edits: their hops have higher row ids than the
        # chains they now come before, so the order can only come from (chain, position).
        for claim_id in range(5, CLAIMS, 37):
            store.apply(
                AddHop(claim_id, 0, 0, rng.choice(pool).id or 1, Relation.REPORTS, new_chain=True), "ana"
            )
    finally:
        store.close()


@pytest.fixture(scope="module")
def odd_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("odd")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("CONFIG", "DATA", "LOG"):
            patch.setenv(f"CORROBORATE_{name}_DIR", str(folder / name.lower()))
        build_odd_file(folder / "odd.db")
    yield folder / "odd.db"


@pytest.fixture(params=["one process", "worker processes"])
def lines_built_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Each test below runs twice: lines built in this process, and by two worker processes.

    Yields the workers started (none in the first case), so a test can tell the path was taken.
    """
    started: list[object] = []
    if request.param == "worker processes":
        monkeypatch.setattr(csv_writer, "worker_count", lambda claims: 2)

        class Counted(csv_workers._Worker):
            def __init__(self, *args: object) -> None:
                super().__init__(*args)  # type: ignore[arg-type]
                started.append(self)

        monkeypatch.setattr(csv_workers, "_Worker", Counted)
    else:
        monkeypatch.setattr(csv_writer, "worker_count", lambda claims: 0)
    yield started
    if request.param == "worker processes":
        assert started and len(started) % 2 == 0  # two per export
        assert all(worker._process.poll() is not None for worker in started)  # none outlives its export


def reference_csv(store: Store, ids: Sequence[int], options: ExportOptions) -> bytes:
    """The export as formatting every cell from complete records gives it."""
    job = ExportJob(store, ids, options, Path("unused"))
    articles = {article.id: article for article in job.articles() if article.id is not None}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in job.records():
        write_record(writer, record, articles)
    return buffer.getvalue().encode("utf-8")


def _exported(store: Store, selection: ClaimQuery | list[int], options: ExportOptions, target: Path) -> bytes:
    export(store, selection, "csv", target, options)
    return target.read_bytes()


@pytest.mark.parametrize("reviewer", [None, "ana", "lee"])
def test_lines_match_records_on_the_reviewed_sample(
    sample_copy: Path, tmp_path: Path, reviewer: str | None
) -> None:
    reviewed_sample(sample_copy)
    store = Store.open(sample_copy, read_only=True)
    try:
        options = ExportOptions(reviewer=reviewer)
        listed = store.claim_ids(ClaimQuery("ana"))
        assert _exported(store, ClaimQuery("ana"), options, tmp_path / "a.csv") == reference_csv(
            store, listed, options
        )
        # Any order, a claim twice, a claim the file does not have.
        chosen = [9, 1, 4, 1, 999, 15, 3]
        assert _exported(store, chosen, options, tmp_path / "b.csv") == reference_csv(store, chosen, options)
    finally:
        store.close()


@pytest.mark.parametrize("reviewer", [None, "bo"])
def test_lines_match_records_on_a_generated_file_with_odd_text(
    odd_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reviewer: str | None,
    lines_built_by: list[object],
) -> None:
    # Small batches, so batch boundaries fall inside the file (and between a claim's reviews' claims).
    monkeypatch.setattr(csv_writer, "CSV_BATCH_SIZE", 333)
    store = Store.open(odd_file, read_only=True)
    try:
        options = ExportOptions(reviewer=reviewer)
        ids = list(store.claim_ids(ClaimQuery("ana")))
        random.Random(3).shuffle(ids)
        exported = _exported(store, ids, options, tmp_path / "odd.csv")
        assert exported == reference_csv(store, ids, options)
        text = exported.decode("utf-8")
        # The file really holds what the test means to exercise.
        for needle in (
            '""Monitor""',
            "\u05d3\u05d5\u05d1\u05e8",
            "\U0001f681",
            "'=SUM(A1:A9)",
            "Circular reporting",
        ):
            assert needle in text, needle
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert {row["claim_id"] for row in rows} == {str(claim_id) for claim_id in ids}
        several = [row for row in rows if row["chain"].count("; ") >= 2]
        assert several, "claims with three or more chains"
        if reviewer is None:
            assert len(rows) > len(ids)  # claims with several reviewers have a row each
    finally:
        store.close()


@pytest.mark.parametrize("batch_size", [5_000, 4])
def test_a_nul_character_is_written_through_the_record_formatting(
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_size: int,
    lines_built_by: list[object],
) -> None:
    # The NUL in one batch of many, or in the only one.
    monkeypatch.setattr(csv_writer, "CSV_BATCH_SIZE", batch_size)
    store = Store.open(sample_copy, reviewer="ana")
    try:
        # No importer lets a NUL through, but a file made elsewhere may hold one.
        with store._db.atomic():
            store._db.execute("UPDATE claims SET text = ? WHERE id = 2", ["before\x00after"])
            store._db.execute("UPDATE sources SET name = name || ? WHERE id = 1", ["\x00x"])
            store._db.execute("UPDATE claims SET verdict_label = ? WHERE id = 7", ["half\x00true"])
    finally:
        store.close()
    store = Store.open(sample_copy, read_only=True)
    try:
        exported = _exported(store, ClaimQuery("ana"), ExportOptions(), tmp_path / "nul.csv")
        assert exported == reference_csv(store, store.claim_ids(ClaimQuery("ana")), ExportOptions())
        assert b"before\x00after" in exported
        assert b"half\x00true" in exported
    finally:
        store.close()


def test_progress_by_batch_and_cancel_midway_leaves_nothing(
    odd_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines_built_by: list[object]
) -> None:
    monkeypatch.setattr(csv_writer, "CSV_BATCH_SIZE", 500)
    store = Store.open(odd_file, read_only=True)
    try:
        progress: list[tuple[int, int]] = []
        export(
            store,
            ClaimQuery("ana"),
            "csv",
            tmp_path / "all.csv",
            progress=lambda d, t: progress.append((d, t)),
        )
        assert progress == [(done, CLAIMS) for done in (0, 500, 1000, 1500, 2000, CLAIMS)]

        seen: list[int] = []
        target = tmp_path / "cancelled.csv"
        with pytest.raises(ExportCancelled):
            export(
                store,
                ClaimQuery("ana"),
                "csv",
                target,
                progress=lambda d, t: seen.append(d),
                cancelled=lambda: len(seen) > 2,
            )
        assert seen == [0, 500, 1000]
        assert list(tmp_path.iterdir()) == [tmp_path / "all.csv"]
    finally:
        store.close()


def test_a_worker_that_cannot_open_the_file_is_reported_not_swallowed(tmp_path: Path) -> None:
    from desktop.core.errors import CorroborateError

    missing = tmp_path / "gone.db"
    texts = csv_workers.csv_texts(missing, csv_writer.csv_cells(), iter([[1, 2, 3]]), None, 1)
    with pytest.raises(CorroborateError, match="does not exist"):
        next(texts)
