"""Cutting normalised article text into lines and sentences, each with its offsets in the text.

A paragraph is usually one line; hard-wrapped paragraphs (a line ending mid-sentence) are joined
back. A line with no closing punctuation is a heading, caption, byline or credit, kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TERMINAL = re.compile(r"[.!?…][\"')\]]*$|[.!?…]\s*\"$|:$")
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "maj",
    "st",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "fig",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f])")


@dataclass(frozen=True)
class Segment:
    """One sentence, or one whole line without closing punctuation (a heading, caption or credit)."""

    start: int
    end: int
    text: str
    is_line: bool  # no closing punctuation: not a sentence
    paragraph: int  # index of the paragraph (block between blank lines)
    unit: int  # index of the line (or joined lines) inside the whole text

    @property
    def clean(self) -> str:
        """The segment on one line, as a claim's wording shows it."""
        return " ".join(self.text.split())


def _units(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, paragraph) of each logical line; wrapped lines of one sentence are joined."""
    paragraph = 0
    position = 0
    pending: tuple[int, int] | None = None
    for raw_line in text.split("\n"):
        start, end = position, position + len(raw_line)
        position = end + 1
        if not raw_line.strip():
            if pending:
                yield pending[0], pending[1], paragraph
                pending = None
            paragraph += 1
            continue
        if pending and _continues(text[pending[0] : pending[1]], raw_line):
            pending = (pending[0], end)
            continue
        if pending:
            yield pending[0], pending[1], paragraph
        pending = (start, end)
    if pending:
        yield pending[0], pending[1], paragraph


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence `previous` left open (a hard-wrapped paragraph)."""
    previous = previous.rstrip()
    if _TERMINAL.search(previous):
        return False
    if line[:1].islower() or previous.endswith((",", ";", "-", "(")):
        return True
    # A long line cut mid-sentence; short lines without a full stop are headings and captions.
    return len(previous.rsplit("\n", 1)[-1]) > 60


def _is_abbreviation(unit: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", unit[max(0, dot - 20) : dot])  # a short tail: long lines stay linear
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _inside_quote(unit: str, position: int) -> bool:
    """True when an opened double quote is still open at `position` and closes later in the line."""
    before = unit[:position].count('"')
    return before % 2 == 1 and '"' in unit[position:]


def segments(text: str) -> list[Segment]:
    """Every sentence and caption-like line of `text`, in order, with offsets into `text`."""
    found: list[Segment] = []
    for unit_index, (start, end, paragraph) in enumerate(_units(text)):
        unit = text[start:end]
        cut = 0
        for match in _BOUNDARY.finditer(unit):
            dot = match.start()
            if unit[dot] == "." and _is_abbreviation(unit, dot):
                continue
            if _inside_quote(unit, match.end()):
                continue
            found.append(_segment(text, start + cut, start + match.end(), False, paragraph, unit_index))
            cut = match.end()
            while cut < len(unit) and unit[cut].isspace():
                cut += 1
        # A line without closing punctuation and without any sentence in it is a heading or caption.
        is_line = cut == 0 and not _TERMINAL.search(unit.rstrip())
        found.append(_segment(text, start + cut, end, is_line, paragraph, unit_index))
    return [segment for segment in found if segment.text.strip()]


def _segment(text: str, start: int, end: int, is_line: bool, paragraph: int, unit: int) -> Segment:
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end, text[start:end], is_line, paragraph, unit)
