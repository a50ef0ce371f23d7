"""A reviewed copy of the sample for the export tests, made through the Store API as a reviewer would.

The reviews, evidence, sources and rationales are invented for the tests; only the sample article is real.
Some rationales start the way a spreadsheet formula does, to prove the CSV neutralises them.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.edits import AddAlias, AddEvidence, SetMedia, SetSourceReliability
from desktop.core.evidence import EvidenceDraft, MediaCategory, MediaDraft, Stance
from desktop.core.model import ClaimQuery, ReviewField, Source
from desktop.core.vocabulary import SourceKind
from desktop.io.export import ExportOptions
from desktop.store import Store
from desktop.store.snapshot import ClaimRecord, claim_records

PUBLISHER = ExportOptions(
    publisher_name="Lantern Fact Desk", publisher_url="https://factcheck.example.org/reviews/"
)

# claim id -> reviewer -> (reliability, credibility, status, rationale)
REVIEWS: dict[int, dict[str, tuple[str | None, int | None, str, str]]] = {
    1: {
        "ana": ("B", 2, "reviewed", "The agency's briefings on troop training have held up before."),
        "lee": ("C", 3, "in_progress", "Only one origin so far."),
    },
    2: {"ana": ("B", 5, "reviewed", '=HYPERLINK("https://attacker.example", "click")')},
    3: {"ana": ("D", 4, "disputed", "@SUM(1+1) the photo credit is an aggregator")},
    4: {"ana": ("F", 6, "reviewed", "+1 nobody is cited for the figure")},
    5: {"ana": ("E", 1, "reviewed", '-2 "quoted" words, a comma, and a\nsecond line')},
    6: {"ana": (None, None, "in_progress", "\tstarts with a tab")},
    7: {"ana": ("C", None, "reviewed", "\rstarts with a carriage return <b>not bold</b>")},
}


def reviewed_sample(path: Path) -> None:
    """Grade some claims for ana (and claim 1 for lee too), add evidence, media, an alias, a source grade."""
    store = Store.open(path, reviewer="ana")
    try:
        gazette = _id(
            store.ensure_source(
                Source(
                    "Lantern Gazette", SourceKind.OUTLET, url="https://gazette.example.org", notes="invented"
                )
            )
        )
        monitors = _id(store.ensure_source(Source("Drone watchers forum", SourceKind.COLLECTIVE)))
        nis = _source(store, "National Intelligence Service (NIS)")
        yonhap = _source(store, "Yonhap")
        account = _source(store, "X account @polymarketintel")
        store.apply(AddAlias(nis, "South Korean intelligence"), "ana")
        store.apply(
            SetSourceReliability(yonhap, "B", "A wire agency with a long record of careful relays."), "ana"
        )
        for claim_id, by_reviewer in REVIEWS.items():
            for reviewer, (reliability, credibility, status, rationale) in by_reviewer.items():
                store.set_review_field(claim_id, reviewer, ReviewField.RELIABILITY, reliability)
                store.set_review_field(claim_id, reviewer, ReviewField.CREDIBILITY, credibility)
                store.set_review_field(claim_id, reviewer, ReviewField.STATUS, status)
                store.set_review_field(claim_id, reviewer, ReviewField.RATIONALE, rationale)
        # Claim 1 rests on the NIS: Yonhap relaying the NIS collapses into it (circular), the
        # Gazette's own reporting counts, the forum contradicts it.
        for draft in (
            EvidenceDraft(yonhap, Stance.CORROBORATES, excerpt="Yonhap repeats the briefing.", origin_id=nis),
            EvidenceDraft(
                gazette,
                Stance.CORROBORATES,
                url="https://gazette.example.org/drones",
                date="2025-02",
                excerpt="Our reporter saw the training ground.",
                note="first-hand",
            ),
            EvidenceDraft(monitors, Stance.CONTRADICTS, excerpt="Members doubt the numbers."),
        ):
            store.apply(AddEvidence(1, draft), "ana")
        store.apply(
            SetMedia(
                3,
                MediaDraft(
                    credited_to_id=account,
                    credit_is_origin=False,
                    original_known="A video posted earlier by another account.",
                    category=MediaCategory.DECONTEXTUALIZED,
                ),
            ),
            "ana",
        )
    finally:
        store.close()


def _source(store: Store, name: str) -> int:
    found = store.find_source(name)
    assert found is not None, name
    return _id(found)


def _id(source: Source) -> int:
    assert source.id is not None
    return source.id


def all_records(path: Path, *, include_changes: bool = True) -> list[ClaimRecord]:
    """Every claim of the file with everything attached, in claim order."""
    store = Store.open(path, read_only=True)
    try:
        return claim_records(store, store.claim_ids(ClaimQuery("")), include_changes=include_changes)
    finally:
        store.close()
