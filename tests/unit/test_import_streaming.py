"""Large dataset imports: files read as a stream, rows mapped column by column, near-duplicates by blocking.

Each streamed or batched path is checked against the plain one it replaces (whole text parsed at
once, one record mapped at a time, every pair compared), on files that cross the read blocks.
"""

from __future__ import annotations

import gc
import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from desktop.core.imports import ImportBatch, ImportCancelled, ImportedClaim, ImportFileError
from desktop.io.importing import (
    Mapping,
    ReadOptions,
    duplicates,
    find_near_duplicates,
    load_dataset,
    plan_import,
    write_import,
)
from desktop.io.importing.dataset import Dataset
from desktop.io.importing.delimited import SNIFF_BYTES, read_delimited
from desktop.io.importing.mapping import apply_mapping
from desktop.store import Store


def _rows(count: int) -> list[str]:
    """Rows with quoted commas, doubled quotes, line breaks inside quotes and ragged widths."""
    rows = []
    for n in range(count):
        if n % 7 == 0:
            rows.append(f'"Claim {n}, with a comma",Speaker {n % 13},true,x{n}')
        elif n % 7 == 1:
            rows.append(f'"Claim {n} says ""quoted""\r\nand goes on",Speaker {n % 13},false')
        elif n % 7 == 2:
            rows.append(f"Claim {n} plain,,half-true,y,surplus {n}")
        elif n % 7 == 3:
            rows.append(" , ,,")  # blanks only: no record
        else:
            rows.append(f"Claim {n}   spaced  out ,  Speaker {n % 13} ,pants-fire,z")
    return rows


def _big_csv(path: Path, count: int, newline: str = "\n") -> str:
    text = "statement,speaker,ruling,topic" + newline + newline.join(_rows(count)) + newline
    path.write_bytes(text.encode("utf-8"))
    return text


def test_a_file_read_in_blocks_gives_the_records_of_the_whole_text(tmp_path: Path) -> None:
    for newline in ("\n", "\r\n"):
        path = tmp_path / "big.csv"
        text = _big_csv(path, 6_000, newline)
        assert path.stat().st_size > 4 * SNIFF_BYTES  # several read blocks
        streamed = load_dataset(path)
        whole = read_delimited(text, path, tsv=False)
        assert (
            streamed.columns
            == whole.columns
            == [
                "statement",
                "speaker",
                "ruling",
                "topic",
                "column 5",
            ]
        )
        assert len(streamed.records) == len(whole.records) == sum(1 for n in range(6_000) if n % 7 != 3)
        assert list(streamed.records) == list(whole.records)
        assert streamed.notes == whole.notes and streamed.notes


