"""Counts in words: "1 claim", "2 claims", "1,204 evidence items"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` (with thousands separators) and `noun`, in the plural unless it is exactly one."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
