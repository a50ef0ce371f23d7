"""CSV lines of a large export built by worker processes, a batch each, written in batch order.

Why processes: the lines come finished from SQL, and building them is nearly all of an export's
time (string work inside SQLite). Threads do not help: SQLite, as Python's sqlite3 starts it,
keeps memory statistics behind one lock per process that every allocation takes, so two threads
building lines run no faster than one. Separate processes each have their own, and use every core.

Each worker (`python -m desktop.io.export.csv_worker FILE`, csv_worker.py) opens the file read-only on its own
connection, as a second window could, and builds the batches it is sent with the same statement
(`CsvLineQuery`). Batch i goes to worker i mod n, so each worker's answers come back in the order
the parent writes them: the file is byte for byte what one process writes. Each batch is read in
a statement of its own, as the one-process path reads them. Small exports stay in one process:
starting a worker costs a few tenths of a second.

Plain subprocesses with pickled messages on their pipes, not multiprocessing: its spawn method
runs the parent's main module again in every worker, which the window's entry point, a test
runner or a person's own script need not allow.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from desktop.core.errors import CorroborateError
from desktop.store.export_queries import CsvCells, CsvText

# Below this many claims the workers' start costs more than they save.
PARALLEL_FROM_CLAIMS = 100_000
# Batches sent to a worker before its first answer is awaited. Two keep it busy; more could fill
# the pipe to it (one batch of ids is 40 KB, a pipe holds 64 KB) while it waits to send an answer.
IN_FLIGHT_PER_WORKER = 2

_LENGTH = struct.Struct("<Q")


def worker_count(claims: int) -> int:
    """How many worker processes an export of `claims` claims uses (0: build the lines here)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 4) if claims >= PARALLEL_FROM_CLAIMS and cores > 1 else 0


def csv_texts(
    path: Path, cells: CsvCells, id_batches: Iterator[Sequence[int]], reviewer: str | None, workers: int
) -> Iterator[tuple[Sequence[int], CsvText | None]]:
    """Each batch with its lines (None: format it from records), in the order the batches come.

    Leaving the loop early (a cancel raised by `id_batches`, an error) stops the workers at once.
    A worker's failure is raised here with its traceback.
    """
    started = [_Worker(path, cells, reviewer) for _ in range(workers)]
    pending: deque[tuple[Sequence[int], _Worker]] = deque()
    try:
        for number, batch in enumerate(id_batches):
            worker = started[number % workers]
            worker.send(batch)
            pending.append((batch, worker))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, answering = pending.popleft()
                yield done, answering.receive()
        while pending:
            done, answering = pending.popleft()
            yield done, answering.receive()
    finally:
        for worker in started:
            worker.stop()


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self, path: Path, cells: CsvCells, reviewer: str | None) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "desktop.io.export.csv_worker", str(path)],
            env=_worker_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.send_message((cells, reviewer))

    def send(self, batch: Sequence[int]) -> None:
        self.send_message(array("q", batch).tobytes())

    def send_message(self, message: object) -> None:
        assert self._process.stdin is not None
        write_message(self._process.stdin, message)

    def receive(self) -> CsvText | None:
        assert self._process.stdout is not None
        try:
            kind, value = read_message(self._process.stdout)
        except EOFError:
            kind, value = "failed", ""
        if kind == "lines":
            return value  # type: ignore[no-any-return]
        self._process.wait()
        stderr = self._process.stderr.read().decode("utf-8", "replace") if self._process.stderr else ""
        if kind == "refused":  # an expected problem, e.g. the file went away meanwhile
            raise CorroborateError(str(value))
        raise RuntimeError(
            f"A CSV export worker failed (exit status {self._process.returncode}):\n{value}{stderr}"
        )

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                # Killed with our messages unread: there is nothing to flush to it.
                with contextlib.suppress(BrokenPipeError):
                    stream.close()


def _worker_environment() -> dict[str, str]:
    """This environment, with the folder holding this package first on the worker's module path."""
    package_root = str(Path(__file__).resolve().parents[3])
    inherited = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([package_root, inherited] if inherited else [package_root]),
    }


def write_message(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_message(stream: IO[bytes]) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (length,) = _LENGTH.unpack(head)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError
    return pickle.loads(data)
