"""Dataset import: every format with awkward real-world files, mapping, presets, sources, duplicates, atomicity."""

from __future__ import annotations

import codecs
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.errors import StoreWriteError
from desktop.core.imports import ImportBatch, ImportCancelled, ImportedClaim, ImportFileError
from desktop.core.model import Source
from desktop.core.vocabulary import SourceKind
from desktop.io.importing import (
    Mapping,
    ReadOptions,
    detect_encoding,
    find_near_duplicates,
    guess_mapping,
    load_dataset,
    plan_import,
    write_import,
)
from desktop.io.importing.verdicts import credibility_for
from desktop.store import Store
from desktop.store import imports as store_imports

HEADER = "statement,speaker,ruling,topic\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "checks.db", create=True)
    yield opened
    opened.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def claims_of(path: Path, mapping: Mapping | None = None, **read: object) -> list[ImportedClaim]:
    dataset = load_dataset(path, ReadOptions(**read))  # type: ignore[arg-type]
    return plan_import(dataset, mapping or guess_mapping(dataset)).claims


def stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ---- encodings -------------------------------------------------------------------------


def test_utf8_with_bom_does_not_leak_into_the_first_column_name(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + (HEADER + "Bridges cost twice as much,Mayor Lind,false,roads\n").encode()
    )
    dataset = load_dataset(path)
    assert dataset.encoding == "utf-8-sig"
    assert dataset.columns[0] == "statement"
    assert claims_of(path)[0].text == "Bridges cost twice as much"


def test_cp1252_file_is_detected_and_read(tmp_path: Path) -> None:
    text = HEADER + "Le café coûte 5 € de plus qu’en 2019,Zoë Müller,mostly-false,prices\n" * 3
    path = write(tmp_path / "w.csv", text, "cp1252")
    assert detect_encoding(path.read_bytes()).encoding == "cp1252"
    claim = claims_of(path)[0]
    assert claim.text == "Le café coûte 5 € de plus qu’en 2019"
    assert claim.speaker == "Zoë Müller"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "u.tsv", "statement\tspeaker\nGrain exports doubled\tPort office\n", encoding)
    dataset = load_dataset(path)
    assert dataset.encoding.startswith("utf-16")
    assert [c.text for c in claims_of(path)] == ["Grain exports doubled"]


def test_wrong_encoding_chosen_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "w.csv", HEADER + "ok,a,true,x\nCafé au lait,b,true,x\n", "cp1252")
    with pytest.raises(ImportFileError) as caught:
        load_dataset(path, ReadOptions(encoding="utf-8"))
    assert str(path) in caught.value.message and "line 3" in caught.value.message


# ---- CSV and TSV -----------------------------------------------------------------------


def test_quoted_csv_fields_with_embedded_newlines_keep_their_line_numbers(tmp_path: Path) -> None:
    text = (
        HEADER
        + '"The dam, built in 1962,\nholds 4 billion m³",Water board,true,water\n'
        + '"He said ""never"" twice",Ana Ruiz,false,quotes\n'
    )
    dataset = load_dataset(write(tmp_path / "n.csv", text))
    assert [r.position for r in dataset.records] == ["line 2", "line 4"]
    assert dataset.records[0].values["statement"] == "The dam, built in 1962,\nholds 4 billion m³"
    assert dataset.records[1].values["statement"] == 'He said "never" twice'


