"""One grade or status on several claims: one transaction, each claim logged, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import REVIEWER, change_fields, new_store

from desktop.core.errors import CorroborateError
from desktop.core.model import NewClaim, ReviewField


def test_a_grade_on_several_claims_is_all_or_nothing(tmp_path: Path) -> None:
    store = new_store(tmp_path / "many.db")
    first, second = store.add_claims(
        None, [NewClaim("Gulls nested", "A row", None), NewClaim("Tide", "Row", None)]
    )
    olds = store.set_review_values(REVIEWER, ReviewField.CREDIBILITY, {first: 2, second: 3})
    assert olds == {first: None, second: None}
    assert [r.credibility for r in store.reviews_of(first) + store.reviews_of(second)] == [2, 3]
    assert change_fields(tmp_path / "many.db").count("review.credibility") == 2

    with pytest.raises(CorroborateError, match="Claim 99 is not in this file"):
        store.set_review_values(REVIEWER, ReviewField.CREDIBILITY, {first: 5, 99: 5})
    assert store.reviews_of(first)[0].credibility == 2  # the first was not kept either
    assert change_fields(tmp_path / "many.db").count("review.credibility") == 2
