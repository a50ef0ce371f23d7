"""Schema step 0009: a claim whose passage is its own text has those words in its search document once.

Files are written at the step before (0008), through the schema's own steps and plain SQL (the
`file_before_step` fixture), so their index is exactly what the earlier version kept; then they are opened by this version. The index
after the upgrade must hold exactly what a full rebuild from the new documents holds, whichever way
the step took (documents taken out and put back, or the whole index rebuilt), and everything must
still be found. Large files upgrade behind the window's dialog, where Cancel leaves them as they were.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import indexed_words

from desktop.core.errors import OpeningCancelled
from desktop.core.model import ClaimQuery
from desktop.io.import_sqlite import load_corroborate_file
from desktop.store import Store, access, integrity

STEP = "0009_search_passage_once"
# The conftest fixture: a file at the step before 0009 holding the given (text, passage) claims.
FileBeforeStep = Callable[[Path, list[tuple[str, str]]], Path]


def _applied(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        conn.close()


def _index_agrees_with_documents(path: Path) -> None:
    """FTS5's own check of every document against what the view gives now (raises if they differ)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def _rebuilt_copy(path: Path, folder: Path) -> Path:
    """A copy of `path` whose index was rebuilt from scratch from its documents."""
    copy = folder / "rebuilt.db"
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    conn.close()
    return copy


def _words_of(indexed: Counter[tuple[int, str, int]], claim: int) -> Counter[str]:
    return Counter(term for (doc, term, _), times in indexed.items() if doc == claim for _ in range(times))


# (claims, how many have their text as passage): few go through delete-and-insert, most through a rebuild.
SHAPES = {
    "few claims change": [("Ferries stopped at dawn", "Ferries stopped at dawn")]
    + [(f"Crews walked out on pier {n}", f"The crews of pier {n} walked out") for n in range(2, 9)],
    "most claims change": [
        (f"Ferries stopped at dock {n}", f"Ferries stopped at dock {n}") for n in range(1, 8)
    ]
    + [("Crews walked out", "The crews walked out early")],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_upgrade_leaves_the_index_as_a_rebuild_of_the_new_documents(
    file_before_step: FileBeforeStep, tmp_path: Path, shape: str
) -> None:
    claims = SHAPES[shape]
    path = file_before_step(tmp_path / "old.db", claims)
    before = indexed_words(path)

    store = Store.open(path, reviewer="ana")
    assert list(store.claim_ids(ClaimQuery("ana", text="ferries stopped"))) == [
        number for number, (text, _) in enumerate(claims, start=1) if "Ferries stopped" in text
    ]
    assert list(store.claim_ids(ClaimQuery("ana", text="dockworkers union noon"))) == [1]
    store.close()

    assert _applied(path)[-1] == STEP
    _index_agrees_with_documents(path)
    after = indexed_words(path)
    assert after == indexed_words(_rebuilt_copy(path, tmp_path))
    for number, (text, passage) in enumerate(claims, start=1):
        own_words = Counter(word.casefold() for word in text.split())
        if text == passage:  # the claim's words once fewer, all else as it was
            assert _words_of(before, number) - _words_of(after, number) == own_words
        else:
            assert _words_of(after, number) == _words_of(before, number)


def test_a_file_without_repeated_passages_keeps_its_index_word_for_word(
    file_before_step: FileBeforeStep, tmp_path: Path
) -> None:
    path = file_before_step(tmp_path / "old.db", [("Crews walked out", "The crews walked out early")])
    before = indexed_words(path)
    Store.open(path, reviewer="ana").close()
    assert _applied(path)[-1] == STEP
    assert indexed_words(path) == before
    _index_agrees_with_documents(path)


def test_after_the_upgrade_edits_keep_the_index_in_step(
    file_before_step: FileBeforeStep, tmp_path: Path
) -> None:
    path = file_before_step(
        tmp_path / "old.db", [("Ferries stopped", "Ferries stopped"), ("Crews left", "x")]
    )
    Store.open(path, reviewer="ana").close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE claims SET passage = 'The ferries stopped at noon' WHERE id = 1")
        conn.execute("UPDATE claims SET passage = text WHERE id = 2")
    conn.close()
    _index_agrees_with_documents(path)
    assert indexed_words(path) == indexed_words(_rebuilt_copy(path, tmp_path))


def test_a_file_without_the_step_still_opens_read_only_and_merges(
    file_before_step: FileBeforeStep, tmp_path: Path, sample_copy: Path
) -> None:
    old = file_before_step(tmp_path / "colleague.db", [("Ferries stopped", "Ferries stopped")])
    reader = Store.open(old, read_only=True)
    assert list(reader.claim_ids(ClaimQuery("ana", text="ferries"))) == [1]
    reader.close()
    assert STEP not in _applied(old)  # reading wrote nothing

    store = Store.open(sample_copy, reviewer="ana")
    result = load_corroborate_file(store, old)
    assert result.added == 1
    assert len(store.claim_ids(ClaimQuery("ana", text="ferries stopped"))) == 1
    store.close()
    _index_agrees_with_documents(sample_copy)


def test_a_large_file_upgrades_through_the_long_step(
    file_before_step: FileBeforeStep, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)
    path = file_before_step(tmp_path / "old.db", [("Ferries stopped", "Ferries stopped")])
    told: list[str] = []

    def long_step(description: str, work: Callable[[integrity.Cancelled], object]) -> object:
        told.append(description)
        return work(lambda: False)

    Store.open(path, reviewer="ana", long_step=long_step).close()
    assert told == [
        "Checking old.db before it opens…",
        "Backing up old.db before it opens…",
        "Upgrading old.db for this version of Corroborate…",
    ]
    assert _applied(path)[-1] == STEP


def test_cancelling_a_large_files_upgrade_leaves_it_as_it_was(
    file_before_step: FileBeforeStep, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "CHECK_BEFORE_OPEN_BYTES", 0)
    path = file_before_step(
        tmp_path / "old.db", [(f"Ferries stopped {n}", f"Ferries stopped {n}") for n in range(500)]
    )
    applied, words = _applied(path), indexed_words(path)
    # Asked to stop once the upgrade is under way: the step is interrupted inside SQLite.
    asked: list[bool] = []

    def long_step(description: str, work: Callable[[integrity.Cancelled], object]) -> object:
        if description.startswith("Upgrading"):
            return work(lambda: bool(asked.append(True) or len(asked) > 1))
        return work(lambda: False)

    with pytest.raises(OpeningCancelled, match="stopped before it finished"):
        Store.open(path, reviewer="ana", long_step=long_step)
    assert len(asked) > 1  # SQLite asked again while the step ran, and was told to stop
    assert _applied(path) == applied
    assert indexed_words(path) == words
    Store.open(path, reviewer="ana").close()  # opens, and upgrades, next time
    assert _applied(path)[-1] == STEP