@pytest.mark.parametrize("delimiter", [";", "|", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [
        "statement;speaker;ruling",
        "Prices rose 4%, then 2%;Bank, central;true",
        "Rain fell;Met office;false",
    ]
    text = "\n".join(row.replace(";", delimiter) for row in rows) + "\n"
    dataset = load_dataset(write(tmp_path / "d.csv", text))
    assert dataset.delimiter == delimiter
    assert dataset.columns == ["statement", "speaker", "ruling"]
    assert dataset.records[0].values["speaker"] == "Bank, central"


def test_tsv_field_starting_with_a_quote_stays_one_field_and_one_row(tmp_path: Path) -> None:
    text = 'statement\tspeaker\n"Never again, he said\tRadio One\nPlain line\tTV Two\n'
    dataset = load_dataset(write(tmp_path / "q.tsv", text))
    assert len(dataset.records) == 2
    assert dataset.records[0].values == {"statement": '"Never again, he said', "speaker": "Radio One"}
    assert dataset.records[1].position == "line 3"


def test_ragged_rows_pad_short_ones_and_keep_extra_cells(tmp_path: Path) -> None:
    text = HEADER + "Short row,Someone\nLong row,Other,true,x,surplus one,surplus two\n"
    path = write(tmp_path / "r.csv", text)
    dataset = load_dataset(path)
    assert dataset.records[0].values["ruling"] == ""
    assert dataset.records[1].values["column 6"] == "surplus two"
    assert any("line 3" in note for note in dataset.notes)
    claims = claims_of(path)
    assert claims[1].extra == {"topic": "x", "column 5": "surplus one", "column 6": "surplus two"}


def test_headerless_csv_maps_columns_by_number(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", "1,Tariffs were cut,Minister Ode\n2,Wages grew,Union rep\n")
    dataset = load_dataset(path, ReadOptions(header=False))
    assert dataset.columns == ["column 1", "column 2", "column 3"]
    plan = plan_import(dataset, Mapping.from_pairs(["text=2", "source=3"]))
    assert [(c.text, c.speaker, c.extra) for c in plan.claims] == [
        ("Tariffs were cut", "Minister Ode", {"column 1": "1"}),
        ("Wages grew", "Union rep", {"column 1": "2"}),
    ]
    assert plan.mapping.columns == {"text": "column 2", "source": "column 3"}


def test_row_without_claim_text_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", HEADER + "First,A,true,x\n   ,B,false,y\nThird,C,true,z\n")
    plan = plan_import(load_dataset(path), Mapping({"text": "statement"}))
    assert [c.text for c in plan.claims] == ["First", "Third"]
    assert [s.position for s in plan.skipped] == ["line 3"]


def test_mapping_to_a_missing_column_names_it_and_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", HEADER + "A claim,A,true,x\n")
    with pytest.raises(ImportFileError) as caught:
        plan_import(load_dataset(path), Mapping({"text": "claim_text"}))
    assert "claim_text" in caught.value.message and str(path) in caught.value.message


# ---- JSON and JSON Lines ---------------------------------------------------------------


def test_json_array_keeps_nested_values_as_extra_and_skips_non_objects(tmp_path: Path) -> None:
    records = [
        {"claim": "Ferry fares doubled", "speaker": "Port authority", "tags": ["transport", "prices"]},
        "a stray string",
        {"claim": "Ferry fares fell", "speaker": None, "year": 2021},
    ]
    path = write(tmp_path / "a.json", json.dumps(records))
    plan = plan_import(load_dataset(path), Mapping({"text": "claim", "source": "speaker"}))
    assert [c.text for c in plan.claims] == ["Ferry fares doubled", "Ferry fares fell"]
    assert plan.claims[0].extra == {"tags": ["transport", "prices"]}
    assert plan.claims[1].speaker is None and plan.claims[1].extra == {"year": 2021}
    assert [(s.position, s.reason) for s in plan.skipped] == [("record 2", "expected an object, found text")]


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "b.json", '[\n  {"claim": "x"},\n  {"claim": "y",}\n]')
    with pytest.raises(ImportFileError) as caught:
        load_dataset(path)
    assert str(path) in caught.value.message and "line 3, column" in caught.value.message


def test_jsonl_with_a_broken_line_names_that_line(tmp_path: Path) -> None:
    lines = ['{"claim": "One"}', '{"claim": "Two"}', '{"claim": "Three"', '{"claim": "Four"}']
    path = write(tmp_path / "b.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(ImportFileError) as caught:
        load_dataset(path)
    assert f"{path}: line 3, column" in caught.value.message


def test_jsonl_records_are_numbered_by_line(tmp_path: Path) -> None:
    path = write(tmp_path / "g.jsonl", '{"claim": "One"}\n\n{"claim": "Two", "label": "REFUTES"}\n')
    claims = claims_of(path, Mapping({"text": "claim", "verdict": "label"}, "supports-refutes"))
    assert [(c.position, c.verdict_label, c.credibility) for c in claims] == [
        ("line 1", None, None),
        ("line 3", "REFUTES", 5),
    ]


# ---- ClaimReview -----------------------------------------------------------------------

CLAIM_REVIEWS = [
    {
        "@context": "https://schema.org",
        "@type": ["ClaimReview", "CreativeWork"],
        "claimReviewed": "The new bridge cost 2 billion",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Senator Vale"},
            "datePublished": "2024-03-02",
            "appearance": {"@type": "CreativeWork", "url": "https://example.org/speech"},
        },
        "author": {"@type": "Organization", "name": "Check Desk"},
        "datePublished": "2024-03-05",
        "url": "https://checks.example.org/bridge",
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly false", "ratingValue": "2"},
    },
    {"@context": "http://schema.org", "@type": "ClaimReview", "reviewRating": {"alternateName": "True"}},
    {
        "@context": "http://schema.org",
        "@type": "schema:ClaimReview",
        "itemReviewed": {"@type": "Claim", "text": "Snowfall halved in a decade", "author": "Weather blog"},
        "reviewRating": {"@type": "Rating", "alternateName": "Half true"},
    },
]


def test_claimreview_jsonld_tolerates_variants_and_skips_an_invalid_object(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.json", json.dumps(CLAIM_REVIEWS))
    dataset = load_dataset(path)
    assert dataset.format == "claimreview"
    plan = plan_import(dataset, guess_mapping(dataset).with_preset("six-level"))
    first, second = plan.claims
    assert (first.text, first.speaker, first.date, first.verdict_label, first.url) == (
        "The new bridge cost 2 billion",
        "Senator Vale",
        "2024-03-02",
        "Mostly false",
        "https://checks.example.org/bridge",
    )
    assert first.credibility == 4
    assert first.extra["reviewed_by"] == "Check Desk"
    assert first.extra["rating_value"] == "2"
    assert first.extra["appearance"] == "https://example.org/speech"
    assert (second.text, second.speaker, second.credibility) == (
        "Snowfall halved in a decade",
        "Weather blog",
        3,
    )
    assert [s.position for s in plan.skipped] == ["object 2"]


def test_claimreview_in_a_graph_inside_html_pages(tmp_path: Path) -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Our check"},
            {
                "@type": "ClaimReview",
                "claimReviewed": "Tap water is unsafe citywide",
                "itemReviewed": {"@type": "Claim", "author": [{"@type": "Person", "name": "A. Poster"}]},
                "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": "false"},
            },
        ],
    }
    page = (
        "<!doctype html><html><head><title>Check</title>\n"
        '<script type="application/ld+json">{ not json </script>\n'
        f'<script type="application/ld+json">{json.dumps(graph)}</script>\n'
        "</head><body><p>Body text that mentions ClaimReview.</p></body></html>\n"
    )
    path = write(tmp_path / "check.html", page)
    dataset = load_dataset(path)
    assert dataset.format == "claimreview"
    assert [r.values["claim"] for r in dataset.records] == ["Tap water is unsafe citywide"]
    assert dataset.records[0].values["claimant"] == "A. Poster"
    assert dataset.records[0].position == "script 2 (line 3), @graph item 2"
    assert [s.position for s in dataset.skipped] == ["script 1 (line 2)"]


