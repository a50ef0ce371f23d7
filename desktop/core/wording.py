"""Counts and times in words: "1 claim", "2 claims", "1,204 evidence items"; a logged time as local time."""

from __future__ import annotations

from datetime import datetime


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` (with thousands separators) and `noun`, in the plural unless it is exactly one."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def local_time(at: str) -> str:
    """A logged UTC time as this computer's local date and time to the minute; unreadable: as it is."""

    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    if moment.tzinfo is None:
        return at  # not a logged time: do not guess its zone
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
