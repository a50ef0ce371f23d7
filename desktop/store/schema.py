"""The schema, as an ordered list of migrations applied on open.

Never edit a step that has shipped: add a new one. sqlite-utils' Migrations
records each applied step by name in `_sqlite_migrations`, which is also how a
file written by a newer version is recognised (it has steps we do not know).
The steps are registered with `Steps` (migrating.py), which hands them to
sqlite-utils only when a file needs one applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store.migrating import Steps

if TYPE_CHECKING:
    from sqlite_utils import Database

# Written into the SQLite header so a Corroborate file is recognisable without reading tables ("Corr").
APPLICATION_ID = 0x436F7272
MIGRATION_SET = "corroborate"

migrations = Steps(MIGRATION_SET)

# Frozen copies of vocabularies as they were when a step shipped: a step must build the same schema
# forever, even if the enums in core grow later (a later step would widen the CHECK).
MEDIA_CATEGORIES = (
    "OriginalMediaContent",
    "DecontextualizedContent",
    "EditedOrCroppedContent",
    "TransformedContent",
    "StagedContent",
    "SatireOrParodyContent",
)


def _sql_list(values: object) -> str:
    return ", ".join(f"'{v}'" for v in values)  # type: ignore[attr-defined]


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    kinds = _sql_list(k.value for k in SourceKind)
    relations = _sql_list(r.value for r in Relation)
    statuses = _sql_list(s.value for s in Status)
    letters = _sql_list(RELIABILITY_LABELS)
    numbers = ", ".join(str(n) for n in CREDIBILITY_LABELS)
    db.executescript(
        f"""
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            outlet TEXT,
            author TEXT,
            url TEXT,
            published TEXT,
            text TEXT NOT NULL
        );
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            url TEXT,
            notes TEXT
        );
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            passage TEXT NOT NULL,
            anchor_exact TEXT,
            anchor_prefix TEXT,
            anchor_suffix TEXT,
            anchor_start INTEGER,
            anchor_end INTEGER,
            unattributed INTEGER NOT NULL DEFAULT 0 CHECK (unattributed IN (0, 1))
        );
        CREATE INDEX claims_article ON claims(article_id);
        CREATE TABLE chain_hops (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            chain INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            relation TEXT NOT NULL CHECK (relation IN ({relations})),
            UNIQUE (claim_id, chain, position)
        );
        CREATE INDEX chain_hops_source ON chain_hops(source_id, position);
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            reliability TEXT CHECK (reliability IN ({letters})),
            credibility INTEGER CHECK (credibility IN ({numbers})),
            status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ({statuses})),
            rationale TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (claim_id, reviewer)
        );
        CREATE INDEX reviews_reviewer ON reviews(reviewer, status);
        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            claim_id INTEGER,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX change_log_claim ON change_log(claim_id);
        CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
            BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
            BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

        -- Full-text indexes over the text people search. The triggers fire only
        -- when indexed text changes, so saving a grade never touches them.
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            text, passage, content='claims', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
            INSERT INTO claims_fts(rowid, text, passage) VALUES (new.id, new.text, new.passage);
        END;
        CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
            INSERT INTO claims_fts(claims_fts, rowid, text, passage)
                VALUES ('delete', old.id, old.text, old.passage);
        END;
        CREATE TRIGGER claims_fts_update AFTER UPDATE OF text, passage ON claims BEGIN
            INSERT INTO claims_fts(claims_fts, rowid, text, passage)
                VALUES ('delete', old.id, old.text, old.passage);
            INSERT INTO claims_fts(rowid, text, passage) VALUES (new.id, new.text, new.passage);
        END;
        CREATE VIRTUAL TABLE reviews_fts USING fts5(
            rationale, content='reviews', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER reviews_fts_insert AFTER INSERT ON reviews BEGIN
            INSERT INTO reviews_fts(rowid, rationale) VALUES (new.id, new.rationale);
        END;
        CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN
            INSERT INTO reviews_fts(reviews_fts, rowid, rationale)
                VALUES ('delete', old.id, old.rationale);
        END;
        CREATE TRIGGER reviews_fts_update AFTER UPDATE OF rationale ON reviews BEGIN
            INSERT INTO reviews_fts(reviews_fts, rowid, rationale)
                VALUES ('delete', old.id, old.rationale);
            INSERT INTO reviews_fts(rowid, rationale) VALUES (new.id, new.rationale);
        END;
        CREATE VIRTUAL TABLE sources_fts USING fts5(
            name, content='sources', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
            INSERT INTO sources_fts(rowid, name) VALUES (new.id, new.name);
        END;
        CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
            INSERT INTO sources_fts(sources_fts, rowid, name) VALUES ('delete', old.id, old.name);
        END;
        CREATE TRIGGER sources_fts_update AFTER UPDATE OF name ON sources BEGIN
            INSERT INTO sources_fts(sources_fts, rowid, name) VALUES ('delete', old.id, old.name);
            INSERT INTO sources_fts(rowid, name) VALUES (new.id, new.name);
        END;
        PRAGMA application_id = {APPLICATION_ID};
        """
    )


@migrations(name="0002_sources_chains_evidence")
def sources_chains_evidence(db: Database) -> None:
    """Aliases and default reliability for sources, origin marks on hops, evidence and media provenance."""
    letters = _sql_list(RELIABILITY_LABELS)
    stances = _sql_list(("corroborates", "contradicts", "context"))
    categories = _sql_list(MEDIA_CATEGORIES)
    db.executescript(
        f"""
        ALTER TABLE sources ADD COLUMN default_reliability TEXT CHECK (default_reliability IN ({letters}));
        ALTER TABLE sources ADD COLUMN reliability_rationale TEXT NOT NULL DEFAULT '';

        -- Other names of a source. A key is either one source's name key or one alias key, never both;
        -- the store keeps that so a name always leads to a single source.
        CREATE TABLE source_aliases (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            alias_key TEXT NOT NULL UNIQUE
        );
        CREATE INDEX source_aliases_source ON source_aliases(source_id);

        -- The hop a reviewer marked as the origin of its chain; unmarked chains end at their origin.
        -- A flag on the hop (not a position on the chain) so the mark moves with the hop.
        ALTER TABLE chain_hops ADD COLUMN is_origin INTEGER NOT NULL DEFAULT 0 CHECK (is_origin IN (0, 1));
        CREATE UNIQUE INDEX chain_hops_one_origin ON chain_hops(claim_id, chain) WHERE is_origin = 1;

        CREATE VIEW claim_origins AS
            SELECT h.claim_id, h.chain, h.source_id FROM chain_hops h
            WHERE h.is_origin = 1
               OR (h.position = (SELECT max(position) FROM chain_hops m
                                 WHERE m.claim_id = h.claim_id AND m.chain = h.chain)
                   AND NOT EXISTS (SELECT 1 FROM chain_hops o
                                   WHERE o.claim_id = h.claim_id AND o.chain = h.chain AND o.is_origin = 1));

        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            stance TEXT NOT NULL CHECK (stance IN ({stances})),
            url TEXT,
            date TEXT,
            excerpt TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            -- What this item itself relies on; NULL when not known (its own source then stands as origin).
            origin_source_id INTEGER REFERENCES sources(id),
            created_at TEXT NOT NULL,
            reviewer TEXT NOT NULL
        );
        CREATE INDEX evidence_claim ON evidence(claim_id, stance);
        CREATE INDEX evidence_source ON evidence(source_id);
        CREATE INDEX evidence_origin ON evidence(origin_source_id);

        CREATE TABLE media (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            credited_to_source_id INTEGER REFERENCES sources(id),
            credit_is_origin INTEGER CHECK (credit_is_origin IN (0, 1)),
            original_known TEXT NOT NULL DEFAULT '',
            -- schema.org MediaReview mediaAuthenticityCategory
            mediareview_rating TEXT CHECK (mediareview_rating IN ({categories}))
        );
        CREATE INDEX media_credited ON media(credited_to_source_id);

        -- As in 0001: the triggers fire only when indexed text changes.
        CREATE VIRTUAL TABLE evidence_fts USING fts5(
            excerpt, note, content='evidence', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER evidence_fts_insert AFTER INSERT ON evidence BEGIN
            INSERT INTO evidence_fts(rowid, excerpt, note) VALUES (new.id, new.excerpt, new.note);
        END;
        CREATE TRIGGER evidence_fts_delete AFTER DELETE ON evidence BEGIN
            INSERT INTO evidence_fts(evidence_fts, rowid, excerpt, note)
                VALUES ('delete', old.id, old.excerpt, old.note);
        END;
        CREATE TRIGGER evidence_fts_update AFTER UPDATE OF excerpt, note ON evidence BEGIN
            INSERT INTO evidence_fts(evidence_fts, rowid, excerpt, note)
                VALUES ('delete', old.id, old.excerpt, old.note);
            INSERT INTO evidence_fts(rowid, excerpt, note) VALUES (new.id, new.excerpt, new.note);
        END;
        CREATE VIRTUAL TABLE source_aliases_fts USING fts5(
            alias, content='source_aliases', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER source_aliases_fts_insert AFTER INSERT ON source_aliases BEGIN
            INSERT INTO source_aliases_fts(rowid, alias) VALUES (new.id, new.alias);
        END;
        CREATE TRIGGER source_aliases_fts_delete AFTER DELETE ON source_aliases BEGIN
            INSERT INTO source_aliases_fts(source_aliases_fts, rowid, alias) VALUES ('delete', old.id, old.alias);
        END;
        CREATE TRIGGER source_aliases_fts_update AFTER UPDATE OF alias ON source_aliases BEGIN
            INSERT INTO source_aliases_fts(source_aliases_fts, rowid, alias) VALUES ('delete', old.id, old.alias);
            INSERT INTO source_aliases_fts(rowid, alias) VALUES (new.id, new.alias);
        END;
        """
    )


@migrations(name="0003_saved_sets")
def saved_sets(db: Database) -> None:
    """Named sets of claims to export or come back to: a kept filter (query JSON) or explicit claims."""
    db.executescript(
        """
        CREATE TABLE saved_sets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            -- The filter as JSON (core.saved_sets.query_to_json); NULL when the set lists its claims.
            query TEXT
        );
        CREATE TABLE saved_set_claims (
            set_id INTEGER NOT NULL REFERENCES saved_sets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            PRIMARY KEY (set_id, position)
        );
        CREATE INDEX saved_set_claims_claim ON saved_set_claims(claim_id);
        """
    )


@migrations(name="0004_imported_data")
def imported_data(db: Database) -> None:
    """Claims from datasets: their date, address, verdict as written and other columns; one row per import."""
    db.executescript(
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL,
            format TEXT NOT NULL,
            at TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            -- The column mapping and verdict preset used, as JSON, so an import can be repeated or explained.
            mapping TEXT NOT NULL DEFAULT '{}'
        );
        ALTER TABLE claims ADD COLUMN date TEXT;
        ALTER TABLE claims ADD COLUMN url TEXT;
        -- The dataset's verdict exactly as written; a grade derived from it goes into a review.
        ALTER TABLE claims ADD COLUMN verdict_label TEXT;
        -- Every dataset column the mapping did not use, as a JSON object.
        ALTER TABLE claims ADD COLUMN extra TEXT;
        ALTER TABLE claims ADD COLUMN import_id INTEGER REFERENCES imports(id);
        CREATE INDEX claims_import ON claims(import_id);
        """
    )


@migrations(name="0005_scale_indexes")
def scale_indexes(db: Database) -> None:
    """Indexes so that every sort column and filter of the claims table stays fast at a million claims."""
    db.executescript(
        """
        -- Sorting by claim text walks this index instead of sorting every claim.
        CREATE INDEX claims_text_nocase ON claims(text COLLATE NOCASE);
        -- The "cites nobody" side of the kind filter.
        CREATE INDEX claims_unattributed ON claims(id) WHERE unattributed = 1;
        -- One reviewer's grades and statuses, for their filters and sorts (claim_id breaks ties).
        CREATE INDEX reviews_reviewer_reliability ON reviews(reviewer, reliability, claim_id);
        CREATE INDEX reviews_reviewer_credibility ON reviews(reviewer, credibility, claim_id);
        CREATE INDEX reviews_reviewer_status ON reviews(reviewer, status, claim_id);
        CREATE INDEX reviews_reviewer_claim ON reviews(reviewer, claim_id);
        CREATE INDEX sources_name_nocase ON sources(name COLLATE NOCASE);
        -- The kind filter starts from the few sources of a kind.
        CREATE INDEX sources_kind ON sources(kind);
        -- The cited-source sort and column read the first hop of each chain.
        CREATE INDEX chain_hops_first ON chain_hops(position, source_id, claim_id);
        """
    )


@migrations(name="0006_hops_by_source")
def hops_by_source(db: Database) -> None:
    """The source and kind filters read a source's claims from an index alone (any hop, any position)."""
    db.executescript("CREATE INDEX chain_hops_source_claim ON chain_hops(source_id, claim_id);")


# What a claim's search document holds after its own words, the same in 0007 and 0009: the names
# and aliases of every source in its chains, its rationales, its evidence excerpts and notes.
_DOCUMENT_REST = """
            || COALESCE(' ' || (SELECT group_concat(name, ' ') FROM (
                    SELECT s.name AS name, s.id AS source, 0 AS alias FROM sources s
                        WHERE s.id IN (SELECT source_id FROM chain_hops WHERE claim_id = c.id)
                    UNION ALL
                    SELECT a.alias, a.source_id, a.id FROM source_aliases a
                        WHERE a.source_id IN (SELECT source_id FROM chain_hops WHERE claim_id = c.id)
                    ORDER BY 2, 3)), '')
            || COALESCE(' ' || (SELECT group_concat(rationale, ' ') FROM (
                    SELECT rationale FROM reviews WHERE claim_id = c.id AND rationale != '' ORDER BY id)), '')
            || COALESCE(' ' || (SELECT group_concat(excerpt || ' ' || note, ' ') FROM (
                    SELECT excerpt, note FROM evidence WHERE claim_id = c.id ORDER BY id)), '')
            AS body"""


@migrations(name="0007_search_documents")
def search_documents(db: Database) -> None:
    """One full-text document per claim holding everything a search looks in, replacing five indexes.

    The document is a view (nothing is stored twice): the claim's text and passage, the names and
    aliases of every source in its chains, every rationale and every evidence excerpt and note.
    The index is kept in step by triggers that fire only when that text changes: each first takes
    the claim's document out of the index as it stands (BEFORE), then puts the new one in (AFTER).
    Claims written by a bulk writer while upkeep is deferred are listed in `search_pending` and
    indexed together at the end (desktop/store/search.py).
    """
    indexed = "EXISTS (SELECT 1 FROM search_fts_docsize z WHERE z.id = d.id)"
    pending = "EXISTS (SELECT 1 FROM search_pending p WHERE p.claim_id = d.id)"

    def unindex(claims: str) -> str:
        # Only a document that is in the index can be taken out (a claim's own delete has already
        # done so when its hops and reviews go with it).
        return (
            "INSERT INTO search_fts(search_fts, rowid, body) SELECT 'delete', d.id, d.body "
            f"FROM search_documents d WHERE d.id IN ({claims}) AND {indexed};"
        )

    def index(claims: str) -> str:
        return (
            "INSERT INTO search_fts(rowid, body) SELECT d.id, d.body "
            f"FROM search_documents d WHERE d.id IN ({claims}) AND NOT {indexed} AND NOT {pending};"
        )

    def pair(name: str, event: str, table: str, claims: str, when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name}_before BEFORE {event} ON {table}{condition} BEGIN {unindex(claims)} END;\n"
            f"CREATE TRIGGER {name}_after AFTER {event} ON {table}{condition} BEGIN {index(claims)} END;\n"
        )

    def of_source(row: str) -> str:
        return f"SELECT claim_id FROM chain_hops WHERE source_id = {row}.source_id"

    old_tables = ("claims_fts", "reviews_fts", "sources_fts", "evidence_fts", "source_aliases_fts")
    old_triggers = [f"{table}_{event}" for table in old_tables for event in ("insert", "delete", "update")]
    deferring = "EXISTS (SELECT 1 FROM search_upkeep_deferred)"
    db.executescript(
        "".join(f"DROP TRIGGER {name};\n" for name in old_triggers)
        + "".join(f"DROP TABLE {table};\n" for table in old_tables)
        + f"""
        CREATE VIEW search_documents AS
        SELECT c.id AS id,
            c.text || ' ' || c.passage{_DOCUMENT_REST}
        FROM claims c;

        -- Every word is searched as a prefix; three-letter prefixes get an index of their own,
        -- so "the" or "min" does not merge the lists of every longer word.
        CREATE VIRTUAL TABLE search_fts USING fts5(
            body, content='search_documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', prefix='3'
        );
        -- A row here only inside a bulk write's own transaction: new claims wait in search_pending.
        CREATE TABLE search_upkeep_deferred (started_at TEXT NOT NULL);
        CREATE TABLE search_pending (claim_id INTEGER PRIMARY KEY);

        CREATE TRIGGER search_claim_insert AFTER INSERT ON claims WHEN NOT {deferring}
            BEGIN {index("new.id")} END;
        CREATE TRIGGER search_claim_defer AFTER INSERT ON claims WHEN {deferring}
            BEGIN INSERT OR IGNORE INTO search_pending (claim_id) VALUES (new.id); END;
        CREATE TRIGGER search_claim_delete BEFORE DELETE ON claims BEGIN
            {unindex("old.id")}
            DELETE FROM search_pending WHERE claim_id = old.id;
        END;
        """
        + pair("search_claim_text", "UPDATE OF text, passage", "claims", "new.id")
        + pair("search_hop_insert", "INSERT", "chain_hops", "new.claim_id")
        + pair("search_hop_delete", "DELETE", "chain_hops", "old.claim_id")
        + pair(
            "search_hop_update",
            "UPDATE OF source_id, claim_id",
            "chain_hops",
            "old.claim_id, new.claim_id",
            "old.source_id IS NOT new.source_id OR old.claim_id IS NOT new.claim_id",
        )
        + pair(
            "search_source_name",
            "UPDATE OF name",
            "sources",
            "SELECT claim_id FROM chain_hops WHERE source_id = new.id",
            "old.name IS NOT new.name",
        )
        + pair("search_alias_insert", "INSERT", "source_aliases", of_source("new"))
        + pair("search_alias_delete", "DELETE", "source_aliases", of_source("old"))
        + pair(
            "search_alias_update",
            "UPDATE OF alias, source_id",
            "source_aliases",
            f"{of_source('old')} UNION {of_source('new')}",
            "old.alias IS NOT new.alias OR old.source_id IS NOT new.source_id",
        )
        # Grades and statuses are not indexed: a review's triggers look at its rationale only.
        + pair("search_review_insert", "INSERT", "reviews", "new.claim_id", "new.rationale != ''")
        + pair("search_review_delete", "DELETE", "reviews", "old.claim_id", "old.rationale != ''")
        + pair(
            "search_review_update",
            "UPDATE OF rationale, claim_id",
            "reviews",
            "old.claim_id, new.claim_id",
            "old.rationale IS NOT new.rationale OR old.claim_id IS NOT new.claim_id",
        )
        + pair("search_evidence_insert", "INSERT", "evidence", "new.claim_id")
        + pair("search_evidence_delete", "DELETE", "evidence", "old.claim_id")
        + pair(
            "search_evidence_update",
            "UPDATE OF excerpt, note, claim_id",
            "evidence",
            "old.claim_id, new.claim_id",
            "old.excerpt IS NOT new.excerpt OR old.note IS NOT new.note OR old.claim_id IS NOT new.claim_id",
        )
        + "INSERT INTO search_fts(search_fts) VALUES ('rebuild');\n"
    )


