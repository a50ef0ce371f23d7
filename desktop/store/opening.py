"""Opening a file safely: recognise it before writing a single byte, then configure and migrate.

A file that is not SQLite, not ours, or from a newer version is refused and left
byte-for-byte untouched: every check here reads through a read-only connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from desktop.core.errors import (
    NewerSchemaError,
    NotCorroborateFileError,
    NotSQLiteError,
)
from desktop.store.connection import Connection
from desktop.store.schema import APPLICATION_ID, migrations

SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """Whether `path` begins as every SQLite database does (False when it cannot be read at all)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _read_only_uri(path: Path) -> str:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    # A read-only connection to a WAL-mode file creates -wal and -shm beside it and leaves them
    # there. With no -wal present there is nothing beyond the main file to read, so reading it
    # as immutable sees the same content and creates nothing.
    if not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def inspect_existing(path: Path) -> None:
    """Raise an expected error if `path` must not be opened for writing; never modifies it."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotSQLiteError(f"{path} is not a Corroborate file: it is not an SQLite database.")
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = migrations.applied_names(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise NotSQLiteError(
            f"{path} looks like an SQLite database but cannot be read ({error}). "
            "It may be damaged or truncated."
        ) from error
    if app_id != APPLICATION_ID:
        if tables:
            raise NotCorroborateFileError(
                f"{path} is an SQLite database, but not a Corroborate file "
                f"(it holds other tables: {', '.join(sorted(tables)[:5])})."
            )
        return  # an empty SQLite file: safe to set up as ours
    known = migrations.names()
    unknown = [name for name in applied if name not in known]
    if unknown:
        ours = len(known)
        raise NewerSchemaError(
            f"{path} was written by a newer version of Corroborate (schema version "
            f"{len(applied)}; this version understands up to {ours}). Update Corroborate to open it."
        )


def connect(path: Path) -> Connection:
    """Open (creating if absent) with the pragmas every connection needs, then migrate.

    A file that has every step already (nearly every open) is not handed to sqlite-utils at all.
    """
    db = configured(Connection.to_file(path))
    if migrations.pending_names(db.conn):
        migrations.apply(db.database())
    return db


def configured(db: Connection) -> Connection:
    """`db` with the pragmas every connection to a Corroborate file needs."""
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def schema_version(db: Connection) -> int:
    return len(migrations.applied_names(db.conn))
