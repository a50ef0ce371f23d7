"""Counting independent origins on constructed cases (core.independence, no file involved)."""

from __future__ import annotations

import itertools

import pytest

from desktop.core.evidence import Evidence, Stance
from desktop.core.independence import assess, chain_origin, origins_of, suggested_grade
from desktop.core.model import Hop, Source
from desktop.core.vocabulary import Relation, SourceKind

GAZETTE = Source("Harbour Gazette", SourceKind.OUTLET, id=1)
WIRE = Source("Coastal Wire Service", SourceKind.NEWS_AGENCY, id=2)
BUREAU = Source("Maritime Intelligence Bureau", SourceKind.INTELLIGENCE_AGENCY, id=3)
COUNCIL = Source("Harbour Council", SourceKind.GOVERNMENT, id=4)
RADIO = Source("Bay Radio", SourceKind.OUTLET, id=5)
SKIPPERS = Source("Fishing skippers", SourceKind.COLLECTIVE, id=6)
ACCOUNT = Source("@harbourwatch", SourceKind.SOCIAL_MEDIA, id=7)

# Many distinct origins for the grade table.
OTHERS = tuple(Source(f"Observer {n}", SourceKind.OUTLET, id=100 + n) for n in range(20))

C, X, K = Stance.CORROBORATES, Stance.CONTRADICTS, Stance.CONTEXT

_ids = itertools.count(1)


def item(source: Source, stance: Stance, origin: Source | None = None) -> Evidence:
    return Evidence(id=next(_ids), claim_id=1, source=source, stance=stance, origin=origin)


# The claim under review: the Gazette reports, according to the Bureau (the origin).
CLAIM_CHAIN = (Hop(GAZETTE, Relation.REPORTS), Hop(BUREAU, Relation.ACCORDING_TO))
OWN = origins_of([CLAIM_CHAIN])


# ---- origins of a claim ------------------------------------------------------------


def test_the_origin_of_a_chain_is_its_last_hop_unless_one_is_marked() -> None:
    assert chain_origin(CLAIM_CHAIN) == BUREAU
    marked = (Hop(WIRE, Relation.REPORTS, is_origin=True), Hop(BUREAU, Relation.INTERPRETS))
    assert chain_origin(marked) == WIRE
    assert chain_origin(()) is None


def test_a_claim_names_each_origin_once_in_chain_order() -> None:
    chains = [
        CLAIM_CHAIN,
        (Hop(RADIO, Relation.REPORTS), Hop(BUREAU, Relation.STATES)),
        (Hop(COUNCIL, Relation.STATES),),
        (),
    ]
    assert origins_of(chains) == (BUREAU, COUNCIL)
    assert origins_of([]) == ()


def test_unsaved_sources_are_the_same_origin_when_their_names_match_loosely() -> None:
    a = Source("Bay Radio", SourceKind.OUTLET)
    b = Source("  bay   RADIO. ", SourceKind.OUTLET)
    c = Source("B.A.Y. radio", SourceKind.OUTLET)
    assert len(origins_of([(Hop(a, Relation.STATES),), (Hop(b, Relation.STATES),)])) == 1
    result = assess([], [item(a, C), item(b, C), item(c, C)])
    assert result.independent_count == 1
    assert assess([], [item(a, C), item(Source("Bay Radar", SourceKind.OUTLET), C)]).independent_count == 2


# ---- counting ----------------------------------------------------------------------


def test_no_evidence_means_nothing_independent() -> None:
    result = assess(OWN, [])
    assert (result.independent_count, result.suggested_credibility, result.warnings) == (0, 6, ())
    assert result.reason == "No evidence yet: truth cannot be judged."


def test_two_items_sharing_an_origin_count_once_and_warn_naming_it() -> None:
    first = item(RADIO, C, origin=COUNCIL)
    second = item(SKIPPERS, C, origin=COUNCIL)
    result = assess(OWN, [first, second])
    assert result.corroborating_origins == (COUNCIL,)
    assert result.independent_count == 1
    (collapsed,) = result.collapsed
    assert (collapsed.evidence_id, collapsed.shared_origin, collapsed.with_claim_origin) == (
        second.id,
        COUNCIL,
        False,
    )
    assert collapsed.same_as_evidence_id == first.id
    assert result.warnings == (
        "Circular reporting: Bay Radio and Fishing skippers all go back to Harbour Council: one origin, not 2.",
    )
    assert result.suggested_credibility == 1


