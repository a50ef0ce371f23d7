"""Sources: look-up by name or alias, the Sources view with track records, and source edits.

A name and its aliases all lead to one source: a key (see core.model.source_key) is stored either
as one source's name key or as one alias key, never both, and never twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from desktop.core.edits import (
    AddAlias,
    Applied,
    Edit,
    MergedSourceSnapshot,
    MergeSources,
    RemoveAlias,
    RenameSource,
    SetSourceDetails,
    SetSourceKind,
    SetSourceReliability,
    SourceEdit,
    UnmergeSources,
    WithNewSources,
    WithoutSources,
    sources_reindexed,
)
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.evidence import SourceRecord, TrackRecord, parse_url
from desktop.core.grades import parse_reliability
from desktop.core.model import Change, Source, source_key
from desktop.core.vocabulary import SourceKind
from desktop.store.base import SOURCE_COLUMNS, source_from_row
from desktop.store.new_sources import NewSourcesMixin
from desktop.store.search import documents_rebuilt_once


class SourcesMixin(NewSourcesMixin):
    """Reading and editing sources."""

    # ---- reading -------------------------------------------------------------------

    def find_source(self, name: str) -> Source | None:
        """The source called `name` or known by it as an alias (case, spacing, punctuation, accents aside)."""
        key = source_key(name)
        if not key:
            return None
        owner = self._key_owner(key)
        return self._source_by_id(owner[0]) if owner else None

    def claims_reindexed_by(self, edit: Edit) -> int:
        """About how many claims' search documents `edit` rebuilds (their chains' hops through its sources).

        What makes a source edit long on a large file: the window saves an edit in the background
        when this is large.
        """
        sources = sources_reindexed(edit)
        if not sources:
            return 0
        marks = ", ".join("?" for _ in sources)
        row = self._db.execute(f"SELECT count(*) FROM chain_hops WHERE source_id IN ({marks})", list(sources))
        return int(row.fetchone()[0])

    def list_sources(self, *, counted: bool = True) -> list[SourceRecord]:
        """Every source with its aliases, default reliability and track record, by name.

        `counted=False` leaves the track records empty: a quick listing, to be completed with
        `read_track_records` off the window's thread on a large file.
        """
        rows = self._db.execute(
            f"SELECT {SOURCE_COLUMNS}, default_reliability, reliability_rationale FROM sources "
            "ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        return self._records(rows, None, counted=counted)

    def source_record(self, source_id: int) -> SourceRecord:
        rows = self._db.execute(
            f"SELECT {SOURCE_COLUMNS}, default_reliability, reliability_rationale FROM sources WHERE id = ?",
            [source_id],
        ).fetchall()
        if not rows:
            raise CorroborateError(f"Source {source_id} is not in this file.")
        return self._records(rows, [source_id])[0]

    def source_changes(self, source_id: int) -> list[Change]:
        """Logged edits of this source (renames, kind, reliability, aliases, merges), oldest first.

        Includes the history of every source merged into this one (and not separated again), so a
        merge loses no history from view.
        """
        ids = sorted(self._merged_into(source_id))
        marks = ", ".join("?" for _ in ids)
        return [
            Change(*row)
            for row in self._db.execute(
                "SELECT id, at, reviewer, claim_id, field, old_value, new_value FROM change_log "
                f"WHERE field LIKE 'source.%' AND (json_extract(old_value, '$.source') IN ({marks}) "
                f"OR json_extract(new_value, '$.source') IN ({marks})) ORDER BY id",
                [*ids, *ids],
            )
        ]

    def _merged_into(self, source_id: int) -> set[int]:
        """This source and every source folded into it, directly or through earlier merges."""
        parent: dict[int, int] = {}
        for field, old, new in self._db.execute(
            "SELECT field, json_extract(old_value, '$.source'), json_extract(new_value, '$.source') "
            "FROM change_log WHERE field IN ('source.merge', 'source.unmerge') ORDER BY id"
        ):
            if field == "source.merge":
                parent[old] = new
            else:
                parent.pop(new, None)
        members = {source_id}
        grew = True
        while grew:
            more = {merged for merged, keep in parent.items() if keep in members} - members
            members |= more
            grew = bool(more)
        return members

    # ---- editing (through Store.apply) ---------------------------------------------

    def _apply_source_edit(self, edit: SourceEdit, reviewer: str) -> Applied:
        with self._writing():
            if isinstance(edit, RenameSource):
                return self._rename(edit, reviewer)
            if isinstance(edit, SetSourceKind):
                return self._set_kind(edit, reviewer)
            if isinstance(edit, SetSourceReliability):
                return self._set_reliability(edit, reviewer)
            if isinstance(edit, SetSourceDetails):
                return self._set_details(edit, reviewer)
            if isinstance(edit, AddAlias):
                return self._add_alias(edit, reviewer)
            if isinstance(edit, RemoveAlias):
                return self._remove_alias(edit, reviewer)
            if isinstance(edit, MergeSources):
                return self._merge(edit, reviewer)
            if isinstance(edit, WithNewSources):
                return self._apply_with_new_sources(edit, reviewer)
            if isinstance(edit, WithoutSources):
                return self._apply_without_sources(edit, reviewer)
            return self._unmerge(edit, reviewer)

    def _rename(self, edit: RenameSource, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        name = edit.name.strip()
        key = _required_key(name)
        owner = self._key_owner(key)
        if owner is not None and owner[0] != source.id:
            other = self._source_by_id(owner[0])
            raise InvalidValueError(
                f"“{name}” is already {'an alias of' if owner[1] else 'the name of'} the source “{other.name}”. "
                "If they are the same source, merge them instead."
            )
        if owner is not None and owner[1]:
            # The new name was one of this source's aliases: the two names swap places, so no name is lost
            # and renaming back swaps them again. The alias row is rewritten in place: a merge's undo
            # finds the aliases it made by their ids.
            self._db.execute(
                "UPDATE source_aliases SET alias = ?, alias_key = ? "
                "WHERE source_id = ? AND replace(alias_key, ' ', '') = ?",
                [source.name, source_key(source.name), source.id, _compact(key)],
            )
        self._db.execute("UPDATE sources SET name = ?, name_key = ? WHERE id = ?", [name, key, source.id])
        self._log(
            reviewer,
            None,
            "source.rename",
            {"source": source.id, "name": source.name},
            {"source": source.id, "name": name},
        )
        return Applied(
            RenameSource(edit.source_id, source.name), f"Rename source “{source.name}” to “{name}”"
        )

    def _set_kind(self, edit: SetSourceKind, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        kind = SourceKind(edit.kind)
        self._db.execute("UPDATE sources SET kind = ? WHERE id = ?", [kind.value, source.id])
        self._log(
            reviewer,
            None,
            "source.kind",
            {"source": source.id, "kind": source.kind.value},
            {"source": source.id, "kind": kind.value},
        )
        return Applied(SetSourceKind(edit.source_id, source.kind), f"Make “{source.name}” a {kind.label}")

    def _set_reliability(self, edit: SetSourceReliability, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        try:
            letter = parse_reliability(edit.reliability)
        except ValueError as error:
            raise InvalidValueError(f"Default reliability of “{source.name}”: {error}.") from error
        rationale = edit.rationale.strip()
        old_letter, old_rationale = self._db.execute(
            "SELECT default_reliability, reliability_rationale FROM sources WHERE id = ?", [source.id]
        ).fetchone()
        self._db.execute(
            "UPDATE sources SET default_reliability = ?, reliability_rationale = ? WHERE id = ?",
            [letter, rationale, source.id],
        )
        self._log(
            reviewer,
            None,
            "source.reliability",
            {"source": source.id, "reliability": old_letter, "rationale": old_rationale},
            {"source": source.id, "reliability": letter, "rationale": rationale},
        )
        return Applied(
            SetSourceReliability(edit.source_id, old_letter, old_rationale),
            f"Set default reliability of “{source.name}” to {letter or 'none'}",
        )

    def _set_details(self, edit: SetSourceDetails, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        try:
            url = parse_url(edit.url)
        except ValueError as error:
            raise InvalidValueError(f"Address of “{source.name}”: {error}.") from error
        notes = (edit.notes or "").strip() or None
        self._db.execute("UPDATE sources SET url = ?, notes = ? WHERE id = ?", [url, notes, source.id])
        self._log(
            reviewer,
            None,
            "source.details",
            {"source": source.id, "url": source.url, "notes": source.notes},
            {"source": source.id, "url": url, "notes": notes},
        )
        return Applied(
            SetSourceDetails(edit.source_id, source.url, source.notes), f"Edit details of “{source.name}”"
        )

    def _add_alias(self, edit: AddAlias, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        alias = edit.alias.strip()
        key = _required_key(alias)
        owner = self._key_owner(key)
        if owner is not None:
            other = self._source_by_id(owner[0])
            where = "this source" if other.id == source.id else f"the source “{other.name}”"
            raise InvalidValueError(f"“{alias}” already names {where}.")
        self._insert_alias(source.id, alias, edit.restore_id)
        self._log(reviewer, None, "source.add_alias", None, {"source": source.id, "alias": alias})
        return Applied(RemoveAlias(edit.source_id, alias), f"Add alias “{alias}” to “{source.name}”")

    def _remove_alias(self, edit: RemoveAlias, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        row = self._db.execute(
            "SELECT id, alias FROM source_aliases WHERE source_id = ? AND replace(alias_key, ' ', '') = ?",
            [source.id, _compact(source_key(edit.alias))],
        ).fetchone()
        if row is None:
            raise InvalidValueError(f"“{edit.alias}” is not an alias of “{source.name}”.")
        self._db.execute("DELETE FROM source_aliases WHERE id = ?", [row[0]])
        self._log(reviewer, None, "source.remove_alias", {"source": source.id, "alias": row[1]}, None)
        return Applied(
            AddAlias(edit.source_id, row[1], row[0]), f"Remove alias “{row[1]}” from “{source.name}”"
        )

    def _merge(self, edit: MergeSources, reviewer: str) -> Applied:
        if edit.keep_id == edit.merged_id:
            raise InvalidValueError("A source cannot be merged into itself.")
        keep = self._source_by_id(edit.keep_id)
        row = self._db.execute(
            "SELECT id, name, name_key, kind, url, notes, default_reliability, reliability_rationale "
            "FROM sources WHERE id = ?",
            [edit.merged_id],
        ).fetchone()
        if row is None:
            raise CorroborateError(f"Source {edit.merged_id} is not in this file.")
        merged = edit.merged_id

        def ids(sql: str) -> tuple[int, ...]:
            return tuple(r[0] for r in self._db.execute(sql, [merged]))

        moved_aliases = ids("SELECT id FROM source_aliases WHERE source_id = ? ORDER BY id")
        hop_ids = ids("SELECT id FROM chain_hops WHERE source_id = ? ORDER BY id")
        evidence_source_ids = ids("SELECT id FROM evidence WHERE source_id = ? ORDER BY id")
        evidence_origin_ids = ids("SELECT id FROM evidence WHERE origin_source_id = ? ORDER BY id")
        media_ids = ids("SELECT claim_id FROM media WHERE credited_to_source_id = ? ORDER BY claim_id")
        keep_id = edit.keep_id
        with documents_rebuilt_once(self._db, _CLAIMS_OF_SOURCES, [keep_id, merged]):
            self._db.execute("UPDATE source_aliases SET source_id = ? WHERE source_id = ?", [keep_id, merged])
            self._db.execute("UPDATE chain_hops SET source_id = ? WHERE source_id = ?", [keep_id, merged])
            self._db.execute("UPDATE evidence SET source_id = ? WHERE source_id = ?", [keep_id, merged])
            self._db.execute(
                "UPDATE evidence SET origin_source_id = ? WHERE origin_source_id = ?", [keep_id, merged]
            )
            self._db.execute(
                "UPDATE media SET credited_to_source_id = ? WHERE credited_to_source_id = ?",
                [keep_id, merged],
            )
            self._db.execute("DELETE FROM sources WHERE id = ?", [merged])
            name_alias_id = self._insert_alias(keep_id, row[1])
        snapshot = MergedSourceSnapshot(
            keep_id=keep_id,
            merged_id=merged,
            name=row[1],
            name_key=row[2],
            kind=SourceKind(row[3]),
            url=row[4],
            notes=row[5],
            default_reliability=row[6],
            reliability_rationale=row[7],
            name_alias_id=name_alias_id,
            moved_alias_ids=moved_aliases,
            hop_ids=hop_ids,
            evidence_source_ids=evidence_source_ids,
            evidence_origin_ids=evidence_origin_ids,
            media_claim_ids=media_ids,
        )
        self._log(
            reviewer,
            None,
            "source.merge",
            {"source": merged, "name": row[1], "kind": row[3], "into": keep_id},
            {
                "source": keep_id,
                "name": keep.name,
                "alias": row[1],
                "hops": len(hop_ids),
                "evidence": len(set(evidence_source_ids) | set(evidence_origin_ids)),
            },
        )
        return Applied(UnmergeSources(snapshot), f"Merge “{row[1]}” into “{keep.name}”")

    def _unmerge(self, edit: UnmergeSources, reviewer: str) -> Applied:
        snap = edit.snapshot
        keep = self._source_by_id(snap.keep_id)
        alias = self._db.execute(
            "SELECT source_id FROM source_aliases WHERE id = ?", [snap.name_alias_id]
        ).fetchone()
        if alias is None or alias[0] != snap.keep_id:
            raise CorroborateError(
                f"The merge of “{snap.name}” into “{keep.name}” cannot be taken back: "
                f"“{snap.name}” is no longer an alias of “{keep.name}”."
            )
        # The kept source's claims (the merged one's among them) are rewritten once, not once a step.
        with documents_rebuilt_once(self._db, _CLAIMS_OF_SOURCES, [snap.keep_id, snap.merged_id]):
            self._db.execute("DELETE FROM source_aliases WHERE id = ?", [snap.name_alias_id])
            self._db.execute(
                "INSERT INTO sources (id, name, name_key, kind, url, notes, default_reliability, reliability_rationale) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    snap.merged_id,
                    snap.name,
                    snap.name_key,
                    snap.kind.value,
                    snap.url,
                    snap.notes,
                    snap.default_reliability,
                    snap.reliability_rationale,
                ],
            )
            back = snap.merged_id
            for table, column, key, ids in (
                ("source_aliases", "source_id", "id", snap.moved_alias_ids),
                ("chain_hops", "source_id", "id", snap.hop_ids),
                ("evidence", "source_id", "id", snap.evidence_source_ids),
                ("evidence", "origin_source_id", "id", snap.evidence_origin_ids),
                ("media", "credited_to_source_id", "claim_id", snap.media_claim_ids),
            ):
                for chunk in _chunks(ids):
                    marks = ", ".join("?" for _ in chunk)
                    self._db.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {key} IN ({marks}) AND {column} = ?",
                        [back, *chunk, snap.keep_id],
                    )
        self._log(
            reviewer,
            None,
            "source.unmerge",
            {"source": snap.keep_id, "name": keep.name, "alias": snap.name},
            {"source": back, "name": snap.name, "kind": snap.kind.value, "from": snap.keep_id},
        )
        return Applied(MergeSources(snap.keep_id, back), f"Separate “{snap.name}” from “{keep.name}” again")

    # ---- helpers -------------------------------------------------------------------

    def _key_owner(self, key: str) -> tuple[int, bool] | None:
        """(source id, whether the key is an alias) of whoever holds `key`, or None.

        Keys keep a space between words; beyond the exact (indexed) match, a key also matches one that
        differs only in where the spaces are, so "MIB" finds "M.I.B." and "BayRadio" finds "Bay Radio".
        """
        row = self._db.execute("SELECT id FROM sources WHERE name_key = ?", [key]).fetchone()
        if row is not None:
            return int(row[0]), False
        row = self._db.execute("SELECT source_id FROM source_aliases WHERE alias_key = ?", [key]).fetchone()
        if row is not None:
            return int(row[0]), True
        # Only reached when no key matches exactly, i.e. mostly when a new name is about to be stored.
        compact = _compact(key)
        row = self._db.execute(
            "SELECT id FROM sources WHERE replace(name_key, ' ', '') = ? ORDER BY id LIMIT 1", [compact]
        ).fetchone()
        if row is not None:
            return int(row[0]), False
        row = self._db.execute(
            "SELECT source_id FROM source_aliases WHERE replace(alias_key, ' ', '') = ? ORDER BY id LIMIT 1",
            [compact],
        ).fetchone()
        return (int(row[0]), True) if row is not None else None

    def _insert_alias(self, source_id: int | None, alias: str, alias_id: int | None = None) -> int:
        cursor = self._db.execute(
            "INSERT INTO source_aliases (id, source_id, alias, alias_key) VALUES (?, ?, ?, ?)",
            [alias_id, source_id, alias, source_key(alias)],
        )
        return int(cursor.lastrowid or 0)

    def _new_source_id(self) -> int:
        """A number no source has had in this file: a merged-away or deleted source's number stays free for its undo."""
        row = self._db.execute(
            "SELECT max(COALESCE((SELECT max(id) FROM sources), 0), COALESCE((SELECT max(CAST("
            "json_extract(old_value, '$.source') AS INTEGER)) FROM change_log "
            "WHERE field IN ('source.merge', 'source.delete')), 0))"
        ).fetchone()
        return int(row[0]) + 1

    def _records(
        self, rows: Sequence[Sequence[Any]], only: Sequence[int] | None, *, counted: bool = True
    ) -> list[SourceRecord]:
        """Build Sources-view records; `only` limits the queries to these source ids.

        Without `counted` the track records are left empty: counting them reads every chain of the
        file (seconds at a million claims), which the Sources view does in the background.
        """
        where, params = "", []
        if only is not None:
            where = f" WHERE source_id IN ({', '.join('?' for _ in only)})"
            params = list(only)
        aliases: dict[int, list[str]] = {}
        for source_id, alias in self._db.execute(
            f"SELECT source_id, alias FROM source_aliases{where} ORDER BY alias COLLATE NOCASE", params
        ):
            aliases.setdefault(source_id, []).append(alias)
        tracks = track_records(self._db.conn, only) if counted else {}
        return [
            SourceRecord(
                source=source_from_row(row),
                aliases=tuple(aliases.get(row[0], ())),
                default_reliability=row[5],
                reliability_rationale=row[6],
                track=tracks.get(row[0], TrackRecord()),
            )
            for row in rows
        ]


