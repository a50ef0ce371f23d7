"""Every way a file from outside gets into a Corroborate file, as a target to feed hostile bytes to.

Targets are discovered from what exists: the dataset formats of `desktop.io.importing.FORMATS`
(each read as that format, and once more with the format guessed from the extension), the
article reader in `desktop.io.extract`, the reader of Corroborate's own JSON exports
(`desktop.io.import_json`) and the merge of another Corroborate file (`desktop.io.import_sqlite`).
A module that is missing simply contributes no target.

`check(target, data, suffix, work)` runs one import of `data` into a fresh copy of sample.db and
enforces the rule for hostile input: the import is whole, or it is refused with a CorroborateError
that names the file and leaves the Corroborate file exactly as it was. Anything else raises
HostileInputBug with what happened.
"""

from __future__ import annotations

import importlib
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from desktop.core.errors import CorroborateError
from desktop.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "sample.db"
REVIEWER = "fuzz"

# Imports `store` from the file at `path`; returns how many claims it says it added (None: unknown).
Importer = Callable[[Store, Path], "int | None"]


class HostileInputBug(AssertionError):
    """An importer broke the rule: it raised something else, half-imported, or damaged the file."""


@dataclass(frozen=True)
class Target:
    """One importer, the file name endings it is normally given, and how to call it."""

    name: str
    suffixes: tuple[str, ...]
    run: Importer


@dataclass(frozen=True)
class Outcome:
    """What one hostile file did: imported (with the claims it added) or refused (with the message)."""

    imported: bool
    claims_added: int
    message: str = ""


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            return None  # the module is not there (yet): no target
        raise


def _dataset_target(importing: Any, fmt: str | None, suffixes: tuple[str, ...]) -> Target:
    def run(store: Store, path: Path) -> int | None:
        dataset = importing.load_dataset(path, importing.ReadOptions(format=fmt))
        plan = importing.plan_import(dataset, importing.guess_mapping(dataset))
        result = importing.write_import(store, plan, REVIEWER)
        return len(result.written.claim_ids)

    return Target(f"dataset-{fmt or 'guessed'}", suffixes, run)


def discover() -> list[Target]:
    """The importers present in this version of the program."""
    targets: list[Target] = []
    importing = _optional("desktop.io.importing")
    if importing is not None:
        suffix_of = {"csv": (".csv",), "tsv": (".tsv",), "json": (".json",), "jsonl": (".jsonl",)}
        suffix_of["claimreview"] = (".json", ".html")
        for fmt in getattr(importing, "DATASET_FORMATS", ()):
            targets.append(_dataset_target(importing, fmt, suffix_of.get(fmt, (f".{fmt}",))))
        targets.append(_dataset_target(importing, None, (".csv", ".tsv", ".json", ".jsonl", ".txt")))
    extract = _optional("desktop.io.extract")
    if extract is not None and hasattr(extract, "read_article"):

        def run_article(store: Store, path: Path) -> int | None:
            article = extract.read_article(path)
            return len(extract.save_proposals(store, article, extract.propose(article)))

        targets.append(Target("article", (".txt", ".md", ".html"), run_article))
    import_json = _optional("desktop.io.import_json")
    if import_json is not None:

        def run_export(store: Store, path: Path) -> int | None:
            return int(import_json.load_export(store, path).added)

        targets.append(Target("corroborate-export", (".json", ".jsonl"), run_export))
    import_sqlite = _optional("desktop.io.import_sqlite")
    if import_sqlite is not None:

        def run_merge(store: Store, path: Path) -> int | None:
            return int(import_sqlite.load_corroborate_file(store, path).added)

        targets.append(Target("corroborate-file", (".db", ".sqlite"), run_merge))
    return targets


# ---- one run ---------------------------------------------------------------------------------


def scratch_folder(prefix: str) -> Path:
    """A new folder for the copies, in memory where the system offers one (/dev/shm).

    Each case copies, opens, writes and closes a Corroborate file; on a disk the syncs at each
    close dominate, in memory they cost nothing, and the files are thrown away anyway.
    """
    import os
    import tempfile

    memory = Path("/dev/shm")
    where = memory if memory.is_dir() and os.access(memory, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=where))


def fresh_store(work: Path) -> Store:
    """A copy of sample.db at the same path every time (so the daily backup is made only once)."""
    db = work / "target.db"
    for suffix in ("-wal", "-shm", ".lock"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(SAMPLE, db)
    return Store.open(db, reviewer=REVIEWER)


def fingerprint(db: Path) -> dict[str, tuple[int, int]]:
    """Rows and highest rowid of every table: any write, whole or half, changes it."""
    conn = sqlite3.connect(f"file:{quote(str(db))}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        found = {}
        for name in names:
            count = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            try:
                top = conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
            except sqlite3.OperationalError:
                top = 0  # a WITHOUT ROWID table: its count has to do
            found[name] = (count, top)
        return found
    finally:
        conn.close()


def _quick_check(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{quote(str(db))}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    finally:
        conn.close()


def check(target: Target, data: bytes, suffix: str, work: Path) -> Outcome:
    """Import `data` (written as a file ending in `suffix`) with `target`; enforce the rule."""
    source = work / f"hostile{suffix}"
    source.write_bytes(data)
    store = fresh_store(work)
    db = store.path
    try:
        before = fingerprint(db)
        try:
            added = target.run(store, source)
        except CorroborateError as error:
            after = fingerprint(db)
            if after != before:
                changed = sorted(name for name in after if after[name] != before.get(name))
                raise HostileInputBug(
                    f"{target.name}: refused ({error.message!r}) but changed tables {changed}: a half import"
                ) from error
            if not error.message.strip():
                raise HostileInputBug(f"{target.name}: refused with an empty message") from error
            if source.name not in error.message and str(source) not in error.message:
                raise HostileInputBug(
                    f"{target.name}: the refusal does not name the file: {error.message!r}"
                ) from error
            return Outcome(False, 0, error.message)
        except HostileInputBug:
            raise
        except RecursionError as error:
            raise HostileInputBug(f"{target.name}: RecursionError (nesting not limited)") from error
        except Exception as error:
            raise HostileInputBug(f"{target.name}: {type(error).__name__}: {error}"[:2000]) from error
        after = fingerprint(db)
        claims = after["claims"][0] - before["claims"][0]
        if added is not None and claims != added:
            raise HostileInputBug(f"{target.name}: said it added {added} claims, but {claims} are new")
        verdict = _quick_check(db)
        if verdict != ["ok"]:
            raise HostileInputBug(f"{target.name}: the file fails its check after the import: {verdict[:3]}")
        return Outcome(True, claims)
    finally:
        store.close()