def test_the_same_source_twice_counts_once() -> None:
    result = assess(OWN, [item(RADIO, C), item(RADIO, C), item(RADIO, C)])
    assert result.independent_count == 1
    assert result.warnings == (
        "Circular reporting: 3 items from Bay Radio all go back to Bay Radio: one origin, not 3.",
    )


def test_a_wire_report_relaying_an_agency_counts_as_the_agency() -> None:
    # The claim rests on the Council. The Bureau's own statement and the wire's relay of it are one origin.
    claim_own = origins_of([(Hop(RADIO, Relation.REPORTS), Hop(COUNCIL, Relation.ACCORDING_TO))])
    relay = item(WIRE, C, origin=BUREAU)
    direct = item(BUREAU, C)
    result = assess(claim_own, [relay, direct])
    assert result.corroborating_origins == (BUREAU,)
    assert result.collapsed[0].evidence_id == direct.id
    assert result.collapsed[0].same_as_evidence_id == relay.id
    assert "Bureau" in result.warnings[0] and "one origin, not 2" in result.warnings[0]


def test_a_relay_of_the_claims_own_origin_is_self_corroboration() -> None:
    relay = item(WIRE, C, origin=BUREAU)
    result = assess(OWN, [relay])
    assert result.independent_count == 0
    (collapsed,) = result.collapsed
    assert collapsed.with_claim_origin and collapsed.shared_origin == BUREAU
    assert collapsed.same_as_evidence_id is None
    assert result.warnings == (
        "Circular reporting: Coastal Wire Service goes back to Maritime Intelligence Bureau, "
        "the claim's own origin, so it does not confirm it independently.",
    )
    assert result.suggested_credibility == 6
    assert "goes back to the claim's own origin" in result.reason


def test_the_claims_origin_confirming_itself_confirms_nothing() -> None:
    result = assess(OWN, [item(BUREAU, C)])
    assert result.independent_count == 0
    assert result.warnings == (
        "Circular reporting: Maritime Intelligence Bureau is the claim's own origin; "
        "its own word cannot confirm the claim.",
    )


def test_two_relays_of_the_claims_own_origin_are_named_together() -> None:
    result = assess(OWN, [item(WIRE, C, origin=BUREAU), item(RADIO, C, origin=BUREAU)])
    assert result.warnings == (
        "Circular reporting: Coastal Wire Service and Bay Radio go back to Maritime Intelligence Bureau, "
        "the claim's own origin, so they do not confirm it independently.",
    )


def test_every_chain_of_the_claim_gives_an_origin_evidence_must_differ_from() -> None:
    chains = [CLAIM_CHAIN, (Hop(COUNCIL, Relation.STATES),)]
    result = assess(origins_of(chains), [item(RADIO, C, origin=COUNCIL), item(SKIPPERS, C)])
    assert result.corroborating_origins == (SKIPPERS,)


def test_context_items_never_count_nor_warn() -> None:
    result = assess(OWN, [item(RADIO, K), item(RADIO, K), item(BUREAU, K), item(COUNCIL, K, origin=BUREAU)])
    assert (result.independent_count, result.contradicting_origins, result.collapsed) == (0, (), ())
    assert result.warnings == ()
    assert result.context_items == 4 and result.evidence_items == 4
    assert result.suggested_credibility == 6
    assert result.reason.startswith("Only context so far")


def test_context_beside_corroboration_changes_nothing() -> None:
    with_context = assess(OWN, [item(RADIO, C), item(COUNCIL, K)])
    without = assess(OWN, [item(RADIO, C)])
    assert with_context.corroborating_origins == without.corroborating_origins == (RADIO,)
    assert with_context.suggested_credibility == without.suggested_credibility == 1


def test_contradicting_items_are_counted_by_origin_apart_from_corroboration() -> None:
    result = assess(
        OWN,
        [
            item(RADIO, C),
            item(COUNCIL, X),
            item(WIRE, X, origin=COUNCIL),  # the same contradiction relayed: one origin
            item(SKIPPERS, X),
        ],
    )
    assert result.corroborating_origins == (RADIO,)
    assert result.contradicting_origins == (COUNCIL, SKIPPERS)
    assert [c.stance for c in result.collapsed] == [X]
    assert result.suggested_credibility == 4
    assert result.reason == (
        "Confirmed by 1 independent origin (Bay Radio) but contradicted by 2 independent origins "
        "(Harbour Council and Fishing skippers): more against than for."
    )