# ---- verdicts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "preset", "grade"),
    [
        ("TRUE", "six-level", 1),
        ("mostly-true", "six-level", 2),
        ("Half True", "six-level", 3),
        ("barely_true", "six-level", 4),
        ("false", "six-level", 5),
        ("Pants on Fire!", "six-level", 5),
        ("pants-fire", "six-level", 5),
        ("supports", "supports-refutes", 1),
        ("Refutes", "supports-refutes", 5),
        ("NOT ENOUGH INFO", "supports-refutes", 6),
        ("satire", "six-level", None),
        ("true", None, None),
    ],
)
def test_verdict_presets(label: str, preset: str | None, grade: int | None) -> None:
    assert credibility_for(label, preset) == grade


def test_custom_verdict_table_overrides_the_preset() -> None:
    assert credibility_for("False", "six-level", {"FALSE": 4}) == 4


def test_mapping_round_trips_through_json(tmp_path: Path) -> None:
    mapping = Mapping(
        {"text": "statement", "verdict": "ruling"}, "six-level", {"Satire": 6}, SourceKind.GOVERNMENT
    )
    mapping.save(tmp_path / "map.json")
    assert Mapping.load(tmp_path / "map.json") == mapping
    write(tmp_path / "bad.json", '{"columns": {"speech": "x"}}')
    with pytest.raises(ImportFileError, match="unknown field 'speech'"):
        Mapping.load(tmp_path / "bad.json")


# ---- writing ---------------------------------------------------------------------------


