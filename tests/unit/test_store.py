"""The Store, through its public API: schema on create, saved edits, the change log, search and sorting."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.grades import Status
from desktop.core.model import (
    Article,
    ClaimQuery,
    Hop,
    NewClaim,
    ReviewField,
    ReviewValue,
    SortKey,
    Source,
)
from desktop.core.vocabulary import Relation, SourceKind
from desktop.store import Store
from desktop.store.schema import APPLICATION_ID, known_migration_names

# The schema version a new file gets: one per migration step this version knows.
CURRENT_SCHEMA = len(known_migration_names())

GAZETTE = Source("Harbour Gazette", SourceKind.OUTLET)
AUTHORITY = Source("Port Authority", SourceKind.GOVERNMENT)
MINISTRY = Source("Ministère de la Mer", SourceKind.DOCUMENT)
INSIDERS = Source("anonymous insiders", SourceKind.UNNAMED)

# Invented claims, each with words found nowhere else so a search can name exactly which claim it hits.
CLAIMS = (
    NewClaim(
        "Officials counted 300 lanterns in Harbourtown.",
        "The harbourmaster tallied three hundred lanterns along the quay.",
        None,
        ((Hop(GAZETTE, Relation.REPORTS), Hop(AUTHORITY, Relation.ACCORDING_TO)),),
    ),
    NewClaim("zebra crossing was repainted overnight", "Someone repainted the zebra crossing.", None),
    NewClaim(
        "Émile's communiqué announces a new ferry timetable.",
        "« Le nouvel horaire entre en vigueur lundi », says the communiqué.",
        None,
        ((Hop(MINISTRY, Relation.QUOTES),),),
    ),
    NewClaim(
        "apple orchard yields doubled this autumn",
        "Growers say the orchard gave twice as much fruit.",
        None,
        ((Hop(INSIDERS, Relation.STATES),), (Hop(GAZETTE, Relation.INTERPRETS),)),
    ),
    NewClaim("Mixed case: banana imports fell", "Banana imports fell, the figures show.", None),
    NewClaim("السوق مفتوح كل يوم", "השוק פתוח כל יום", None),
)
LANTERNS, ZEBRA, COMMUNIQUE, ORCHARD, BANANA, MARKET = range(1, 7)
ALL_IDS = list(range(1, 7))

# Hostile search strings: FTS5 syntax, control characters, scripts, symbols, nothing at all.
HOSTILE_SEARCHES = [
    '"',
    '""',
    "AND OR NOT",
    "NOT",
    "((",
    "))",
    "\x00",
    "lanterns\x00harbour",
    "😀",
    "🍌 banana",
    "السوق",
    "השוק",
    "",
    "   ",
    "*",
    "a*b",
    "NEAR(lanterns zebra)",
    "text:lanterns",
    "^lanterns",
    "-lanterns",
    "+",
    "' OR 1=1 --",
    "\\",
    "{text passage}: zebra",
    "lanterns" * 200,
    "x" * 5000,
    " ".join(f"word{n}" for n in range(3000)),
    "lanterns " * 3000,
]


def open_new(path: Path) -> Store:
    return Store.open(path, create=True)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "review.db"


@pytest.fixture
def loaded(store_path: Path) -> Iterator[Store]:
    """A file with one article and the six invented claims, nobody's review yet."""
    store = open_new(store_path)
    article_id = store.add_article(Article("Harbour news", "text of the article"))
    assert store.add_claims(article_id, CLAIMS) == ALL_IDS
    yield store
    store.close()


