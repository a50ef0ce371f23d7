"""The JSON exports' own indenting encoder writes exactly what the standard library writes with indent=2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from export_data import PUBLISHER, reviewed_sample
from hypothesis import given
from hypothesis import strategies as st
from test_export_csv_lines import build_odd_file

from desktop.core.model import ClaimQuery
from desktop.io.export.claimreview import claim_review, published_review
from desktop.io.export.job import ExportJob, ExportOptions
from desktop.io.export.jsontext import indented
from desktop.io.export.records import article_dict, claim_dict, envelope, source_record_dict
from desktop.store import Store


def _library(value: Any, prefix: str = "") -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + prefix)


def _every_record_shape(path: Path) -> list[Any]:
    store = Store.open(path, read_only=True)
    try:
        ids = store.claim_ids(ClaimQuery(""))
        job = ExportJob(store, ids, ExportOptions(include_log=True), Path("unused"))
        articles = job.articles()
        by_id = {article.id: article for article in articles if article.id is not None}
        values: list[Any] = [envelope(len(ids), None)]
        values += [article_dict(article, with_text=True) for article in articles]
        values += [source_record_dict(record) for record in job.sources()]
        for record in job.records():
            values.append(claim_dict(record, by_id, include_changes=True))
            review = published_review(record)
            if review is not None:
                values.append(claim_review(record, review, by_id.get(record.article_id or 0), PUBLISHER))
        return values
    finally:
        store.close()


def test_same_text_as_the_library_for_every_record_of_the_sample_and_of_odd_text(
    sample_copy: Path, tmp_path: Path
) -> None:
    reviewed_sample(sample_copy)
    build_odd_file(tmp_path / "odd.db")
    values = _every_record_shape(sample_copy) + _every_record_shape(tmp_path / "odd.db")
    assert len(values) > 2_000
    for value in values:
        assert indented(value) == _library(value)
        assert indented(value, "    ") == _library(value, "    ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=6), children, max_size=4)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),
    max_leaves=30,
)


@given(json_values, st.sampled_from(["", "  ", "\t"]))
def test_same_text_as_the_library_for_any_json_value(value: Any, prefix: str) -> None:
    assert indented(value, prefix) == _library(value, prefix)
