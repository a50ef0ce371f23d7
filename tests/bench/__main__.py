"""Run every benchmark of the scale targets and print figure, baseline, ratio and target.

    python -m tests.bench [--claims N] [--seed S] [--quick] [--json PATH]

Defaults to a generated file of 1,000,000 claims (built once and cached, see generate.py);
--quick uses 20,000 claims and fewer repetitions, to check that every row runs. Baselines are
measured in the same run on the same machine: an empty Qt main window for start-up and memory,
a plain sqlite3 executemany for import, the sqlite3 shell's own CSV output for CSV export, the
JSON export for ClaimReview. Rows whose feature is missing, or whose baseline tool is absent,
say so instead of a figure. Timings are wall-clock; nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench.generate import REVIEWERS, cache_dir, generated_file

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Row:
    """One line of the results table."""

    what: str
    figure: float | None
    unit: str
    target: str
    baseline: float | None = None
    limit: float | None = None  # figure / baseline must stay at or under this (or figure, if no baseline)
    at_least: bool = False  # the ratio must be at least `limit` (rates)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.figure is None or self.baseline in (None, 0):
            return None
        return self.figure / self.baseline  # type: ignore[operator]

    @property
    def verdict(self) -> str:
        if self.figure is None or self.limit is None:
            return "n/a"
        value = self.ratio if self.baseline is not None else self.figure
        if value is None:
            return "n/a"
        ok = value >= self.limit if self.at_least else value <= self.limit
        return "met" if ok else "MISSED"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    return f"{value:,.1f} {unit}"


def print_table(rows: list[Row], claims: int) -> None:
    print(f"\nCorroborate benchmarks: {claims:,} claims, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    header = ("what", "figure", "baseline", "ratio", "target", "")
    table = [header] + [
        (
            r.what,
            _fmt(r.figure, r.unit),
            _fmt(r.baseline, r.unit),
            "—" if r.ratio is None else f"{r.ratio:.2f}×",
            r.target,
            r.verdict,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    notes = [f"- {r.what}: {r.note}" for r in rows if r.note]
    if notes:
        print("\nNotes:")
        print("\n".join(notes))


# ---- the GUI rows: separate offscreen processes ---------------------------------------------------


def _probe(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.gui_probe", args[0], repr(started), *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"gui probe {args} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def gui_rows(path: Path, env: dict[str, str], repeats: int) -> tuple[list[Row], dict[str, Any]]:
    empty = [_probe(["empty"], env) for _ in range(repeats)]
    window = [_probe(["window", str(path)], env) for _ in range(repeats)]
    full = _probe(["window", str(path), "--full"], env)
    start = statistics.median(w["start_s"] for w in window)
    start_base = statistics.median(e["start_s"] for e in empty)
    peak = statistics.median(w["peak_mb"] for w in window)
    peak_base = statistics.median(e["peak_mb"] for e in empty)
    sorts = full["sort_ms"]
    slowest_sort = max(sorts, key=sorts.get)
    searches = {k: v for k, v in full["search_ms"].items() if not k.endswith("(count)")}
    slowest_search = max(searches, key=searches.get)
    filters = full["filter_ms"]
    slowest_filter = max(filters, key=filters.get)
    rows = [
        Row(
            "start to first painted claims table",
            start,
            "s",
            "≤ 1.5 × empty window",
            start_base,
            1.5,
            note=f"median of {repeats} starts each",
        ),
        Row("peak memory at first paint", peak, "MB", "≤ 1.6 × empty window", peak_base, 1.6),
        Row(
            "memory after scrolling to the last claim",
            full["scrolled_rss_mb"],
            "MB",
            "< 150 MB",
            None,
            150,
            note=f"{full['rss_after_all_mb']:.0f} MB after every sort, search and filter below as well",
        ),
        Row(
            "sort by any table column (slowest)",
            sorts[slowest_sort],
            "ms",
            "< 250 ms",
            None,
            250,
            note=f"slowest: {slowest_sort}",
        ),
        Row(
            "text search, first page + total count (slowest)",
            searches[slowest_search],
            "ms",
            "< 25 ms",
            None,
            25,
            note=f"slowest: {slowest_search!r}",
        ),
        Row(
            "any filter combination (slowest)",
            filters[slowest_filter],
            "ms",
            "< 250 ms",
            None,
            250,
            note=f"slowest: {slowest_filter}",
        ),
    ]
    stalls = full["stall_ms"]
    worst = max(stalls, key=stalls.get)
    rows.append(
        Row(
            "longest event-loop stall during background work",
            stalls[worst],
            "ms",
            "< 100 ms",
            None,
            100,
            note="; ".join(f"{k} {v:.0f} ms" for k, v in stalls.items()),
        )
    )
    return rows, full


# ---- store rows: in this process ------------------------------------------------------------------


def grade_save_row(path: Path, edits: int) -> Row:
    """p99 of Store.set_review_field over `edits` grade edits, against a bare UPDATE + commit."""
    from desktop.core.model import ReviewField
    from desktop.store import Store

    rng = random.Random(7)
    store = Store.open(path)
    total = store.count_claims()
    letters = "ABCDEF"
    timings = []
    # As the window does: saves leave the log alone, a background connection checkpoints it.
    store.defer_checkpoints()
    stop = threading.Event()

    def checkpoints() -> None:
        worker = store.worker_connection()
        try:
            while not stop.wait(0.5):
                worker.checkpoint()
        finally:
            worker.close()

    background = threading.Thread(target=checkpoints)
    background.start()
    try:
        for _ in range(edits):
            claim_id = rng.randint(1, total)
            start = time.perf_counter()
            store.set_review_field(claim_id, "bench", ReviewField.RELIABILITY, rng.choice(letters))
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        stop.set()
        background.join()
        store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    plain = []
    for _ in range(edits):
        claim_id = rng.randint(1, total)
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            "UPDATE reviews SET credibility = ? WHERE claim_id = ? AND reviewer = 'bench'",
            [rng.randint(1, 6), claim_id],
        )
        conn.execute("COMMIT")
        plain.append((time.perf_counter() - start) * 1000)
    conn.close()
    p99 = statistics.quantiles(timings, n=100)[98]
    plain_p99 = statistics.quantiles(plain, n=100)[98]
    return Row(
        f"saving one grade, p99 of {edits:,}",
        p99,
        "ms",
        "< 2 ms",
        None,
        2,
        note=f"a bare UPDATE + COMMIT has p99 {plain_p99:.2f} ms; median save {statistics.median(timings):.2f} ms",
    )


def write_import_csv(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    verdicts = ("true", "mostly-true", "half-true", "barely-true", "false", "pants-fire")
    words = [
        "officials",
        "said",
        "forces",
        "reported",
        "convoy",
        "near",
        "border",
        "village",
        "losses",
        "bridge",
        "talks",
        "drone",
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim", "speaker", "date", "url", "verdict"])
        for number in range(rows):
            text = " ".join(rng.choice(words) for _ in range(30)) + f" ({number})"
            writer.writerow(
                [
                    text,
                    f"Speaker {rng.randint(1, 5000)}",
                    "2026-10-01",
                    f"https://example.org/claims/{number}",
                    rng.choice(verdicts),
                ]
            )


def import_mapping() -> Any:
    """The mapping for write_import_csv's columns, with the six-level verdict preset."""
    from desktop.io.importing.mapping import Mapping

    columns = {"text": "claim", "source": "speaker", "date": "date", "url": "url", "verdict": "verdict"}
    return Mapping(columns=columns, verdict_preset="six-level")


