"""Hostile input for search and for every importer: imported whole, or refused with a clear message.

The importers are discovered (tests/fuzz/targets.py), so one added later is covered without a
change here. Longer runs: `python -m tests.fuzz --seconds N`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import CorroborateError
from desktop.core.model import ClaimQuery, SortKey
from desktop.store import Store
from tests.fuzz.corpus import nasty_files, seeds
from tests.fuzz.targets import HostileInputBug, Target, check, discover, scratch_folder

TARGETS = discover()
EXAMPLES = 20


def _cases() -> Iterator[object]:
    for name, suffix, data in nasty_files():
        for target in TARGETS:
            if suffix not in target.suffixes:
                continue
            yield pytest.param(target, data, suffix, id=f"{target.name}:{name}{suffix}")


@pytest.fixture(scope="module")
def work() -> Iterator[Path]:
    folder = scratch_folder("corroborate-hostile-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def shared_data_folder(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One backups folder for the module: the fresh copy is backed up once, not once per case."""
    monkeypatch.setenv("CORROBORATE_DATA_DIR", str(work / "data"))


def test_every_importer_is_covered() -> None:
    names = {target.name for target in TARGETS}
    # What existed when this was written; more is welcome, less means a target went missing.
    assert {"corroborate-export", "corroborate-file"} <= names
    assert all(target.suffixes for target in TARGETS)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_seed_files_import_whole(target: Target, work: Path) -> None:
    """The harness can tell success from refusal: the well-formed seeds really import."""
    imported = [
        check(target, data, suffix, work)
        for name, data in seeds().items()
        for suffix in target.suffixes
        if name.endswith(suffix)
    ]
    # The sample's own export or file merged into a copy of the sample recognises every claim in it:
    # none is new, so for those targets a whole import adds nothing.
    merges_copies = target.name.startswith("corroborate-")
    assert any(outcome.imported and (outcome.claims_added > 0 or merges_copies) for outcome in imported), (
        target.name
    )


@pytest.mark.parametrize(("target", "data", "suffix"), list(_cases()))
def test_nasty_file(target: Target, data: bytes, suffix: str, work: Path) -> None:
    check(target, data, suffix, work)


def test_a_half_import_is_caught(work: Path) -> None:
    """The rule can fail: an importer that writes and then refuses is reported as a half import."""

    def half(store: Store, path: Path) -> int | None:
        store.add_claims(None, [])
        store.ensure_source(store.list_sources()[0].source)
        from desktop.core.model import Article

        store.add_article(Article(title="half", text="half"))
        raise CorroborateError(f"{path}: refused after writing")

    with pytest.raises(HostileInputBug, match="half import"):
        check(Target("half", (".csv",), half), b"x", ".csv", work)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_importer_with_hypothesis(target: Target) -> None:
    from tests.fuzz.corpus import hostile_bytes

    folder = scratch_folder("corroborate-hypothesis-")
    inputs = st.sampled_from(target.suffixes).flatmap(
        lambda suffix: st.tuples(st.just(suffix), hostile_bytes(suffix))
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def run(case: tuple[str, bytes]) -> None:
        suffix, data = case
        check(target, data, suffix, folder)

    try:
        run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from tests.fuzz.targets import fresh_store

    folder = tmp_path_factory.mktemp("search")
    # Made before any test's own folders are set: its daily backup must not go to the person's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORROBORATE_DATA_DIR", str(folder / "data"))
        store = fresh_store(folder)
    yield store
    store.close()


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from('"*^:()-+NEAR AND OR NOT\x00')
    )
    | st.sampled_from(
        ['"', '"unclosed', "NEAR(", "a:b", "*", "-", "^x", "AND", "OR OR", "\x00", "\u202e", "\u200b"]
    ),
    sort=st.sampled_from(list(SortKey)),
)
def test_search_box_takes_any_text(search_store: Store, text: str, sort: SortKey) -> None:
    query = ClaimQuery("ana", text=text, sort=sort)
    try:
        ids = search_store.claim_ids(query)
    except CorroborateError as error:  # allowed, if it says what is wrong
        assert error.message.strip()
        return
    rows = search_store.claim_rows(list(ids), "ana")
    assert set(rows) == set(ids)
    if not text.strip():
        assert len(ids) == search_store.count_claims()
