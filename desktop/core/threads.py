"""Sharing the interpreter fairly between a worker thread and the window's thread."""

from __future__ import annotations

import time

# Rows a long loop on a worker thread handles between two calls of `give_way`.
GIVE_WAY_EVERY = 2_000


def give_way() -> None:
    """Let the other threads run now (a sleep of zero releases the interpreter lock).

    A worker reading a file row by row takes the lock back at once after each short wait for the
    disk, so the window's thread, asking for it meanwhile, could wait 100 ms or more at a time (a
    stalled window). Called every few thousand rows, it costs nothing measurable and keeps the
    longest wait near the interpreter's own switch interval.
    """
    time.sleep(0)
