"""The Store: the one gateway between Corroborate and its SQLite file.

Takes and returns core types; every user edit is one committed transaction
that writes the change and its change-log row together.
"""

from __future__ import annotations

import sqlite3
import weakref
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.core.edits import Applied, ChainEdit, ClaimEdit, Edit, EditCancelled, EvidenceEdit, SourceEdit
from desktop.core.errors import CorroborateError, InvalidValueError, StoreWriteError
from desktop.core.grades import Status, parse_credibility, parse_reliability
from desktop.core.model import (
    Anchor,
    Article,
    Change,
    ClaimDetail,
    ClaimQuery,
    ClaimRow,
    NewClaim,
    Review,
    ReviewField,
    ReviewValue,
    Source,
    chains_summary,
    source_key,
)
from desktop.store import access, opening
from desktop.store.article_text import ArticleTextMixin
from desktop.store.base import SOURCE_COLUMNS, source_from_row, utc_now
from desktop.store.chains import ChainsMixin
from desktop.store.claim_edits import ClaimEditsMixin
from desktop.store.claim_queries import ClaimIdStream, claim_count_sql, claim_ids_sql
from desktop.store.connection import Connection
from desktop.store.evidence import EvidenceMixin
from desktop.store.history import HistoryMixin
from desktop.store.imports import ImportsMixin
from desktop.store.saved_sets import SavedSetsMixin
from desktop.store.sources import SourcesMixin


