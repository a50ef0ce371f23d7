"""Crash-safety stress: kill a writing process at random moments; nothing it acknowledged may be lost.

    python -m tests.stress.kill [--kills N] [--db PATH] [--seed S] [--json]

Run from the repository root. Works on a copy of PATH (default: the committed sample.db) in a
temporary folder, with Corroborate's data folder (backups) pointed there too; PATH itself is
never written. Each round starts a child process that opens the copy with `Store.open` and
applies random review edits through `Store.set_review_field`, printing one acknowledgement
line per edit once the call has returned (the edit is committed) and flushing it. The parent
kills the child with SIGKILL at a random moment: about one round in five while it is still
starting or opening the file (lock takeover, integrity check, backup), the rest while it is
writing. After each kill, through a plain read-only sqlite3 connection, it checks that:
  - `PRAGMA integrity_check` says ok;
  - every acknowledged edit is in change_log, in order, followed by at most one edit that was
    committed but killed before its acknowledgement could be printed;
  - the reviews table equals a replay of the change log (no edit half-applied).
At the end every backup made along the way must pass its integrity check too. Prints a
summary table (or JSON with --json); exits 1 if anything was lost or damaged.

`tests/unit/test_kill.py` runs a short version (50 kills); the full proof is
`python -m tests.stress.kill --kills 1000` (5 to 15 minutes, depending on the machine and its load).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
REVIEWER = "stress-tester"
DATA_DIR_ENV = "CORROBORATE_DATA_DIR"
# How long a child may take to open the file before the round counts as a failure.
READY_TIMEOUT = 60.0


@dataclass
class Summary:
    """What the stress run did and found."""

    kills: int = 0
    kills_while_opening: int = 0
    kills_while_writing: int = 0
    edits_acknowledged: int = 0
    acknowledged_found: int = 0
    committed_unacknowledged: int = 0
    lost: int = 0
    integrity_failures: int = 0
    half_applied: int = 0
    child_failures: int = 0
    backups_checked: int = 0
    damaged_backups: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.integrity_failures
            or self.half_applied
            or self.child_failures
            or self.damaged_backups
        )


def digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


# ---- the child: a writer that acknowledges every committed edit ------------------------


def run_child(db: Path, seed: int) -> None:
    """Apply random edits forever, printing `ack <json>` after each committed one."""
    from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
    from desktop.core.model import ClaimQuery, ReviewField
    from desktop.store import Store

    store = Store.open(db, reviewer=REVIEWER)
    ids = list(store.claim_ids(ClaimQuery(reviewer=REVIEWER)))
    rng = random.Random(seed)
    # Saving loads sqlite-utils, which opening does not (store/connection.py); the window loads it
    # once it has painted. Loaded here before "ready", so the kills fall among the edits.
    importlib.import_module("sqlite_utils")
    print("ready", flush=True)
    fields = list(ReviewField)
    number = 0
    while True:
        number += 1
        claim_id = rng.choice(ids)
        review_field = rng.choice(fields)
        value: str | int | None
        if review_field is ReviewField.RELIABILITY:
            value = rng.choice([*RELIABILITY_LABELS, None])
        elif review_field is ReviewField.CREDIBILITY:
            value = rng.choice([*CREDIBILITY_LABELS, None])
        elif review_field is ReviewField.STATUS:
            value = rng.choice(list(Status)).value
        else:
            # Now and then a long rationale, so edits also allocate new and overflow pages.
            length = rng.choice([0, 20, 200, 5_000, 40_000])
            value = f"seed {seed} edit {number}: " + "evidence " * (length // 9)
        store.set_review_field(claim_id, REVIEWER, review_field, value)
        stored = None if value is None else str(value)
        # A digest keeps each line short enough to be written in one piece (below PIPE_BUF).
        sys.stdout.write(
            "ack " + json.dumps([claim_id, f"review.{review_field.value}", digest(stored)]) + "\n"
        )
        sys.stdout.flush()


# ---- the parent: kill, then check ---------------------------------------------------------


class _Reader(threading.Thread):
    """Collects the child's output lines; a line fully written before the kill is never missed."""

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.acks: list[tuple[int, str, str | None]] = []
        self.ready = threading.Event()

    def run(self) -> None:
        for raw in self.stream:
            if not raw.endswith(b"\n"):
                break  # cut short by the kill: the edit was committed but not acknowledged
            line = raw.decode("utf-8").rstrip("\n")
            if line == "ready":
                self.ready.set()
            elif line.startswith("ack "):
                claim_id, field_name, value = json.loads(line[4:])
                self.acks.append((claim_id, field_name, value))
        self.ready.set()  # end of output: nobody waits any longer


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro", uri=True)


def _last_change_id(db: Path) -> int:
    conn = _read_only(db)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0])
    finally:
        conn.close()