# Source kinds when 0008 shipped, each given one bit of claim_facts.kinds (a later step adding a kind
# inserts its row into source_kind_bits; the triggers read the bits from there).
KINDS_0008 = (
    "intelligence_agency",
    "government",
    "news_agency",
    "outlet",
    "party_to_conflict",
    "prisoner",
    "unnamed",
    "collective",
    "social_media",
    "document",
    "article",
)


def kinds_of_claim(claim: str) -> str:
    """SQL for the kinds standing behind the claim `claim` (an SQL expression): one bit per kind of
    any source in its chains, and the article's own bit when it attributes the claim to no one."""
    return (
        "(COALESCE((SELECT CASE WHEN x.unattributed = 1 THEN "
        "(SELECT bit FROM source_kind_bits WHERE kind = 'article') ELSE 0 END "
        f"FROM claims x WHERE x.id = {claim}), 0) "
        "| COALESCE((SELECT sum(DISTINCT b.bit) FROM chain_hops h JOIN sources s ON s.id = h.source_id "
        f"JOIN source_kind_bits b ON b.kind = s.kind WHERE h.claim_id = {claim}), 0))"
    )


@migrations(name="0008_filter_facts")
def filter_facts(db: Database) -> None:
    """Per claim, the source kinds behind it as bits, kept in step by triggers, for the kind filter;
    and the reviewer's status and grades in one index, for their filters together.

    "Claims with a source of this kind" matches hundreds of thousands of claims in a big file, and
    counting them from the hops means removing duplicates (a claim cites several sources of a kind).
    Here each claim has one row; the index on `kinds` holds a few hundred distinct values, so a
    count reads index ranges only, and a listing tests one row per claim it visits.
    """
    bits = ", ".join(f"('{kind}', {1 << number})" for number, kind in enumerate(KINDS_0008))
    db.executescript(
        f"""
        CREATE TABLE source_kind_bits (kind TEXT PRIMARY KEY, bit INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
        INSERT INTO source_kind_bits (kind, bit) VALUES {bits};
        CREATE TABLE claim_facts (claim_id INTEGER PRIMARY KEY, kinds INTEGER NOT NULL);
        CREATE INDEX claim_facts_kinds ON claim_facts(kinds);
        -- Status, grades and claim in one index: the filters on the reviewer's review (status with
        -- grades, or grades with "not graded") are answered without reading any review row.
        CREATE INDEX reviews_reviewer_grades ON reviews(reviewer, status, reliability, credibility, claim_id);
        INSERT INTO claim_facts (claim_id, kinds) SELECT c.id, {kinds_of_claim("c.id")} FROM claims c;

        CREATE TRIGGER claim_facts_claim_insert AFTER INSERT ON claims BEGIN
            INSERT OR REPLACE INTO claim_facts (claim_id, kinds) VALUES (new.id, {kinds_of_claim("new.id")});
        END;
        CREATE TRIGGER claim_facts_claim_unattributed AFTER UPDATE OF unattributed ON claims
            WHEN old.unattributed IS NOT new.unattributed BEGIN
            UPDATE claim_facts SET kinds = {kinds_of_claim("new.id")} WHERE claim_id = new.id;
        END;
        CREATE TRIGGER claim_facts_claim_delete AFTER DELETE ON claims BEGIN
            DELETE FROM claim_facts WHERE claim_id = old.id;
        END;
        -- A new hop can only add a kind: one bit is set, nothing is recounted.
        CREATE TRIGGER claim_facts_hop_insert AFTER INSERT ON chain_hops BEGIN
            UPDATE claim_facts SET kinds = kinds | COALESCE((SELECT b.bit FROM sources s
                JOIN source_kind_bits b ON b.kind = s.kind WHERE s.id = new.source_id), 0)
            WHERE claim_id = new.claim_id;
        END;
        CREATE TRIGGER claim_facts_hop_delete AFTER DELETE ON chain_hops BEGIN
            UPDATE claim_facts SET kinds = {kinds_of_claim("old.claim_id")} WHERE claim_id = old.claim_id;
        END;
        CREATE TRIGGER claim_facts_hop_update AFTER UPDATE OF source_id, claim_id ON chain_hops
            WHEN old.source_id IS NOT new.source_id OR old.claim_id IS NOT new.claim_id BEGIN
            UPDATE claim_facts SET kinds = {kinds_of_claim("claim_facts.claim_id")}
            WHERE claim_id IN (old.claim_id, new.claim_id);
        END;
        CREATE TRIGGER claim_facts_source_kind AFTER UPDATE OF kind ON sources
            WHEN old.kind IS NOT new.kind BEGIN
            UPDATE claim_facts SET kinds = {kinds_of_claim("claim_facts.claim_id")}
            WHERE claim_id IN (SELECT claim_id FROM chain_hops WHERE source_id = new.id);
        END;
        """
    )


