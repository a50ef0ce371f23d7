"""How long merging a widely cited source takes, and what the window's thread feels meanwhile.

    python -m tests.bench.merge [--claims N] [--cited K]

On a copy of the generated file (see generate.py; 1,000,000 claims by default), the hops of enough
sources are moved onto one that it is cited by about K claims (50,000 by default); then that source
is merged into another through `Store.apply` on a worker thread, as the window does, and the merge is
undone the same way. A 5 ms heartbeat on the main thread (a plain Python thread: no window is needed
for the interpreter's own hand-offs) gives the longest stall. The baseline, taken on the same copy in
the same run, is the least work any merge of those claims must do: taking their search documents out
of the full-text index and putting them back once, in one transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import __main__ as bench
from tests.bench.generate import cache_dir, generated_file


class Heartbeat:
    """A thread that wakes every 5 ms and notes the longest gap between its wake-ups."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(0.005):
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def concentrate(path: Path, cited: int) -> tuple[int, int, int]:
    """Move hops onto the most cited source until about `cited` claims cite it: (its id, another's, claims)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        counts = conn.execute(
            "SELECT source_id, count(*) FROM chain_hops GROUP BY source_id ORDER BY 2 DESC, 1"
        ).fetchall()
        target, other = counts[0][0], counts[1][0]
        total, donors = counts[0][1], []
        for source_id, n in counts[2:]:
            if total >= cited:
                break
            donors.append(source_id)
            total += n
        marks = ", ".join("?" for _ in donors)
        conn.execute(f"UPDATE chain_hops SET source_id = ? WHERE source_id IN ({marks})", [target, *donors])
        conn.commit()
        n = conn.execute("SELECT count(*) FROM chain_hops WHERE source_id = ?", [target]).fetchone()[0]
        return target, other, int(n)
    finally:
        conn.close()


def least_work(path: Path, source_ids: tuple[int, int]) -> float:
    """Seconds to take the claims' documents out of the index and put them back once (rolled back)."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        claims = "SELECT claim_id FROM chain_hops WHERE source_id IN (?, ?)"
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO search_fts(search_fts, rowid, body) SELECT 'delete', d.id, d.body "
            f"FROM search_documents d WHERE d.id IN ({claims})",
            source_ids,
        )
        conn.execute(
            f"INSERT INTO search_fts(rowid, body) SELECT d.id, d.body FROM search_documents d WHERE d.id IN ({claims})",
            source_ids,
        )
        elapsed = time.perf_counter() - started
        conn.execute("ROLLBACK")
        return elapsed
    finally:
        conn.close()


def on_a_worker(path: Path, edit: object) -> tuple[float, float, object]:
    """(seconds, longest main-thread stall in ms, what was applied) for `edit` saved on a worker thread."""
    from desktop.store import Store, opening

    result: dict[str, object] = {}

    def work() -> None:
        # What Store.worker_connection gives the window's worker: the file's connection, no checks.
        store = Store(opening.connect(path), path)
        try:
            result["applied"] = store.apply(edit, "bench", cancelled=lambda: False)  # type: ignore[arg-type]
        finally:
            store.close()

    with Heartbeat() as heart:
        started = time.perf_counter()
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        elapsed = time.perf_counter() - started
    return elapsed, heart.longest * 1000, result["applied"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.merge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--cited", type=int, default=50_000, help="claims citing the merged source")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from desktop.core.edits import MergeSources

    source = generated_file(args.claims, args.seed)
    work = Path(tempfile.mkdtemp(prefix="corroborate-bench-merge-", dir=cache_dir()))
    try:
        copy = work / "merge.db"
        shutil.copy(source, copy)
        print(f"Moving hops onto one source of a copy of {source.name}…", flush=True)
        merged, kept, cited = concentrate(copy, args.cited)
        baseline = least_work(copy, (kept, merged))
        seconds, stall, applied = on_a_worker(copy, MergeSources(kept, merged))
        back_seconds, back_stall, _ = on_a_worker(copy, applied.inverse)  # type: ignore[attr-defined]
        rows = [
            bench.Row(
                f"merge a source cited by {cited:,} claims",
                seconds,
                "s",
                "—",
                baseline=baseline,
                note="baseline: those claims' search documents out of the index and back, once",
            ),
            bench.Row("separate them again (undo)", back_seconds, "s", "—", baseline=baseline),
            bench.Row(
                "longest stall of the main thread meanwhile",
                max(stall, back_stall),
                "ms",
                "< 100 ms",
                limit=100,
            ),
        ]
        bench.print_table(rows, args.claims)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