def _check_round(db: Path, after_id: int, acks: list[tuple[int, str, str | None]], summary: Summary) -> None:
    conn = _read_only(db)
    try:
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if verdict != ["ok"]:
            summary.integrity_failures += 1
            summary.problems.append(f"round {summary.kills}: integrity_check: {verdict[:3]}")
            return
        logged = [
            (row[0], row[1], digest(row[2]))
            for row in conn.execute(
                "SELECT claim_id, field, new_value FROM change_log WHERE id > ? AND reviewer = ? ORDER BY id",
                [after_id, REVIEWER],
            )
        ]
        found = sum(1 for ack, row in zip(acks, logged, strict=False) if ack == row)
        summary.edits_acknowledged += len(acks)
        summary.acknowledged_found += found
        if logged[: len(acks)] != acks:
            summary.lost += len(acks) - found
            summary.problems.append(f"round {summary.kills}: {len(acks) - found} acknowledged edits missing")
        extra = len(logged) - len(acks)
        if extra > 1:
            summary.problems.append(
                f"round {summary.kills}: {extra} unacknowledged edits (at most 1 expected)"
            )
            summary.lost += 1
        summary.committed_unacknowledged += max(extra, 0)
        if not _reviews_match_log(conn):
            summary.half_applied += 1
            summary.problems.append(f"round {summary.kills}: reviews differ from the change log replay")
    finally:
        conn.close()


def _reviews_match_log(conn: sqlite3.Connection) -> bool:
    replay: dict[tuple[int, str], str | None] = {}
    for claim_id, field_name, value in conn.execute(
        "SELECT claim_id, field, new_value FROM change_log WHERE reviewer = ? AND field LIKE 'review.%' ORDER BY id",
        [REVIEWER],
    ):
        replay[(claim_id, field_name.removeprefix("review."))] = value
    stored: dict[tuple[int, str], str | None] = {}
    claims_with_reviews = set()
    for claim_id, reliability, credibility, status, rationale in conn.execute(
        "SELECT claim_id, reliability, credibility, status, rationale FROM reviews WHERE reviewer = ?",
        [REVIEWER],
    ):
        claims_with_reviews.add(claim_id)
        for name, value in (
            ("reliability", reliability),
            ("credibility", credibility),
            ("status", status),
            ("rationale", rationale),
        ):
            if (claim_id, name) in replay:
                stored[(claim_id, name)] = None if value is None else str(value)
    return stored == replay and claims_with_reviews == {claim_id for claim_id, _ in replay}


def _check_backups(data_dir: Path, summary: Summary) -> None:
    for backup in sorted((data_dir / "backups").glob("*/*.db")):
        summary.backups_checked += 1
        conn = _read_only(backup)
        try:
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        if verdict != ["ok"]:
            summary.damaged_backups += 1
            summary.problems.append(f"backup {backup.name}: {verdict[:3]}")


def run(kills: int, source: Path, workdir: Path, seed: int) -> Summary:
    """Kill `kills` writers working on a copy of `source` inside `workdir`; returns what was found."""
    rng = random.Random(seed)
    db = workdir / "stress.db"
    shutil.copyfile(source, db)
    data_dir = workdir / "data"
    env = {**os.environ, DATA_DIR_ENV: str(data_dir)}
    summary = Summary()
    started = time.monotonic()
    for round_number in range(kills):
        after_id = _last_change_id(db)
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.stress.kill",
                "--child",
                str(db),
                "--seed",
                str(seed * 100_000 + round_number),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        reader = _Reader(child.stdout)
        reader.start()
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.25))  # most likely still starting up or opening the file
        else:
            reader.ready.wait(READY_TIMEOUT)
            time.sleep(rng.uniform(0.0, 0.06))
        opening = not reader.ready.is_set()
        child.kill()
        child.wait()
        reader.join()
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        summary.kills += 1
        if opening:
            summary.kills_while_opening += 1
        else:
            summary.kills_while_writing += 1
        if child.returncode != -9 and os.name != "nt":
            # It ended on its own before the kill: something went wrong in it.
            summary.child_failures += 1
            summary.problems.append(f"round {round_number}: child ended by itself: {stderr.strip()[-500:]}")
        _check_round(db, after_id, reader.acks, summary)
    _check_backups(data_dir, summary)
    summary.seconds = round(time.monotonic() - started, 1)
    return summary


def _table(summary: Summary) -> str:
    rows = [
        ("kills", summary.kills),
        ("  while opening or starting", summary.kills_while_opening),
        ("  while writing", summary.kills_while_writing),
        ("edits acknowledged", summary.edits_acknowledged),
        ("acknowledged edits found", summary.acknowledged_found),
        ("committed, not yet acknowledged", summary.committed_unacknowledged),
        ("acknowledged edits lost", summary.lost),
        ("integrity check failures", summary.integrity_failures),
        ("half-applied edits", summary.half_applied),
        ("children that died by themselves", summary.child_failures),
        ("backups checked", summary.backups_checked),
        ("damaged backups", summary.damaged_backups),
        ("seconds", summary.seconds),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value:>8}" for label, value in rows]
    lines.append(f"{'result':<{width}}  {'OK' if summary.ok else 'FAILED':>8}")
    lines.extend(f"  {problem}" for problem in summary.problems[:20])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.stress.kill", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--kills", type=int, default=1000, help="how many times to kill the writer (default 1000)"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=REPO_ROOT / "sample.db",
        help="file to start from; a copy is used (default sample.db)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="random seed, to repeat a run (default: random)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.child is not None:
        run_child(args.child, seed)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="corroborate-kill-"))
    summary = run(args.kills, args.db, workdir, seed)
    if args.json:
        print(json.dumps({**asdict(summary), "ok": summary.ok, "seed": seed, "workdir": str(workdir)}))
    else:
        print(f"seed {seed}, working copy in {workdir}")
        print(_table(summary))
    if summary.ok:
        shutil.rmtree(workdir, ignore_errors=True)
    elif not args.json:
        print(f"the working copy is kept for inspection: {workdir}")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