class Store(
    SourcesMixin,
    ChainsMixin,
    EvidenceMixin,
    SavedSetsMixin,
    ImportsMixin,
    HistoryMixin,
    ArticleTextMixin,
    ClaimEditsMixin,
):
    """An open Corroborate file."""

    def __init__(self, db: Connection, path: Path, *, opened: access.OpenedFile | None = None) -> None:
        self._db = db
        self.path = path
        self._opened = opened
        # Listings being read on connections of their own: closed with the file, so none outlives it.
        self._streams: weakref.WeakSet[ClaimIdStream] = weakref.WeakSet()
        self._source_names: tuple[tuple[int, int], list[tuple[int, str]]] | None = None

    # ---- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        reviewer: str | None = None,
        background_checks: bool = False,
        long_step: access.LongStep = access.in_place,
    ) -> Store:
        """Open an existing Corroborate file, or create one when `create` is set and it is absent.

        Refused files (not SQLite, not ours, newer, damaged) raise a CorroborateError and stay
        untouched; DamagedFileError carries the newest backup. For editing the file is locked:
        LockedError names who holds it (`reviewer` is recorded for others to see). With
        `read_only`, or when the file or its folder cannot be written to, it opens read-only and
        edits raise StoreWriteError. Checks and backups on open: see desktop/store/access.py;
        with `background_checks` a large file's quick check and daily backup are left for
        `finish_open_checks`, which the window runs on a worker thread once the file is shown.
        `long_step` runs what must come first and reads the whole of a large file (the full check
        after an unclean end, a backup); OpeningCancelled if the reviewer stops it.
        """
        path = Path(path)
        if path.exists() and path.is_dir():
            raise CorroborateError(f"{path} is a folder, not a Corroborate file.")
        if not create and not path.exists():
            raise CorroborateError(f"{path} does not exist. Create it with File › New or `corroborate new`.")
        opened = access.open_file(
            path, read_only=read_only, reviewer=reviewer, background=background_checks, long_step=long_step
        )
        return cls(opened.db, path, opened=opened)

    def close(self) -> None:
        for stream in list(self._streams):
            stream.close()
        self._db.close()
        # Released only once the database closed without error: otherwise the lock record stays
        # as an unclean-shutdown mark and the next open runs the full integrity check. A file found
        # damaged keeps the mark too, so the next open refuses it at once and offers a backup.
        if self._opened is not None and self._opened.lock is not None:
            self._opened.lock.release(clean=self._opened.report.read_only_reason != access.DAMAGE_FOUND)

    @property
    def read_only(self) -> bool:
        """True when edits are impossible: opened read-only, or the file or folder cannot be written."""
        return self._opened is not None and self._opened.report.read_only_reason is not None

    @property
    def open_report(self) -> access.OpenReport:
        """What happened on open: why read-only, unclean shutdown recovered, backup made or failed."""
        return self._opened.report if self._opened is not None else access.OpenReport()

    def finish_open_checks(self, cancelled: Callable[[], bool] | None = None) -> access.LaterChecks:
        """Run the checks `open` left for later (see `open_report`); meant for a worker thread.

        Uses connections of its own, never this Store's. Raises DamagedFileError when the file is
        damaged (call `mark_damaged` then); returns `interrupted` when `cancelled()` turned true.
        """
        return access.finish_checks(self.path, self.open_report, cancelled)

    def mark_damaged(self) -> None:
        """A check found damage after opening: from now on refuse every edit, as a read-only file does.

        On close the unclean-shutdown mark is left, so the next open runs the full check first.
        """
        if self._opened is None:
            return
        self._opened.report = replace(self._opened.report, read_only_reason=access.DAMAGE_FOUND)
        # Also refused by SQLite itself, so no path that forgot to ask can write.
        self._db.execute("PRAGMA query_only = ON")

    def set_max_page_count_for_tests(self, pages: int) -> int:
        """Test support only: cap the file's size on this connection, as a full disk would.

        Sets PRAGMA max_page_count, which SQLite never lowers below the current size; returns
        the cap in effect. Raise it again to "free space". Not for use by the program.
        """
        return int(self._db.execute(f"PRAGMA max_page_count = {int(pages)}").fetchone()[0])

    def defer_checkpoints(self, pages: int = 10_000) -> None:
        """Let this connection's write-ahead log grow to `pages` before a save has to copy it back.

        SQLite copies the log into the file (a checkpoint) inside whichever commit crosses the limit,
        which made one grade save in a hundred slow. The window raises the limit and calls
        `checkpoint()` from a background connection instead; the limit stays as a safety net.
        """
        self._db.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file as far as readers allow, without waiting for them."""
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreWriteError(
                f"{self.path} is read-only ({self.open_report.read_only_reason}): the change was not saved."
            )

    @property
    def schema_version(self) -> int:
        return opening.schema_version(self._db)

    # ---- loading material (builders and importers) ---------------------------------

    def add_article(self, article: Article) -> int:
        self._require_writable()
        with self._db.atomic():
            cursor = self._db.execute(
                "INSERT INTO articles (title, outlet, author, url, published, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [article.title, article.outlet, article.author, article.url, article.published, article.text],
            )
        return int(cursor.lastrowid or 0)

    def ensure_source(self, source: Source) -> Source:
        """Return the stored source with this name, creating it if no source has the same name key."""
        key = source_key(source.name)
        if not key:
            raise InvalidValueError("A source needs a name with at least one letter or digit.")
        found = self.find_source(source.name)
        if found is not None:
            return found
        self._require_writable()
        with self._db.atomic():
            cursor = self._db.execute(
                "INSERT INTO sources (id, name, name_key, kind, url, notes) VALUES (?, ?, ?, ?, ?, ?)",
                [self._new_source_id(), source.name, key, source.kind.value, source.url, source.notes],
            )
        return Source(source.name, source.kind, source.url, source.notes, int(cursor.lastrowid or 0))

    def add_claims(self, article_id: int | None, claims: Iterable[NewClaim]) -> list[int]:
        """Add claims with their chains in one transaction; sources are created as needed."""
        self._require_writable()
        ids: list[int] = []
        with self._db.atomic():
            for claim in claims:
                anchor = claim.anchor
                cursor = self._db.execute(
                    "INSERT INTO claims (article_id, text, passage, anchor_exact, anchor_prefix, "
                    "anchor_suffix, anchor_start, anchor_end, unattributed) VALUES (?,?,?,?,?,?,?,?,?)",
                    [
                        article_id,
                        claim.text,
                        claim.passage,
                        anchor.exact if anchor else None,
                        anchor.prefix if anchor else None,
                        anchor.suffix if anchor else None,
                        anchor.start if anchor else None,
                        anchor.end if anchor else None,
                        int(claim.unattributed),
                    ],
                )
                claim_id = int(cursor.lastrowid or 0)
                for chain_index, chain in enumerate(claim.chains):
                    for position, hop in enumerate(chain):
                        source = self.ensure_source(hop.source)
                        self._db.execute(
                            "INSERT INTO chain_hops (claim_id, chain, position, source_id, relation, is_origin) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            [
                                claim_id,
                                chain_index,
                                position,
                                source.id,
                                hop.relation.value,
                                int(hop.is_origin),
                            ],
                        )
                ids.append(claim_id)
        return ids

    # ---- reading -------------------------------------------------------------------

    def claim_ids(self, query: ClaimQuery) -> array[int]:
        """Ids of the claims matching `query`, in its order. A compact array: files can hold millions."""
        built = claim_ids_sql(query)
        ids: array[int] = array("q")
        if built is None:
            return ids
        sql, params = built
        cursor = self._db.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            ids.extend(row[0] for row in batch)
        return ids

    def claim_id_stream(self, query: ClaimQuery) -> ClaimIdStream:
        """How many claims `query` lists, and their ids to read a batch at a time as the table scrolls.

        Reads a snapshot of the file on a connection of its own (see ClaimIdStream), so a table can
        show the first page of a million claims without fetching every id first.
        """
        stream = ClaimIdStream.open(self._db.conn, None if self.read_only else self.path, query)
        self._streams.add(stream)
        return stream

    def grades_given(self, axis: str) -> dict[int, dict[str, object]]:
        """Every reviewer's grade on one axis ("credibility" or "reliability"), by claim: for agreement."""
        column = {"credibility": "credibility", "reliability": "reliability"}[axis]
        found: dict[int, dict[str, object]] = {}
        for claim_id, reviewer, grade in self._db.execute(
            f"SELECT claim_id, reviewer, {column} FROM reviews WHERE {column} IS NOT NULL"
        ):
            found.setdefault(int(claim_id), {})[str(reviewer)] = grade
        return found

    def count_matching(self, query: ClaimQuery) -> int:
        """How many claims `query` lists."""
        built = claim_count_sql(query)
        return int(self._db.execute(*built).fetchone()[0]) if built is not None else 0

    def wordings_and_passages(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Each claim's wording and the passage of the article it comes from, by claim id."""
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
            batch = list(ids[start : start + 500])
            marks = ", ".join("?" for _ in batch)
            rows = self._db.execute(f"SELECT id, text, passage FROM claims WHERE id IN ({marks})", batch)
            found.update((row[0], (row[1], row[2])) for row in rows.fetchall())
        return found

    def claim_rows(self, ids: Sequence[int], reviewer: str) -> dict[int, ClaimRow]:
        """Table rows for these claim ids, as `reviewer` sees them."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        chains = self._chains_for(ids)
        rows: dict[int, ClaimRow] = {}
        for row in self._db.execute(
            "SELECT c.id, c.text, c.unattributed, r.reliability, r.credibility, r.status, "
            "(SELECT group_concat(reviewer, ', ') FROM (SELECT reviewer FROM reviews "
            " WHERE claim_id = c.id ORDER BY reviewer)) "
            "FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id AND r.reviewer = ? "
            f"WHERE c.id IN ({marks})",
            [reviewer, *ids],
        ):
            claim_chains = chains.get(row[0], ())
            cited = "; ".join(dict.fromkeys(chain[0].source.name for chain in claim_chains))
            rows[row[0]] = ClaimRow(
                id=row[0],
                text=row[1],
                cited_sources=cited,
                chain_summary=chains_summary(claim_chains),
                unattributed=bool(row[2]),
                reliability=row[3],
                credibility=row[4],
                status=Status(row[5] or Status.UNREVIEWED.value),
                reviewers=row[6] or "",
            )
        return rows

    def claim_detail(self, claim_id: int) -> ClaimDetail:
        row = self._db.execute(
            "SELECT c.id, c.text, c.passage, c.anchor_exact, c.anchor_prefix, c.anchor_suffix, "
            "c.anchor_start, c.anchor_end, COALESCE(a.title, '') "
            "FROM claims c LEFT JOIN articles a ON a.id = c.article_id WHERE c.id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Claim {claim_id} is not in this file.")
        anchor = Anchor(row[3], row[4] or "", row[5] or "", row[6], row[7]) if row[3] is not None else None
        return ClaimDetail(
            id=row[0],
            text=row[1],
            passage=row[2],
            anchor=anchor,
            article_title=row[8],
            chains=self._chains_for([claim_id]).get(claim_id, ()),
            reviews=tuple(self.reviews_of(claim_id)),
        )

    def all_sources(self) -> list[Source]:
        """Every source by name, without track records: cheap enough for a filter list."""
        return [
            source_from_row(row)
            for row in self._db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY name COLLATE NOCASE")
        ]

    def source_names(self) -> list[tuple[int, str]]:
        """(id, name) of every source by name: what a source picker lists, without building Sources.

        Read again only once the file may have changed: a write on this connection, or a commit
        on another (SQLite's data_version). The media form asks for every picture claim shown.
        """
        conn = self._db.conn
        token = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        cached = self._source_names
        if cached is None or cached[0] != token:
            names = [
                (int(row[0]), str(row[1]))
                for row in conn.execute("SELECT id, name FROM sources ORDER BY name COLLATE NOCASE")
            ]
            cached = self._source_names = (token, names)
        return list(cached[1])

    def reviews_of(self, claim_id: int) -> list[Review]:
        return [
            _review(row)
            for row in self._db.execute(
                f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE claim_id = ? ORDER BY reviewer", [claim_id]
            )
        ]

    def review(self, claim_id: int, reviewer: str) -> Review | None:
        row = self._db.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE claim_id = ? AND reviewer = ?",
            [claim_id, reviewer],
        ).fetchone()
        return _review(row) if row else None

    def unfinished_among(self, ids: Sequence[int], reviewer: str) -> set[int]:
        """Which of these claims `reviewer` has not yet marked reviewed or disputed."""
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        finished = {
            row[0]
            for row in self._db.execute(
                f"SELECT claim_id FROM reviews WHERE reviewer = ? AND claim_id IN ({marks}) "
                "AND status IN ('reviewed', 'disputed')",
                [reviewer, *ids],
            )
        }
        return set(ids) - finished

    def count_claims(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM claims").fetchone()[0])

    def has_claim(self, claim_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None

    def largest_claim_number(self) -> int:
        """The highest claim number in the file (0 when it has none): what a number column must show."""
        return int(self._db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0])

    def count_reviewed(self, reviewer: str | None = None) -> int:
        """Claims marked reviewed (by `reviewer`, or by anyone when None)."""
        if reviewer is None:
            sql, params = "SELECT count(DISTINCT claim_id) FROM reviews WHERE status = 'reviewed'", []
        else:
            sql = "SELECT count(*) FROM reviews WHERE status = 'reviewed' AND reviewer = ?"
            params = [reviewer]
        return int(self._db.execute(sql, params).fetchone()[0])

    def stats(self) -> dict[str, Any]:
        one = self._db.execute
        reviewers = {
            name: count
            for name, count in one(
                "SELECT reviewer, count(*) FROM reviews "
                "WHERE reliability IS NOT NULL OR credibility IS NOT NULL "
                "GROUP BY reviewer ORDER BY reviewer"
            )
        }
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "claims": self.count_claims(),
            "sources": one("SELECT count(*) FROM sources").fetchone()[0],
            "reviewed_claims": self.count_reviewed(),
            "unattributed_claims": one("SELECT count(*) FROM claims WHERE unattributed = 1").fetchone()[0],
            "schema_version": self.schema_version,
            "reviewers": reviewers,
        }

    def changes(self, claim_id: int | None = None) -> list[Change]:
        sql = "SELECT id, at, reviewer, claim_id, field, old_value, new_value FROM change_log"
        params: list[object] = []
        if claim_id is not None:
            sql += " WHERE claim_id = ?"
            params.append(claim_id)
        return [Change(*row) for row in self._db.execute(sql + " ORDER BY id", params)]

    # ---- editing -------------------------------------------------------------------

    def apply(self, edit: Edit, reviewer: str, *, cancelled: Callable[[], bool] | None = None) -> Applied:
        """Save one source, chain or evidence edit and its change-log row in one transaction.

        `store.apply(applied.inverse, reviewer)` undoes it and returns the redo, so one undo
        command covers every kind of edit. With `cancelled` (for a worker thread's connection),
        it is asked while SQLite works and once more before the commit; when it says yes the
        transaction is rolled back and EditCancelled raised.
        """
        self._require_writable()
        if cancelled is None:
            return self._apply(edit, reviewer)
        conn = self._db.conn
        conn.set_progress_handler(cancelled, 20_000)
        try:
            with self._db.atomic():
                applied = self._apply(edit, reviewer)
                if cancelled():
                    raise EditCancelled(f"{applied.text}: cancelled; nothing was changed.")
            return applied
        except (StoreWriteError, sqlite3.OperationalError) as error:
            if cancelled():  # SQLite was interrupted: it rolled the transaction back
                raise EditCancelled("Cancelled; nothing was changed.") from error
            raise
        finally:
            conn.set_progress_handler(None, 0)

    def _apply(self, edit: Edit, reviewer: str) -> Applied:
        if isinstance(edit, ChainEdit):
            return self._apply_chain_edit(edit, reviewer)
        if isinstance(edit, EvidenceEdit):
            return self._apply_evidence_edit(edit, reviewer)
        if isinstance(edit, SourceEdit):
            return self._apply_source_edit(edit, reviewer)
        if isinstance(edit, ClaimEdit):
            return self._apply_claim_edit(edit, reviewer)
        raise TypeError(f"Not an edit: {edit!r}")

    def set_review_field(
        self, claim_id: int, reviewer: str, review_field: ReviewField, value: ReviewValue
    ) -> ReviewValue:
        """Save one edit of `reviewer`'s review and log it, in one transaction. Returns the old value."""
        self._require_writable()
        value = _validated(review_field, value)
        now = utc_now()
        try:
            with self._db.atomic():
                existing = self.review(claim_id, reviewer)
                old = existing.value(review_field) if existing else _default(review_field)
                if existing is None:
                    self._db.execute(
                        "INSERT INTO reviews (claim_id, reviewer, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        [claim_id, reviewer, now, now],
                    )
                self._db.execute(
                    f"UPDATE reviews SET {review_field.value} = ?, updated_at = ? "
                    "WHERE claim_id = ? AND reviewer = ?",
                    [value, now, claim_id, reviewer],
                )
                self._db.execute(
                    "INSERT INTO change_log (at, reviewer, claim_id, field, old_value, new_value) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [now, reviewer, claim_id, f"review.{review_field.value}", _text(old), _text(value)],
                )
        except sqlite3.IntegrityError as error:
            raise CorroborateError(f"Claim {claim_id} is not in this file ({error}).") from error
        except sqlite3.OperationalError as error:
            raise StoreWriteError(f"The change could not be saved to {self.path}: {error}.") from error
        return old

    def set_review_values(
        self, reviewer: str, review_field: ReviewField, values: Mapping[int, ReviewValue]
    ) -> dict[int, ReviewValue]:
        """Save `review_field` of `reviewer`'s review on several claims in one transaction, each
        logged as set_review_field logs it; all or none. Returns each claim's old value."""
        self._require_writable()
        olds: dict[int, ReviewValue] = {}
        try:
            with self._db.atomic():
                for claim_id, value in values.items():
                    olds[claim_id] = self.set_review_field(claim_id, reviewer, review_field, value)
        except sqlite3.OperationalError as error:
            raise StoreWriteError(f"The change could not be saved to {self.path}: {error}.") from error
        return olds


_REVIEW_COLUMNS = "claim_id, reviewer, reliability, credibility, status, rationale, created_at, updated_at"


def _review(row: Sequence[Any]) -> Review:
    return Review(row[0], row[1], row[2], row[3], Status(row[4]), row[5], row[6], row[7])


def _default(review_field: ReviewField) -> ReviewValue:
    return {
        ReviewField.RELIABILITY: None,
        ReviewField.CREDIBILITY: None,
        ReviewField.STATUS: Status.UNREVIEWED.value,
        ReviewField.RATIONALE: "",
    }[review_field]


def _validated(review_field: ReviewField, value: ReviewValue) -> ReviewValue:
    try:
        if review_field is ReviewField.RELIABILITY:
            return parse_reliability(value)
        if review_field is ReviewField.CREDIBILITY:
            return parse_credibility(value)
        if review_field is ReviewField.STATUS:
            return Status(value).value
    except ValueError as error:
        raise InvalidValueError(str(error)) from error
    return "" if value is None else str(value)


def _text(value: ReviewValue) -> str | None:
    return None if value is None else str(value)
