"""Named saved sets of claims: a filter kept by name, or an explicit list of claims.

A set saved from a filter keeps the filter, so it follows later changes (a claim graded
afterwards joins or leaves it); a set saved from a selection keeps exactly those claims.
The filter is stored as JSON; `query_to_json` / `query_from_json` are the one place that
shape is defined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.core.grades import Status
from desktop.core.model import ClaimQuery, SortKey
from desktop.core.vocabulary import SourceKind

SET_NAME_LIMIT = 120


@dataclass(frozen=True)
class SavedSet:
    """A named set: `query` for a kept filter, else `claim_count` explicit claims."""

    id: int
    name: str
    created_at: str
    reviewer: str
    query: ClaimQuery | None
    claim_count: int

    @property
    def describe(self) -> str:
        """One line for a list: what kind of set it is and who saved it when."""
        what = "filter" if self.query is not None else f"{self.claim_count} chosen claims"
        return f"{self.name} ({what}; saved by {self.reviewer}, {self.created_at[:10]})"


def clean_set_name(name: str) -> str:
    """The name as stored: spaces trimmed; empty or overlong names are refused with a reason."""
    text = " ".join(name.split())
    if not text:
        raise ValueError("A saved set needs a name.")
    if len(text) > SET_NAME_LIMIT:
        raise ValueError(f"A set name can be at most {SET_NAME_LIMIT} characters, not {len(text)}.")
    return text


def query_to_json(query: ClaimQuery) -> str:
    """The filter as short JSON with a stable key order (sets are sorted so equal filters compare equal)."""
    data: dict[str, Any] = {
        "reviewer": query.reviewer,
        "text": query.text,
        "statuses": sorted(s.value for s in query.statuses),
        "sort": query.sort.value,
        "descending": query.descending,
        "source_ids": sorted(query.source_ids),
        "kinds": sorted(k.value for k in query.kinds),
        # None ("not graded") is written as null and sorted last.
        "reliabilities": sorted(query.reliabilities, key=lambda v: (v is None, v or "")),
        "credibilities": sorted(query.credibilities, key=lambda v: (v is None, v or 0)),
        "has_evidence": query.has_evidence,
        "warnings_only": query.warnings_only,
        "reviewer_filter": query.reviewer_filter,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def query_from_json(text: str) -> ClaimQuery:
    """The filter back from `query_to_json`; a malformed value raises ValueError saying which."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"the saved filter is not valid JSON ({error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("reviewer"), str):
        raise ValueError("the saved filter has no reviewer")
    try:
        return ClaimQuery(
            reviewer=data["reviewer"],
            text=str(data.get("text", "")),
            statuses=frozenset(Status(s) for s in data.get("statuses", [])),
            sort=SortKey(data.get("sort", SortKey.NUMBER.value)),
            descending=bool(data.get("descending", False)),
            source_ids=frozenset(int(i) for i in data.get("source_ids", [])),
            kinds=frozenset(SourceKind(k) for k in data.get("kinds", [])),
            reliabilities=frozenset(data.get("reliabilities", [])),
            credibilities=frozenset(data.get("credibilities", [])),
            has_evidence=data.get("has_evidence"),
            warnings_only=bool(data.get("warnings_only", False)),
            reviewer_filter=data.get("reviewer_filter"),
        )
    except (TypeError, ValueError) as error:
        raise ValueError(f"the saved filter holds an unknown value ({error})") from None