def test_the_claims_origin_contradicting_itself_is_noted_but_not_counted() -> None:
    result = assess(OWN, [item(BUREAU, X)])
    assert result.contradicting_origins == ()
    assert result.warnings == (
        "Maritime Intelligence Bureau is the claim's own origin: its contradicting itself is worth noting "
        "(a retraction?) but is not independent evidence.",
    )
    assert result.suggested_credibility == 6


def test_one_warning_per_shared_origin() -> None:
    result = assess(
        OWN,
        [
            item(RADIO, C, origin=COUNCIL),
            item(SKIPPERS, C, origin=COUNCIL),
            item(WIRE, C, origin=ACCOUNT),
            item(GAZETTE, C, origin=ACCOUNT),
            item(WIRE, C, origin=BUREAU),
        ],
    )
    assert result.independent_count == 2
    assert len(result.warnings) == 3
    assert [w for w in result.warnings if "Harbour Council" in w] and [
        w for w in result.warnings if "@harbourwatch" in w
    ]


# ---- suggested credibility -----------------------------------------------------------


# Every row of the rule table, at its edges: (c, x, suggestion).
GRADE_TABLE = [
    (0, 0, 6),
    (1, 0, 1),
    (4, 0, 1),
    (2, 1, 2),
    (5, 1, 2),
    (4, 2, 2),
    (1, 1, 3),
    (2, 2, 3),
    (3, 2, 3),
    (5, 3, 3),
    (1, 2, 4),
    (2, 3, 4),
    (0, 1, 4),
    (0, 2, 5),
    (0, 6, 5),
]


@pytest.mark.parametrize(("c", "x", "expected"), GRADE_TABLE)
def test_every_row_of_the_suggested_grade_table(c: int, x: int, expected: int) -> None:
    evidence = [item(OTHERS[n], C) for n in range(c)] + [item(OTHERS[10 + n], X) for n in range(x)]
    # Repeats and self-corroboration on top must not change the suggestion.
    evidence += [item(RADIO, C, origin=OTHERS[0]) for _ in range(min(c, 1))] + [item(WIRE, C, origin=BUREAU)]
    result = assess(OWN, evidence)
    assert (len(result.corroborating_origins), len(result.contradicting_origins)) == (c, x)
    assert result.suggested_credibility == expected == suggested_grade(c, x)


def test_grade_one_needs_a_different_origin() -> None:
    assert assess(OWN, [item(WIRE, C, origin=BUREAU), item(BUREAU, C)]).suggested_credibility == 6
    assert assess(OWN, [item(WIRE, C, origin=COUNCIL)]).suggested_credibility == 1


def test_any_independent_contradiction_takes_grade_one_away() -> None:
    for c in range(1, 8):
        assert suggested_grade(c, 1) != 1
        assert suggested_grade(c, 0) == 1


def test_the_suggestion_never_improves_with_more_contradiction() -> None:
    for c in range(0, 8):
        grades = [suggested_grade(c, x) for x in range(1, 10)]
        assert grades == sorted(grades), (c, grades)


# ---- second look ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reviewer", "evidence", "second_look"),
    [
        (None, [item(RADIO, C)], False),  # not graded: nothing to look at again
        (1, [item(RADIO, C)], False),  # agrees with the suggestion
        (2, [item(RADIO, C)], True),  # differs, and the suggestion rests on evidence
        (6, [item(RADIO, K)], False),  # context only: suggestion 6, the same
        (3, [item(RADIO, K)], True),  # differs, and there is evidence (context) behind it
        (3, [], False),  # no evidence: the suggestion (6) rests on nothing
        (1, [], True),  # 1 without a different origin is always flagged
        (1, [item(WIRE, C, origin=BUREAU)], True),  # only self-corroboration behind a 1
        (6, [], False),
    ],
)
def test_second_look_rule(reviewer: int | None, evidence: list[Evidence], second_look: bool) -> None:
    result = assess(OWN, evidence, reviewer_credibility=reviewer)
    assert result.reviewer_credibility == reviewer
    assert result.second_look is second_look


def test_the_reviewers_grade_is_kept_not_replaced() -> None:
    result = assess(OWN, [item(RADIO, C)], reviewer_credibility=4)
    assert (result.reviewer_credibility, result.suggested_credibility) == (4, 1)