@pytest.fixture
def graded(loaded: Store) -> Store:
    """Reviews by several people: ties, empty grades and every status, for sorting and filtering."""
    edits: list[tuple[int, str, ReviewField, ReviewValue]] = [
        (LANTERNS, "ana", ReviewField.RELIABILITY, "B"),
        (LANTERNS, "ana", ReviewField.CREDIBILITY, 2),
        (LANTERNS, "ana", ReviewField.STATUS, Status.REVIEWED),
        (ZEBRA, "ana", ReviewField.RATIONALE, "Checked against the municipal ledger."),
        (COMMUNIQUE, "ana", ReviewField.RELIABILITY, "B"),
        (COMMUNIQUE, "ana", ReviewField.STATUS, Status.IN_PROGRESS),
        (ORCHARD, "ana", ReviewField.RELIABILITY, "A"),
        (ORCHARD, "ana", ReviewField.CREDIBILITY, 6),
        (ORCHARD, "ana", ReviewField.STATUS, Status.DISPUTED),
        (BANANA, "ana", ReviewField.RELIABILITY, "F"),
        (LANTERNS, "ben", ReviewField.RELIABILITY, "E"),
        (LANTERNS, "ben", ReviewField.STATUS, Status.REVIEWED),
        (ZEBRA, "ben", ReviewField.CREDIBILITY, 3),
        (ZEBRA, "ben", ReviewField.STATUS, Status.REVIEWED),
        (MARKET, "cyd", ReviewField.STATUS, Status.IN_PROGRESS),
    ]
    for claim_id, reviewer, review_field, value in edits:
        loaded.set_review_field(claim_id, reviewer, review_field, value)
    return loaded


def search(store: Store, text: str, reviewer: str = "ana") -> set[int]:
    return set(store.claim_ids(ClaimQuery(reviewer, text=text)))


# ---- creating and opening ------------------------------------------------------------------------------


