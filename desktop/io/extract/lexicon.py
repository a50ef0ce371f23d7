"""A small hand-written lexicon: which words suggest which kind of source.

The extractor only guesses; every guess is shown to the reviewer as a guess, with the word it
came from, and can be corrected before anything is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.vocabulary import SourceKind

K = SourceKind

# Multi-word phrases first: "intelligence agency" must win over "agency".
_PHRASES: list[tuple[str, SourceKind]] = [
    ("intelligence agency", K.INTELLIGENCE_AGENCY),
    ("intelligence service", K.INTELLIGENCE_AGENCY),
    ("security service", K.INTELLIGENCE_AGENCY),
    ("spy agency", K.INTELLIGENCE_AGENCY),
    ("military intelligence", K.INTELLIGENCE_AGENCY),
    ("news agency", K.NEWS_AGENCY),
    ("wire service", K.NEWS_AGENCY),
    ("press agency", K.NEWS_AGENCY),
    ("general staff", K.PARTY_TO_CONFLICT),
    ("armed forces", K.PARTY_TO_CONFLICT),
    ("press release", K.DOCUMENT),
    ("prime minister", K.GOVERNMENT),
    ("people familiar", K.UNNAMED),
]

_WORDS: dict[str, SourceKind] = {
    # intelligence and security agencies
    "intelligence": K.INTELLIGENCE_AGENCY,
    "counterintelligence": K.INTELLIGENCE_AGENCY,
    "nis": K.INTELLIGENCE_AGENCY,
    "cia": K.INTELLIGENCE_AGENCY,
    "fsb": K.INTELLIGENCE_AGENCY,
    "sbu": K.INTELLIGENCE_AGENCY,
    "gur": K.INTELLIGENCE_AGENCY,
    "mi6": K.INTELLIGENCE_AGENCY,
    "mossad": K.INTELLIGENCE_AGENCY,
    # government and official bodies
    "ministry": K.GOVERNMENT,
    "minister": K.GOVERNMENT,
    "government": K.GOVERNMENT,
    "cabinet": K.GOVERNMENT,
    "president": K.GOVERNMENT,
    "presidency": K.GOVERNMENT,
    "parliament": K.GOVERNMENT,
    "council": K.GOVERNMENT,
    "office": K.GOVERNMENT,
    "department": K.GOVERNMENT,
    "authorities": K.GOVERNMENT,
    "authority": K.GOVERNMENT,
    "officials": K.GOVERNMENT,
    "official": K.GOVERNMENT,
    "administration": K.GOVERNMENT,
    "mayor": K.GOVERNMENT,
    "governor": K.GOVERNMENT,
    "embassy": K.GOVERNMENT,
    "police": K.GOVERNMENT,
    "court": K.GOVERNMENT,
    "commission": K.GOVERNMENT,
    "regulator": K.GOVERNMENT,
    "inspectorate": K.GOVERNMENT,
    "municipality": K.GOVERNMENT,
    "spokesperson": K.GOVERNMENT,
    "spokesman": K.GOVERNMENT,
    "spokeswoman": K.GOVERNMENT,
    "institute": K.GOVERNMENT,
    "service": K.GOVERNMENT,
    "firefighters": K.GOVERNMENT,
    "prosecutor": K.GOVERNMENT,
    "prosecutors": K.GOVERNMENT,
    # news and wire agencies
    "agency": K.NEWS_AGENCY,
    "reuters": K.NEWS_AGENCY,
    "ap": K.NEWS_AGENCY,
    "afp": K.NEWS_AGENCY,
    "yonhap": K.NEWS_AGENCY,
    "tass": K.NEWS_AGENCY,
    "interfax": K.NEWS_AGENCY,
    "ukrinform": K.NEWS_AGENCY,
    "kyodo": K.NEWS_AGENCY,
    "xinhua": K.NEWS_AGENCY,
    "dpa": K.NEWS_AGENCY,
    "pap": K.NEWS_AGENCY,
    "ansa": K.NEWS_AGENCY,
    "efe": K.NEWS_AGENCY,
    "wire": K.NEWS_AGENCY,
    # broadcasters, newspapers, outlets
    "broadcaster": K.OUTLET,
    "television": K.OUTLET,
    "tv": K.OUTLET,
    "channel": K.OUTLET,
    "station": K.OUTLET,
    "radio": K.OUTLET,
    "newspaper": K.OUTLET,
    "paper": K.OUTLET,
    "daily": K.OUTLET,
    "weekly": K.OUTLET,
    "magazine": K.OUTLET,
    "outlet": K.OUTLET,
    "portal": K.OUTLET,
    "website": K.OUTLET,
    "journal": K.OUTLET,
    "gazette": K.OUTLET,
    "bbc": K.OUTLET,
    "cnn": K.OUTLET,
    "nhk": K.OUTLET,
    # parties to a conflict
    "commander": K.PARTY_TO_CONFLICT,
    "commanders": K.PARTY_TO_CONFLICT,
    "military": K.PARTY_TO_CONFLICT,
    "army": K.PARTY_TO_CONFLICT,
    "troops": K.PARTY_TO_CONFLICT,
    "soldiers": K.PARTY_TO_CONFLICT,
    "brigade": K.PARTY_TO_CONFLICT,
    "battalion": K.PARTY_TO_CONFLICT,
    "rebels": K.PARTY_TO_CONFLICT,
    "militants": K.PARTY_TO_CONFLICT,
    "fighters": K.PARTY_TO_CONFLICT,
    "general": K.PARTY_TO_CONFLICT,
    # prisoners and detainees
    "prisoner": K.PRISONER,
    "prisoners": K.PRISONER,
    "detainee": K.PRISONER,
    "detainees": K.PRISONER,
    "captives": K.PRISONER,
    "pows": K.PRISONER,
    "inmates": K.PRISONER,
    # unnamed sources
    "sources": K.UNNAMED,
    "insiders": K.UNNAMED,
    "unnamed": K.UNNAMED,
    "anonymous": K.UNNAMED,
    # collective or vague
    "experts": K.COLLECTIVE,
    "analysts": K.COLLECTIVE,
    "observers": K.COLLECTIVE,
    "residents": K.COLLECTIVE,
    "locals": K.COLLECTIVE,
    "people": K.COLLECTIVE,
    "citizens": K.COLLECTIVE,
    "critics": K.COLLECTIVE,
    "witnesses": K.COLLECTIVE,
    "scientists": K.COLLECTIVE,
    "researchers": K.COLLECTIVE,
    "activists": K.COLLECTIVE,
    "farmers": K.COLLECTIVE,
    "fishermen": K.COLLECTIVE,
    "workers": K.COLLECTIVE,
    "villagers": K.COLLECTIVE,
    "economists": K.COLLECTIVE,
    "hydrologists": K.COLLECTIVE,
    "doctors": K.COLLECTIVE,
    "teachers": K.COLLECTIVE,
    "parents": K.COLLECTIVE,
    "passengers": K.COLLECTIVE,
    "politicians": K.COLLECTIVE,
    "groups": K.COLLECTIVE,
    "eyewitnesses": K.COLLECTIVE,
    "users": K.COLLECTIVE,
    "many": K.COLLECTIVE,
    # social media
    "account": K.SOCIAL_MEDIA,
    "blogger": K.SOCIAL_MEDIA,
    "influencer": K.SOCIAL_MEDIA,
    "telegram": K.SOCIAL_MEDIA,
    "twitter": K.SOCIAL_MEDIA,
    "facebook": K.SOCIAL_MEDIA,
    "instagram": K.SOCIAL_MEDIA,
    "tiktok": K.SOCIAL_MEDIA,
    "youtube": K.SOCIAL_MEDIA,
    # documents
    "communiqué": K.DOCUMENT,
    "communique": K.DOCUMENT,
    "statement": K.DOCUMENT,
    "report": K.DOCUMENT,
    "document": K.DOCUMENT,
    "letter": K.DOCUMENT,
    "decree": K.DOCUMENT,
    "memo": K.DOCUMENT,
    "study": K.DOCUMENT,
    "survey": K.DOCUMENT,
    "filing": K.DOCUMENT,
}

# Social networks whose name may stand before a credited handle ("X, @someone").
PLATFORMS = {
    "x": "X",
    "twitter": "Twitter",
    "telegram": "Telegram",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "reddit": "Reddit",
}

# Nouns a text uses to point back at a source it named before ("the broadcaster"), and the
# kinds of source each may point to.
ANAPHORS: dict[str, frozenset[SourceKind]] = {
    "broadcaster": frozenset({K.OUTLET}),
    "television": frozenset({K.OUTLET}),
    "channel": frozenset({K.OUTLET, K.SOCIAL_MEDIA}),
    "station": frozenset({K.OUTLET}),
    "newspaper": frozenset({K.OUTLET}),
    "paper": frozenset({K.OUTLET}),
    "daily": frozenset({K.OUTLET}),
    "outlet": frozenset({K.OUTLET}),
    "magazine": frozenset({K.OUTLET}),
    "portal": frozenset({K.OUTLET}),
    "agency": frozenset({K.NEWS_AGENCY, K.INTELLIGENCE_AGENCY, K.GOVERNMENT}),
    "service": frozenset({K.INTELLIGENCE_AGENCY, K.NEWS_AGENCY}),
    "intelligence": frozenset({K.INTELLIGENCE_AGENCY}),
    "ministry": frozenset({K.GOVERNMENT}),
    "minister": frozenset({K.GOVERNMENT}),
    "government": frozenset({K.GOVERNMENT}),
    "office": frozenset({K.GOVERNMENT}),
    "department": frozenset({K.GOVERNMENT}),
    "authorities": frozenset({K.GOVERNMENT}),
    "inspectorate": frozenset({K.GOVERNMENT}),
    "regulator": frozenset({K.GOVERNMENT}),
    "institute": frozenset({K.GOVERNMENT}),
    "council": frozenset({K.GOVERNMENT}),
    "mayor": frozenset({K.GOVERNMENT}),
    "spokesperson": frozenset({K.GOVERNMENT, K.PARTY_TO_CONFLICT}),
    "spokesman": frozenset({K.GOVERNMENT, K.PARTY_TO_CONFLICT}),
    "spokeswoman": frozenset({K.GOVERNMENT, K.PARTY_TO_CONFLICT}),
    "military": frozenset({K.PARTY_TO_CONFLICT}),
    "army": frozenset({K.PARTY_TO_CONFLICT}),
    "commander": frozenset({K.PARTY_TO_CONFLICT}),
    "commanders": frozenset({K.PARTY_TO_CONFLICT}),
    "account": frozenset({K.SOCIAL_MEDIA}),
    "report": frozenset({K.DOCUMENT}),
    "statement": frozenset({K.DOCUMENT}),
    "communiqué": frozenset({K.DOCUMENT}),
    "study": frozenset({K.DOCUMENT}),
}

# Capitalised words that describe rather than name ("South Korean", "Japanese").
_DEMONYM = re.compile(r"^(?:[A-Z][a-z]+(?:an|ian|ese|ish|ean|i|ch|ic))$")
_COMPASS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "New", "Central"}


def is_descriptive(word: str) -> bool:
    """A capitalised word that says where a source is from, not who it is."""
    return word in _COMPASS or bool(_DEMONYM.match(word))


def is_demonym_plural(phrase: str) -> bool:
    """ "Ukrainians", "Japanese" used as a whole group of people."""
    words = phrase.split()
    return len(words) == 1 and bool(re.match(r"^[A-Z][a-z]+(?:ans|ians|ese|ish|eans|is)$", words[0]))


@dataclass(frozen=True)
class KindGuess:
    """A guessed kind of source and the word it was guessed from ("" when nothing matched)."""

    kind: SourceKind
    because: str

    def describe(self) -> str:
        if not self.because:
            return f"kind guessed: {self.kind.label} (no telling word; please check)"
        return f"kind guessed: {self.kind.label} (from “{self.because}”)"


def guess_kind(phrase: str) -> KindGuess:
    """The kind of source a phrase most likely names; the last telling word wins ("NIS communiqué")."""
    lowered = phrase.lower()
    if "@" in phrase:
        return KindGuess(K.SOCIAL_MEDIA, "@" + phrase.split("@", 1)[1].split()[0])
    best: tuple[int, SourceKind, str] | None = None
    for words, kind in _PHRASES:
        found = lowered.rfind(words)
        if found >= 0 and (best is None or found > best[0]):
            best = (found, kind, words)
    covered = best[0] + len(best[2]) if best else -1
    for match in re.finditer(r"[\w\u00c0-\u024f]+", lowered):
        word = match.group(0)
        # A plural not in the list counts as its singular ("mayors" as "mayor").
        found_kind = _WORDS.get(word) or (
            _WORDS.get(word[:-1]) if word.endswith("s") and len(word) > 4 else None
        )
        if found_kind is not None and match.start() >= covered and (best is None or match.start() > best[0]):
            best = (match.start(), found_kind, word)
    if best is not None and best[2] == "agency":
        # "news agency" and "Yonhap agency" relay news; "weather agency" or "border agency" is official.
        before = re.findall(r"([\w\u00c0-\u024f]+)\s+agency", phrase)
        if before and before[-1].islower() and before[-1] not in ("news", "press", "wire", "the", "a", "an"):
            return KindGuess(K.GOVERNMENT, f"{before[-1]} agency")
    if best is not None:
        return KindGuess(best[1], best[2])
    if is_demonym_plural(phrase):
        return KindGuess(K.COLLECTIVE, phrase)
    return KindGuess(K.OUTLET, "")
