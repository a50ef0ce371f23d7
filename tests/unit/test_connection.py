"""The store's connection behaves as sqlite-utils' Database does, and opening a file does not load sqlite-utils."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.store import Store
from desktop.store.connection import Connection

SAMPLE = Path(__file__).resolve().parents[2] / "sample.db"

# Statements a caller may send one at a time, in and out of transactions, some of them failing.
STATEMENTS = [
    "CREATE TABLE t (id INTEGER PRIMARY KEY, word TEXT NOT NULL)",
    "INSERT INTO t (word) VALUES ('one')",
    "INSERT INTO t (word) VALUES (NULL)",  # fails: NOT NULL
    "UPDATE t SET word = 'uno' WHERE id = 1",
    "-- a comment first\nBEGIN",
    "INSERT INTO t (word) VALUES ('two')",
    "/* and here */ SAVEPOINT inner_step",
    "INSERT INTO t (word) VALUES ('three')",
    "RELEASE inner_step",
    "COMMIT",
    "\ufeffDELETE FROM t WHERE word = 'two'",
    "SELECT count(*) FROM t",
    "  ;  INSERT INTO t (word) VALUES ('four')",
    "PRAGMA user_version = 7",
]


def _run(execute, conn: sqlite3.Connection) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    states = []
    for sql in STATEMENTS:
        try:
            execute(sql)
            outcome = "ok"
        except sqlite3.Error as error:
            outcome = type(error).__name__
        states.append((outcome, conn.in_transaction))
    return states


def test_execute_commits_and_rolls_back_exactly_as_sqlite_utils_does(tmp_path: Path) -> None:
    ours = Connection(sqlite3.connect(tmp_path / "ours.db"))
    theirs = Database(tmp_path / "theirs.db", execute_plugins=False)
    assert _run(ours.execute, ours.conn) == _run(theirs.execute, theirs.conn)
    ours.close()
    theirs.close()
    for name in ("ours.db", "theirs.db"):  # what was committed is what another connection reads
        reader = sqlite3.connect(tmp_path / name)
        rows = reader.execute("SELECT id, word FROM t ORDER BY id").fetchall()
        version = reader.execute("PRAGMA user_version").fetchone()[0]
        reader.close()
        assert (rows, version) == ([(1, "uno"), (3, "three"), (4, "four")], 7)


def test_a_transaction_rolls_back_whole_and_nests_as_a_savepoint(tmp_path: Path) -> None:
    db = Connection(sqlite3.connect(tmp_path / "t.db"))
    db.execute("CREATE TABLE t (word TEXT)")
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t VALUES ('kept only if all goes well')")
        with db.atomic():
            db.execute("INSERT INTO t VALUES ('inner')")
        raise RuntimeError("stop")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert not db.conn.in_transaction
    assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    db.close()


def test_opening_an_up_to_date_file_loads_nothing_of_sqlite_utils(tmp_path: Path) -> None:
    copy = tmp_path / "review.db"
    shutil.copyfile(SAMPLE, copy)
    script = (
        "import sys\n"
        "from desktop.store import Store\n"
        "from desktop.core.model import ClaimQuery\n"
        f"store = Store.open({str(copy)!r}, reviewer='ana')\n"
        "rows = store.claim_rows(store.claim_ids(ClaimQuery('ana')), 'ana')\n"
        "print(len(rows), 'sqlite_utils' in sys.modules)\n"
        "store.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    count, loaded = done.stdout.split()
    assert int(count) > 0 and loaded == "False"


def test_a_file_missing_steps_is_still_upgraded(tmp_path: Path) -> None:
    from desktop.store.schema import known_migration_names, migrations

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before=known_migration_names()[-1])
    old.close()
    store = Store.open(path)
    try:
        assert store.schema_version == len(known_migration_names())
    finally:
        store.close()


def test_source_names_follow_edits_on_this_connection_and_commits_on_others(tmp_path: Path) -> None:
    from desktop.core.edits import RenameSource

    copy = tmp_path / "review.db"
    shutil.copyfile(SAMPLE, copy)
    store = Store.open(copy, reviewer="ana")
    try:
        first = store.source_names()
        assert first == store.source_names()
        source_id, _ = first[0]
        store.apply(RenameSource(source_id, "Zulu desk"), "ana")
        assert (source_id, "Zulu desk") in store.source_names()
        other = sqlite3.connect(copy)
        other.execute("UPDATE sources SET name = 'Alpha desk' WHERE id = ?", [source_id])
        other.commit()
        other.close()
        assert store.source_names()[0] == (source_id, "Alpha desk")
    finally:
        store.close()
