"""Each export format checked field by field on a reviewed copy of the sample."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_data import PUBLISHER, REVIEWS, reviewed_sample

from desktop.core.errors import CorroborateError
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS
from desktop.core.model import ClaimQuery, chains_summary
from desktop.io.export import FORMATS, ExportOptions, export
from desktop.io.export.csv_writer import COLUMNS, neutralise
from desktop.io.export.records import FORMAT_NAME, FORMAT_VERSION
from desktop.store import Store


@pytest.fixture
def reviewed(sample_copy: Path) -> Path:
    reviewed_sample(sample_copy)
    return sample_copy


@pytest.fixture
def store(reviewed: Path) -> Iterator[Store]:
    opened = Store.open(reviewed, read_only=True)
    yield opened
    opened.close()


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---- CSV ----------------------------------------------------------------------------------------


def test_csv_has_the_documented_columns_and_one_row_per_claim_and_review(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    result = export(store, ClaimQuery("ana"), "csv", target)
    rows = _csv_rows(target)
    with target.open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS
    # 15 claims, claim 1 reviewed by two people: 16 rows.
    assert len(rows) == result.items == 16
    assert [row["claim_id"] for row in rows[:3]] == ["1", "1", "2"]
    assert {row["reviewer"] for row in rows if row["claim_id"] == "1"} == {"ana", "lee"}


def test_csv_fields_of_a_reviewed_claim(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export(store, ClaimQuery("ana"), "csv", target)
    ana = next(r for r in _csv_rows(target) if r["claim_id"] == "1" and r["reviewer"] == "ana")
    detail = store.claim_detail(1)
    review = detail.review_by("ana")
    assert review is not None
    assert ana["claim"] == detail.text
    assert ana["claim_author"] == "National Intelligence Service (NIS)"
    assert ana["appearance_title"] == detail.article_title
    assert ana["claim_date"] == "" and ana["appearance_url"] == ""  # the sample article has neither
    assert (ana["textual_rating"], ana["rating_value"], ana["best_rating"], ana["worst_rating"]) == (
        "Probably true",
        "4",
        "5",
        "1",
    )
    assert (ana["reliability"], ana["reliability_label"], ana["credibility"], ana["grade"]) == (
        "B",
        RELIABILITY_LABELS["B"],
        "2",
        "B2",
    )
    assert (ana["status"], ana["reviewed_at"], ana["rationale"]) == (
        "reviewed",
        review.updated_at,
        REVIEWS[1]["ana"][3],
    )
    # Yonhap relays the NIS (the claim's own origin) so only the Gazette counts.
    assert ana["independent_origins"] == "1"
    assert "Circular reporting" in ana["circular_reporting"]
    assert ana["cited_sources"] == "National Intelligence Service (NIS)"
    assert ana["unattributed"] == "no"
    assert ana["chain"] == chains_summary(detail.chains)


def test_csv_claim_author_is_the_marked_origin_and_unreviewed_claims_have_empty_reviews(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    export(store, ClaimQuery("ana"), "csv", target)
    rows = {row["claim_id"]: row for row in _csv_rows(target) if row["reviewer"] in ("ana", "")}
    # Claim 2 cites Yonhap, which reports the NIS: the NIS is the origin and so the author.
    assert rows["2"]["claim_author"] == "National Intelligence Service (NIS)"
    assert rows["2"]["cited_sources"] == "Yonhap"
    # Claim 4 cites nobody: the article speaks for itself.
    assert rows["4"]["claim_author"] == "Mateusz Tomczak"
    assert rows["4"]["unattributed"] == "yes"
    # Claim 4 is graded 6: a label, but no rating value on the 1..5 scale.
    assert (rows["4"]["textual_rating"], rows["4"]["rating_value"]) == ("Truth cannot be judged", "")
    assert rows["5"]["rating_value"] == "5"  # credibility 1 is the best rating
    unreviewed = rows["9"]
    review_columns = COLUMNS[COLUMNS.index("textual_rating") : COLUMNS.index("rationale") + 1]
    assert all(unreviewed[column] == "" for column in review_columns)
    assert unreviewed["claim"]


@pytest.mark.parametrize(
    ("claim_id", "rationale_start"),
    [
        ("2", "'=HYPERLINK("),
        ("3", "'@SUM("),
        ("4", "'+1 "),
        ("5", "'-2 "),
        ("6", "'\tstarts"),
        ("7", "'\rstarts"),
    ],
)
def test_csv_neutralises_cells_a_spreadsheet_would_run(
    store: Store, tmp_path: Path, claim_id: str, rationale_start: str
) -> None:
    target = tmp_path / "out.csv"
    export(store, ClaimQuery("ana"), "csv", target)
    row = next(r for r in _csv_rows(target) if r["claim_id"] == claim_id and r["reviewer"] == "ana")
    assert row["rationale"].startswith(rationale_start)
    # Only the leading character matters: the rest of the text is kept exactly.
    assert row["rationale"][1:] == REVIEWS[int(claim_id)]["ana"][3]


def test_neutralise_leaves_ordinary_text_alone() -> None:
    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{trigger}x") == f"'{trigger}x"
    for plain in ("plain", "a=b", " =not first", "", "'already quoted"):
        assert neutralise(plain) == plain
    assert neutralise(None) == "" and neutralise(4) == "4"


def test_csv_byte_order_mark_only_when_asked(store: Store, tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    export(store, [1], "csv", plain)
    export(store, [1], "csv", marked, ExportOptions(bom=True))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes()[3:] == plain.read_bytes()
    assert plain.read_bytes().startswith(b'"claim_id"')


def test_csv_for_one_reviewer_leaves_out_other_reviews(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "lee.csv"
    export(store, [1, 2], "csv", target, ExportOptions(reviewer="lee"))
    rows = _csv_rows(target)
    assert [(r["claim_id"], r["reviewer"], r["grade"]) for r in rows] == [("1", "lee", "C3"), ("2", "", "")]


# ---- JSON and JSONL -----------------------------------------------------------------------------


def test_json_envelope_articles_and_sources(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    export(store, ClaimQuery("ana"), "json", target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == (FORMAT_NAME, FORMAT_VERSION) == ("corroborate-export", 1)
    assert data["selection"] == {"claims": 15, "reviewer": None}
    assert list(data) == [
        "format",
        "version",
        "generator",
        "exported_at",
        "selection",
        "articles",
        "sources",
        "claims",
    ]
    (article,) = data["articles"]
    assert article["title"] == store.claim_detail(1).article_title
    assert article["author"] == "Mateusz Tomczak" and "Kursk" in article["text"]
    sources = {s["name"]: s for s in data["sources"]}
    assert "Lantern Gazette" in sources and "Drone watchers forum" in sources
    nis = sources["National Intelligence Service (NIS)"]
    assert nis["aliases"] == ["South Korean intelligence"]
    assert nis["kind"] == "intelligence_agency" and nis["kind_label"] == "intelligence or security agency"
    assert sources["Yonhap"]["default_reliability"] == "B"
    assert sources["Yonhap"]["reliability_rationale"].startswith("A wire agency")


def test_json_claim_is_complete_and_nested(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    export(store, ClaimQuery("ana"), "json", target)
    data = json.loads(target.read_text(encoding="utf-8"))
    claims = {claim["id"]: claim for claim in data["claims"]}
    assert list(claims) == list(range(1, 16))
    one = claims[1]
    detail = store.claim_detail(1)
    assert (one["text"], one["passage"], one["unattributed"]) == (detail.text, detail.passage, False)
    assert one["article"]["id"] == data["articles"][0]["id"] and "text" not in one["article"]
    assert detail.anchor is not None
    assert one["anchor"] == {
        "exact": detail.anchor.exact,
        "prefix": detail.anchor.prefix,
        "suffix": detail.anchor.suffix,
        "start": detail.anchor.start,
        "end": detail.anchor.end,
    }
    article_text = data["articles"][0]["text"]
    assert article_text[one["anchor"]["start"] : one["anchor"]["end"]] == one["anchor"]["exact"]
    assert one["origins"] == ["National Intelligence Service (NIS)"]
    (chain,) = one["chains"]
    assert chain["summary"] == chains_summary(detail.chains)
    assert [(h["source"]["name"], h["relation"], h["is_origin"]) for h in chain["hops"]] == [
        ("National Intelligence Service (NIS)", "according_to", False)
    ]
    stances = [
        (e["source"]["name"], e["stance"], e["origin"] and e["origin"]["name"]) for e in one["evidence"]
    ]
    assert stances == [
        ("Yonhap", "corroborates", "National Intelligence Service (NIS)"),
        ("Lantern Gazette", "corroborates", None),
        ("Drone watchers forum", "contradicts", None),
    ]
    gazette = one["evidence"][1]
    assert (gazette["url"], gazette["date"], gazette["excerpt"], gazette["note"], gazette["reviewer"]) == (
        "https://gazette.example.org/drones",
        "2025-02",
        "Our reporter saw the training ground.",
        "first-hand",
        "ana",
    )
    independence = one["independence"]
    assert independence["independent_origins"] == 1
    assert independence["corroborating_origins"] == ["Lantern Gazette"]
    assert independence["contradicting_origins"] == ["Drone watchers forum"]
    assert len(independence["warnings"]) == 1 and "Yonhap" in independence["warnings"][0]
    assert [(r["reviewer"], r["grade"], r["status"]) for r in one["reviews"]] == [
        ("ana", "B2", "reviewed"),
        ("lee", "C3", "in_progress"),
    ]
    ana = one["reviews"][0]
    assert ana["reliability_label"] == RELIABILITY_LABELS["B"]
    assert ana["credibility_label"] == CREDIBILITY_LABELS[2]
    assert ana["rationale"] == REVIEWS[1]["ana"][3]
    assert "changes" not in one
    # Claim 2's chain marks the NIS (second hop) as origin; claim 3 has media provenance.
    assert [h["is_origin"] for h in claims[2]["chains"][0]["hops"]] == [False, True]
    assert claims[3]["media"] == {
        "credited_to": claims[3]["chains"][0]["hops"][0]["source"],
        "credit_is_origin": False,
        "original_known": "A video posted earlier by another account.",
        "category": "DecontextualizedContent",
        "category_label": "real but out of context (wrong place, date or story)",
    }
    assert claims[9]["reviews"] == [] and claims[9]["evidence"] == [] and claims[9]["media"] is None
    assert claims[4]["chains"] == [] and claims[4]["unattributed"] is True


def test_json_change_log_on_request(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "log.json"
    export(store, [1], "json", target, ExportOptions(include_log=True))
    (claim,) = json.loads(target.read_text(encoding="utf-8"))["claims"]
    expected = [(c.id, c.reviewer, c.field, c.old_value, c.new_value) for c in store.changes(1)]
    assert len(expected) >= 11  # 8 grade edits and 3 evidence items
    assert [
        (c["id"], c["reviewer"], c["field"], c["old_value"], c["new_value"]) for c in claim["changes"]
    ] == (expected)


def test_jsonl_lines_match_the_json_records(store: Store, tmp_path: Path) -> None:
    as_json, as_lines = tmp_path / "out.json", tmp_path / "out.jsonl"
    export(store, ClaimQuery("ana"), "json", as_json)
    result = export(store, ClaimQuery("ana"), "jsonl", as_lines)
    document = json.loads(as_json.read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in as_lines.read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    assert header["type"] == "header"
    assert (header["format"], header["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    kinds = [line["type"] for line in lines]
    assert kinds == ["header", "article"] + ["source"] * len(document["sources"]) + ["claim"] * 15
    assert result.items == 15

    def without_type(line: dict) -> dict:
        return {k: v for k, v in line.items() if k != "type"}

    assert [without_type(line) for line in lines if line["type"] == "claim"] == document["claims"]
    assert [without_type(line) for line in lines if line["type"] == "source"] == document["sources"]
    assert [without_type(line) for line in lines if line["type"] == "article"] == document["articles"]


# ---- SQLite -------------------------------------------------------------------------------------


def test_sqlite_export_holds_exactly_the_set_and_opens_everywhere(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "set.db"
    result = export(store, [3, 1], "sqlite", target)
    assert result.items == 2
    assert not target.with_name("set.db-wal").exists()
    copy = Store.open(target, read_only=True)
    try:
        assert list(copy.claim_ids(ClaimQuery("ana"))) == [1, 3]
        assert copy.claim_detail(1) == store.claim_detail(1)
        assert copy.evidence_of(1) == store.evidence_of(1)
        assert copy.media_info(3) == store.media_info(3)
        assert copy.changes(1) == store.changes(1)
        assert copy.claim_independence(1) == store.claim_independence(1)
        names = {record.source.name for record in copy.list_sources()}
        assert names == {
            "National Intelligence Service (NIS)",
            "Yonhap",
            "Lantern Gazette",
            "Drone watchers forum",
            "X account @polymarketintel",
        }
    finally:
        copy.close()
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 3
    finally:
        conn.close()
    listed = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "tables", str(target), "--counts"],
        capture_output=True,
        text=True,
        check=True,
    )
    tables = {row["table"]: row["count"] for row in json.loads(listed.stdout)}
    assert tables["claims"] == 2 and tables["reviews"] == 3 and tables["evidence"] == 3
    assert tables["articles"] == 1 and tables["media"] == 1 and tables["chain_hops"] == 1 + 1


# ---- HTML -------------------------------------------------------------------------------------


def test_html_report_shows_claims_grades_chains_evidence_warnings_and_charts(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    result = export(store, [1, 3, 4, 7], "html", target)
    page = target.read_text(encoding="utf-8")
    assert result.items == 4
    assert page.startswith("<!DOCTYPE html>") and page.count('class="claim"') == 4
    assert store.claim_detail(1).text in page
    assert "B2" in page and "Usually reliable" in page and "Probably true" in page
    assert "C3" in page  # lee's review of claim 1
    assert "interested party; rarely verifiable" in page  # the NIS caveat in claim 1's chain
    assert "Lantern Gazette" in page and "Our reporter saw the training ground." in page
    assert "Circular reporting" in page
    assert "1 independent origin corroborates it" in page
    assert "Unattributed: the article cites nobody" in page  # claim 4
    assert "Media provenance: credited to X account @polymarketintel" in page
    assert page.count("<svg") == 2
    assert "Information credibility by kind of origin" in page
    assert "Source reliability by kind of origin" in page
    # Reviewer text is escaped, never markup.
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page and "<b>not bold</b>" not in page
    assert "<script" not in page


# ---- choosing formats and targets ---------------------------------------------------------------


def test_every_documented_format_but_pdf_is_available_without_qt() -> None:
    assert set(FORMATS) >= {"csv", "json", "jsonl", "claimreview", "sqlite", "html"}
    # In a fresh interpreter: pytest's Qt plugin has already loaded Qt into this one.
    code = "import sys, desktop.io.export as e; print(sorted(e.FORMATS), 'PySide6' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['claimreview', 'csv', 'html', 'json', 'jsonl', 'sqlite'] False"


def test_unknown_format_and_exporting_onto_the_source_are_refused(store: Store, reviewed: Path) -> None:
    with pytest.raises(CorroborateError, match="Unknown export format 'xml'"):
        export(store, [1], "xml", reviewed.with_name("x.xml"))
    before = reviewed.read_bytes()
    with pytest.raises(CorroborateError, match="file being exported from"):
        export(store, [1], "sqlite", reviewed)
    assert reviewed.read_bytes() == before


def test_claimreview_publisher_is_required(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "cr.jsonld"
    with pytest.raises(CorroborateError, match="publisher's name"):
        export(store, [1], "claimreview", target)
    with pytest.raises(CorroborateError, match="absolute http"):
        export(store, [1], "claimreview", target, ExportOptions(publisher_name="X", publisher_url="/reviews"))
    assert not target.exists()
    assert export(store, [1], "claimreview", target, PUBLISHER).items == 1
