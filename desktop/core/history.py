"""A claim's history in words: each change-log row as one line a reviewer can read.

The change log keeps old and new values as short JSON (desktop/store/base.py `log_value`), written
by the store for every edit. Here each kind of row becomes a line ("Source reliability: not graded
→ B, usually reliable") and, where one line cannot hold it, a longer detail (a rationale before and
after, an evidence item's excerpt). A row this module does not know, or one whose values are not
what it expects (a file written by a later version, a colleague's merged copy), is still shown, with
its field name and raw values: the history never hides a change, and reading it never fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.evidence import MediaCategory, Stance
from desktop.core.grades import CREDIBILITY_LABELS, RELIABILITY_LABELS, Status
from desktop.core.model import Change
from desktop.core.vocabulary import Relation, SourceKind
from desktop.core.wording import local_time

# A rationale or excerpt in the one-line summary is cut to this many characters; the detail has it all.
PREVIEW_CHARACTERS = 60
# A value this version cannot word is shown raw, cut to this many characters in the line.
RAW_CHARACTERS = 80


@dataclass(frozen=True)
class HistoryEntry:
    """One change as the history shows it."""

    change_id: int
    at: str  # as logged: UTC, ISO 8601
    reviewer: str
    what: str  # one line
    detail: str = ""  # more, for a line that cannot say it all; "" when the line does
    about_source: bool = False  # a change to a source the claim relies on, not to the claim itself


@dataclass(frozen=True)
class ClaimHistory:
    """A claim's wording, where it came from, and every change since, newest first."""

    claim_id: int
    text: str  # the claim's wording now
    came_from: str  # "From the article “…”", "Imported from data.csv (CSV) by ana on …"
    entries: tuple[HistoryEntry, ...]


def describe(change: Change, source_names: Mapping[int, str]) -> HistoryEntry:
    """`change` in words; `source_names` names the sources its values refer to by id."""
    old, new = _loaded(change.old_value), _loaded(change.new_value)
    words = _WORDS.get(change.field)
    line: tuple[str, str] | None = None
    if words is not None:
        try:
            line = words(old, new, _Names(source_names))
        except (KeyError, TypeError, ValueError, AttributeError):
            line = None  # values not as this version writes them: shown raw below
    if line is None:
        line = (
            f"{change.field}: {_raw(change.old_value)} → {_raw(change.new_value)}",
            f"Before:\n{_raw(change.old_value, whole=True)}\n\nAfter:\n{_raw(change.new_value, whole=True)}",
        )
    # One line whatever the values held (a name or value with a line break, from a colleague's copy).
    return HistoryEntry(
        change.id,
        change.at,
        change.reviewer,
        " ".join(line[0].split()),
        line[1],
        about_source=change.claim_id is None,
    )


def source_ids(change: Change) -> set[int]:
    """The sources a change names by id: what a source-level change is about (a merge names both),
    an evidence item's source and origin, a picture's credit."""
    ids: set[int] = set()
    for value in (_loaded(change.old_value), _loaded(change.new_value)):
        if isinstance(value, dict):
            for key in ("source", "into", "from", "origin", "credited_to"):
                if isinstance(value.get(key), int):
                    ids.add(value[key])
    return ids


def source_change_line(change: Change, source_id: int) -> str:
    """One line of source `source_id`'s own history, as the Sources view lists it, e.g.
    '2026-05-03 10:12  ana: renamed “A” to “B”' (the source is the one whose history it is)."""
    old, new = _loaded(change.old_value) or {}, _loaded(change.new_value) or {}
    try:
        text = _source_view_words(change.field.removeprefix("source."), old, new, source_id)
    except (KeyError, TypeError, ValueError, AttributeError):
        text = None
    if text is None:
        text = f"{change.field}: {_raw(change.old_value)} → {_raw(change.new_value)}"
    return f"{local_time(change.at)}  {change.reviewer}: {text}"


