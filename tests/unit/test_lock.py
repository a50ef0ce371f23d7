"""One writer per file: the holder is named, read-only stays possible, a killed holder leaves no lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.errors import LockedError, StoreWriteError
from desktop.core.model import ReviewField
from desktop.store import Store
from desktop.store.lock import lock_path, this_host

REPO_ROOT = Path(__file__).resolve().parents[2]

HOLDER_SCRIPT = """
import sys, time
from desktop.store import Store
store = Store.open(sys.argv[1], reviewer="Bea")
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder(sample_copy: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with `sample_copy` open for editing as reviewer Bea."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(sample_copy)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == "ready\n", child.stderr.read() if child.stderr else line
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()
    for stream in (child.stdout, child.stderr):
        if stream:
            stream.close()


def test_second_process_is_refused_with_the_holder_named(
    sample_copy: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError) as raised:
        Store.open(sample_copy, reviewer="ana")
    error = raised.value
    assert error.holder is not None
    assert error.holder.reviewer == "Bea"
    assert error.holder.pid == holder.pid
    assert "Bea" in error.message and str(holder.pid) in error.message
    assert "read-only" in error.message


def test_read_only_open_is_possible_while_locked_and_cannot_edit(
    sample_copy: Path, holder: subprocess.Popen[str]
) -> None:
    store = Store.open(sample_copy, read_only=True, reviewer="ana")
    try:
        assert store.read_only
        assert store.count_claims() > 0
        with pytest.raises(StoreWriteError, match="read-only"):
            store.set_review_field(1, "ana", ReviewField.RELIABILITY, "B")
    finally:
        store.close()
    # The reader did not disturb the writer's lock.
    with pytest.raises(LockedError):
        Store.open(sample_copy)


def test_killed_holder_leaves_no_lock_and_the_next_open_checks_fully(
    sample_copy: Path, holder: subprocess.Popen[str]
) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    # Its record stays behind as the mark of an unclean end ...
    assert json.loads(lock_path(sample_copy).read_text())["pid"] == holder.pid
    # ... but the operating system dropped the lock itself, so the file opens at once.
    store = Store.open(sample_copy, reviewer="ana")
    try:
        assert store.open_report.unclean_shutdown
    finally:
        store.close()
    assert not lock_path(sample_copy).exists()


def test_same_process_second_open_is_refused(sample_copy: Path) -> None:
    first = Store.open(sample_copy, reviewer="ana")
    try:
        with pytest.raises(LockedError, match="another window of this program"):
            Store.open(sample_copy, reviewer="ana")
    finally:
        first.close()
    Store.open(sample_copy).close()


def test_clean_close_removes_the_lock_and_the_next_open_is_clean(sample_copy: Path) -> None:
    Store.open(sample_copy, reviewer="ana").close()
    assert not lock_path(sample_copy).exists()
    store = Store.open(sample_copy)
    try:
        assert not store.open_report.unclean_shutdown
    finally:
        store.close()


@pytest.mark.parametrize(
    "record",
    [
        b"",  # killed after creating the lock file, before writing its record
        b'{"pid": 4242, "ho',  # killed while writing it
        json.dumps({"pid": 2**22 + 17, "host": this_host(), "reviewer": "Bea", "since": "x"}).encode(),
        # Another computer's record, but nobody holds the OS lock: the OS lock decides.
        json.dumps({"pid": 1, "host": "elsewhere", "reviewer": "Cy", "since": "x"}).encode(),
    ],
    ids=["empty", "cut-short", "dead-process", "other-host-unlocked"],
)
def test_leftover_lock_file_is_taken_over_as_an_unclean_end(sample_copy: Path, record: bytes) -> None:
    lock_path(sample_copy).write_bytes(record)
    store = Store.open(sample_copy, reviewer="ana")
    try:
        assert store.open_report.unclean_shutdown
        assert json.loads(lock_path(sample_copy).read_text())["reviewer"] == "ana"
    finally:
        store.close()
    assert not lock_path(sample_copy).exists()


def test_read_only_open_notices_an_unclean_end_and_leaves_the_mark(sample_copy: Path) -> None:
    lock_path(sample_copy).write_bytes(b"")
    before = sample_copy.read_bytes()
    store = Store.open(sample_copy, read_only=True)
    try:
        assert store.open_report.unclean_shutdown
    finally:
        store.close()
    assert sample_copy.read_bytes() == before
    # The mark stays for the next writer, who must run the full check too.
    assert lock_path(sample_copy).read_bytes() == b""
