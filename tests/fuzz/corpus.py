"""Hostile files, made here rather than stored: seeds that import cleanly, a fixed corpus of nasty
cases, and hypothesis strategies that mutate the seeds or make bytes from scratch.

All wording is invented for these tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from tests.fuzz.targets import SAMPLE

RTL = "\u202e"  # right-to-left override
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
ODD = ["\x00", RTL, "\u200f", *ZERO_WIDTH, "\ud7ff", "\U0001f4f0", "\r", "\n", '"', ",", "\t", "\\", "{", "["]

ROWS = [
    ("The ferry to the island runs again from Monday", "Harbour office", "true"),
    ("Bread prices doubled in a week", "Bakers' guild", "false"),
    ("The bridge was closed for repairs", "", "half-true"),
]


def _csv(delimiter: str = ",") -> str:
    lines = [delimiter.join(["claim", "speaker", "verdict"])]
    lines += [delimiter.join(f'"{cell}"' for cell in row) for row in ROWS]
    return "\n".join(lines) + "\n"


def _records() -> list[dict[str, str]]:
    return [{"claim": c, "speaker": s, "verdict": v} for c, s, v in ROWS]


def _claimreview() -> str:
    return json.dumps(
        [
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://example.org/checks/{number}",
                "claimReviewed": claim,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Organization", "name": speaker or "x"},
                },
                "reviewRating": {"@type": "Rating", "alternateName": verdict},
            }
            for number, (claim, speaker, verdict) in enumerate(ROWS, start=1)
        ]
    )


ARTICLE = (
    "Ferry service resumes\n\n"
    "According to the harbour office, the ferry to the island runs again from Monday. "
    "The local paper reports that tickets sold out within hours. "
    "Officials said the timetable would be published on Friday.\n"
)


@cache
def exports() -> dict[str, bytes]:
    """Corroborate's own JSON and JSON Lines exports of sample.db, made with the export command."""
    import tempfile

    from desktop.cli import main

    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        # From a copy: even a read-only open of the committed file leaves -wal and -shm beside it.
        copy = Path(folder) / SAMPLE.name
        copy.write_bytes(SAMPLE.read_bytes())
        for fmt in ("json", "jsonl"):
            target = Path(folder) / f"export.{fmt}"
            with contextlib.redirect_stdout(io.StringIO()):
                code = main(["export", str(copy), "--format", fmt, "-o", str(target)])
            if code == 0 and target.exists():
                out[fmt] = target.read_bytes()
    return out


@cache
def seeds() -> dict[str, bytes]:
    """Well-formed files, by suffix, that the importers for that suffix accept."""
    found = {
        ".csv": _csv().encode(),
        ".tsv": _csv("\t").encode(),
        ".json": json.dumps(_records()).encode(),
        ".jsonl": "\n".join(json.dumps(r) for r in _records()).encode(),
        ".txt": ARTICLE.encode(),
        ".md": ("# " + ARTICLE).encode(),
        ".html": f"<html><head><title>Ferry</title></head><body><p>{ARTICLE}</p></body></html>".encode(),
        ".db": SAMPLE.read_bytes(),
        "claimreview.json": _claimreview().encode(),
    }
    for fmt, data in exports().items():
        found[f"export.{fmt}"] = data
    return found


def seed_for(suffix: str) -> list[bytes]:
    return [data for name, data in seeds().items() if name.endswith(suffix)]


# ---- the fixed corpus of nasty files ---------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


def _newer_schema_db() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "newer.db"
        path.write_bytes(SAMPLE.read_bytes())
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('corroborate', '9999_later', '2031-01-01 00:00:00+00:00')"
        )
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        return path.read_bytes()


