"""Fuzz every importer and the search box with hypothesis for a set time.

    python -m tests.fuzz --seconds 600 [--target NAME ...] [--seed S]

Run from the repository root. Works in a temporary folder on copies of sample.db, with
Corroborate's data folder pointed there too. Round after round, each target gets a batch of
generated files (random bytes, mutated and re-encoded seed files, well-formed files full of odd
characters) and the search box a batch of any text, until the time is up. The first input that
breaks the rule (imported whole, or refused with a CorroborateError naming the file, leaving the
file as it was) is written to the working folder and the command exits 1.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from tests.fuzz.targets import Target

BATCH = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run (default 60)")
    parser.add_argument("--target", action="append", help="only this importer (repeat); 'search' for search")
    parser.add_argument("--seed", type=int, default=None, help="random seed, to repeat a run")
    args = parser.parse_args(argv)
    # Mutated copies of a database are large; hypothesis warns each time it prints one.
    warnings.filterwarnings("ignore", message="Generating overly large repr")
    from tests.fuzz.targets import scratch_folder

    work = scratch_folder("corroborate-fuzz-")
    os.environ["CORROBORATE_DATA_DIR"] = str(work / "data")
    # Imported only now, so the data folder above is the one every part sees.
    from tests.fuzz.targets import HostileInputBug, discover

    targets = [t for t in discover() if not args.target or t.name in args.target]
    with_search = not args.target or "search" in args.target
    names = [t.name for t in targets] + (["search"] if with_search else [])
    if not names:
        parser.error(f"no such target; known: {', '.join(t.name for t in discover())}, search")
    run_seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"fuzzing {', '.join(names)} for {args.seconds:g} s (seed {run_seed}); working in {work}")
    deadline = time.monotonic() + args.seconds
    tried = dict.fromkeys(names, 0)
    round_number = 0
    try:
        while time.monotonic() < deadline:
            for target in targets:
                if time.monotonic() >= deadline:
                    break
                tried[target.name] += _fuzz_target(target, run_seed + round_number, work)
            if with_search and time.monotonic() < deadline:
                tried["search"] += _fuzz_search(run_seed + round_number, work)
            round_number += 1
    except HostileInputBug as error:
        print(f"FAILED: {error}")
        print(f"the failing input and the working copy are kept in {work}")
        return 1
    for name, count in tried.items():
        print(f"  {name:<24} {count:>7} inputs")
    print("result: OK")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _settings() -> settings:
    return settings(max_examples=BATCH, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _fuzz_target(target: Target, seed_value: int, work: Path) -> int:
    """One batch of generated files for one importer; returns how many were tried."""
    from tests.fuzz.corpus import hostile_bytes
    from tests.fuzz.targets import HostileInputBug, check

    count = 0
    inputs = st.sampled_from(target.suffixes).flatmap(
        lambda suffix: st.tuples(st.just(suffix), hostile_bytes(suffix))
    )

    @seed(seed_value)
    @_settings()
    @given(inputs)
    def fuzz_one(case: tuple[str, bytes]) -> None:
        nonlocal count
        suffix, data = case
        try:
            check(target, data, suffix, work)
        except HostileInputBug:
            # Every failing input is kept; hypothesis shrinks, so the smallest is the simplest case.
            kept = len(list(work.glob("failing-*")))
            (work / f"failing-{kept:04d}-{target.name}{suffix}").write_bytes(data)
            raise
        count += 1

    fuzz_one()
    return count


def _fuzz_search(seed_value: int, work: Path) -> int:
    """One batch of any text in the search box, with every sort order."""
    from desktop.core.errors import CorroborateError
    from desktop.core.model import ClaimQuery, SortKey
    from tests.fuzz.targets import HostileInputBug, fresh_store

    count = 0
    folder = work / "search"
    folder.mkdir(exist_ok=True)
    store = fresh_store(folder)

    @seed(seed_value)
    @_settings()
    @given(st.text(), st.sampled_from(list(SortKey)))
    def search_one(text: str, sort: SortKey) -> None:
        nonlocal count
        try:
            ids = store.claim_ids(ClaimQuery("fuzz", text=text, sort=sort))
        except CorroborateError as error:
            if not error.message.strip():
                raise HostileInputBug(f"search {text!r}: refused with an empty message") from error
        except Exception as error:
            raise HostileInputBug(f"search {text!r}: {type(error).__name__}: {error}") from error
        else:
            if set(store.claim_rows(list(ids), "fuzz")) != set(ids):
                raise HostileInputBug(f"search {text!r}: rows do not match the ids")
        count += 1

    try:
        search_one()
    finally:
        store.close()
    return count


if __name__ == "__main__":
    sys.exit(main())