def _source_view_words(kind: str, old: Any, new: Any, source_id: int) -> str | None:
    if kind == "rename":
        return f"renamed “{old['name']}” to “{new['name']}”"
    if kind == "kind":
        return f"kind changed from {SourceKind(old['kind']).label} to {SourceKind(new['kind']).label}"
    if kind == "reliability":
        before, after = old.get("reliability") or "none", new.get("reliability") or "none"
        why = f" ({_quoted(new['rationale'])})" if new.get("rationale") else ""
        return f"default reliability {before} → {after}{why}"
    if kind == "details":
        return "address or notes edited"
    if kind == "add_alias":
        return f"alias “{new['alias']}” added"
    if kind == "remove_alias":
        return f"alias “{old['alias']}” removed"
    if kind == "merge":
        if new.get("source") == source_id:
            return f"“{old['name']}” merged into this source (its name kept as an alias)"
        return f"merged into “{new['name']}”"
    if kind == "unmerge":
        return f"merge of “{old['alias']}” taken back"
    if kind == "create":
        return "added to the file"
    return None


class _Names:
    def __init__(self, names: Mapping[int, str]) -> None:
        self._names = names

    def __call__(self, source_id: object) -> str:
        if source_id is None:
            return "not known"
        if isinstance(source_id, int) and source_id in self._names:
            return self._names[source_id]
        return f"source {source_id} (no longer in the file)"


Words = Callable[[Any, Any, _Names], tuple[str, str]]