def _invalid_utf8_in_a_title_db() -> bytes:
    """A sound SQLite file whose article title holds bytes that are not UTF-8 (a flipped bit, say)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad-text.db"
        path.write_bytes(SAMPLE.read_bytes())
        conn = sqlite3.connect(path)
        conn.execute("UPDATE articles SET title = CAST(X'ff6f727468' AS TEXT) WHERE id = 1")
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        return path.read_bytes()


def nasty_files() -> Iterator[tuple[str, str, bytes]]:
    """(name, suffix, bytes) for every case the issue lists, for every kind of file."""
    csv_text = _csv()
    json_text = json.dumps(_records())
    db = SAMPLE.read_bytes()
    for suffix in (".csv", ".tsv", ".json", ".jsonl", ".txt", ".md", ".html", ".db"):
        yield "empty", suffix, b""
        yield "nul-bytes-only", suffix, b"\x00" * 4096
        yield "database-renamed", suffix, db
        yield "database-truncated", suffix, db[: len(db) // 3]
        for name, data in seeds().items():
            if name.endswith(suffix):
                yield f"{name}-truncated-mid", suffix, data[: max(1, len(data) // 2)]
                yield f"{name}-utf16-no-bom", suffix, data.decode("utf-8", "replace").encode("utf-16-le")
                yield f"{name}-utf16-bom", suffix, data.decode("utf-8", "replace").encode("utf-16")
                yield f"{name}-utf8-bom", suffix, b"\xef\xbb\xbf" + data
                yield f"{name}-nul-inside", suffix, data[:20] + b"\x00" + data[20:]
                yield f"{name}-invalid-utf8", suffix, data[:30] + b"\xff\xfe\xc3\x28" + data[30:]
    for suffix in (".csv", ".json", ".txt", ".md", ".html"):
        yield "bom-then-odd-byte", suffix, b"\xfe\xff\x00"  # UTF-16 BOM, then half a character
        yield "utf8-bom-only", suffix, b"\xef\xbb\xbf"
    yield "latin1", ".csv", "claim,speaker\nCaf\u00e9 prices rose,Mayor's office\n".encode("latin-1")
    yield (
        "cp1252-quotes",
        ".csv",
        "claim,speaker\n\u201cNo change\u201d \u2013 says office,Port\n".encode("cp1252"),
    )
    yield "shift-jis", ".csv", "claim,speaker\n\u6e2f\u306e\u8239,\u5e02\n".encode("shift_jis")
    rtl = f"claim,speaker\n{RTL}The ferry runs{ZERO_WIDTH},\u200fHarbour\u200b office\n"
    yield "rtl-and-zero-width", ".csv", rtl.encode()
    yield (
        "rtl-and-zero-width",
        ".json",
        json.dumps([{"claim": f"{RTL}ferry{ZERO_WIDTH}", "speaker": "\u200f"}]).encode(),
    )
    yield (
        "rtl-article",
        ".txt",
        f"{RTL}Ferry\n\nAccording to the\u200b harbour office, it runs.{ZERO_WIDTH}\n".encode(),
    )
    big = "x" * TEN_MB
    yield "ten-mb-field", ".csv", f'claim,speaker\n"{big}",Harbour office\n'.encode()
    yield "ten-mb-field", ".json", json.dumps([{"claim": big, "speaker": "Harbour office"}]).encode()
    yield "ten-mb-line", ".jsonl", json.dumps({"claim": big}).encode()
    yield "ten-mb-article", ".txt", ("According to the office, " + big).encode()
    deep = 100_000
    yield "deep-lists", ".json", b"[" * deep + b"]" * deep
    yield "deep-objects", ".json", b'{"a":' * deep + b"1" + b"}" * deep
    yield "deep-lists", ".jsonl", b"[" * deep + b"]" * deep
    yield "deep-in-record", ".json", b'[{"claim":"x","extra":' + b"[" * deep + b"]" * deep + b"}]"
    yield "deep-html", ".html", b"<div>" * 50_000 + b"According to the office, it runs." + b"</div>" * 50_000
    yield "not-a-list", ".json", b'"just a string"'
    yield "numbers-for-text", ".json", b'[{"claim": 12, "speaker": [1, 2], "verdict": {"a": null}}]'
    yield "huge-number", ".json", b'[{"claim": 1' + b"0" * 5000 + b"}]"
    yield "nan", ".json", b'[{"claim": NaN, "speaker": Infinity}]'
    yield "ragged-rows", ".csv", b'claim,speaker\n"a",b,c,d\n"unclosed,quote\n'
    yield "csv-renamed-db", ".db", csv_text.encode()
    yield "json-renamed-db", ".db", json_text.encode()
    yield "newer-schema", ".db", _newer_schema_db()
    yield "invalid-utf8-in-a-title", ".db", _invalid_utf8_in_a_title_db()
    yield "scribbled", ".db", bytes(b ^ 0x5A if i > 8192 and i % 7 == 0 else b for i, b in enumerate(db))


# ---- hypothesis strategies -------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A seed file with a few random edits: cut, insert, overwrite, duplicate, odd characters."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            data.extend(draw(st.binary(max_size=50)))
            continue
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "overwrite", "odd", "duplicate", "truncate"]))
        if action == "truncate":
            del data[at:]
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif action == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(chunk)] = chunk
        elif action == "odd":
            data[at:at] = draw(st.sampled_from(ODD)).encode("utf-8", "surrogatepass")
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@st.composite
def reencoded(draw: st.DrawFn, seed: bytes) -> bytes:
    """A seed's text, with odd characters mixed in, written in some other encoding."""
    text = seed.decode("utf-8", "replace")
    at = draw(st.integers(0, len(text)))
    text = text[:at] + draw(st.text(alphabet=st.sampled_from(ODD) | st.characters(), max_size=20)) + text[at:]
    return text.encode(draw(st.sampled_from(ENCODINGS)), "replace")


@st.composite
def wellformed_records(draw: st.DrawFn, suffix: str) -> bytes:
    """Valid CSV/JSON/JSON Lines whose cells hold any text at all: these must import whole or be refused."""
    cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(ODD), max_size=40)
    rows = draw(st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=5))
    records = [{"claim": a, "speaker": b, "verdict": c} for a, b, c in rows]
    if suffix == ".json":
        return json.dumps(records, ensure_ascii=draw(st.booleans())).encode()
    if suffix == ".jsonl":
        return "\n".join(json.dumps(r) for r in records).encode()
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if suffix == ".tsv" else ",")
    writer.writerow(["claim", "speaker", "verdict"])
    writer.writerows(rows)
    return out.getvalue().encode()


def hostile_bytes(suffix: str) -> st.SearchStrategy[bytes]:
    """Anything a file ending in `suffix` might hold."""
    options: list[st.SearchStrategy[bytes]] = [st.binary(max_size=3000)]
    for seed in seed_for(suffix):
        # A database is big: mutate it, but re-encoding it as text says nothing new.
        options.append(mutated(seed))
        if suffix != ".db":
            options.append(reencoded(seed))
    if suffix in (".csv", ".tsv", ".json", ".jsonl"):
        options.append(wellformed_records(suffix))
    return st.one_of(options)
