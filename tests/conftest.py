"""Shared fixtures for every test: the committed sample file (copied, never written), a content dump,
and files written as an earlier version left them.

Qt-free on purpose: the unit tests must run without importing Qt; the GUI tests add their own conftest.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COMMITTED_SAMPLE = REPO_ROOT / "sample.db"

# When a migration step ran says nothing about the file's content.
IGNORED_COLUMNS = {("_sqlite_migrations", "applied_at")}

Dump = dict[str, Any]


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write and, being immutable, creates no -wal or -shm file beside `path`."""
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)


def _content_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables that hold data: not SQLite's own, not full-text indexes nor their shadow tables."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name
        for name, _ in rows
        if not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(v + "_") for v in virtual)
    ]


def content_dump(path: Path) -> Dump:
    """Everything a Corroborate file holds that matters, in a comparable form.

    Rows of every data table ordered by primary key (full-text indexes are derived data, checked
    through search instead), the schema text and the header fields that identify the file.
    """
    conn = read_only_connection(path)
    try:
        dump: Dump = {}
        for table in _content_tables(conn):
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [row[1] for row in info if (table, row[1]) not in IGNORED_COLUMNS]
            keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5] > 0] or columns
            select = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(f'"{c}"' for c in keys)
            dump[table] = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}').fetchall()
        dump["schema"] = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        dump["application_id"] = conn.execute("PRAGMA application_id").fetchone()[0]
        dump["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return dump


def _committed_sample_state() -> tuple[str, list[str]]:
    """The committed file's digest and what lies beside it (-wal, -shm, a lock)."""
    digest = hashlib.sha256(COMMITTED_SAMPLE.read_bytes()).hexdigest()
    beside = sorted(path.name for path in COMMITTED_SAMPLE.parent.glob(COMMITTED_SAMPLE.name + "?*"))
    return digest, beside


# Taken when pytest loads this file, before any test module is collected (collecting runs code too).
_SAMPLE_AT_START = _committed_sample_state()


@pytest.fixture(scope="session", autouse=True)
def committed_sample_untouched() -> Iterator[None]:
    """Tests only ever copy sample.db: even a read-only open would leave -wal and -shm beside it."""
    yield
    assert _committed_sample_state() == _SAMPLE_AT_START, "a test opened the committed sample.db, not a copy"


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, backups and logs go to the test's own folder (CLI subprocesses inherit this too)."""
    monkeypatch.setenv("CORROBORATE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CORROBORATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CORROBORATE_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("CORROBORATE_REVIEWER", raising=False)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the committed sample.db, free to be opened for writing."""
    target = tmp_path / "sample.db"
    shutil.copyfile(COMMITTED_SAMPLE, target)
    return target


@pytest.fixture
def dump_content() -> Callable[[Path], Dump]:
    """The content dump as a fixture, so test modules need not import this file."""
    return content_dump


# The schema step the files of `file_before_step` stop before.
STEP_AFTER_OLDER_FILES = "0009_search_passage_once"


def _file_before_step(path: Path, claims: list[tuple[str, str]]) -> Path:
    """A file as the version before STEP_AFTER_OLDER_FILES wrote it (its schema steps, then plain SQL,
    its triggers keeping its search index), holding `claims` (text, passage), each cited from one
    source; the first has a rationale and evidence too, so a document is more than the claim's words."""
    from sqlite_utils import Database

    from desktop.store.schema import migrations

    db = Database(path)
    migrations.apply(db, stop_before=STEP_AFTER_OLDER_FILES)
    conn = db.conn
    with conn:
        conn.execute(
            "INSERT INTO articles (id, title, text) VALUES (1, 'Ferry strike', 'The ferries stopped.')"
        )
        conn.execute(
            "INSERT INTO sources (id, name, name_key, kind) VALUES (1, 'Harbour Radio', 'harbour radio', 'outlet')"
        )
        for number, (text, passage) in enumerate(claims, start=1):
            conn.execute(
                "INSERT INTO claims (id, article_id, text, passage) VALUES (?, 1, ?, ?)",
                [number, text, passage],
            )
            conn.execute(
                "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation, is_origin) "
                "VALUES (?, 0, 0, 1, 'states', 1)",
                [number],
            )
        conn.execute(
            "INSERT INTO reviews (claim_id, reviewer, rationale, created_at, updated_at) "
            "VALUES (1, 'ana', 'Dockworkers confirm it', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z')"
        )
        conn.execute(
            "INSERT INTO evidence (claim_id, source_id, stance, excerpt, note, created_at, reviewer) "
            "VALUES (1, 1, 'corroborates', 'Union statement', 'posted at noon', '2026-12-01T09:00:00Z', 'ana')"
        )
    db.close()
    return path


@pytest.fixture
def file_before_step() -> Callable[[Path, list[tuple[str, str]]], Path]:
    return _file_before_step
