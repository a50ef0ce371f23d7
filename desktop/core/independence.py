"""How many independent origins really stand behind a claim, and what credibility that suggests.

Pure functions over core types; the store feeds them a claim's chains and evidence.

Origins
    A claim's origins come from its attribution chains: in each chain the hop marked as origin, else the
    last hop. An evidence item's origin is what the item itself relies on; when that is not known, the
    item's own source stands as its origin.

Counting (per stance, corroborating and contradicting alike; context items are never counted)
    Items are taken in the order given (the store gives them in the order they were added). An item
    counts only if its origin differs from every one of the claim's own origins and from the origin of
    every item already counted. Otherwise it collapses into the origin it shares, and a circular-reporting
    warning names that origin: "two sources" that go back to one briefing are one origin, and a report
    that goes back to the claim's own origin (self-corroboration) confirms nothing.

Suggested credibility (c = independent corroborating origins, x = independent contradicting origins)

    ======================  ==========  =============================================
    c                       x           suggestion
    ======================  ==========  =============================================
    0                       0           6  truth cannot be judged (nothing independent)
    1 or more               0           1  confirmed by a different origin
    2x or more              1 or more   2  probably true
    x up to 2x - 1          1 or more   3  possibly true
    1 up to x - 1           2 or more   4  doubtful
    0                       1           4  doubtful
    0                       2 or more   5  improbable
    ======================  ==========  =============================================

    Grade 1 is only ever suggested with corroboration from an origin other than the claim's own, and any
    independent contradiction takes it away.

Second look
    The reviewer's grade is the one that counts; the suggestion only marks the claim for a second look when
    the reviewer has graded credibility, the grade differs from the suggestion, and either the claim has
    evidence (so the suggestion rests on something) or the reviewer gave 1 (confirmation needs a different
    origin, which only evidence can show).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.evidence import Evidence, Stance
from desktop.core.model import Chain, Source, source_key

OriginKey = tuple[str, object]


def origin_key(source: Source) -> OriginKey:
    """Stored sources are the same origin when their ids match; unsaved ones when their name keys match
    (spaces aside, as the store matches names: "MIB" and "M.I.B." are one origin)."""
    if source.id is not None:
        return ("id", source.id)
    return ("name", source_key(source.name).replace(" ", ""))


def chain_origin(chain: Chain) -> Source | None:
    """The marked origin hop's source, else the last hop's; None for an empty chain."""
    if not chain:
        return None
    marked = [hop for hop in chain if hop.is_origin]
    return (marked[0] if marked else chain[-1]).source


def origins_of(chains: Sequence[Chain]) -> tuple[Source, ...]:
    """A claim's own origins, one per chain, each named once."""
    found: dict[OriginKey, Source] = {}
    for chain in chains:
        origin = chain_origin(chain)
        if origin is not None:
            found.setdefault(origin_key(origin), origin)
    return tuple(found.values())


@dataclass(frozen=True)
class CollapsedItem:
    """An evidence item that does not count, and the origin it shares."""

    evidence_id: int
    source: Source
    stance: Stance
    shared_origin: Source
    with_claim_origin: bool
    same_as_evidence_id: int | None


@dataclass(frozen=True)
class Independence:
    """The outcome of counting one claim's evidence; see the module docstring for the rules."""

    claim_origins: tuple[Source, ...]
    corroborating_origins: tuple[Source, ...]
    contradicting_origins: tuple[Source, ...]
    collapsed: tuple[CollapsedItem, ...]
    warnings: tuple[str, ...]
    context_items: int
    evidence_items: int
    suggested_credibility: int
    reason: str
    reviewer_credibility: int | None = None
    second_look: bool = False

    @property
    def independent_count(self) -> int:
        """Independent origins behind the claim's corroboration."""
        return len(self.corroborating_origins)


def suggested_grade(corroborating: int, contradicting: int) -> int:
    """The rule table of the module docstring."""
    c, x = corroborating, contradicting
    if x == 0:
        return 1 if c >= 1 else 6
    if c >= 2 * x:
        return 2
    if c >= x:
        return 3
    if c >= 1:
        return 4
    return 4 if x == 1 else 5


def needs_second_look(reviewer_credibility: int | None, suggested: int, evidence_items: int) -> bool:
    """Whether the reviewer's grade should be looked at again (rule in the module docstring)."""
    if reviewer_credibility is None or reviewer_credibility == suggested:
        return False
    return evidence_items > 0 or reviewer_credibility == 1


