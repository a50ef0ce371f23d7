"""Reading Corroborate's own JSON or JSON Lines export back into a file.

The whole export is checked before anything is written, and then written in one
transaction, so a bad record leaves the file as it was. A problem is reported
with where it is: the JSON path (`claims[3].reviews[0].credibility`) or, for
JSON Lines, the line number. Into an empty file the claims, articles and sources
keep their ids; into a file that already has claims they get new ones, and a
source is matched with an existing one of the same name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.errors import CorroborateError
from desktop.core.evidence import Evidence, MediaCategory, MediaInfo, SourceRecord, Stance
from desktop.core.grades import Status, parse_credibility, parse_reliability
from desktop.core.imports import DatasetFields
from desktop.core.model import Anchor, Article, Change, Hop, Review, Source
from desktop.core.vocabulary import Relation, SourceKind
from desktop.core.wording import counted
from desktop.io.export.records import FORMAT_NAME, FORMAT_VERSION
from desktop.store import Store
from desktop.store.merge_back import MergeCounts, MergeWriter
from desktop.store.snapshot import ClaimRecord, SnapshotWriter, is_empty


class ExportFileError(CorroborateError):
    """The file is not a Corroborate export this version can read, or one of its records is malformed."""


@dataclass(frozen=True)
class LoadResult:
    """What was added to the file."""

    articles: int
    claims: int
    kept_ids: bool
    merged: MergeCounts | None = None  # into a file that held claims already: what went where

    @property
    def added(self) -> int:
        """How many claims are new in the file (the rest, if any, were merged into claims it had)."""
        return self.claims if self.merged is None else self.merged.claims_added

    def summary(self) -> str:
        """One line for the person who loaded the file."""
        if self.merged is None:
            return f"{counted(self.claims, 'claim')} added, with their numbers kept"
        m = self.merged
        parts = [
            f"{counted(m.claims_merged, 'claim')} already here, merged",
            f"{counted(m.claims_added, 'new claim')} added",
            f"{counted(m.reviews_added, 'review')} added",
        ]
        if m.reviews_replaced:
            parts.append(f"{counted(m.reviews_replaced, 'review')} here replaced by a later one")
        if m.reviews_kept:
            parts.append(f"{counted(m.reviews_kept, 'review')} here kept (changed later than the copy's)")
        parts.append(f"{counted(m.evidence_added, 'evidence item')} added")
        return "; ".join(parts)


class _Reader:
    """Turns the JSON values of an export into core types, naming the place of any problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> ExportFileError:
        return ExportFileError(f"{self.path}: {where}: {problem}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "expected a list")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "expected text")
        return value

    def number(self, data: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "expected a whole number")
        return value

    def header(self, data: Any, where: str) -> None:
        data = self.obj(data, where)
        if data.get("format") != FORMAT_NAME:
            raise self.fail(where, f"not a Corroborate export (format is {data.get('format')!r})")
        version = data.get("version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise self.fail(
                where,
                f"export version {version!r} was written by a newer Corroborate; "
                f"this version reads up to {FORMAT_VERSION}",
            )

    def article(self, value: Any, where: str) -> Article:
        data = self.obj(value, where)
        return Article(
            id=self.number(data, "id", where),
            title=self.text(data, "title", where),
            text=self.text(data, "text", where),
            outlet=self.text(data, "outlet", where, optional=True),
            author=self.text(data, "author", where, optional=True),
            url=self.text(data, "url", where, optional=True),
            published=self.text(data, "published", where, optional=True),
        )

    def source(self, value: Any, where: str) -> Source:
        data = self.obj(value, where)
        try:
            kind = SourceKind(data.get("kind"))
        except ValueError:
            raise self.fail(f"{where}.kind", f"unknown source kind {data.get('kind')!r}") from None
        return Source(
            name=self.text(data, "name", where),
            kind=kind,
            url=self.text(data, "url", where, optional=True),
            notes=self.text(data, "notes", where, optional=True),
            id=self.number(data, "id", where, optional=True),
        )

    def flag(self, data: dict[str, Any], key: str, where: str) -> bool | None:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "expected true, false or null")
        return value

    def source_record(self, value: Any, where: str) -> SourceRecord:
        data = self.obj(value, where)
        try:
            reliability = parse_reliability(data.get("default_reliability"))
        except ValueError as error:
            raise self.fail(f"{where}.default_reliability", str(error)) from None
        aliases = self.items(data.get("aliases", []), f"{where}.aliases")
        for n, alias in enumerate(aliases):
            if not isinstance(alias, str):
                raise self.fail(f"{where}.aliases[{n}]", "expected text")
        return SourceRecord(
            source=self.source(data, where),
            aliases=tuple(aliases),
            default_reliability=reliability,
            reliability_rationale=self.text(data, "reliability_rationale", where, optional=True) or "",
        )

    def hop(self, value: Any, where: str) -> Hop:
        data = self.obj(value, where)
        try:
            relation = Relation(data.get("relation"))
        except ValueError:
            raise self.fail(f"{where}.relation", f"unknown relation {data.get('relation')!r}") from None
        is_origin = bool(self.flag(data, "is_origin", where))
        return Hop(self.source(data.get("source"), f"{where}.source"), relation, is_origin)

    def evidence(self, value: Any, where: str, claim_id: int) -> Evidence:
        data = self.obj(value, where)
        try:
            stance = Stance(data.get("stance"))
        except ValueError:
            raise self.fail(f"{where}.stance", f"unknown stance {data.get('stance')!r}") from None
        origin = data.get("origin")
        return Evidence(
            id=self.number(data, "id", where),
            claim_id=claim_id,
            source=self.source(data.get("source"), f"{where}.source"),
            stance=stance,
            origin=self.source(origin, f"{where}.origin") if origin is not None else None,
            url=self.text(data, "url", where, optional=True),
            date=self.text(data, "date", where, optional=True),
            excerpt=self.text(data, "excerpt", where, optional=True) or "",
            note=self.text(data, "note", where, optional=True) or "",
            created_at=self.text(data, "created_at", where),
            reviewer=self.text(data, "reviewer", where),
        )

    def media(self, value: Any, where: str, claim_id: int) -> MediaInfo | None:
        if value is None:
            return None
        data = self.obj(value, where)
        category = data.get("category")
        try:
            parsed = MediaCategory(category) if category is not None else None
        except ValueError:
            raise self.fail(f"{where}.category", f"unknown media category {category!r}") from None
        credited = data.get("credited_to")
        return MediaInfo(
            claim_id=claim_id,
            credited_to=self.source(credited, f"{where}.credited_to") if credited is not None else None,
            credit_is_origin=self.flag(data, "credit_is_origin", where),
            original_known=self.text(data, "original_known", where, optional=True) or "",
            category=parsed,
        )

    def dataset(self, value: Any, where: str) -> DatasetFields | None:
        if value is None:
            return None
        data = self.obj(value, where)
        extra = data.get("extra")
        return DatasetFields(
            date=self.text(data, "date", where, optional=True),
            url=self.text(data, "url", where, optional=True),
            verdict_label=self.text(data, "verdict_label", where, optional=True),
            extra=self.obj(extra, f"{where}.extra") if extra is not None else {},
        )

    def review(self, value: Any, where: str, claim_id: int) -> Review:
        data = self.obj(value, where)
        try:
            reliability = parse_reliability(data.get("reliability"))
        except ValueError as error:
            raise self.fail(f"{where}.reliability", str(error)) from None
        try:
            credibility = parse_credibility(data.get("credibility"))
        except ValueError as error:
            raise self.fail(f"{where}.credibility", str(error)) from None
        try:
            status = Status(data.get("status"))
        except ValueError:
            raise self.fail(f"{where}.status", f"unknown status {data.get('status')!r}") from None
        return Review(
            claim_id=claim_id,
            reviewer=self.text(data, "reviewer", where),
            reliability=reliability,
            credibility=credibility,
            status=status,
            rationale=self.text(data, "rationale", where),
            created_at=self.text(data, "created_at", where),
            updated_at=self.text(data, "updated_at", where),
        )

    def change(self, value: Any, where: str, claim_id: int) -> Change:
        data = self.obj(value, where)
        return Change(
            id=self.number(data, "id", where),
            at=self.text(data, "at", where),
            reviewer=self.text(data, "reviewer", where),
            claim_id=claim_id,
            field=self.text(data, "field", where),
            old_value=self.text(data, "old_value", where, optional=True),
            new_value=self.text(data, "new_value", where, optional=True),
        )

    def claim(self, value: Any, where: str) -> ClaimRecord:
        data = self.obj(value, where)
        claim_id = self.number(data, "id", where)
        article = data.get("article")
        article_id = (
            self.number(self.obj(article, f"{where}.article"), "id", f"{where}.article") if article else None
        )
        anchor = None
        if data.get("anchor") is not None:
            spot = self.obj(data["anchor"], f"{where}.anchor")
            at = f"{where}.anchor"
            anchor = Anchor(
                exact=self.text(spot, "exact", at),
                prefix=self.text(spot, "prefix", at),
                suffix=self.text(spot, "suffix", at),
                start=self.number(spot, "start", at),
                end=self.number(spot, "end", at),
            )
        chains = []
        for c, chain in enumerate(self.items(data.get("chains", []), f"{where}.chains")):
            at = f"{where}.chains[{c}]"
            hops = self.items(self.obj(chain, at).get("hops"), f"{at}.hops")
            if not hops:
                raise self.fail(f"{at}.hops", "a chain needs at least one hop")
            chains.append(tuple(self.hop(hop, f"{at}.hops[{h}]") for h, hop in enumerate(hops)))
        reviews = tuple(
            self.review(review, f"{where}.reviews[{r}]", claim_id)
            for r, review in enumerate(self.items(data.get("reviews", []), f"{where}.reviews"))
        )
        changes = tuple(
            self.change(change, f"{where}.changes[{n}]", claim_id)
            for n, change in enumerate(self.items(data.get("changes", []), f"{where}.changes"))
        )
        evidence = tuple(
            self.evidence(item, f"{where}.evidence[{n}]", claim_id)
            for n, item in enumerate(self.items(data.get("evidence", []), f"{where}.evidence"))
        )
        return ClaimRecord(
            id=claim_id,
            article_id=article_id,
            text=self.text(data, "text", where),
            passage=self.text(data, "passage", where),
            anchor=anchor,
            chains=tuple(chains),
            reviews=reviews,
            changes=changes,
            evidence=evidence,
            media=self.media(data.get("media"), f"{where}.media", claim_id),
            dataset=self.dataset(data.get("dataset"), f"{where}.dataset"),
        )