def test_speakers_become_sources_matched_whatever_case_spacing_and_punctuation(
    tmp_path: Path, store: Store
) -> None:
    store.ensure_source(Source("Jane Doe", SourceKind.GOVERNMENT))
    text = (
        HEADER
        + "Claim one,   JANE  DOE. ,true,x\n"
        + "Claim two,,false,x\n"
        + "Claim three,   ,false,x\n"
        + "Claim four,Harbour Board,half-true,x\n"
        + "Claim five,harbour board,TRUE,x\n"
    )
    path = write(tmp_path / "s.csv", text)
    mapping = Mapping({"text": "statement", "source": "speaker", "verdict": "ruling"}, "six-level")
    result = write_import(store, plan_import(load_dataset(path), mapping), "ana")
    assert result.written.new_sources == ("Harbour Board",)
    assert result.written.unattributed == 2
    db = store.path
    assert stored(db, "SELECT name FROM sources ORDER BY id") == [("Jane Doe",), ("Harbour Board",)]
    rows = stored(
        db,
        "SELECT c.text, c.unattributed, s.name, c.verdict_label, r.credibility, r.reviewer FROM claims c "
        "LEFT JOIN chain_hops h ON h.claim_id = c.id LEFT JOIN sources s ON s.id = h.source_id "
        "LEFT JOIN reviews r ON r.claim_id = c.id ORDER BY c.id",
    )
    assert rows == [
        ("Claim one", 0, "Jane Doe", "true", 1, "ana"),
        ("Claim two", 1, None, "false", 5, "ana"),
        ("Claim three", 1, None, "false", 5, "ana"),
        ("Claim four", 0, "Harbour Board", "half-true", 3, "ana"),
        ("Claim five", 0, "Harbour Board", "TRUE", 1, "ana"),
    ]
    record = store.imports()[0]
    assert (record.format, record.reviewer, record.claims) == ("csv", "ana", 5)
    assert record.mapping["verdict_preset"] == "six-level"
    assert store.imported_fields(1)["extra"] == {"topic": "x"}
    # Imported claims are searchable like any other.
    from desktop.core.model import ClaimQuery

    assert list(store.claim_ids(ClaimQuery("ana", text="four"))) == [4]


def test_near_duplicates_in_the_file_and_within_the_import_are_reported(tmp_path: Path, store: Store) -> None:
    write_import(
        store,
        plan_import(
            load_dataset(write(tmp_path / "first.csv", "statement\nThe river flooded 300 homes in May\n")),
            Mapping({"text": "statement"}),
        ),
        "ana",
    )
    text = (
        "statement\nThe river flooded 300 homes in May.\nA new school opened\n"
        "Completely different topic\nA new school opened!\n"
    )
    plan = plan_import(load_dataset(write(tmp_path / "second.csv", text)), Mapping({"text": "statement"}))
    near = find_near_duplicates(plan.claims, store.claim_texts())
    assert [(n.position, n.other_claim_id, n.other_position) for n in near] == [
        ("line 2", 1, None),
        ("line 5", None, "line 3"),
    ]
    result = write_import(store, plan, "ana", near_duplicates=near, leave_out={near[1].index})
    # Nothing merged: the near-duplicate of the file's claim comes in as its own claim.
    assert store.count_claims() == 4
    assert [s.position for s in result.left_out] == ["line 5"]


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _many_claims(count: int) -> list[ImportedClaim]:
    return [
        ImportedClaim(f"Claim number {n}", f"line {n + 1}", speaker=f"Speaker {n % 7}") for n in range(count)
    ]


def test_cancel_midway_leaves_the_file_byte_for_byte_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checks.db"
    Store.open(path, create=True).close()
    before = _file_hash(path)
    monkeypatch.setattr(store_imports, "BATCH_SIZE", 10)
    progress: list[tuple[int, int]] = []
    store = Store.open(path)
    try:
        with pytest.raises(ImportCancelled):
            store.add_imported_claims(
                ImportBatch("x.csv", "csv", "ana", {}),
                _many_claims(35),
                progress=lambda done, total: progress.append((done, total)),
                cancelled=lambda: len(progress) >= 2,
            )
        assert store.count_claims() == 0
    finally:
        store.close()
    assert [done for done, _ in progress] == [10, 20]  # rows written before the cancel
    assert progress[0][1] == progress[1][1] > 35  # the steps after the rows have their share too
    assert _file_hash(path) == before
    assert not path.with_name(path.name + "-wal").exists()


def test_an_error_midway_leaves_the_file_byte_for_byte_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checks.db"
    Store.open(path, create=True).close()
    before = _file_hash(path)
    monkeypatch.setattr(store_imports, "BATCH_SIZE", 10)
    claims = _many_claims(30)
    # A grade outside the scale in the third batch: refused after two batches went in.
    claims[25] = ImportedClaim("Out of scale", "line 27", credibility=9)
    store = Store.open(path)
    try:
        with pytest.raises(
            StoreWriteError, match=r"claim 26 \(from x.csv\) has credibility 9, not one of 1–6"
        ):
            store.add_imported_claims(ImportBatch("x.csv", "csv", "ana", {}), claims)
        assert store.count_claims() == 0
        assert store.list_sources() == []
        _assert_checks_enforced(store)
    finally:
        store.close()
    assert _file_hash(path) == before


