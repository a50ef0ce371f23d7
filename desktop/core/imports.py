"""Claims coming in from a dataset: what the store writes in one import, and what it reports back.

The importers in desktop/io/importing turn rows of a CSV, JSON or ClaimReview file into these;
the store writes a whole batch in one transaction, so an import completes or leaves no trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.core.errors import CorroborateError
from desktop.core.vocabulary import SourceKind


class ImportFileError(CorroborateError):
    """A dataset cannot be read: wrong encoding, malformed JSON or CSV, unknown column in a mapping…

    The message names the file and where in it (line and column, or record number).
    """


class ImportCancelled(CorroborateError):
    """The person cancelled an import; nothing was written to the Corroborate file."""


@dataclass(frozen=True)
class ImportedClaim:
    """One claim of a dataset, with the mapping applied.

    `speaker` is the source as written (None when the dataset names nobody: the claim is then
    unattributed); `verdict_label` is kept exactly as the dataset wrote it, and `credibility` is
    the grade a verdict preset gave it, if any. `extra` holds every column the mapping did not use.
    """

    text: str
    position: str
    speaker: str | None = None
    date: str | None = None
    url: str | None = None
    verdict_label: str | None = None
    context: str | None = None
    credibility: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DatasetFields:
    """What a dataset said of a claim besides its text and speaker, kept exactly as written.

    The date and address of the claim, the verdict the dataset gave it, and every column the
    mapping did not use. Exports carry them, so a claim's provenance survives a round trip.
    """

    date: str | None = None
    url: str | None = None
    verdict_label: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportBatch:
    """The record kept of one import: which file, read how, by whom."""

    file: str
    format: str
    reviewer: str
    mapping: dict[str, Any]
    source_kind: SourceKind = SourceKind.OUTLET


@dataclass(frozen=True)
class ImportRecord:
    """An import as the file remembers it."""

    id: int
    file: str
    format: str
    at: str
    reviewer: str
    mapping: dict[str, Any]
    claims: int


@dataclass(frozen=True)
class ImportWritten:
    """What one import added to the file."""

    import_id: int
    claim_ids: range  # consecutive numbers: a range, not a tuple of a million ints built at the end
    new_sources: tuple[str, ...]
    matched_sources: tuple[str, ...]
    graded: int
    unattributed: int