def _loaded(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value  # review values are logged as plain text, not JSON


def _raw(value: str | None, *, whole: bool = False) -> str:
    """A logged value as it is: whole for the detail, else on one line and cut short."""
    if value is None:
        return "nothing"
    return value if whole else _quoted(value, RAW_CHARACTERS)[1:-1]


def _quoted(text: str, limit: int = PREVIEW_CHARACTERS) -> str:
    flat = " ".join(text.split())
    return f"“{flat}”" if len(flat) <= limit else f"“{flat[: limit - 1].rstrip()}…”"


# ---- reviews -----------------------------------------------------------------------------


def _reliability(value: Any) -> str:
    if value in (None, ""):
        return "not graded"
    letter = str(value)
    return f"{letter}, {RELIABILITY_LABELS[letter].lower()}"


def _credibility(value: Any) -> str:
    if value in (None, ""):
        return "not graded"
    number = int(value)
    return f"{number}, {CREDIBILITY_LABELS[number].lower()}"


def _review_reliability(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"Source reliability: {_reliability(old)} → {_reliability(new)}", ""


def _review_credibility(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"Claim credibility: {_credibility(old)} → {_credibility(new)}", ""


def _review_status(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    before = Status(old or Status.UNREVIEWED.value).label
    return f"Status: {before} → {Status(new or Status.UNREVIEWED.value).label}", ""


def _review_rationale(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    before, after = str(old or ""), str(new or "")
    if not after:
        return "Rationale cleared", f"Before:\n{before}"
    if not before:
        return f"Rationale written: {_quoted(after)}", after
    return f"Rationale edited: {_quoted(after)}", f"Before:\n{before}\n\nAfter:\n{after}"


# ---- claims drawn by hand ----------------------------------------------------------------


def _claim_add(_: Any, new: Any, __: _Names) -> tuple[str, str]:
    where = f" (characters {new['start']}–{new['end']})" if new.get("start") is not None else ""
    return (
        f"Claim drawn from the article by hand: {_quoted(new['text'])}",
        f"Passage{where}:\n{new['passage']}",
    )


def _claim_text(old: Any, new: Any, __: _Names) -> tuple[str, str]:
    return f"Reworded: {_quoted(str(new))}", f"Before:\n{old}\n\nAfter:\n{new}"


def _claim_remove(old: Any, _: Any, __: _Names) -> tuple[str, str]:
    return f"Claim removed: {_quoted(old['text'])}", f"Passage:\n{old['passage']}"


# ---- chains ------------------------------------------------------------------------------


def _chain(value: Mapping[str, Any]) -> str:
    return f"Chain {int(value['chain']) + 1}"


def _hop(value: Mapping[str, Any]) -> str:
    return f"hop {int(value['position']) + 1}"


def _add_hop(_: Any, new: Any, names: _Names) -> tuple[str, str]:
    relation = Relation(new["relation"]).label
    origin = ", the origin" if new.get("origin") else ""
    if new.get("new_chain"):
        return f"New {_chain(new).lower()}: {new['name']} ({relation}{origin})", ""
    return f"{_chain(new)}: added {new['name']} as {_hop(new)} ({relation}{origin})", ""


def _remove_hop(old: Any, _: Any, names: _Names) -> tuple[str, str]:
    return f"{_chain(old)}: removed {_hop(old)}, {old['name']}", ""


def _move_hop(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"{_chain(old)}: moved {old['name']} from {_hop(old)} to {_hop(new)}", ""


def _set_relation(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    before, after = Relation(old["relation"]).label, Relation(new["relation"]).label
    return f"{_chain(new)}, {_hop(new)}: relation {before} → {after}", ""


def _set_source(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"{_chain(new)}, {_hop(new)}: source {old['name']} → {new['name']}", ""


def _set_origin(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    if new.get("position") is None:
        return f"{_chain(new)}: no hop marked as the origin any more", ""
    return f"{_chain(new)}: {new['name']} ({_hop(new)}) marked as the origin", ""


# ---- evidence and media ------------------------------------------------------------------

_EVIDENCE_FIELDS = (
    ("source", "source"),
    ("stance", "stance"),
    ("origin", "origin"),
    ("url", "address"),
    ("date", "date"),
    ("excerpt", "excerpt"),
    ("note", "note"),
)


def _evidence_value(key: str, item: Mapping[str, Any], names: _Names) -> str:
    value = item.get(key)
    if key in ("source", "origin"):
        return names(value)
    if key == "stance":
        return Stance(value).label
    return str(value) if value else "none"


def _evidence_detail(item: Mapping[str, Any], names: _Names) -> str:
    return "\n".join(
        f"{label.capitalize()}: {_evidence_value(key, item, names)}"
        for key, label in _EVIDENCE_FIELDS
        if key in ("source", "stance", "origin") or item.get(key)
    )


def _evidence_add(_: Any, new: Any, names: _Names) -> tuple[str, str]:
    summary = f"Evidence added: {names(new['source'])}, {Stance(new['stance']).label}"
    return summary, _evidence_detail(new, names)


def _evidence_remove(old: Any, _: Any, names: _Names) -> tuple[str, str]:
    summary = f"Evidence removed: {names(old['source'])}, {Stance(old['stance']).label}"
    return summary, _evidence_detail(old, names)


def _evidence_edit(old: Any, new: Any, names: _Names) -> tuple[str, str]:
    changed = [(key, label) for key, label in _EVIDENCE_FIELDS if old.get(key) != new.get(key)]
    what = ", ".join(label for _, label in changed) or "nothing"
    detail = "\n".join(
        f"{label.capitalize()}: {_evidence_value(key, old, names)} → {_evidence_value(key, new, names)}"
        for key, label in changed
    )
    return f"Evidence from {names(old['source'])} edited: {what}", detail


def _media_detail(value: Mapping[str, Any], names: _Names) -> str:
    credit_is_origin = {True: "yes", False: "no", None: "not known"}[value.get("credit_is_origin")]
    category = value.get("category")
    return "\n".join(
        [
            f"Credited to: {names(value.get('credited_to'))}",
            f"Credit is the origin: {credit_is_origin}",
            f"Known of the original: {value.get('original_known') or 'nothing yet'}",
            f"Authenticity: {MediaCategory(category).label if category else 'not judged'}",
        ]
    )


def _media_set(old: Any, new: Any, names: _Names) -> tuple[str, str]:
    if new is None:
        return "Media provenance cleared", f"Before:\n{_media_detail(old, names)}"
    category = new.get("category")
    summary = "Media provenance recorded" if old is None else "Media provenance edited"
    if category:
        summary += f": {MediaCategory(category).label}"
    detail = _media_detail(new, names)
    if old is not None:
        detail = f"Before:\n{_media_detail(old, names)}\n\nAfter:\n{detail}"
    return summary, detail


# ---- sources the claim relies on ---------------------------------------------------------


def _source_name(value: Mapping[str, Any], names: _Names) -> str:
    return str(value.get("name") or names(value.get("source")))


def _source_rename(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"Source renamed: {old['name']} → {new['name']}", ""


def _source_kind(old: Any, new: Any, names: _Names) -> tuple[str, str]:
    before, after = SourceKind(old["kind"]).label, SourceKind(new["kind"]).label
    return f"Source {names(new['source'])}: kind {before} → {after}", ""


def _source_reliability(old: Any, new: Any, names: _Names) -> tuple[str, str]:
    line = (
        f"Source {names(new['source'])}: default reliability "
        f"{_reliability(old.get('reliability'))} → {_reliability(new.get('reliability'))}"
    )
    return line, f"Why: {new['rationale']}" if new.get("rationale") else ""


def _source_details(old: Any, new: Any, names: _Names) -> tuple[str, str]:
    changed = [
        (key, label)
        for key, label in (("url", "address"), ("notes", "notes"))
        if old.get(key) != new.get(key)
    ]
    detail = "\n".join(
        f"{label.capitalize()}: {old.get(key) or 'none'} → {new.get(key) or 'none'}" for key, label in changed
    )
    what = " and ".join(label for _, label in changed) or "details"
    return f"Source {names(new['source'])}: {what} edited", detail


def _source_add_alias(_: Any, new: Any, names: _Names) -> tuple[str, str]:
    return f"Source {names(new['source'])}: other name “{new['alias']}” added", ""


def _source_remove_alias(old: Any, _: Any, names: _Names) -> tuple[str, str]:
    return f"Source {names(old['source'])}: other name “{old['alias']}” removed", ""


def _source_merge(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"Source {old['name']} merged into {new['name']} (its name kept as another name)", ""


def _source_unmerge(old: Any, new: Any, _: _Names) -> tuple[str, str]:
    return f"Source {new['name']} separated from {old['name']} again", ""


def _source_create(_: Any, new: Any, names: _Names) -> tuple[str, str]:
    return f"Source {_source_name(new, names)} added to the file", ""


_WORDS: dict[str, Words] = {
    "review.reliability": _review_reliability,
    "review.credibility": _review_credibility,
    "review.status": _review_status,
    "review.rationale": _review_rationale,
    "claim.add": _claim_add,
    "claim.remove": _claim_remove,
    "claim.text": _claim_text,
    "chain.add_hop": _add_hop,
    "chain.remove_hop": _remove_hop,
    "chain.move_hop": _move_hop,
    "chain.set_relation": _set_relation,
    "chain.set_source": _set_source,
    "chain.set_origin": _set_origin,
    "evidence.add": _evidence_add,
    "evidence.edit": _evidence_edit,
    "evidence.remove": _evidence_remove,
    "media.set": _media_set,
    "source.rename": _source_rename,
    "source.kind": _source_kind,
    "source.reliability": _source_reliability,
    "source.details": _source_details,
    "source.add_alias": _source_add_alias,
    "source.remove_alias": _source_remove_alias,
    "source.merge": _source_merge,
    "source.unmerge": _source_unmerge,
    "source.create": _source_create,
}

# Every field this module words (any other is shown raw).
WORDED_FIELDS = tuple(_WORDS)