def _assert_checks_enforced(store: Store) -> None:
    """The file's CHECK constraints hold again on the connection an import used (tried, then undone)."""
    conn = store._db.conn
    conn.execute("SAVEPOINT probe")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(
                "INSERT INTO reviews (claim_id, reviewer, credibility, created_at, updated_at) "
                "VALUES (1, 'probe', 9, '', '')"
            )
    finally:
        conn.execute("ROLLBACK TO probe")
        conn.execute("RELEASE probe")


def test_the_checks_the_import_leaves_to_itself_hold_again_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "checks.db"
    store = Store.open(path, create=True)
    try:
        claims = [
            ImportedClaim(f"Claim {n}", f"line {n}", speaker="Harbour Post", credibility=5) for n in range(3)
        ]
        store.add_imported_claims(ImportBatch("x.csv", "csv", "ana", {}), claims)
        graded = store._db.execute("SELECT count(*) FROM reviews WHERE credibility = 5").fetchone()[0]
        assert graded == 3
        _assert_checks_enforced(store)
    finally:
        store.close()


def test_progress_reaches_the_total(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_imports, "BATCH_SIZE", 4)
    seen: list[tuple[int, int, int]] = []

    def saved_claims() -> int:  # what another connection sees: only what is committed
        conn = sqlite3.connect(store.path)
        try:
            return int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])
        finally:
            conn.close()

    written = store.add_imported_claims(
        ImportBatch("x.csv", "csv", "ana", {}),
        _many_claims(10),
        progress=lambda d, t: seen.append((d, t, saved_claims())),
    )
    totals = {total for _, total, _ in seen}
    assert len(totals) == 1 and (total := totals.pop()) > 10
    done = [d for d, _, _ in seen]
    assert done[:3] == [4, 8, 10] and done == sorted(set(done))  # the rows, then each step after them
    assert len(done) > 3 and done[-1] == total
    # The bar is full only once the import is saved; until then nothing of it is in the file.
    assert [saved for _, _, saved in seen] == [0] * (len(seen) - 1) + [10]
    assert len(written.claim_ids) == 10 and store.count_claims() == 10
    assert len(written.new_sources) == 7


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep.jsonl", '{"claim": ' + "[" * 100_000 + "]" * 100_000 + "}\n"),
        ("huge.json", '[{"claim": "x", "n": ' + "9" * 5000 + "}]"),
    ],
)
def test_hostile_json_is_refused_with_the_file_named(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(ImportFileError) as caught:
        load_dataset(path)
    assert str(path) in caught.value.message


def test_claimreview_script_nested_too_deeply_is_skipped_and_the_rest_come_in(tmp_path: Path) -> None:
    good = json.dumps({"@type": "ClaimReview", "claimReviewed": "Bread prices doubled"})
    page = (
        f'<html><script type="application/ld+json">{"[" * 100_000}</script>\n'
        f'<script type="application/ld+json">{good}</script></html>'
    )
    dataset = load_dataset(write(tmp_path / "p.html", page))
    assert [r.values["claim"] for r in dataset.records] == ["Bread prices doubled"]
    assert [s.position for s in dataset.skipped] == ["script 1 (line 1)"]


def test_large_imports_compare_only_claims_sharing_a_rare_word_and_find_the_same() -> None:
    topics = ["harbour fees", "school meals", "river levels", "bus fares", "grain exports", "rent caps"]
    claims = [
        ImportedClaim(f"The council says {topic} changed by {n} percent in {year}", f"line {i + 2}")
        for i, (topic, n, year) in enumerate(
            (topic, n, year) for topic in topics for n in (3, 12, 40) for year in (2019, 2023)
        )
    ]
    claims.append(ImportedClaim("The council says bus fares changed by 12 percent in 2019!", "line 99"))
    existing = [[(7, "THE COUNCIL SAYS RIVER LEVELS CHANGED BY 40 PERCENT IN 2023.")]]

    def found(limit: int) -> list[tuple[str, int | None, str | None]]:
        near = find_near_duplicates(claims, iter(existing), full_limit=limit)
        return [(n.position, n.other_claim_id, n.other_position) for n in near]

    everything = found(10**9)
    assert ("line 99", None, "line 22") in everything
    assert ("line 19", 7, None) in everything
    assert found(0) == everything