def test_new_file_gets_the_schema_and_is_recognisable(store_path: Path) -> None:
    store = open_new(store_path)
    assert store.schema_version == CURRENT_SCHEMA
    store.close()

    conn = sqlite3.connect(store_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        # WAL is recorded in the file itself, so a fresh connection sees it.
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        migrations = conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
    finally:
        conn.close()
    assert {"articles", "sources", "claims", "chain_hops", "reviews", "change_log", "search_fts"} <= tables
    assert migrations == [("corroborate", name) for name in known_migration_names()]


def test_reopening_does_not_migrate_again(store_path: Path) -> None:
    open_new(store_path).close()
    for _ in range(2):
        store = Store.open(store_path)
        assert store.schema_version == CURRENT_SCHEMA
        assert store.stats()["claims"] == 0
        store.close()


def test_review_of_a_claim_that_does_not_exist_is_refused(loaded: Store) -> None:
    # Enforced by the foreign key from reviews to claims: proof the store's connection turns them on.
    with pytest.raises(CorroborateError, match="999"):
        loaded.set_review_field(999, "ana", ReviewField.RELIABILITY, "B")
    assert loaded.review(999, "ana") is None
    assert loaded.changes() == []


def test_sources_with_the_same_name_key_are_one_source(loaded: Store) -> None:
    again = loaded.ensure_source(Source("  harbour GAZETTE! ", SourceKind.NEWS_AGENCY))
    first_hop = loaded.claim_detail(LANTERNS).chains[0][0].source
    assert again.id == first_hop.id
    assert again.name == "Harbour Gazette"
    assert loaded.stats()["sources"] == 4
    with pytest.raises(InvalidValueError):
        loaded.ensure_source(Source(" -- ", SourceKind.OUTLET))


# ---- editing a review ----------------------------------------------------------------------------------

EDITS = [
    (ReviewField.RELIABILITY, "C", None),
    (ReviewField.CREDIBILITY, 4, None),
    (ReviewField.STATUS, Status.DISPUTED, "unreviewed"),
    (ReviewField.RATIONALE, "Two reports, one origin: the briefing.", ""),
]


@pytest.mark.parametrize(("review_field", "value", "default"), EDITS)
def test_each_edit_is_saved_and_logged_once(
    loaded: Store,
    store_path: Path,
    review_field: ReviewField,
    value: ReviewValue,
    default: str | None,
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    old = loaded.set_review_field(COMMUNIQUE, "ana", review_field, value)
    after = datetime.now(UTC)
    assert old == default
    loaded.close()

    reopened = Store.open(store_path)
    try:
        review = reopened.review(COMMUNIQUE, "ana")
        changes = reopened.changes()
    finally:
        reopened.close()
    assert review is not None
    assert review.value(review_field) == (value.value if isinstance(value, Status) else value)
    assert len(changes) == 1
    change = changes[0]
    assert (change.reviewer, change.claim_id, change.field) == (
        "ana",
        COMMUNIQUE,
        f"review.{review_field.value}",
    )
    assert (change.old_value, change.new_value) == (default, str(review.value(review_field)))
    at = datetime.fromisoformat(change.at)
    assert at.utcoffset() == timedelta(0)
    assert before <= at <= after
    assert review.updated_at == change.at


def test_a_second_edit_logs_the_previous_value(loaded: Store, store_path: Path) -> None:
    loaded.set_review_field(LANTERNS, "ana", ReviewField.RELIABILITY, "B")
    assert loaded.set_review_field(LANTERNS, "ana", ReviewField.RELIABILITY, "d") == "B"
    assert loaded.set_review_field(LANTERNS, "ana", ReviewField.RELIABILITY, None) == "D"
    assert loaded.set_review_field(LANTERNS, "ana", ReviewField.CREDIBILITY, " 5 ") is None
    loaded.close()

    reopened = Store.open(store_path)
    try:
        review = reopened.review(LANTERNS, "ana")
        logged = [(c.field, c.old_value, c.new_value) for c in reopened.changes(LANTERNS)]
        assert reopened.changes(ZEBRA) == []
    finally:
        reopened.close()
    assert review is not None
    assert (review.reliability, review.credibility, review.status) == (None, 5, Status.UNREVIEWED)
    assert logged == [
        ("review.reliability", None, "B"),
        ("review.reliability", "B", "D"),
        ("review.reliability", "D", None),
        ("review.credibility", None, "5"),
    ]


INVALID = [
    (ReviewField.RELIABILITY, "G"),
    (ReviewField.RELIABILITY, "AB"),
    (ReviewField.RELIABILITY, 1),
    (ReviewField.CREDIBILITY, 7),
    (ReviewField.CREDIBILITY, 0),
    (ReviewField.CREDIBILITY, "seven"),
    (ReviewField.CREDIBILITY, "2.5"),
    (ReviewField.STATUS, "done"),
    (ReviewField.STATUS, None),
]


@pytest.mark.parametrize(("review_field", "value"), INVALID)
def test_invalid_values_are_refused_and_write_nothing(
    loaded: Store, store_path: Path, review_field: ReviewField, value: ReviewValue
) -> None:
    with pytest.raises(InvalidValueError):
        loaded.set_review_field(ORCHARD, "ana", review_field, value)
    assert loaded.review(ORCHARD, "ana") is None

    loaded.set_review_field(ORCHARD, "ana", ReviewField.RELIABILITY, "B")
    loaded.set_review_field(ORCHARD, "ana", ReviewField.CREDIBILITY, 2)
    loaded.set_review_field(ORCHARD, "ana", ReviewField.STATUS, Status.IN_PROGRESS)
    with pytest.raises(InvalidValueError):
        loaded.set_review_field(ORCHARD, "ana", review_field, value)
    loaded.close()

    reopened = Store.open(store_path)
    try:
        review = reopened.review(ORCHARD, "ana")
        assert review is not None
        assert (review.reliability, review.credibility, review.status) == ("B", 2, Status.IN_PROGRESS)
        assert len(reopened.changes()) == 3
    finally:
        reopened.close()


def test_two_reviewers_keep_separate_reviews(loaded: Store, store_path: Path) -> None:
    loaded.set_review_field(ORCHARD, "ana", ReviewField.RELIABILITY, "B")
    loaded.set_review_field(ORCHARD, "ben", ReviewField.RELIABILITY, "E")
    loaded.set_review_field(ORCHARD, "ben", ReviewField.RATIONALE, "The insiders are not named.")
    loaded.close()

    reopened = Store.open(store_path)
    try:
        detail = reopened.claim_detail(ORCHARD)
        ana, ben = reopened.review(ORCHARD, "ana"), reopened.review(ORCHARD, "ben")
        changes = reopened.changes(ORCHARD)
    finally:
        reopened.close()
    assert ana is not None and ben is not None
    assert (ana.reliability, ana.rationale) == ("B", "")
    assert (ben.reliability, ben.rationale) == ("E", "The insiders are not named.")
    assert [r.reviewer for r in detail.reviews] == ["ana", "ben"]
    assert detail.review_by("ben") == ben
    assert [(c.reviewer, c.old_value) for c in changes] == [("ana", None), ("ben", None), ("ben", "")]


def test_change_log_is_append_only(graded: Store, store_path: Path) -> None:
    logged = graded.changes()
    assert len(logged) == 15
    graded.close()

    conn = sqlite3.connect(store_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE change_log SET new_value = 'A' WHERE id = 1")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM change_log")
        conn.commit()
    finally:
        conn.close()

    reopened = Store.open(store_path)
    try:
        assert reopened.changes() == logged
    finally:
        reopened.close()


# ---- text search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lanterns", {LANTERNS}),
        ("LANTERNS", {LANTERNS}),
        ("lant", {LANTERNS}),
        ("harbourmaster", {LANTERNS}),
        ("counted Harbourtown", {LANTERNS}),
        ("  zebra,  crossing! ", {ZEBRA}),
        ("authority", {LANTERNS}),
        ("gazette", {LANTERNS, ORCHARD}),
        ("insiders", {ORCHARD}),
        ("communique", {COMMUNIQUE}),
        ("emile", {COMMUNIQUE}),
        ("ministere mer", {COMMUNIQUE}),
        ("ledger", {ZEBRA}),
        ("munic", {ZEBRA}),
        ("السوق", {MARKET}),
        ("פתוח", {MARKET}),
        ("xylophone", set()),
        ("lanterns zebra", set()),
        # Words of one search may come from different places of the same claim.
        ("gazette officials", {LANTERNS}),
        ("Authority harbourmaster", {LANTERNS}),
        ("insiders autumn", {ORCHARD}),
        ("ledger zebra", {ZEBRA}),
        ("ledger lanterns", set()),
    ],
)
def test_search_finds_words_of_text_passage_source_and_rationale(
    graded: Store, text: str, expected: set[int]
) -> None:
    assert search(graded, text) == expected


