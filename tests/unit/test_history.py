"""A claim's history: every edit made through the store reads back as a line in words, newest first,
with the changes to the sources the claim relies on and none of other claims' or sources'."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import (
    ACCOUNT,
    BUREAU,
    COUNCIL,
    GAZETTE,
    RADIO,
    REVIEWER,
    SKIPPERS,
    WIRE,
    add_claim,
    add_evidence,
    chain,
    new_store,
    sid,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.edits import (
    AddAlias,
    AddHop,
    EditEvidence,
    MergeSources,
    MoveHop,
    RemoveAlias,
    RemoveEvidence,
    RemoveHop,
    RenameSource,
    SetHopRelation,
    SetHopSource,
    SetMedia,
    SetOrigin,
    SetSourceDetails,
    SetSourceKind,
    SetSourceReliability,
)
from desktop.core.errors import CorroborateError
from desktop.core.evidence import EvidenceDraft, MediaCategory, MediaDraft, Stance
from desktop.core.history import WORDED_FIELDS, describe, source_change_line
from desktop.core.model import Change, ReviewField
from desktop.core.vocabulary import Relation, SourceKind
from desktop.core.wording import local_time
from desktop.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return new_store(tmp_path / "history.db")


def lines(store: Store, claim_id: int, **options: bool) -> list[str]:
    return [entry.what for entry in store.claim_history(claim_id, **options).entries]


def test_review_edits_read_as_grades_in_words_newest_first(store: Store) -> None:
    claim = add_claim(store, "The ferry sailed late", chain((GAZETTE, Relation.REPORTS)))
    store.set_review_field(claim, REVIEWER, ReviewField.RELIABILITY, "B")
    store.set_review_field(claim, "ben", ReviewField.CREDIBILITY, 4)
    store.set_review_field(claim, REVIEWER, ReviewField.CREDIBILITY, 2)
    store.set_review_field(claim, REVIEWER, ReviewField.RELIABILITY, None)
    store.set_review_field(claim, REVIEWER, ReviewField.STATUS, "disputed")

    history = store.claim_history(claim)

    assert [(entry.reviewer, entry.what) for entry in history.entries] == [
        (REVIEWER, "Status: unreviewed → disputed"),
        (REVIEWER, "Source reliability: B, usually reliable → not graded"),
        (REVIEWER, "Claim credibility: not graded → 2, probably true"),
        ("ben", "Claim credibility: not graded → 4, doubtful"),
        (REVIEWER, "Source reliability: not graded → B, usually reliable"),
    ]
    assert not any(entry.about_source for entry in history.entries)
    assert history.came_from == "Added to this file"


def test_a_rationale_is_summed_up_in_its_line_and_given_whole_in_the_detail(store: Store) -> None:
    claim = add_claim(store, "The quay was closed", chain((COUNCIL, Relation.STATES)))
    first = "Only the council says so; the harbour master's log for that night has not been published yet."
    store.set_review_field(claim, REVIEWER, ReviewField.RATIONALE, first)
    store.set_review_field(claim, REVIEWER, ReviewField.RATIONALE, "Log seen: closed.")
    store.set_review_field(claim, REVIEWER, ReviewField.RATIONALE, "")

    cleared, edited, written = store.claim_history(claim).entries

    assert written.what.startswith("Rationale written: “Only the council says so;")
    assert written.what.endswith("…”") and len(written.what) < len(first)
    assert written.detail == first
    assert edited.what == "Rationale edited: “Log seen: closed.”"
    assert edited.detail == f"Before:\n{first}\n\nAfter:\nLog seen: closed."
    assert (cleared.what, cleared.detail) == ("Rationale cleared", "Before:\nLog seen: closed.")


def test_chain_edits_name_the_chain_the_hop_and_the_source(store: Store) -> None:
    claim = add_claim(
        store, "Nets were cut", chain((GAZETTE, Relation.REPORTS), (WIRE, Relation.ACCORDING_TO))
    )
    store.apply(AddHop(claim, 0, 2, sid(store, BUREAU), Relation.ACCORDING_TO), REVIEWER)
    store.apply(SetHopRelation(claim, 0, 1, Relation.QUOTES), REVIEWER)
    store.apply(SetOrigin(claim, 0, 2), REVIEWER)
    store.apply(MoveHop(claim, 0, 2, -1), REVIEWER)
    store.apply(SetHopSource(claim, 0, 0, sid(store, RADIO)), REVIEWER)
    store.apply(AddHop(claim, 1, 0, sid(store, SKIPPERS), Relation.STATES, True, new_chain=True), REVIEWER)
    store.apply(RemoveHop(claim, 0, 2), REVIEWER)
    store.apply(SetOrigin(claim, 0, None), REVIEWER)

    assert lines(store, claim) == [
        "Chain 1: no hop marked as the origin any more",
        "Chain 1: removed hop 3, Coastal Wire Service",
        "New chain 2: Fishing skippers (states, the origin)",
        "Chain 1, hop 1: source Harbour Gazette → Bay Radio",
        "Chain 1: moved Maritime Intelligence Bureau from hop 3 to hop 2",
        "Chain 1: Maritime Intelligence Bureau (hop 3) marked as the origin",
        "Chain 1, hop 2: relation according to → quoted directly",
        "Chain 1: added Maritime Intelligence Bureau as hop 3 (according to)",
    ]


def test_evidence_and_media_edits_say_what_changed_and_keep_the_item_in_the_detail(store: Store) -> None:
    claim = add_claim(store, "A photo shows the flooded quay", chain((ACCOUNT, Relation.IMAGE_CREDIT)))
    item = add_evidence(
        store,
        claim,
        RADIO,
        Stance.CORROBORATES,
        origin=COUNCIL,
        url="https://radio.example/q",
        excerpt="Flooded.",
    )
    edited = EvidenceDraft(sid(store, RADIO), Stance.CONTRADICTS, url=item.url, excerpt="Dry by noon.")
    store.apply(EditEvidence(item.id, edited), REVIEWER)
    store.apply(RemoveEvidence(item.id), REVIEWER)
    media = MediaDraft(sid(store, ACCOUNT), False, "An older upload, 2019", MediaCategory.DECONTEXTUALIZED)
    store.apply(SetMedia(claim, media), REVIEWER)
    store.apply(SetMedia(claim, None), REVIEWER)

    cleared, recorded, removed, changed, added = store.claim_history(claim).entries

    assert added.what == "Evidence added: Bay Radio, corroborates"
    assert "Origin: Harbour Council" in added.detail and "Excerpt: Flooded." in added.detail
    assert changed.what == "Evidence from Bay Radio edited: stance, origin, excerpt"
    assert changed.detail.splitlines() == [
        "Stance: corroborates → contradicts",
        "Origin: Harbour Council → not known",
        "Excerpt: Flooded. → Dry by noon.",
    ]
    assert removed.what == "Evidence removed: Bay Radio, contradicts"
    assert recorded.what == "Media provenance recorded: real but out of context (wrong place, date or story)"
    assert "Credited to: @harbourwatch" in recorded.detail
    assert "Known of the original: An older upload, 2019" in recorded.detail
    assert cleared.what == "Media provenance cleared"


def test_changes_to_the_claims_sources_are_included_and_marked_others_are_not(store: Store) -> None:
    claim = add_claim(
        store, "The mayor resigned", chain((GAZETTE, Relation.REPORTS), (WIRE, Relation.ACCORDING_TO))
    )
    other = add_claim(store, "Tides were high", chain((RADIO, Relation.REPORTS)))
    add_evidence(store, claim, SKIPPERS, Stance.CONTEXT, origin=BUREAU)
    store.apply(RenameSource(sid(store, WIRE), "Coast Wire"), REVIEWER)
    store.apply(SetSourceKind(sid(store, GAZETTE), SourceKind.NEWS_AGENCY), REVIEWER)
    store.apply(SetSourceReliability(sid(store, BUREAU), "E", "Has misled before."), REVIEWER)
    store.apply(SetSourceDetails(sid(store, SKIPPERS), "https://skippers.example", None), REVIEWER)
    store.apply(AddAlias(sid(store, GAZETTE), "The Gazette"), REVIEWER)
    store.apply(RemoveAlias(sid(store, GAZETTE), "The Gazette"), REVIEWER)
    store.apply(RenameSource(sid(store, RADIO), "Bay FM"), REVIEWER)  # cited by the other claim only
    store.apply(MergeSources(sid(store, GAZETTE), sid(store, COUNCIL)), REVIEWER)

    history = store.claim_history(claim)
    about_sources = [entry.what for entry in history.entries if entry.about_source]

    assert about_sources == [
        "Source Harbour Council merged into Harbour Gazette (its name kept as another name)",
        "Source Harbour Gazette: other name “The Gazette” removed",
        "Source Harbour Gazette: other name “The Gazette” added",
        "Source Fishing skippers: address edited",
        "Source Maritime Intelligence Bureau: default reliability not graded → E, unreliable",
        "Source Harbour Gazette: kind broadcaster, newspaper or outlet → news or wire agency",
        "Source renamed: Coastal Wire Service → Coast Wire",
    ]
    reliability = next(entry for entry in history.entries if "default reliability" in entry.what)
    assert reliability.detail == "Why: Has misled before."
    assert lines(store, claim, with_sources=False) == ["Evidence added: Fishing skippers, gives context"]
    assert "Source renamed: Bay Radio → Bay FM" in lines(store, other)
    assert not any("Bay FM" in line for line in lines(store, claim))


def test_undo_is_a_change_of_its_own(store: Store) -> None:
    claim = add_claim(store, "Gulls were seen", chain((SKIPPERS, Relation.STATES)))
    applied = store.apply(SetHopRelation(claim, 0, 0, Relation.REPORTS), REVIEWER)
    store.apply(applied.inverse, "ben")

    assert [(entry.reviewer, entry.what) for entry in store.claim_history(claim).entries] == [
        ("ben", "Chain 1, hop 1: relation reports → states"),
        (REVIEWER, "Chain 1, hop 1: relation states → reports"),
    ]


def test_where_a_claim_came_from(store: Store, sample_copy: Path) -> None:
    assert store.claim_history(add_claim(store, "Rain fell")).came_from == "Added to this file"
    sample = Store.open(sample_copy, read_only=True)
    try:
        history = sample.claim_history(1)
    finally:
        sample.close()
    assert history.came_from.startswith("From the article “North Korean troops in Russia")
    assert history.entries == ()


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)], capture_output=True, text=True, check=False
    )


def test_the_cli_prints_an_imported_claims_history_with_its_origin(tmp_path: Path) -> None:
    path, data = tmp_path / "imported.db", tmp_path / "checks.csv"
    data.write_text("claim,speaker\nThe bridge is closed,Harbour Council\n", encoding="utf-8")
    assert run_cli("new", path).returncode == 0
    assert run_cli("import", path, data, "--reviewer", "cam").returncode == 0
    store = Store.open(path, reviewer="cam")
    store.set_review_field(1, "cam", ReviewField.CREDIBILITY, 3)
    store.apply(RenameSource(store.claim_detail(1).chains[0][0].source.id or 0, "Town council"), "dee")
    store.close()

    printed = run_cli("history", path, "1")
    as_json = json.loads(run_cli("history", path, "1", "--json").stdout)
    claim_only = run_cli("history", path, "1", "--claim-only").stdout

    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert lines[0] == "Claim 1: The bridge is closed"
    assert re.fullmatch(r"Imported by cam from checks\.csv \(csv\), \d{4}-\d\d-\d\d \d\d:\d\d", lines[1])
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d  dee  Source renamed: Harbour Council → Town council", lines[2]
    )
    assert lines[3].endswith("  cam  Claim credibility: not graded → 3, possibly true")
    assert [(c["reviewer"], c["about_source"]) for c in as_json["changes"]] == [("dee", True), ("cam", False)]
    assert as_json["changes"][0]["at"].endswith("Z")
    assert "Town council" not in claim_only and "Claim credibility" in claim_only


def test_the_cli_refuses_an_unknown_claim_with_a_message_and_an_exit_code(sample_copy: Path) -> None:
    result = run_cli("history", sample_copy, "999")
    assert result.returncode != 0
    assert result.stderr.strip() == "corroborate: Claim 999 is not in this file."
    assert result.stdout == ""
    fresh = run_cli("history", sample_copy, "2")
    assert fresh.stdout.splitlines()[-1] == "No changes yet."


def test_an_unknown_claim_is_refused_in_words(store: Store) -> None:
    with pytest.raises(CorroborateError, match="Claim 99 is not in this file"):
        store.claim_history(99)


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("review.later_field", "x", "y"),  # written by a later version
        ("chain.add_hop", None, '{"chain": "first"}'),  # values not as this version writes them
        ("evidence.add", None, "not json"),
        ("review.credibility", "9", "2"),
    ],
)
def test_a_row_this_version_cannot_word_is_still_shown_raw(field: str, old: str | None, new: str) -> None:
    entry = describe(Change(7, "2026-03-01T10:00:00Z", "dee", 3, field, old, new), {})
    assert entry.what == f"{field}: {old if old is not None else 'nothing'} → {new}"
    assert (entry.change_id, entry.reviewer) == (7, "dee")


def test_a_colleagues_merged_rows_with_a_foreign_source_id_still_read(tmp_path: Path, store: Store) -> None:
    claim = add_claim(store, "The lighthouse went dark", chain((BUREAU, Relation.STATES)))
    store.close()
    conn = sqlite3.connect(tmp_path / "history.db")
    with conn:
        conn.execute(
            "INSERT INTO change_log (at, reviewer, claim_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
            [
                "2026-03-01T10:00:00Z",
                "eve",
                claim,
                "evidence.remove",
                '{"source": 999, "stance": "context"}',
                None,
            ],
        )
    conn.close()
    reopened = Store.open(tmp_path / "history.db", read_only=True)
    try:
        (entry,) = reopened.claim_history(claim).entries
    finally:
        reopened.close()
    assert entry.what == "Evidence removed: source 999 (no longer in the file), gives context"


def test_local_time_is_to_the_minute_and_leaves_what_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    try:
        assert local_time("2026-12-08T01:02:59Z") == "2026-12-08 10:02"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert local_time("yesterday") == "yesterday"
    assert local_time("2026-12-08T01:02:59") == "2026-12-08T01:02:59"


def test_a_sources_own_history_speaks_from_its_side_of_a_merge(store: Store) -> None:
    gazette, council = sid(store, GAZETTE), sid(store, COUNCIL)
    store.apply(MergeSources(gazette, council), REVIEWER)
    (merge,) = [change for change in store.source_changes(gazette) if change.field == "source.merge"]

    assert source_change_line(merge, gazette).endswith(
        f"  {REVIEWER}: “Harbour Council” merged into this source (its name kept as an alias)"
    )
    assert source_change_line(merge, council).endswith(f"  {REVIEWER}: merged into “Harbour Gazette”")
    odd = Change(9, "2026-03-01T10:00:00Z", "dee", None, "source.rename", "{}", "{}")
    assert source_change_line(odd, gazette).endswith("  dee: source.rename: {} → {}")


def test_source_changes_made_after_a_first_read_are_found(store: Store, tmp_path: Path) -> None:
    claim = add_claim(store, "The pier reopened", chain((RADIO, Relation.REPORTS)))
    reader = Store.open(tmp_path / "history.db", read_only=True)  # another process, as the CLI would be
    try:
        assert reader.claim_history(claim).entries == ()
        radio = sid(store, RADIO)
        store.apply(RenameSource(radio, "Bay FM"), REVIEWER)
        store.apply(AddAlias(radio, "BR"), REVIEWER)
        assert lines(store, claim) == [
            "Source Bay FM: other name “BR” added",
            "Source renamed: Bay Radio → Bay FM",
        ]
        assert lines(reader, claim) == lines(store, claim)
    finally:
        reader.close()


# Keys the store writes in logged values, so generated values often look nearly right.
KEYS = [
    "source",
    "name",
    "chain",
    "position",
    "relation",
    "origin",
    "new_chain",
    "stance",
    "kind",
    "alias",
    "reliability",
    "rationale",
    "into",
    "from",
    "text",
    "passage",
    "start",
    "end",
    "category",
    "id",
]
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from([*WORDED_FIELDS, "review.unknown", "claim.split"]),
    old=st.none() | _JSON_VALUES.map(json.dumps) | st.text(max_size=12),
    new=st.none() | _JSON_VALUES.map(json.dumps) | st.text(max_size=12),
    claim_id=st.none() | st.integers(1, 3),
)
def test_any_logged_row_reads_as_a_line_and_never_fails(
    field: str, old: str | None, new: str | None, claim_id: int | None
) -> None:
    change = Change(1, "2026-03-01T10:00:00Z", "dee", claim_id, field, old, new)
    entry = describe(change, {1: "Harbour Gazette"})
    assert entry.what and "\n" not in entry.what
    assert source_change_line(change, 1)
