"""Sources created as part of an edit, so that undoing the edit removes them too.

A reviewer who types a new name into a source picker (adding a hop, an evidence item, a photo
credit) makes two changes: a new source, and the edit that uses it. `WithNewSources` makes them
one transaction and one undo step; its inverse `WithoutSources` takes the edit back and then
deletes the sources, which by then nothing uses. A deleted source's number is never given to
another source (`SourcesMixin._new_source_id` reads the log), so a redo brings it back as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.edits import Applied, Edit, WithNewSources, WithoutSources, placeholder, with_source_ids
from desktop.core.errors import CorroborateError, InvalidValueError
from desktop.core.model import Source, source_key
from desktop.store.base import StoreBase

# Every column that names a source, with how it reads to a reviewer when a delete is refused.
_USES = (
    ("SELECT 1 FROM chain_hops WHERE source_id = ? LIMIT 1", "a chain"),
    ("SELECT 1 FROM evidence WHERE source_id = ? OR origin_source_id = ? LIMIT 1", "evidence"),
    ("SELECT 1 FROM media WHERE credited_to_source_id = ? LIMIT 1", "a media credit"),
    ("SELECT 1 FROM source_aliases WHERE source_id = ? LIMIT 1", "an alias"),
)


class NewSourcesMixin(StoreBase):
    """Applying `WithNewSources` and `WithoutSources` (through SourcesMixin, which builds on this)."""

    if TYPE_CHECKING:

        def apply(self, edit: Edit, reviewer: str) -> Applied: ...  # defined by Store

        def find_source(self, name: str) -> Source | None: ...  # defined by SourcesMixin

        def _new_source_id(self) -> int: ...  # defined by SourcesMixin

    def _apply_with_new_sources(self, edit: WithNewSources, reviewer: str) -> Applied:
        with self._writing():
            ids = {
                placeholder(index): self._create(source, reviewer)
                for index, source in enumerate(edit.sources)
            }
            applied = self.apply(with_source_ids(edit.edit, ids), reviewer)
        names = ", ".join(f"“{source.name}”" for source in edit.sources)
        return Applied(
            WithoutSources(applied.inverse, tuple(ids.values())),  # type: ignore[arg-type]
            f"{applied.text} (new source {names})" if edit.sources else applied.text,
            applied.claim_id,
            applied.created_id,
        )

    def _apply_without_sources(self, edit: WithoutSources, reviewer: str) -> Applied:
        with self._writing():
            applied = self.apply(edit.edit, reviewer)
            removed = tuple(self._delete_unused(source_id, reviewer) for source_id in edit.source_ids)
        return Applied(
            WithNewSources(removed, applied.inverse),  # type: ignore[arg-type]
            applied.text,
            applied.claim_id,
            applied.created_id,
        )

    def _create(self, source: Source, reviewer: str) -> int:
        name = source.name.strip()
        key = source_key(name)
        if not key:
            raise InvalidValueError("A source name needs at least one letter or digit.")
        if self.find_source(name) is not None:
            raise CorroborateError(f"The file already has a source called “{name}”.")
        source_id = source.id if source.id is not None else self._new_source_id()
        self._db.execute(
            "INSERT INTO sources (id, name, name_key, kind, url, notes) VALUES (?, ?, ?, ?, ?, ?)",
            [source_id, name, key, source.kind.value, source.url, source.notes],
        )
        self._log(reviewer, None, "source.create", None, {"source": source_id, "name": name})
        return source_id

    def _delete_unused(self, source_id: int, reviewer: str) -> Source:
        source = self._source_by_id(source_id)
        for sql, use in _USES:
            if self._db.execute(sql, [source_id] * sql.count("?")).fetchone() is not None:
                raise CorroborateError(
                    f"The source “{source.name}” is still used by {use}; it was kept, and nothing was undone."
                )
        self._db.execute("DELETE FROM sources WHERE id = ?", [source_id])
        self._log(reviewer, None, "source.delete", {"source": source_id, "name": source.name}, None)
        return source
