"""What a long command shows on the terminal while it works (and nowhere else)."""

from __future__ import annotations

import sys


class TerminalProgress:
    """A percentage on one line of the terminal while a long command works.

    Only when standard error is a terminal: a script or a log file gets the summary alone.
    """

    def __init__(self, label: str) -> None:
        self._label = label
        self._percent: int | None = None
        self._width = 0  # of the line written last, which the next one covers
        self._on = sys.stderr.isatty()

    def say(self, what: str) -> None:
        if self._on:
            line = f"{self._label}: {what}"
            sys.stderr.write("\r" + line.ljust(self._width))
            sys.stderr.flush()
            self._width = len(line)

    def update(self, done: int, total: int) -> None:
        percent = 100 * done // total if total > 0 else 100
        if percent != self._percent:
            self._percent = percent
            self.say(f"{percent} %")

    def end(self) -> None:
        if self._on and self._width:
            sys.stderr.write("\n")
            sys.stderr.flush()
