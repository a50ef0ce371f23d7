"""`corroborate import`, run as a separate process as a user or a script would."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from terminal_run import percentages, run_on_terminal

from desktop.store import Store

EXPECTED_ERROR = 2


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)], capture_output=True, text=True, check=False
    )


def _new_db(tmp_path: Path) -> Path:
    db = tmp_path / "checks.db"
    assert run_cli("new", db).returncode == 0
    return db


def test_csv_import_with_mapping_and_preset_prints_what_it_added(tmp_path: Path) -> None:
    db = _new_db(tmp_path)
    data = tmp_path / "politics.csv"
    data.write_text(
        "id;statement;who;ruling\n"
        "1;Turnout reached 80 percent in Cádiz;Governor Fenn;mostly-true\n"
        "2;Turnout reached 80 percent in Cádiz.;governor  fenn;false\n"
        "3;;Nobody;true\n"
        "4;Taxes fell for everyone;;pants-fire\n",
        encoding="cp1252",
    )
    saved = tmp_path / "map.json"
    result = run_cli(
        "import", db, data, "--map", "text=statement", "--map", "source=who", "--map", "verdict=ruling",
        "--verdict-preset", "six-level", "--reviewer", "ana", "--save-mapping", saved,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "imported politics.csv (csv, cp1252, delimiter ';') as import 1:" in out
    assert "3 claims added (1 unattributed)" in out
    assert "sources: 1 new, 0 matched existing" in out
    assert "line 4: no claim text" in out
    assert "line 3 ≈ line 2 (" in out
    mapping = json.loads(saved.read_text(encoding="utf-8"))
    assert mapping["columns"] == {"text": "statement", "source": "who", "verdict": "ruling"}
    assert mapping["verdict_preset"] == "six-level"

    # The saved mapping imports a second file the same way; the speaker now matches the existing source.
    again = tmp_path / "more.csv"
    again.write_text(
        "id;statement;who;ruling\n9;Bus fares will be free;GOVERNOR FENN!;true\n", encoding="utf-8"
    )
    second = run_cli("import", db, again, "--mapping", saved, "--reviewer", "ana")
    assert second.returncode == 0, second.stderr
    assert "sources: 0 new, 1 matched existing" in second.stdout
    store = Store.open(db, read_only=True)
    try:
        assert store.count_claims() == 4
        assert [r.claims for r in store.imports()] == [3, 1]
        assert [s.source.name for s in store.list_sources()] == ["Governor Fenn"]
        assert store.imported_fields(4) == {
            "date": None,
            "url": None,
            "verdict_label": "true",
            "extra": {"id": "9"},
            "import_id": 2,
        }
    finally:
        store.close()


def test_claimreview_page_format_guessed_from_extension(tmp_path: Path) -> None:
    db = _new_db(tmp_path)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "The lake has dried up completely",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "Viral Page"}},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "url": "https://checks.example.org/lake",
    }
    page = tmp_path / "lake.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{json.dumps(review)}</script></head></html>',
        encoding="utf-8",
    )
    result = run_cli("import", db, page, "--verdict-preset", "six-level", "--reviewer", "ana")
    assert result.returncode == 0, result.stderr
    assert "imported lake.html (claimreview, utf-8)" in result.stdout
    assert "1 credibility grade from the verdict preset six-level" in result.stdout


def test_broken_jsonl_line_is_an_error_naming_it_and_the_file_is_unchanged(
    tmp_path: Path, dump_content: Callable[[Path], Any]
) -> None:
    db = _new_db(tmp_path)
    before = dump_content(db)
    data = tmp_path / "claims.jsonl"
    data.write_text('{"claim": "One"}\n{"claim": "Two"}\n{"claim": Three}\n', encoding="utf-8")
    result = run_cli("import", db, data, "--map", "text=claim")
    assert result.returncode == EXPECTED_ERROR
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"corroborate: {data}: line 3, column 11")
    assert dump_content(db) == before


def test_unknown_column_and_unguessable_text_are_explained(tmp_path: Path) -> None:
    db = _new_db(tmp_path)
    data = tmp_path / "odd.csv"
    data.write_text("alpha,beta\nx,y\n", encoding="utf-8")
    missing = run_cli("import", db, data, "--map", "text=gamma")
    assert missing.returncode == EXPECTED_ERROR
    assert "'gamma'" in missing.stderr and "alpha, beta" in missing.stderr
    unguessed = run_cli("import", db, data)
    assert unguessed.returncode == EXPECTED_ERROR
    assert "--map text=COLUMN" in unguessed.stderr


def test_skip_near_duplicates_leaves_them_out(tmp_path: Path) -> None:
    db = _new_db(tmp_path)
    data = tmp_path / "dups.tsv"
    data.write_text("claim\nRents rose by a third\nRents rose by a third!\nOther news\n", encoding="utf-8")
    result = run_cli("import", db, data, "--skip-near-duplicates", "--reviewer", "ana")
    assert result.returncode == 0, result.stderr
    assert "2 claims added" in result.stdout and "left out as duplicates: 1" in result.stdout


def test_help_documents_the_mapping_and_presets() -> None:
    result = run_cli("import", "--help")
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    for text in ("--map FIELD=COLUMN", "--mapping FILE", "--verdict-preset", "six-level", "supports-refutes"):
        assert text in flat


def test_a_quote_never_closed_is_refused_naming_its_line_and_field(tmp_path: Path) -> None:
    db = _new_db(tmp_path)
    data = tmp_path / "open-quote.csv"
    # Row 3 opens a quote and never closes it: read leniently, rows 3 and 4 would become one claim.
    data.write_text(
        'claim,speaker\n"Bridge tolls doubled",Ferry board\n'
        'Harbour dues "fell,Port office\nBus fares rose,"Transit desk\nQuays closed,Dock union\n',
        encoding="utf-8",
    )
    result = run_cli("import", db, data, "--reviewer", "ana")
    assert result.returncode == EXPECTED_ERROR
    assert f"{data}: line 4, field 2 (“speaker”): a quoted field opened here is never closed" in result.stderr
    assert "nothing was added" in result.stderr
    store = Store.open(db)
    try:
        assert store.count_claims() == 0  # nothing half-imported
    finally:
        store.close()
    # Closing the quote is all it takes.
    data.write_text(
        data.read_text(encoding="utf-8").replace(',"Transit desk', ',"Transit desk"'), encoding="utf-8"
    )
    again = run_cli("import", db, data, "--reviewer", "ana")
    assert again.returncode == 0, again.stderr
    assert "4 claims added" in again.stdout
    one = tmp_path / "one.csv"
    one.write_text(
        'claim,speaker\n"Piers reopen in May",Dock union', encoding="utf-8"
    )  # no line break at the end
    single = run_cli("import", db, one, "--reviewer", "ana")
    assert single.returncode == 0, single.stderr
    assert "1 claim added (0 unattributed)" in single.stdout


def _claims_csv(path: Path, count: int) -> Path:
    """Claims that do not resemble each other (their words are digests), each with a speaker."""
    import hashlib

    rows = [
        f"{n},Report {hashlib.sha1(str(n).encode()).hexdigest()} names crane {n * 7919 % 1000},Port Office {n % 7}"
        for n in range(count)
    ]
    path.write_text("id,claim,speaker\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_on_a_terminal_the_import_shows_its_progress_and_in_a_script_only_its_summary(tmp_path: Path) -> None:
    data = _claims_csv(tmp_path / "cranes.csv", 1_200)
    args = ["import", None, data, "--map", "text=claim", "--map", "source=speaker", "--reviewer", "ana"]

    piped = run_cli(*[_new_db(tmp_path) if a is None else a for a in args])
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""  # a script reading the output gets the summary alone
    assert "1,200 claims added (0 unattributed)" in piped.stdout

    terminal_db = tmp_path / "terminal.db"
    assert run_cli("new", terminal_db).returncode == 0
    process, shown = run_on_terminal(*[terminal_db if a is None else a for a in args])
    assert process.returncode == 0, shown
    assert "adding 1,200 claims to terminal.db: looking for near-duplicates…" in shown
    shown_percentages = percentages(shown)
    assert shown_percentages == sorted(shown_percentages) and shown_percentages[-1] == 100
    assert len(shown_percentages) > 2
    assert "1,200 claims added" in process.stdout and "near-duplicates" not in process.stdout


def test_an_import_and_a_merge_each_print_the_backup_that_takes_them_back(tmp_path: Path) -> None:
    from desktop.store import backup

    db = _new_db(tmp_path)
    data = _claims_csv(tmp_path / "cranes.csv", 30)
    done = run_cli("import", db, data, "--map", "text=claim", "--map", "source=speaker", "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("backup from just before, to take it back: ")
    kept = Path(last.split(": ", 1)[1])
    assert [b.path for b in backup.list_backups(db) if b.reason == backup.BEFORE_IMPORT] == [kept]

    copy = tmp_path / "colleague.db"
    assert run_cli("export", db, "--format", "sqlite", "-o", copy).returncode == 0
    merged = run_cli("import", db, copy, "--reviewer", "ana")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.strip().splitlines()[-1].startswith("backup from just before, to take it back: ")

    backup.restore_backup(kept, db)  # the way back from the import: the file as it was before it
    store = Store.open(db, reviewer="ana")
    try:
        assert store.count_claims() == 0
    finally:
        store.close()


def test_an_article_comes_in_whole_and_the_last_line_names_the_backup_that_takes_it_back(
    tmp_path: Path,
) -> None:
    from desktop.store import backup

    article = Path(__file__).resolve().parents[1] / "data" / "articles" / "harbour-strike.txt"
    db = _new_db(tmp_path)
    done = run_cli("import", db, article, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("imported article “") and "every proposal accepted" in lines[0]
    assert lines[-1].startswith("backup from just before, to take it back: ")
    store = Store.open(db, reviewer="ana")
    try:
        added = store.count_claims()
    finally:
        store.close()
    assert added > 0 and f"{added} claim" in lines[0]
    kept = Path(lines[-1].split(": ", 1)[1])
    backup.restore_backup(kept, db)
    store = Store.open(db, reviewer="ana")
    try:
        assert store.count_claims() == 0
    finally:
        store.close()


def test_an_article_already_in_the_file_is_refused_unless_asked_again(tmp_path: Path) -> None:
    article = Path(__file__).resolve().parents[1] / "data" / "articles" / "harbour-strike.txt"
    db = _new_db(tmp_path)
    assert run_cli("import", db, article, "--reviewer", "ana").returncode == 0
    store = Store.open(db, read_only=True)
    try:
        first = store.count_claims()
    finally:
        store.close()
    before = db.read_bytes()

    again = run_cli("import", db, article, "--reviewer", "ana")

    assert again.returncode == 2
    assert again.stderr.strip() == (
        f"corroborate: harbour-strike.txt is already in {db} as article 1 ({first} claims); "
        "nothing was imported. Add --again to import it a second time."
    )
    assert db.read_bytes() == before
    assert run_cli("import", db, article, "--reviewer", "ana", "--again").returncode == 0
    store = Store.open(db, read_only=True)
    try:
        assert store.count_claims() == 2 * first
    finally:
        store.close()
