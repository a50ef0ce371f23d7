"""Opening files: anything not ours is refused and left exactly as it was; empty files are set up."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.errors import (
    CorroborateError,
    NewerSchemaError,
    NotCorroborateFileError,
    NotSQLiteError,
)
from desktop.store import Store
from desktop.store.schema import known_migration_names

CURRENT_SCHEMA = len(known_migration_names())

Maker = Callable[[Path, Path], None]


def _text_file(target: Path, sample: Path) -> None:
    target.write_text("claim,source\nThe bridge reopened,city council\n", encoding="utf-8")


def _png_like(target: Path, sample: Path) -> None:
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _first_bytes(count: int | None) -> Maker:
    def make(target: Path, sample: Path) -> None:
        data = sample.read_bytes()
        target.write_bytes(data[: count if count is not None else len(data) // 2])

    return make


def _other_application(target: Path, sample: Path) -> None:
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO recipes (title) VALUES ('lentil soup')")
    conn.commit()
    conn.close()


def _other_application_in_wal_mode(target: Path, sample: Path) -> None:
    _other_application(target, sample)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def _newer_corroborate(target: Path, sample: Path) -> None:
    """A Corroborate file that a later version has migrated one step further than this one knows."""
    Store.open(target, create=True).close()
    conn = sqlite3.connect(target)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('corroborate', '9999_from_the_future', '2031-01-01 00:00:00+00:00')"
    )
    conn.commit()
    conn.close()


REFUSED: list[tuple[str, Maker, type[CorroborateError]]] = [
    ("text", _text_file, NotSQLiteError),
    ("png", _png_like, NotSQLiteError),
    ("sample-first-1000-bytes", _first_bytes(1000), NotSQLiteError),
    ("sample-first-half", _first_bytes(None), NotSQLiteError),
    ("other-application", _other_application, NotCorroborateFileError),
    ("other-application-wal", _other_application_in_wal_mode, NotCorroborateFileError),
    ("newer-corroborate", _newer_corroborate, NewerSchemaError),
]


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.mark.parametrize(("make", "error"), [(m, e) for _, m, e in REFUSED], ids=[n for n, _, _ in REFUSED])
@pytest.mark.parametrize("create", [False, True], ids=["open", "open-or-create"])
def test_refused_file_is_left_untouched(
    tmp_path: Path, sample_copy: Path, make: Maker, error: type[CorroborateError], create: bool
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    target = folder / "suspect.db"
    make(target, sample_copy)
    before = target.read_bytes()
    siblings = _siblings(target)

    with pytest.raises(error) as raised:
        Store.open(target, create=create)

    assert str(target) in raised.value.message
    assert target.read_bytes() == before
    # Not even an empty -wal or -shm file may be left behind.
    assert _siblings(target) == siblings


def test_newer_schema_message_names_both_versions(tmp_path: Path, sample_copy: Path) -> None:
    target = tmp_path / "newer.db"
    _newer_corroborate(target, sample_copy)
    newer = CURRENT_SCHEMA + 1
    with pytest.raises(NewerSchemaError, match=rf"schema version {newer}\b.*up to {CURRENT_SCHEMA}\b"):
        Store.open(target)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorroborateError, match="folder"):
        Store.open(tmp_path, create=True)


def test_missing_file_without_create_is_refused_and_not_created(tmp_path: Path) -> None:
    target = tmp_path / "absent.db"
    with pytest.raises(CorroborateError, match=r"absent\.db"):
        Store.open(target)
    assert list(tmp_path.iterdir()) == []


def _assert_set_up(target: Path) -> None:
    store = Store.open(target)
    try:
        assert store.schema_version == CURRENT_SCHEMA
        assert store.stats()["claims"] == 0
    finally:
        store.close()


def test_empty_file_is_set_up(tmp_path: Path) -> None:
    target = tmp_path / "empty.db"
    target.touch()
    store = Store.open(target)
    assert store.schema_version == CURRENT_SCHEMA
    store.close()
    _assert_set_up(target)


def test_fresh_empty_sqlite_file_is_set_up(tmp_path: Path) -> None:
    target = tmp_path / "blank.db"
    conn = sqlite3.connect(target)
    # Writing a header field gives a real, non-empty SQLite file that holds no table.
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    assert target.stat().st_size > 0

    store = Store.open(target)
    assert store.schema_version == CURRENT_SCHEMA
    store.close()
    _assert_set_up(target)


def test_missing_file_with_create_is_migrated_from_nothing(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    store = Store.open(target, create=True)
    try:
        assert store.schema_version == CURRENT_SCHEMA
        stats = store.stats()
        expected = {
            "articles": 0,
            "claims": 0,
            "sources": 0,
            "reviewed_claims": 0,
            "unattributed_claims": 0,
            "schema_version": CURRENT_SCHEMA,
            "reviewers": {},
        }
        assert {key: stats.get(key) for key in expected} == expected
    finally:
        store.close()


def test_opening_a_current_file_changes_nothing(sample_copy: Path, dump_content: Callable) -> None:
    # The first open may migrate the committed sample; from then on opening must be a no-op.
    Store.open(sample_copy).close()
    before = dump_content(sample_copy)
    assert before["claims"], "the dump must hold the claims, or the comparison proves nothing"
    store = Store.open(sample_copy)
    assert store.schema_version == CURRENT_SCHEMA
    store.close()
    assert dump_content(sample_copy) == before