# A claim whose passage is its own text: a dataset row with no passage of its own (imports keep the
# text as the passage), or an article sentence kept word for word as the claim.
_PASSAGE_REPEATS_TEXT = "c.passage = c.text"
# Above this share of claims whose document changes, 0009 rebuilds the whole index at once rather
# than taking each document out and putting it back: FTS5 writes a delete as a marker that later
# merges have to carry, and a whole imported dataset would be written out twice over.
REBUILD_ABOVE_SHARE = 0.25


# Readers need not have it: a file without it keeps its own view and index, which agree.
@migrations(name="0009_search_passage_once", readers_need_it=False)
def search_passage_once(db: Database) -> None:
    """A claim's search document holds its passage only when the passage is not the claim's text.

    Before this step a dataset imported without a passage column put every claim's words in the
    index twice (as text, then as passage): a larger index, a slower import and longer lists for
    each search to step through, for no difference in what is found. The view changes; the
    documents it changes leave the index as they were indexed and come back as they now read,
    or, when they are most of the file, the index is rebuilt. A file without such claims (the
    articles reviewed by hand, the usual case) only has its view replaced.
    """
    view = f"""
        CREATE VIEW search_documents AS
        SELECT c.id AS id,
            c.text || CASE WHEN {_PASSAGE_REPEATS_TEXT} THEN '' ELSE ' ' || c.passage END{_DOCUMENT_REST}
        FROM claims c;
    """
    claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    # Only documents in the index change in it: a claim waiting in search_pending (written while a
    # bulk write deferred its upkeep) is indexed later from the new view.
    db.execute("CREATE TEMP TABLE passage_once (claim_id INTEGER PRIMARY KEY)")
    db.execute(
        f"INSERT INTO temp.passage_once SELECT c.id FROM claims c WHERE {_PASSAGE_REPEATS_TEXT} "
        "AND EXISTS (SELECT 1 FROM search_fts_docsize z WHERE z.id = c.id)"
    )
    changed = db.execute("SELECT count(*) FROM temp.passage_once").fetchone()[0]
    if changed > REBUILD_ABOVE_SHARE * claims:
        db.executescript(
            f"""
            DROP VIEW search_documents;
            {view}
            INSERT INTO search_fts(search_fts) VALUES ('rebuild');
            -- The rebuild has indexed every claim, those that were waiting too.
            DELETE FROM search_pending;
            """
        )
    else:
        documents = "FROM search_documents d JOIN temp.passage_once p ON p.claim_id = d.id ORDER BY d.id"
        db.executescript(
            f"""
            INSERT INTO search_fts(search_fts, rowid, body) SELECT 'delete', d.id, d.body {documents};
            DROP VIEW search_documents;
            {view}
            INSERT INTO search_fts(rowid, body) SELECT d.id, d.body {documents};
            """
        )
    db.execute("DROP TABLE temp.passage_once")


def known_migration_names() -> list[str]:
    return migrations.names()
