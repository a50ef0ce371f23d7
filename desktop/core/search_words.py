"""The words of a search, and where they appear in a text, as the full-text search matches them.

The store turns the words into an FTS5 query (desktop/store/search.py); the window marks the
same words in the claim it shows. Both read them here, so what is marked is what was found.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)

# A search box holds a few words, not a document: words past this many are ignored, which keeps
# the MATCH expression small whatever is pasted into the box.
MAX_SEARCH_WORDS = 64

# Words shorter than this are matched whole: as prefixes, "a" or "of" would match nearly every
# claim and make FTS5 merge the lists of thousands of words. Longer words are prefixes, so
# "ministr" finds "ministry"; three letters exactly are read from the prefix index.
SHORTEST_PREFIX = 3


def search_words(text: str) -> list[str]:
    """Each distinct word of search box text, in order of first appearance, at most MAX_SEARCH_WORDS."""
    words = dict.fromkeys(WORD.findall(text.replace("\x00", " ")))
    return list(words)[:MAX_SEARCH_WORDS]


def folded(word: str) -> str:
    """A word as the index compares it: case and accents set aside (unicode61, remove_diacritics)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def found_spans(text: str, search: str) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` that a word of `search` matches: whole for short words,
    as a prefix for the others."""
    wanted = [(folded(word), len(word) >= SHORTEST_PREFIX) for word in search_words(search)]
    if not wanted:
        return []
    spans = []
    for match in WORD.finditer(text):
        word = folded(match.group())
        if any(word.startswith(w) if prefix else word == w for w, prefix in wanted):
            spans.append(match.span())
    return spans


def words_not_in(search: str, texts: list[str]) -> list[str]:
    """The words of `search` that match no word of any of `texts`, in the search's order.

    A claim can be found by what its pane does not spell out (another reviewer's rationale, an
    evidence note, a source's other name); these are the words to say that of.
    """
    return [word for word in search_words(search) if not any(found_spans(text, word) for text in texts)]