def test_search_follows_an_edited_rationale(graded: Store) -> None:
    graded.set_review_field(ZEBRA, "ana", ReviewField.RATIONALE, "Seen in the council minutes.")
    assert search(graded, "ledger") == set()
    assert search(graded, "minutes") == {ZEBRA}


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_hostile_search_text_never_raises(graded: Store, text: str) -> None:
    found = graded.claim_ids(ClaimQuery("ana", text=text))
    assert set(found) <= set(ALL_IDS)
    assert len(set(found)) == len(found)


# The fixture's store is only read by these examples, so sharing it across them is safe.
SEARCH_SETTINGS = settings(
    deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(SEARCH_SETTINGS, max_examples=150)
@given(text=st.text(max_size=60))
def test_arbitrary_search_text_never_raises(graded: Store, text: str) -> None:
    found = list(graded.claim_ids(ClaimQuery("ana", text=text)))
    assert set(found) <= set(ALL_IDS)
    assert found == sorted(found)


@settings(SEARCH_SETTINGS, max_examples=80)
@given(
    word=st.sampled_from(["lanterns", "zebra", "orchard", "banana"]),
    before=st.text(alphabet='"()*:^-+ \t\n.,;!?{}', max_size=6),
    after=st.text(alphabet='"()*:^-+ \t\n.,;!?{}', max_size=6),
)
def test_a_word_wrapped_in_query_syntax_still_finds_its_claim(
    graded: Store, word: str, before: str, after: str
) -> None:
    claim_id = {"lanterns": LANTERNS, "zebra": ZEBRA, "orchard": ORCHARD, "banana": BANANA}[word]
    assert claim_id in search(graded, before + word + after)


# ---- filtering and sorting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reviewer", "statuses", "expected"),
    [
        ("ana", {Status.UNREVIEWED}, [ZEBRA, BANANA, MARKET]),
        ("ana", {Status.REVIEWED, Status.DISPUTED}, [LANTERNS, ORCHARD]),
        ("ana", {Status.IN_PROGRESS}, [COMMUNIQUE]),
        ("ana", set(Status), ALL_IDS),
        ("ben", {Status.REVIEWED}, [LANTERNS, ZEBRA]),
        ("nobody", {Status.UNREVIEWED}, ALL_IDS),
        ("nobody", {Status.REVIEWED}, []),
    ],
)
def test_status_filter(graded: Store, reviewer: str, statuses: set[Status], expected: list[int]) -> None:
    query = ClaimQuery(reviewer, statuses=frozenset(statuses))
    assert list(graded.claim_ids(query)) == expected


def test_status_filter_combines_with_text(graded: Store) -> None:
    query = ClaimQuery("ana", text="gazette", statuses=frozenset({Status.DISPUTED}))
    assert list(graded.claim_ids(query)) == [ORCHARD]