def assess(
    claim_origins: Sequence[Source],
    evidence: Sequence[Evidence],
    reviewer_credibility: int | None = None,
) -> Independence:
    """Count independent origins of `evidence` for a claim whose own origins are `claim_origins`."""
    own = {origin_key(origin): origin for origin in claim_origins}
    counted: dict[Stance, dict[OriginKey, Evidence]] = {Stance.CORROBORATES: {}, Stance.CONTRADICTS: {}}
    collapsed: list[CollapsedItem] = []
    context = 0
    for item in evidence:
        if item.stance is Stance.CONTEXT:
            context += 1
            continue
        origin = item.effective_origin
        key = origin_key(origin)
        first = counted[item.stance].get(key)
        if key in own:
            collapsed.append(CollapsedItem(item.id, item.source, item.stance, own[key], True, None))
        elif first is not None:
            collapsed.append(
                CollapsedItem(item.id, item.source, item.stance, first.effective_origin, False, first.id)
            )
        else:
            counted[item.stance][key] = item
    corroborating = tuple(e.effective_origin for e in counted[Stance.CORROBORATES].values())
    contradicting = tuple(e.effective_origin for e in counted[Stance.CONTRADICTS].values())
    suggestion = suggested_grade(len(corroborating), len(contradicting))
    return Independence(
        claim_origins=tuple(own.values()),
        corroborating_origins=corroborating,
        contradicting_origins=contradicting,
        collapsed=tuple(collapsed),
        warnings=_warnings(collapsed, counted),
        context_items=context,
        evidence_items=len(evidence),
        suggested_credibility=suggestion,
        reason=_reason(corroborating, contradicting, collapsed, context, suggestion),
        reviewer_credibility=reviewer_credibility,
        second_look=needs_second_look(reviewer_credibility, suggestion, len(evidence)),
    )


def _names(sources: Sequence[Source]) -> str:
    """'A', 'A and B', 'A, B and C': each source once, in the order met."""
    names = list(dict.fromkeys(source.name for source in sources))
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _warnings(
    collapsed: Sequence[CollapsedItem], counted: dict[Stance, dict[OriginKey, Evidence]]
) -> tuple[str, ...]:
    """One circular-reporting warning per shared origin and stance, naming the origin and who repeats it."""
    groups: dict[tuple[Stance, OriginKey], list[CollapsedItem]] = {}
    for item in collapsed:
        groups.setdefault((item.stance, origin_key(item.shared_origin)), []).append(item)
    warnings = []
    for (stance, key), items in groups.items():
        origin = items[0].shared_origin
        if items[0].with_claim_origin:
            repeaters = [item.source for item in items]
            if stance is Stance.CONTRADICTS:
                warnings.append(
                    f"{origin.name} is the claim's own origin: its contradicting itself is worth noting "
                    "(a retraction?) but is not independent evidence."
                )
            elif all(origin_key(source) == key for source in repeaters):
                warnings.append(
                    f"Circular reporting: {origin.name} is the claim's own origin; "
                    "its own word cannot confirm the claim."
                )
            else:
                names = list(dict.fromkeys(source.name for source in repeaters))
                verb, pronoun = ("goes", "it does") if len(names) == 1 else ("go", "they do")
                warnings.append(
                    f"Circular reporting: {_names(repeaters)} {verb} back to {origin.name}, "
                    f"the claim's own origin, so {pronoun} not confirm it independently."
                )
            continue
        first = counted[stance][key]
        sources = [first.source, *(item.source for item in items)]
        label = (
            _names(sources)
            if len({s.name for s in sources}) > 1
            else f"{len(sources)} items from {sources[0].name}"
        )
        warnings.append(
            f"Circular reporting: {label} all go back to {origin.name}: one origin, not {len(sources)}."
        )
    return tuple(warnings)


def _origins_phrase(origins: Sequence[Source]) -> str:
    count = len(origins)
    noun = "origin" if count == 1 else "origins"
    return f"{count} independent {noun} ({_names(origins)})"


def _reason(
    corroborating: Sequence[Source],
    contradicting: Sequence[Source],
    collapsed: Sequence[CollapsedItem],
    context: int,
    suggestion: int,
) -> str:
    """The suggestion in words, the way a colleague would say it."""
    if suggestion == 6:
        if collapsed:
            return (
                "Every corroborating or contradicting item goes back to the claim's own origin: "
                "nothing independent, so truth cannot be judged yet."
            )
        if context:
            return "Only context so far, nothing that confirms or contradicts: truth cannot be judged yet."
        return "No evidence yet: truth cannot be judged."
    if not contradicting:
        return f"Confirmed by {_origins_phrase(corroborating)} other than the claim's own; nothing contradicts it."
    against = f"contradicted by {_origins_phrase(contradicting)}"
    if not corroborating:
        return f"Nothing independent confirms it and it is {against}."
    support = f"confirmed by {_origins_phrase(corroborating)}"
    verdict = {
        2: "at least twice as many origins for as against",
        3: "evidence on both sides",
        4: "more against than for",
    }
    return f"{support[0].upper()}{support[1:]} but {against}: {verdict[suggestion]}."
