"""Which text encoding a dataset file is in: a guess shown to the person, who may choose another.

Byte-order marks decide at once (UTF-8, UTF-16); then strict UTF-8, which almost never
decodes text written in another encoding by accident; then UTF-16 without a mark, recognised by
its zero bytes; and last charset-normalizer's guess, with Windows-1252 preferred whenever it reads the
text as well as the best guess, since that is what spreadsheet programs on Windows write.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from desktop.core.imports import ImportFileError

# How much of a file the guess looks at: enough for a sound guess, quick on any size.
SAMPLE_BYTES = 256 * 1024

# Offered in the window's encoding box; any other name Python knows can be typed.
COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")


@dataclass(frozen=True)
class EncodingGuess:
    """An encoding name Python understands, and why it was chosen (for the window to show)."""

    encoding: str
    reason: str


def detect_encoding(data: bytes) -> EncodingGuess:
    """Guess the encoding of `data` (the start of a file is enough)."""
    sample = data[:SAMPLE_BYTES]
    if sample.startswith(codecs.BOM_UTF8):
        return EncodingGuess("utf-8-sig", "UTF-8 byte-order mark")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingGuess("utf-16", "UTF-16 byte-order mark")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample cut through a multi-byte character is still UTF-8.
        if error.start < len(sample) - 3:
            return _guess_other(sample)
    if b"\x00" in sample:
        return _guess_other(sample)
    return EncodingGuess("utf-8", "reads as UTF-8")


def _guess_other(sample: bytes) -> EncodingGuess:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4:
        # ASCII text in UTF-16 has a zero byte in every other place.
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return EncodingGuess("utf-16-le", "zero bytes in every other place (UTF-16, little-endian)")
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return EncodingGuess("utf-16-be", "zero bytes in every other place (UTF-16, big-endian)")
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        if _decodes(sample, "cp1252"):
            return EncodingGuess("cp1252", "not UTF-8; assumed Windows-1252")
        return EncodingGuess("latin-1", "not UTF-8 nor Windows-1252; assumed Latin-1")
    # Several single-byte code pages often read a short Latin text equally well; among those,
    # Windows-1252 is by far the likeliest.
    for match in matches:
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos <= best.chaos + 0.01
            and match.coherence >= best.coherence - 0.05
        ):
            return EncodingGuess("cp1252", "not UTF-8; reads as Windows-1252")
    return EncodingGuess(best.encoding, f"not UTF-8; looks like {best.encoding}")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, encoding: str, path: Path) -> str:
    """The text of a file in `encoding`, or an error naming the line where it stops making sense."""
    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise ImportFileError(f"{path}: “{encoding}” is not an encoding this program knows.") from error
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path}: line {line} (byte {error.start + 1}) cannot be read as {encoding}; "
            "choose another encoding."
        ) from error
    # A mark left in by a plain UTF-8 or UTF-16 choice would become part of the first column's name.
    return text.removeprefix("\ufeff")