def _ascii_fold(text: str) -> str:
    # SQLite's NOCASE folds ASCII letters only.
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _sort_value(store: Store, key: SortKey, reviewer: str) -> Callable[[int], object]:
    """What each claim shows in the sorted column, read back through the public API."""
    order = list(Status)

    def value(claim_id: int) -> object:
        detail = store.claim_detail(claim_id)
        review = store.review(claim_id, reviewer)
        if key is SortKey.NUMBER:
            return claim_id
        if key is SortKey.TEXT:
            return _ascii_fold(detail.text)
        if key is SortKey.CITED_SOURCE:
            return _ascii_fold(detail.chains[0][0].source.name) if detail.chains else None
        if key is SortKey.RELIABILITY:
            return review.reliability if review else None
        if key is SortKey.CREDIBILITY:
            return review.credibility if review else None
        if key is SortKey.STATUS:
            return order.index(review.status if review else Status.UNREVIEWED)
        if key is SortKey.REVIEWER:
            return min((r.reviewer for r in detail.reviews), default=None)
        if key is SortKey.EVIDENCE:
            return len(store.evidence_of(claim_id))
        raise AssertionError(f"no expectation written for {key}")

    return value


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("reviewer", ["ana", "ben"])
def test_every_sort_key_orders_all_claims_by_their_values(
    graded: Store, key: SortKey, descending: bool, reviewer: str
) -> None:
    ids = list(graded.claim_ids(ClaimQuery(reviewer, sort=key, descending=descending)))
    assert sorted(ids) == ALL_IDS
    value = _sort_value(graded, key, reviewer)

    def rank(claim_id: int) -> tuple[object, ...]:
        # Empty values come first in ascending order (as SQLite sorts NULL); ties fall back to the number.
        shown = value(claim_id)
        return ((0,) if shown is None else (1, shown), claim_id)

    assert ids == sorted(ALL_IDS, key=rank, reverse=descending)


def test_sorting_is_not_vacuous(graded: Store) -> None:
    by_text = list(graded.claim_ids(ClaimQuery("ana", sort=SortKey.TEXT)))
    assert by_text == [ORCHARD, BANANA, LANTERNS, ZEBRA, COMMUNIQUE, MARKET]
    by_reliability = list(graded.claim_ids(ClaimQuery("ana", sort=SortKey.RELIABILITY, descending=True)))
    assert by_reliability == [BANANA, COMMUNIQUE, LANTERNS, ORCHARD, MARKET, ZEBRA]


# ---- progress and counts -------------------------------------------------------------------------------


def test_unfinished_among(graded: Store) -> None:
    assert graded.unfinished_among(ALL_IDS, "ana") == {ZEBRA, COMMUNIQUE, BANANA, MARKET}
    assert graded.unfinished_among([LANTERNS, ZEBRA, ORCHARD], "ben") == {ORCHARD}
    assert graded.unfinished_among([MARKET], "cyd") == {MARKET}
    assert graded.unfinished_among(ALL_IDS, "nobody") == set(ALL_IDS)
    assert graded.unfinished_among([], "ana") == set()


def test_stats_counts(loaded: Store) -> None:
    expected = {
        "articles": 1,
        "claims": 6,
        "sources": 4,
        "reviewed_claims": 0,
        "unattributed_claims": 3,
        "schema_version": CURRENT_SCHEMA,
        "reviewers": {},
    }
    stats = loaded.stats()
    assert {key: stats.get(key) for key in expected} == expected


def test_stats_after_reviews(graded: Store, store_path: Path) -> None:
    graded.close()
    reopened = Store.open(store_path)
    try:
        stats = reopened.stats()
        assert reopened.count_reviewed("ana") == 1
        assert reopened.count_reviewed("ben") == 2
    finally:
        reopened.close()
    # Lanterns was marked reviewed by two people: it is still one reviewed claim.
    assert stats["reviewed_claims"] == 2
    # Reviewers are counted by the claims they graded; a rationale or status alone grades nothing.
    assert stats["reviewers"] == {"ana": 4, "ben": 2}
    assert (stats["claims"], stats["sources"], stats["unattributed_claims"]) == (6, 4, 3)
