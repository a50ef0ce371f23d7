"""The schema, as an ordered list of migrations applied on open.

Never edit a step that has shipped: add a new one. sqlite-utils' Migrations
records each applied step by name in `_sqlite_migrations`, which is also how a
file written by a newer version is recognised (it has steps we do not know).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.vocabulary import Relation, SourceKind

# Written into the SQLite header so a Corroborate file is recognisable without reading tables ("Corr").
APPLICATION_ID = 0x436F7272
MIGRATION_SET = "corroborate"

migrations = Migrations(MIGRATION_SET)


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


def known_migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]
