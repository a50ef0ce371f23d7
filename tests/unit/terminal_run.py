"""Running the command line with its standard error on a terminal, as a person at a shell has it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def run_on_terminal(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """`corroborate ARGS` with standard output piped and standard error on a pseudo-terminal.

    Returns the finished process (its stdout) and everything the terminal showed.
    """
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "desktop", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=120,
        )
    finally:
        os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:  # the terminal's other end is closed: everything has been read
        pass
    finally:
        os.close(leader)
    return process, shown.decode("utf-8")


def percentages(shown: str) -> list[int]:
    """The percentages a progress line showed, in order."""
    return [int(part.split(" %")[0].rsplit(" ", 1)[-1]) for part in shown.split("\r") if " %" in part]