def track_records(conn: sqlite3.Connection, only: Sequence[int] | None = None) -> dict[int, TrackRecord]:
    """Each source's track record (sources that appear nowhere are left out); `only`: these sources.

    A plain connection is enough, so a background thread can count on a connection of its own
    (`read_track_records`). Each count is one pass over an index rather than a probe per hop:
    at a million claims the whole set takes seconds, where the `claim_origins` view took minutes.
    """
    hops_where, params = "", []
    if only is not None:
        hops_where = f" WHERE source_id IN ({', '.join('?' for _ in only)})"
        params = list(only)

    def counts(sql: str, parameters: Sequence[object] = params) -> dict[int, int]:
        return {row[0]: row[1] for row in conn.execute(sql, parameters)}

    claims = counts(
        f"SELECT source_id, count(DISTINCT claim_id) FROM chain_hops{hops_where} GROUP BY source_id"
    )
    first = counts(
        f"SELECT source_id, count(DISTINCT claim_id) FROM chain_hops{hops_where} "
        + ("AND" if hops_where else "WHERE")
        + " position = 0 GROUP BY source_id"
    )
    # A chain's origin is its hop marked as origin, else its last hop (as the claim_origins view
    # says); SQLite returns a bare column from the row that holds the group's max().
    claim_filter = (
        f" WHERE claim_id IN (SELECT claim_id FROM chain_hops{hops_where})" if only is not None else ""
    )
    origin = counts(
        "SELECT source_id, count(DISTINCT claim_id) FROM (SELECT claim_id, source_id, "
        f"max(is_origin * {1 << 30} + position) FROM chain_hops{claim_filter} GROUP BY claim_id, chain)"
        + hops_where
        + " GROUP BY source_id",
        params * 2 if only is not None else params,
    )
    evidence = counts(
        "SELECT source_id, count(DISTINCT id) FROM (SELECT id, source_id FROM evidence "
        "UNION ALL SELECT id, origin_source_id FROM evidence WHERE origin_source_id IS NOT NULL)"
        f"{hops_where} GROUP BY source_id"
    )
    # Every review of a claim counts once for each source its chains cite (reviews drive the join:
    # there are fewer of them than hops).
    grades: dict[int, tuple[dict[str, int], dict[int, int]]] = {}
    for source_id, reliability, credibility, number in conn.execute(
        "SELECT source_id, reliability, credibility, count(*) FROM (SELECT DISTINCT r.id, h.source_id, "
        "r.reliability, r.credibility FROM reviews r JOIN chain_hops h ON h.claim_id = r.claim_id "
        "WHERE (r.reliability IS NOT NULL OR r.credibility IS NOT NULL)"
        + (f" AND h.source_id IN ({', '.join('?' for _ in only)})" if only is not None else "")
        + ") GROUP BY 1, 2, 3",
        params,
    ):
        letters, numbers = grades.setdefault(source_id, ({}, {}))
        if reliability is not None:
            letters[reliability] = letters.get(reliability, 0) + number
        if credibility is not None:
            numbers[int(credibility)] = numbers.get(int(credibility), 0) + number
    tracks = {}
    for source_id in claims.keys() | evidence.keys():
        letters, numbers = grades.get(source_id, ({}, {}))
        tracks[source_id] = TrackRecord(
            claims=claims.get(source_id, 0),
            cited_first=first.get(source_id, 0),
            as_origin=origin.get(source_id, 0),
            evidence_items=evidence.get(source_id, 0),
            reliability=dict(sorted(letters.items())),
            credibility=dict(sorted(numbers.items())),
        )
    return tracks


def read_track_records(
    path: Path, cancelled: Callable[[], bool] | None = None
) -> dict[int, TrackRecord] | None:
    """`track_records` of the file at `path` on a read-only connection of its own (any thread).

    `cancelled` is asked while SQLite works; None is returned once it says yes.
    """
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    if cancelled is not None:
        conn.set_progress_handler(cancelled, 20_000)
    try:
        conn.execute("BEGIN")  # one snapshot for all the counts, while the window goes on saving
        return track_records(conn)
    except sqlite3.OperationalError:
        if cancelled is not None and cancelled():
            return None
        raise
    finally:
        conn.close()


def _required_key(name: str) -> str:
    key = source_key(name)
    if not key:
        raise InvalidValueError("A source name needs at least one letter or digit.")
    return key


def _compact(key: str) -> str:
    """A key without its spaces: names that differ only in spacing or punctuation between letters."""
    return key.replace(" ", "")


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    """Stay well under SQLite's limit on bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


# The claims whose search documents hold a source's names: any hop of theirs through one of two sources.
_CLAIMS_OF_SOURCES = "SELECT claim_id FROM chain_hops WHERE source_id IN (?, ?)"
