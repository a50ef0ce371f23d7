"""Editing a claim's attribution chains: add, remove, move hops, change relation or source, mark the origin.

Invariant kept by every edit: a claim's chains are numbered 0..n-1 and each chain's hops 0..m-1 with no
gaps, so the indexes in ClaimDetail.chains are the addresses used here. A claim with no hop left is
marked unattributed, one that gains a hop is no longer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core.edits import (
    AddHop,
    Applied,
    ChainEdit,
    MoveHop,
    RemoveHop,
    SetHopRelation,
    SetHopSource,
    SetOrigin,
)
from desktop.core.errors import InvalidValueError
from desktop.core.model import Chain
from desktop.core.vocabulary import Relation
from desktop.core.wording import counted
from desktop.store.base import StoreBase

_HOP_COLUMNS = "id, source_id, relation, is_origin"


class ChainsMixin(StoreBase):
    """Reading chains for many claims at once and applying chain edits."""

    def chains_of(self, ids: Sequence[int]) -> dict[int, tuple[Chain, ...]]:
        """Chains of these claims (claims without any are left out), e.g. to draw the attribution picture."""
        return self._chains_for(ids)

    def _apply_chain_edit(self, edit: ChainEdit, reviewer: str) -> Applied:
        with self._writing():
            self._require_claim(edit.claim_id)
            if isinstance(edit, AddHop):
                applied = self._add_hop(edit, reviewer)
            elif isinstance(edit, RemoveHop):
                applied = self._remove_hop(edit, reviewer)
            elif isinstance(edit, MoveHop):
                applied = self._move_hop(edit, reviewer)
            elif isinstance(edit, SetHopRelation):
                applied = self._set_relation(edit, reviewer)
            elif isinstance(edit, SetHopSource):
                applied = self._set_hop_source(edit, reviewer)
            else:
                applied = self._set_origin(edit, reviewer)
            self._db.execute(
                "UPDATE claims SET unattributed = NOT EXISTS (SELECT 1 FROM chain_hops WHERE claim_id = ?) "
                "WHERE id = ?",
                [edit.claim_id, edit.claim_id],
            )
        return applied

    def _add_hop(self, edit: AddHop, reviewer: str) -> Applied:
        source = self._source_by_id(edit.source_id)
        relation = Relation(edit.relation)
        lengths = self._chain_lengths(edit.claim_id)
        if edit.new_chain:
            if not 0 <= edit.chain <= len(lengths) or edit.position != 0:
                raise InvalidValueError(
                    f"A new chain of claim {edit.claim_id} can go at chain 1 to {len(lengths) + 1}, first hop only."
                )
            self._shift("chain", "claim_id = ? AND chain >= ?", [edit.claim_id, edit.chain], up=True)
        else:
            self._check_chain(edit.claim_id, edit.chain, lengths)
            if not 0 <= edit.position <= lengths[edit.chain]:
                raise InvalidValueError(
                    f"Chain {edit.chain + 1} of claim {edit.claim_id} has {lengths[edit.chain]} hops; "
                    f"a hop cannot go at position {edit.position + 1}."
                )
            if edit.is_origin and self._origin_position(edit.claim_id, edit.chain) is not None:
                raise InvalidValueError(
                    f"Chain {edit.chain + 1} of claim {edit.claim_id} already has a marked origin; "
                    "move the mark instead."
                )
            self._shift(
                "position",
                "claim_id = ? AND chain = ? AND position >= ?",
                [edit.claim_id, edit.chain, edit.position],
                up=True,
            )
        cursor = self._db.execute(
            "INSERT INTO chain_hops (id, claim_id, chain, position, source_id, relation, is_origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                edit.restore_id,
                edit.claim_id,
                edit.chain,
                edit.position,
                source.id,
                relation.value,
                int(edit.is_origin),
            ],
        )
        self._log(
            reviewer,
            edit.claim_id,
            "chain.add_hop",
            None,
            {
                "chain": edit.chain,
                "position": edit.position,
                "source": source.id,
                "name": source.name,
                "relation": relation.value,
                "origin": edit.is_origin,
                "new_chain": edit.new_chain,
            },
        )
        where = f"a new chain {edit.chain + 1}" if edit.new_chain else f"chain {edit.chain + 1}"
        return Applied(
            RemoveHop(edit.claim_id, edit.chain, edit.position),
            f"Add {source.name} to {where} of claim {edit.claim_id}",
            edit.claim_id,
            int(cursor.lastrowid or 0),
        )

    def _remove_hop(self, edit: RemoveHop, reviewer: str) -> Applied:
        hop_id, source_id, relation, is_origin = self._hop(edit.claim_id, edit.chain, edit.position)
        source = self._source_by_id(source_id)
        last_of_chain = self._chain_lengths(edit.claim_id)[edit.chain] == 1
        self._db.execute("DELETE FROM chain_hops WHERE id = ?", [hop_id])
        if last_of_chain:
            self._shift("chain", "claim_id = ? AND chain > ?", [edit.claim_id, edit.chain], up=False)
        else:
            self._shift(
                "position",
                "claim_id = ? AND chain = ? AND position > ?",
                [edit.claim_id, edit.chain, edit.position],
                up=False,
            )
        self._log(
            reviewer,
            edit.claim_id,
            "chain.remove_hop",
            {
                "chain": edit.chain,
                "position": edit.position,
                "source": source_id,
                "name": source.name,
                "relation": relation,
                "origin": bool(is_origin),
            },
            None,
        )
        inverse = AddHop(
            edit.claim_id,
            edit.chain,
            edit.position,
            source_id,
            Relation(relation),
            bool(is_origin),
            last_of_chain,
            restore_id=hop_id,
        )
        return Applied(
            inverse,
            f"Remove {source.name} from chain {edit.chain + 1} of claim {edit.claim_id}",
            edit.claim_id,
        )

    def _move_hop(self, edit: MoveHop, reviewer: str) -> Applied:
        if edit.offset not in (-1, 1):
            raise InvalidValueError("A hop moves one place at a time (offset -1 or +1).")
        hop_id, source_id, _, _ = self._hop(edit.claim_id, edit.chain, edit.position)
        target = edit.position + edit.offset
        if not 0 <= target < self._chain_lengths(edit.claim_id)[edit.chain]:
            end = "first" if edit.offset < 0 else "last"
            raise InvalidValueError(
                f"Hop {edit.position + 1} is the {end} of chain {edit.chain + 1} of claim {edit.claim_id}; "
                f"it cannot move {'up' if edit.offset < 0 else 'down'}."
            )
        other_id = self._hop(edit.claim_id, edit.chain, target)[0]
        # Swap through a free position: the (claim, chain, position) key is checked row by row.
        self._db.execute("UPDATE chain_hops SET position = -1 WHERE id = ?", [hop_id])
        self._db.execute("UPDATE chain_hops SET position = ? WHERE id = ?", [edit.position, other_id])
        self._db.execute("UPDATE chain_hops SET position = ? WHERE id = ?", [target, hop_id])
        name = self._source_by_id(source_id).name
        self._log(
            reviewer,
            edit.claim_id,
            "chain.move_hop",
            {"chain": edit.chain, "position": edit.position, "name": name},
            {"chain": edit.chain, "position": target, "name": name},
        )
        direction = "up" if edit.offset < 0 else "down"
        return Applied(
            MoveHop(edit.claim_id, edit.chain, target, -edit.offset),
            f"Move {name} {direction} in chain {edit.chain + 1} of claim {edit.claim_id}",
            edit.claim_id,
        )

    def _set_relation(self, edit: SetHopRelation, reviewer: str) -> Applied:
        hop_id, source_id, old, _ = self._hop(edit.claim_id, edit.chain, edit.position)
        relation = Relation(edit.relation)
        self._db.execute("UPDATE chain_hops SET relation = ? WHERE id = ?", [relation.value, hop_id])
        address = {"chain": edit.chain, "position": edit.position}
        self._log(
            reviewer,
            edit.claim_id,
            "chain.set_relation",
            {**address, "relation": old},
            {**address, "relation": relation.value},
        )
        name = self._source_by_id(source_id).name
        return Applied(
            SetHopRelation(edit.claim_id, edit.chain, edit.position, Relation(old)),
            f"Set how {name} passes it on: {relation.label}",
            edit.claim_id,
        )

    def _set_hop_source(self, edit: SetHopSource, reviewer: str) -> Applied:
        hop_id, old_id, _, _ = self._hop(edit.claim_id, edit.chain, edit.position)
        old, new = self._source_by_id(old_id), self._source_by_id(edit.source_id)
        self._db.execute("UPDATE chain_hops SET source_id = ? WHERE id = ?", [new.id, hop_id])
        address = {"chain": edit.chain, "position": edit.position}
        self._log(
            reviewer,
            edit.claim_id,
            "chain.set_source",
            {**address, "source": old.id, "name": old.name},
            {**address, "source": new.id, "name": new.name},
        )
        return Applied(
            SetHopSource(edit.claim_id, edit.chain, edit.position, old_id),
            f"Replace {old.name} by {new.name} in chain {edit.chain + 1} of claim {edit.claim_id}",
            edit.claim_id,
        )

    def _set_origin(self, edit: SetOrigin, reviewer: str) -> Applied:
        lengths = self._chain_lengths(edit.claim_id)
        self._check_chain(edit.claim_id, edit.chain, lengths)
        old = self._origin_position(edit.claim_id, edit.chain)
        name = None
        if edit.position is not None:
            name = self._source_by_id(self._hop(edit.claim_id, edit.chain, edit.position)[1]).name
        self._db.execute(
            "UPDATE chain_hops SET is_origin = 0 WHERE claim_id = ? AND chain = ? AND is_origin = 1",
            [edit.claim_id, edit.chain],
        )
        if edit.position is not None:
            self._db.execute(
                "UPDATE chain_hops SET is_origin = 1 WHERE claim_id = ? AND chain = ? AND position = ?",
                [edit.claim_id, edit.chain, edit.position],
            )
        self._log(
            reviewer,
            edit.claim_id,
            "chain.set_origin",
            {"chain": edit.chain, "position": old},
            {"chain": edit.chain, "position": edit.position, "name": name},
        )
        text = (
            f"Mark {name} as the origin of chain {edit.chain + 1}"
            if name
            else f"Unmark the origin of chain {edit.chain + 1}"
        )
        return Applied(
            SetOrigin(edit.claim_id, edit.chain, old), f"{text} of claim {edit.claim_id}", edit.claim_id
        )

    # ---- helpers -------------------------------------------------------------------

    def _chain_lengths(self, claim_id: int) -> list[int]:
        rows = self._db.execute(
            "SELECT chain, count(*) FROM chain_hops WHERE claim_id = ? GROUP BY chain ORDER BY chain",
            [claim_id],
        ).fetchall()
        return [count for _, count in rows]

    def _check_chain(self, claim_id: int, chain: int, lengths: Sequence[int]) -> None:
        if not 0 <= chain < len(lengths):
            have = counted(len(lengths), "chain") if lengths else "no chain"
            raise InvalidValueError(f"Claim {claim_id} has {have}; there is no chain {chain + 1}.")

    def _hop(self, claim_id: int, chain: int, position: int) -> tuple[Any, ...]:
        """(id, source id, relation, is_origin) of one hop; an expected error naming it when absent."""
        lengths = self._chain_lengths(claim_id)
        self._check_chain(claim_id, chain, lengths)
        row = self._db.execute(
            f"SELECT {_HOP_COLUMNS} FROM chain_hops WHERE claim_id = ? AND chain = ? AND position = ?",
            [claim_id, chain, position],
        ).fetchone()
        if row is None:
            raise InvalidValueError(
                f"Chain {chain + 1} of claim {claim_id} has {lengths[chain]} hops; there is no hop {position + 1}."
            )
        return tuple(row)

    def _origin_position(self, claim_id: int, chain: int) -> int | None:
        row = self._db.execute(
            "SELECT position FROM chain_hops WHERE claim_id = ? AND chain = ? AND is_origin = 1",
            [claim_id, chain],
        ).fetchone()
        return int(row[0]) if row else None

    def _shift(self, column: str, where: str, params: list[Any], *, up: bool) -> None:
        """Move `column` of the matching hops by one. Via negative values: the unique key is checked per row."""
        self._db.execute(f"UPDATE chain_hops SET {column} = -{column} - 1 WHERE {where}", params)
        step = "+ 1" if up else "- 1"
        self._db.execute(
            f"UPDATE chain_hops SET {column} = -{column} - 1 {step} WHERE claim_id = ? AND {column} < 0",
            [params[0]],
        )
