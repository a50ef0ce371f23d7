"""An export is complete or absent: cancelled, failing or refused, it leaves no partial file and keeps the old one."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

from desktop.core.errors import CorroborateError
from desktop.core.model import ClaimQuery
from desktop.io.export import ExportCancelled, export
from desktop.io.export import atomic as atomic_module
from desktop.store import Store

PREVIOUS = b"last week's export, still needed"
FORMATS = ["csv", "json", "jsonl", "sqlite", "html"]


@pytest.fixture
def store(sample_copy: Path) -> Store:
    opened = Store.open(sample_copy, read_only=True)
    yield opened  # type: ignore[misc]
    opened.close()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "set.out").write_bytes(PREVIOUS)
    return folder


@pytest.mark.parametrize("format", FORMATS)
def test_cancel_before_the_end_leaves_the_previous_file(store: Store, tmp_path: Path, format: str) -> None:
    folder = _folder(tmp_path)
    target = folder / "set.out"
    progress: list[tuple[int, int]] = []

    def cancelled() -> bool:
        # The person presses Cancel once the first batch has been read.
        return any(done > 0 for done, _ in progress)

    with pytest.raises(ExportCancelled, match="nothing was written"):
        export(
            store,
            ClaimQuery(""),
            format,
            target,
            progress=lambda d, t: progress.append((d, t)),
            cancelled=cancelled,
        )
    assert progress[0] == (0, 15)
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in folder.iterdir()) == ["set.out"]


def test_cancel_with_no_previous_file_leaves_nothing(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    with pytest.raises(ExportCancelled):
        export(store, ClaimQuery(""), "csv", target, cancelled=lambda: True)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "new.csv" in p.name] == []  # no temporary file either


def test_progress_reaches_the_total(store: Store, tmp_path: Path) -> None:
    progress: list[tuple[int, int]] = []
    export(
        store, ClaimQuery(""), "json", tmp_path / "all.json", progress=lambda d, t: progress.append((d, t))
    )
    assert progress[0] == (0, 15) and progress[-1] == (15, 15)


@pytest.mark.parametrize("format", FORMATS)
def test_a_failure_at_the_last_step_keeps_the_previous_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format: str
) -> None:
    folder = _folder(tmp_path)

    def refuse(source: object, target: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "replace", refuse)
    with pytest.raises(CorroborateError, match=r"Could not write .*set\.out: Permission denied"):
        export(store, ClaimQuery(""), format, folder / "set.out")
    assert (folder / "set.out").read_bytes() == PREVIOUS
    assert sorted(p.name for p in folder.iterdir()) == ["set.out"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="folder permissions do not stop an administrator; the other tests here cover that case",
)
def test_an_unwritable_folder_is_named_and_the_previous_file_kept(store: Store, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(CorroborateError, match=r"the folder .*out is not writable"):
            export(store, ClaimQuery(""), "csv", folder / "set.out")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert (folder / "set.out").read_bytes() == PREVIOUS
    assert sorted(p.name for p in folder.iterdir()) == ["set.out"]


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs a folder nobody can create files in (/proc)"
)
def test_a_folder_nobody_can_write_is_named(store: Store) -> None:
    # Not even an administrator can create a file here, so this runs wherever the tests run.
    with pytest.raises(
        CorroborateError, match=r"Cannot write /proc/self/set\.csv: the folder /proc/self is not writable"
    ):
        export(store, ClaimQuery(""), "csv", Path("/proc/self/set.csv"))


def test_missing_folder_and_folder_as_target_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(CorroborateError, match="does not exist"):
        export(store, [1], "csv", tmp_path / "nowhere" / "x.csv")
    with pytest.raises(CorroborateError, match="it is a folder"):
        export(store, [1], "csv", tmp_path)
