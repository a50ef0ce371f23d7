"""The store's connection to its file: sqlite3 under sqlite-utils' rules, with sqlite-utils loaded on demand.

Why not a `sqlite_utils.Database` from the start: importing sqlite-utils brings its command-line
and plugin machinery with it (click, pluggy, dateutil…), about 13 MB and tens of milliseconds on
every start, while showing a file needs only plain statements. So `Connection` answers `execute`
itself, exactly as `Database.execute` does (a write outside a transaction is committed at once),
and hands everything else (transactions, scripts inside a transaction, migrations) to a real
`Database` over the same sqlite3 connection, made the first time one is needed. The window loads
the library in the background once its first page is painted (`preload_library`), so the first
edit does not wait for it.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

# Statements that begin or end a transaction themselves: never committed behind the caller's back.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


# What may stand before a statement's first word: space, empty statements, a byte-order mark, comments.
_LEADING = re.compile(r"(?:[\s;\ufeff]+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_]*")


def _first_keyword(sql: str) -> str:
    """The statement's first keyword in capitals ("" when there is none)."""
    start = _LEADING.match(sql)
    word = _WORD.match(sql, start.end() if start else 0)
    return word.group(0).upper() if word else ""


class Connection:
    """One sqlite3 connection with the part of sqlite-utils' `Database` interface the store uses."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._database: Database | None = None
        # As sqlite-utils sets it on every connection it opens: triggers may fire triggers.
        self.execute("PRAGMA recursive_triggers = on")

    @classmethod
    def to_file(cls, path: Path) -> Connection:
        return cls(sqlite3.connect(str(path)))

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; a write outside a transaction is committed at once (as sqlite-utils does)."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed write's implicit transaction would capture the next
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self.database().executescript(sql)

    def atomic(self) -> AbstractContextManager[Any]:
        """One transaction (a savepoint when one is open already): sqlite-utils' own."""
        return self.database().atomic()

    def database(self) -> Database:
        """sqlite-utils' `Database` over this same connection, for migrations and transactions."""
        if self._database is None:
            from sqlite_utils import Database

            # The pragma is set already; no plugins (looking for them reads every installed package).
            self._database = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._database

    def close(self) -> None:
        self.conn.close()


def preload_library() -> None:
    """Import sqlite-utils on a thread of its own, so the first edit finds it loaded."""
    threading.Thread(target=importlib.import_module, args=("sqlite_utils",), daemon=True).start()