def import_row(folder: Path, rows: int, seed: int) -> Row:
    source = folder / "import.csv"
    write_import_csv(source, rows, seed)
    # Baseline: read the same rows with the csv module and insert them with one executemany.
    plain_path = folder / "plain.db"
    start = time.perf_counter()
    conn = sqlite3.connect(plain_path)
    conn.execute("CREATE TABLE rows (claim TEXT, speaker TEXT, date TEXT, url TEXT, verdict TEXT)")
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?)", reader)
    conn.commit()
    conn.close()
    baseline = rows / (time.perf_counter() - start)
    try:
        from desktop.io.importing.run import load_dataset, plan_import, write_import
        from desktop.store import Store
    except ImportError as error:
        return Row(
            f"CSV import of {rows:,} rows",
            None,
            "rows/s",
            "≥ 60 % of plain executemany",
            baseline,
            0.6,
            at_least=True,
            note=f"not available: {error}",
        )
    target = folder / "imported.db"
    start = time.perf_counter()
    store = Store.open(target, create=True)
    try:
        plan = plan_import(load_dataset(source), import_mapping())
        write_import(store, plan, "bench")
    finally:
        store.close()
    rate = rows / (time.perf_counter() - start)
    return Row(
        f"CSV import of {rows:,} rows",
        rate,
        "rows/s",
        "≥ 60 % of plain executemany",
        baseline,
        0.6,
        at_least=True,
        note="import covers reading, mapping, sources, verdict grades and full-text indexing",
    )


def _export_seconds(path: Path, fmt: str, target: Path, options: Any = None) -> float:
    from desktop.core.model import ClaimQuery
    from desktop.io.export import export
    from desktop.store import Store

    store = Store.open(path, read_only=True)
    try:
        start = time.perf_counter()
        export(store, ClaimQuery(REVIEWERS[0]), fmt, target, options)
        return time.perf_counter() - start
    finally:
        store.close()