@dataclass(frozen=True)
class ParsedExport:
    """An export read and checked, not yet written anywhere."""

    articles: list[Article]
    sources: list[SourceRecord]
    claims: list[ClaimRecord]


def _read_json(reader: _Reader, raw: str) -> ParsedExport:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise reader.fail(
            f"line {error.lineno}, column {error.colno}", f"not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise reader.fail("top level", "values are nested too deeply to be an export") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise reader.fail("top level", f"not readable ({error})") from None
    reader.header(document, "top level")
    articles = [
        reader.article(item, f"articles[{n}]")
        for n, item in enumerate(reader.items(document.get("articles", []), "articles"))
    ]
    sources = [
        reader.source_record(item, f"sources[{n}]")
        for n, item in enumerate(reader.items(document.get("sources", []), "sources"))
    ]
    claims = [
        reader.claim(item, f"claims[{n}]")
        for n, item in enumerate(reader.items(document.get("claims"), "claims"))
    ]
    return ParsedExport(articles, sources, claims)


def _read_jsonl(reader: _Reader, lines: list[str]) -> ParsedExport:
    parsed = ParsedExport([], [], [])
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise reader.fail(f"{where}, column {error.colno}", f"not valid JSON ({error.msg})") from None
        except RecursionError:
            raise reader.fail(where, "values are nested too deeply to be an export record") from None
        except ValueError as error:
            raise reader.fail(where, f"not readable ({error})") from None
        kind = reader.obj(data, where).get("type")
        if number == 1:
            if kind != "header":
                raise reader.fail(where, "the first line must be the export header")
            reader.header(data, where)
        elif kind == "article":
            parsed.articles.append(reader.article(data, where))
        elif kind == "source":
            parsed.sources.append(reader.source_record(data, where))
        elif kind == "claim":
            parsed.claims.append(reader.claim(data, where))
        else:
            raise reader.fail(where, f"unknown record type {kind!r}")
    return parsed


def read_export(path: Path) -> ParsedExport:
    """Parse and check a JSON or JSON Lines export without touching any store."""
    reader = _Reader(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExportFileError(f"{path} does not exist.") from None
    except UnicodeDecodeError as error:
        raise ExportFileError(f"{path} is not UTF-8 text (byte {error.start}).") from None
    lines = raw.splitlines()
    first = lines[0] if lines else ""
    # JSON Lines starts with a complete header object on its own line; a JSON document does not.
    try:
        head = json.loads(first)
    except (json.JSONDecodeError, RecursionError, ValueError):  # judged again, with a message, below
        head = None
    if isinstance(head, dict) and head.get("type") == "header":
        return _read_jsonl(reader, lines)
    return _read_json(reader, raw)


def load_export(
    store: Store,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoadResult:
    """Add the articles, sources, claims, chains, evidence, reviews and change log of an export to `store`."""
    path = Path(path)
    parsed = read_export(path)
    known = {article.id for article in parsed.articles}
    for record in parsed.claims:
        if record.article_id is not None and record.article_id not in known:
            raise ExportFileError(
                f"{path}: claim {record.id} refers to article {record.article_id}, which is missing."
            )
    return write_loaded(
        store, path, parsed.articles, parsed.sources, parsed.claims, progress=progress, cancelled=cancelled
    )


class LoadCancelled(CorroborateError):
    """The person stopped loading a copy; nothing of it was written."""


def write_loaded(
    store: Store,
    path: Path,
    articles: list[Article],
    sources: list[SourceRecord],
    claims: list[ClaimRecord],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoadResult:
    """Write what an export or another Corroborate file (`path`) holds, in one transaction.

    Into an empty file every number is kept (a round trip); into one that holds claims already,
    claims it has are merged and the rest added (desktop/store/merge_back.py). `progress(done,
    total)` hears of the claims written; when `cancelled()` turns true everything is rolled back.
    """

    def watched() -> Iterator[ClaimRecord]:
        for done, record in enumerate(claims, start=1):
            if cancelled is not None and cancelled():
                raise LoadCancelled(f"Loading {path.name} was cancelled; nothing of it was added.")
            if progress is not None and (done % 200 == 0 or done == len(claims)):
                progress(done, len(claims))
            yield record

    keep_ids = is_empty(store)
    writer = SnapshotWriter(store, keep_ids=True) if keep_ids else MergeWriter(store)
    with writer.transaction():
        writer.add_articles(articles)
        writer.add_sources(sources)
        writer.add_claims(watched())
    merged = writer.counts if isinstance(writer, MergeWriter) else None
    return LoadResult(articles=len(articles), claims=len(claims), kept_ids=keep_ids, merged=merged)