def test_mapping_rows_column_by_column_equals_mapping_each_record(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    _big_csv(path, 3_000)
    dataset = load_dataset(path)
    mapping = Mapping(
        {"text": "statement", "source": "speaker", "verdict": "ruling", "context": "topic"},
        "six-level",
        {"HALF-TRUE": 6},
    )
    plan = plan_import(dataset, mapping)
    # The same records as a plain list go through map_record one by one.
    as_list = Dataset(path, "csv", "utf-8", dataset.columns, list(dataset.records))
    expected, skipped = apply_mapping(as_list, mapping)
    assert list(plan.claims) == expected
    assert plan.skipped == skipped
    assert plan.claims[2].credibility == 6 and plan.claims[2].extra == {"column 5": "surplus 2"}
    assert plan.claims[-1] == expected[-1]


def test_rows_of_a_large_file_are_left_alone_by_the_garbage_collector(tmp_path: Path) -> None:
    # A million tracked records made every full collection hold the interpreter for most of a
    # second, freezing the window during an import.
    path = tmp_path / "big.csv"
    _big_csv(path, 500)
    plan = plan_import(load_dataset(path), Mapping({"text": "statement", "source": "speaker"}))
    gc.collect()
    rows = plan.dataset.records.rows  # type: ignore[attr-defined]
    assert not any(gc.is_tracked(row) for row in rows)
    assert not any(gc.is_tracked(row) for row in plan.claims.rows)


def test_a_decoding_error_far_into_the_file_names_its_line_and_byte(tmp_path: Path) -> None:
    lines = ["statement,speaker"] + [f"Claim number {n},Speaker {n}" for n in range(20_000)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    bad_line = 15_000
    start = sum(len(line) + 1 for line in lines[: bad_line - 1])
    data = data[:start] + "Café,x\n".encode("cp1252") + data[start:]
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError) as caught:
        load_dataset(path, ReadOptions(encoding="utf-8"))
    message = caught.value.message
    assert str(path) in message
    assert f"line {bad_line} " in message and f"(byte {start + 4})" in message


def test_unknown_encoding_and_missing_file_are_named(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("statement\nx\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="not an encoding"):
        load_dataset(path, ReadOptions(encoding="no-such-code"))
    with pytest.raises(ImportFileError, match="does not exist"):
        load_dataset(tmp_path / "missing.csv")
    with pytest.raises(ImportFileError, match="folder"):
        load_dataset(tmp_path, ReadOptions(format="csv"))


def test_the_delimiter_is_sniffed_from_the_start_of_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    body = "".join(f"Claim {n}, with commas, many;Speaker {n}\n" for n in range(20_000))
    path.write_text("statement;speaker\n" + body, encoding="utf-8")
    dataset = load_dataset(path)
    assert dataset.delimiter == ";"
    assert len(dataset.records) == 20_000 and dataset.records[-1].values["speaker"] == "Speaker 19999"


def test_cancel_while_reading_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    _big_csv(path, 30_000)
    calls: list[int] = []

    def after(count: int) -> bool:
        calls.append(1)
        return len(calls) > count

    with pytest.raises(ImportCancelled):
        load_dataset(path, cancelled=lambda: after(2))
    dataset = load_dataset(path)
    calls.clear()
    with pytest.raises(ImportCancelled):
        plan_import(dataset, Mapping({"text": "statement"}), cancelled=lambda: after(1))


def test_cancel_heard_inside_a_long_statement_leaves_the_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "checks.db"
    Store.open(path, create=True).close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    claims = [ImportedClaim(f"Claim {n}", f"line {n}", speaker=f"S {n % 5}") for n in range(3_000)]
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        # Past the between-batch checks at the start, then yes while SQLite is at work.
        return len(asked) > 3

    store = Store.open(path)
    try:
        with pytest.raises(ImportCancelled):
            store.add_imported_claims(ImportBatch("x.csv", "csv", "ana", {}), claims, cancelled=cancelled)
        assert store.count_claims() == 0
    finally:
        store.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_large_import_writes_every_row_with_its_source_and_grade(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    _big_csv(path, 5_000)
    store = Store.open(tmp_path / "checks.db", create=True)
    try:
        plan = plan_import(
            load_dataset(path),
            Mapping({"text": "statement", "source": "speaker", "verdict": "ruling"}, "six-level"),
        )
        kept = list(plan.claims)[1:]
        result = write_import(store, plan, "ana", leave_out={0})
        assert len(result.written.claim_ids) == len(kept)
        assert sorted(result.written.new_sources) == sorted(f"Speaker {n}" for n in range(13))
        assert [s.position for s in result.left_out] == ["line 2"]
        # The rows were let go on the way out (a slice at a time, on the writing thread).
        assert len(plan.claims) == 0 and len(plan.dataset.records) == 0
    finally:
        store.close()
    conn = sqlite3.connect(tmp_path / "checks.db")
    try:
        counts = conn.execute(
            "SELECT count(*), sum(unattributed), (SELECT count(*) FROM reviews), (SELECT count(*) FROM chain_hops) "
            "FROM claims"
        ).fetchone()
        first = conn.execute(
            "SELECT text, passage, verdict_label, extra FROM claims ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    assert counts == (
        len(kept),
        sum(1 for c in kept if c.speaker is None),
        sum(1 for c in kept if c.credibility is not None),
        sum(1 for c in kept if c.speaker is not None),
    )
    assert first == ('Claim 1 says "quoted" and goes on', 'Claim 1 says "quoted" and goes on', "false", None)


def test_blocking_finds_repeats_made_only_of_common_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # No rare word at all (every word is in more claims than the limit): the claims are keyed by
    # their beginning and end instead.
    monkeypatch.setattr(duplicates, "RARE_WORD_LIMIT", 5)
    words = ["officials", "said", "forces", "reported", "convoy", "near", "border", "village"]
    rng = random.Random(4)
    texts = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(10)]
    claims = [ImportedClaim(text, f"line {n + 2}") for n, text in enumerate(texts)]
    claims += [ImportedClaim(text.upper() + "!", f"line {n + 12}") for n, text in enumerate(texts[:4])]
    existing = [[(500, texts[7] + ".")]]
    full = find_near_duplicates(claims, iter(existing), full_limit=10**9)
    expected = [
        ("line 9", 500, None),
        ("line 12", None, "line 2"),
        ("line 13", None, "line 3"),
        ("line 14", None, "line 4"),
        ("line 15", None, "line 5"),
    ]
    assert [(n.position, n.other_claim_id, n.other_position) for n in full] == expected
    blocked = find_near_duplicates(claims, iter(existing), full_limit=0)
    assert [(n.position, n.other_claim_id, n.other_position) for n in blocked] == expected


def test_a_long_import_gives_way_to_the_window_thread_every_few_thousand_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading, mapping, writing and letting go of the rows each release the interpreter as they go."""
    import desktop.io.importing.dataset as dataset_module
    import desktop.io.importing.delimited as delimited_module
    import desktop.io.importing.mapping as mapping_module
    import desktop.store.imports as store_imports
    from desktop.core.threads import GIVE_WAY_EVERY

    calls: list[str] = []
    for module, label in (
        (delimited_module, "read"),
        (mapping_module, "map"),
        (store_imports, "write"),
        (dataset_module, "release"),
    ):
        monkeypatch.setattr(module, "give_way", lambda label=label: calls.append(label))
    monkeypatch.setattr(dataset_module, "_RELEASE_STEP", 1_000)
    rows = 5 * GIVE_WAY_EVERY
    path = tmp_path / "long.csv"
    path.write_text("claim,speaker\n" + "".join(f"Claim {n},Speaker {n % 50}\n" for n in range(rows)))
    store = Store.open(tmp_path / "long.db", create=True)
    try:
        plan = plan_import(load_dataset(path), Mapping(columns={"text": "claim", "source": "speaker"}))
        write_import(store, plan, "ana")
        assert store.count_claims() == rows
    finally:
        store.close()
    for label in ("read", "map", "write", "release"):
        assert calls.count(label) >= 5, (label, calls.count(label))