def export_rows(path: Path, folder: Path, claims: int) -> list[Row]:
    try:
        from desktop.io.export import ExportOptions
    except ImportError as error:
        missing = f"not available: {error}"
        return [
            Row(
                f"CSV export of {claims:,} claims",
                None,
                "s",
                "≤ 3 × sqlite3 shell CSV",
                None,
                3,
                note=missing,
            ),
            Row("ClaimReview JSON-LD export", None, "s", "≤ 1.5 × JSON export", None, 1.5, note=missing),
        ]
    rows = []
    ours = _export_seconds(path, "csv", folder / "out.csv")
    shell = shutil.which("sqlite3")
    if shell is None:
        rows.append(
            Row(
                f"CSV export of {claims:,} claims",
                ours,
                "s",
                "≤ 3 × sqlite3 shell CSV",
                None,
                3,
                note="skipped: the sqlite3 command-line shell is not installed, so there is no baseline",
            )
        )
    else:
        # The same rows: one per claim and review, with the claim's first cited source.
        sql = (
            "SELECT c.id, c.text, r.reliability, r.credibility, r.status, r.reviewer, r.updated_at, r.rationale, "
            "(SELECT s.name FROM chain_hops h JOIN sources s ON s.id = h.source_id "
            " WHERE h.claim_id = c.id AND h.position = 0 ORDER BY h.chain LIMIT 1) "
            "FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id ORDER BY c.id"
        )
        start = time.perf_counter()
        with (folder / "shell.csv").open("wb") as out:
            subprocess.run([shell, "-readonly", "-csv", "-header", str(path), sql], stdout=out, check=True)
        baseline = time.perf_counter() - start
        rows.append(
            Row(f"CSV export of {claims:,} claims", ours, "s", "≤ 3 × sqlite3 shell CSV", baseline, 3)
        )
    as_json = _export_seconds(path, "json", folder / "out.json")
    options = ExportOptions(publisher_name="Bench Checkers", publisher_url="https://example.org/checks/")
    claimreview = _export_seconds(path, "claimreview", folder / "out.jsonld", options)
    rows.append(Row("ClaimReview JSON-LD export", claimreview, "s", "≤ 1.5 × JSON export", as_json, 1.5))
    return rows


def _timed_first_open(path: Path) -> float:
    """Open once so the day's automatic backup is made before anything is timed."""
    from desktop.store import Store

    start = time.perf_counter()
    Store.open(path).close()
    return time.perf_counter() - start


def _keep_details(
    measured: tuple[list[Row], dict[str, Any]], rows: list[Row], details: dict[str, Any]
) -> None:
    found, full = measured
    rows.extend(found)
    details.update(full)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=None, help="claims in the generated file (1,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help="20,000 claims, fewer repeats: check every row runs"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    claims = args.claims or (20_000 if args.quick else 1_000_000)
    repeats = 1 if args.quick else 3
    work = Path(tempfile.mkdtemp(prefix="corroborate-bench-run-", dir=cache_dir()))
    # Settings, backups and logs of the measured runs stay out of the person's own folders.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "LOG"):
        env[f"CORROBORATE_{name}_DIR"] = str(work / name.lower())
    os.environ.update({k: v for k, v in env.items() if k.startswith("CORROBORATE_")})
    steps: list[tuple[str, Callable[[], Any]]] = []
    rows: list[Row] = []
    details: dict[str, Any] = {}  # the window's figure for each sort, search and filter
    try:
        started = time.perf_counter()
        # An installed program starts from compiled bytecode; measure that, not a first compile.
        compileall.compile_dir(Path(__file__).resolve().parents[2] / "desktop", quiet=1)
        print(f"Generating (or reusing) a file of {claims:,} claims…", flush=True)
        path = generated_file(claims, args.seed)
        print(f"  {path} ({path.stat().st_size / 2**20:,.0f} MB) in {time.perf_counter() - started:.1f} s")
        first_open = _timed_first_open(path)
        print(f"  first open of the day (checks and the daily backup): {first_open:.1f} s", flush=True)
        steps = [
            (
                "window start, memory, sort, search, filters, stalls",
                lambda: _keep_details(gui_rows(path, env, repeats), rows, details),
            ),
            ("exports", lambda: rows.extend(export_rows(path, work, claims))),
        ]
        for label, step in steps:
            print(f"Measuring {label}…", flush=True)
            step()
        print("Measuring grade saves…", flush=True)
        copy = work / "grades.db"
        shutil.copyfile(path, copy)
        rows.append(grade_save_row(copy, 200 if args.quick else 1_000))
        copy.unlink()
        print("Measuring CSV import…", flush=True)
        rows.append(import_row(work, claims, args.seed))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    order = [
        "start",
        "peak",
        "memory",
        "sort",
        "text",
        "any",
        "saving",
        "CSV import",
        "CSV export",
        "Claim",
        "longest",
    ]
    rows.sort(key=lambda r: next((i for i, p in enumerate(order) if r.what.startswith(p)), len(order)))
    print_table(rows, claims)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": [dict(r.__dict__, ratio=r.ratio, verdict=r.verdict) for r in rows],
                    "window": details,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
