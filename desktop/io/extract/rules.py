"""The rule-based attribution extractor: sentences in, proposed claims with their sources out.

Each sentence is tried against a fixed list of cues, in this order: an image credit line,
"according to X", a quotation followed by "said X", and a reporting verb with its subject
("X reported that", "X and Y explained", "…", X said"). A subject that is a bare noun such as
"the broadcaster" is resolved to the last named source of a matching kind. Sentences that cite
nobody but state something checkable (numbers, dates, named actors) become unattributed
proposals. Every proposal carries the words that triggered it and a note saying what was
guessed, so the reviewer can judge the guess rather than trust it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.imports import ImportCancelled
from desktop.core.model import Anchor, Article, Chain, Hop, Source, source_key
from desktop.core.passages import anchor_at
from desktop.core.vocabulary import Relation, SourceKind
from desktop.io.extract.lexicon import ANAPHORS, PLATFORMS, guess_kind, is_descriptive
from desktop.io.extract.sentences import Segment, segments

_CHECK_EVERY = 25  # segments between two looks at Cancel and two progress reports

MAX_SUBJECT_WORDS = 8
SUBJECT_CHARS = 240


@dataclass(frozen=True)
class Proposal:
    """One claim the extractor suggests: our wording, where it sits, who it is attributed to, and why."""

    text: str
    passage: str
    anchor: Anchor
    chains: tuple[Chain, ...]
    unattributed: bool
    cues: tuple[str, ...]
    note: str


# ---- patterns -------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"')
_CREDIT = re.compile(
    r"(?:^|(?<=[.;|]\s)|(?<=\s[-–—]\s))"
    r"(?P<cue>(?:(?:images?|photos?|pictures?|photographs?|video|footage|illustration)\s*"
    r"(?:source|credits?|by)?\s*:|(?:photo|image|picture|video)\s+(?:by|credit|courtesy(?: of)?)\b|©|\(c\)))"
    r"\s*(?P<who>.+)$",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"\b(?P<cue>according to)\s+(?:(?:information|data|reports?|figures|estimates|statements?|findings|"
    r"a statement|an? (?:report|estimate)|claims)\s+(?:from|by|of)\s+)?(?P<who>[^,.;:]+?)(?=\s*(?:[,.;:]|$))",
    re.IGNORECASE,
)
# Reporting verbs and the relation each implies; the third-person forms that double as nouns
# ("reports", "states", "claims", "notes") only count when "that" or a colon follows.
_VERBS: dict[str, Relation] = {
    "reported": Relation.REPORTS,
    "reports": Relation.REPORTS,
    "said": Relation.STATES,
    "says": Relation.STATES,
    "stated": Relation.STATES,
    "states": Relation.STATES,
    "explained": Relation.STATES,
    "explains": Relation.STATES,
    "told": Relation.STATES,
    "announced": Relation.STATES,
    "announces": Relation.STATES,
    "confirmed": Relation.STATES,
    "confirms": Relation.STATES,
    "claimed": Relation.STATES,
    "claims": Relation.STATES,
    "warned": Relation.STATES,
    "warns": Relation.STATES,
    "added": Relation.STATES,
    "wrote": Relation.STATES,
    "writes": Relation.STATES,
    "insisted": Relation.STATES,
    "admitted": Relation.STATES,
    "estimated": Relation.STATES,
    "estimates": Relation.STATES,
    "noticed": Relation.STATES,
    "began noticing": Relation.STATES,
    "started noticing": Relation.STATES,
    "observed": Relation.STATES,
    "revealed": Relation.STATES,
    "reveals": Relation.STATES,
    "posted": Relation.STATES,
    "called": Relation.STATES,
    "expects": Relation.STATES,
    "expected": Relation.STATES,
    "predicted": Relation.STATES,
    "predicts": Relation.STATES,
    "forecast": Relation.STATES,
    "denied": Relation.STATES,
    "denies": Relation.STATES,
    "published": Relation.REPORTS,
    "emphasises": Relation.INTERPRETS,
    "emphasizes": Relation.INTERPRETS,
    "emphasised": Relation.INTERPRETS,
    "emphasized": Relation.INTERPRETS,
    "stressed": Relation.INTERPRETS,
    "stresses": Relation.INTERPRETS,
    "noted": Relation.INTERPRETS,
    "notes": Relation.INTERPRETS,
    "argued": Relation.INTERPRETS,
    "argues": Relation.INTERPRETS,
    "assessed": Relation.INTERPRETS,
    "assesses": Relation.INTERPRETS,
    "believes": Relation.INTERPRETS,
    "suggested": Relation.INTERPRETS,
    "suggests": Relation.INTERPRETS,
}
_NOUN_LIKE = {"reports", "states", "claims", "notes", "estimates", "published", "forecast"}
_VERB = re.compile(
    r"\b(?P<verb>" + "|".join(sorted((re.escape(v) for v in _VERBS), key=len, reverse=True)) + r")\b"
    r"(?P<after>\s*(?:that\b|:|,)?)",
    re.IGNORECASE,
)
# Sources that pass information on while interpreting it: for others "emphasises" is a statement.
_INTERPRETERS = {SourceKind.NEWS_AGENCY, SourceKind.OUTLET, SourceKind.COLLECTIVE}
_UNNAMED_OWN = re.compile(
    r",?\s*(?P<cue>(?:based on|citing|quoting|relying on)\s+(?:its|their|his|her)\s+(?:own\s+)?"
    r"(?:sources|informants|contacts|interlocutors|inspectors|officials|experts|analysts|staff|people|"
    r"investigators|researchers))\s*,?",
    re.IGNORECASE,
)
_CITING = re.compile(r",\s*(?P<cue>citing|quoting)\s+(?P<who>[^,]+?)\s*,", re.IGNORECASE)
_IN_DOCUMENT = re.compile(
    r"\s*\bin\s+(?:its|his|her|their|a|an|the)\s+(?:(?:official|written|latest|new)\s+)?"
    r"(?P<doc>communiqué|communique|statement|press release|report|letter|post|briefing|bulletin|message)\b",
    re.IGNORECASE,
)
_VAGUE_UNNAMED = re.compile(
    r"\b(?:unnamed|anonymous|unidentified|undisclosed)\b|anonymity|not (?:be )?named|familiar with",
    re.IGNORECASE,
)
_UNNAMED_NOUN = re.compile(
    r"\b(sources?|officials?|insiders?|people|diplomats?|officers?|employees?|staff|inspectors?|experts?|"
    r"analysts?|investigators?|researchers?|residents?|witness(?:es)?|locals?|soldiers?|workers?)\b"
)
_TITLES = {
    "Minister",
    "Ministry",
    "President",
    "General",
    "Mayor",
    "Governor",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Commander",
    "Colonel",
    "Prosecutor",
    "Ambassador",
    "Agency",
    "Police",
}
# Words that open an adverbial clause ("As early as May", "After the talks"), never a source.
_CLAUSE_STARTS = {
    "as",
    "in",
    "on",
    "at",
    "after",
    "before",
    "since",
    "so",
    "by",
    "for",
    "from",
    "with",
    "during",
    "until",
    "when",
    "while",
    "if",
    "although",
    "though",
    "because",
    "over",
    "under",
    "despite",
    "far",
    "to",
    "into",
    "of",
    "once",
    "yet",
    "even",
    "only",
    "there",
    "here",
    "what",
    "how",
    "why",
    "where",
    "not",
    "no",
    "all",
}
# Words that make a phrase a clause rather than a name ("Farmers in the valley have been told").
_CLAUSE_WORDS = re.compile(
    r"\b(?:is|are|was|were|be|been|being|will|would|could|should|may|might|must|can|did|does|do|"
    r"when|where|which|who|whom|whose|that|began|begun|if|because|while|than|not)\b",
)
# Nouns that, after "the", point back to a source named earlier; words in one group stand for each other.
_SAME_NOUNS: list[frozenset[str]] = [
    frozenset(
        {"company", "firm", "operator", "carrier", "airline", "utility", "business", "group", "producer"}
    ),
    frozenset({"broadcaster", "television", "channel", "station"}),
    frozenset({"newspaper", "paper", "daily", "weekly", "outlet", "magazine"}),
    frozenset({"ministry", "department"}),
    frozenset({"agency", "service"}),
    frozenset({"university", "institute"}),
    frozenset({"union"}),
    frozenset({"council"}),
]
# Kind words that follow an organisation's name without being part of it ("Yonhap agency").
_ORGANISATION_NOUNS = {
    "agency",
    "news",
    "wire",
    "broadcaster",
    "television",
    "tv",
    "channel",
    "station",
    "radio",
    "newspaper",
    "daily",
    "weekly",
    "magazine",
    "outlet",
    "portal",
    "website",
    "service",
}
_ANAPHOR_NOUNS = set(ANAPHORS).union(*_SAME_NOUNS)
_HONORIFICS = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Sir|Dame)\.?\s+(?=[A-Z])")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "which", "who"}
_LEADING_FILLERS = re.compile(r"^(?:(?:and|but|so|also|meanwhile|however|then|now|later|earlier)\s+)+", re.I)
_TRAILING_FILLERS = re.compile(
    r"(?:\s+(?:also|has|have|had|then|later|earlier|previously|recently|too|again|already|once|itself|"
    r"themselves|publicly|openly|on \w+|last \w+|this \w+|in \w+))+$",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(
    r"^(?:(?:in the future|later|still|moreover|in time),\s*)?(?:this|it|that|such)\b", re.I
)

# What makes an unattributed sentence worth checking.
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\b(?:19|20)\d\d\b|\b(?:last|next|this) (?:year|month|week|spring|summer|autumn|winter)\b|"
    r"\b(?:yesterday|today|tomorrow)\b",
)
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:hundreds?|thousands?|millions?|billions?|dozens?|per ?cent|percent|half|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|quarter|third|twice|double)\b",
    re.IGNORECASE,
)
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'’-]*)*")
_MIN_FACT_WORDS = 6


# ---- sources the text has named so far -------------------------------------------------


@dataclass
class _Named:
    source: Source
    tail: tuple[Hop, ...] = ()  # hops behind it last time (its unnamed sources), for anaphora
    descriptors: frozenset[str] = frozenset()  # how the text described it: "operator", "broadcaster"


@dataclass
class _Memory:
    """The sources named so far, latest last: anaphora and repeated names resolve against it."""

    article: Article
    named: list[_Named] = field(default_factory=list)

    def remember(
        self, source: Source, tail: tuple[Hop, ...] = (), descriptors: frozenset[str] = frozenset()
    ) -> None:
        key = source_key(source.name)
        before = next((entry for entry in self.named if source_key(entry.source.name) == key), None)
        if before is not None:
            descriptors |= before.descriptors
            tail = tail or before.tail
        self.named = [entry for entry in self.named if entry is not before]
        self.named.append(_Named(source, tail, descriptors))

    def same_as(self, name: str) -> _Named | None:
        """An earlier source this name stands for: same name, its acronym, or its name without a kind word."""
        key = source_key(name)
        for entry in reversed(self.named):
            known = source_key(entry.source.name)
            if key == known:
                return entry
            if name.isupper() and f"({name.lower()})" in entry.source.name.lower():
                return entry
            if known.startswith(key + " ") or key.startswith(known + " "):
                return entry
        return None

    def antecedent(self, noun: str, modifiers: list[str]) -> _Named | None:
        """The source "the <noun>" points back to: first one described or named so, then one of a fitting kind.

        With modifiers ("the interior ministry") every modifier must appear in the earlier name.
        """
        family = next((group for group in _SAME_NOUNS if noun in group), frozenset({noun}))
        for entry in reversed(self.named):
            words = set(entry.source.name.lower().split()) | entry.descriptors
            if words & family and all(modifier in words for modifier in modifiers):
                return entry
        if modifiers:
            return None
        kinds = ANAPHORS.get(noun, frozenset())
        for entry in reversed(self.named):
            if entry.source.kind in kinds:
                return entry
        return None


@dataclass(frozen=True)
class _Mention:
    """A source as a sentence names it, with what was guessed about it."""

    source: Source
    written: str
    note: str
    tail: tuple[Hop, ...] = ()
    descriptors: frozenset[str] = frozenset()


def _title_case_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _strip_article(phrase: str) -> tuple[str, bool]:
    stripped = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
    return stripped, stripped != phrase.strip()


def _is_kind_noun(word: str) -> bool:
    """A common noun telling the kind ("agency", "television", "Minister"), not a name in the lexicon."""
    return bool(guess_kind(word).because) and (word.islower() or word in _TITLES)


def _descriptors(*phrases: str) -> frozenset[str]:
    """The lower-case nouns a text used to describe a source, for resolving "the operator" later."""
    words = set()
    for phrase in phrases:
        words |= {
            w.strip("'’s") for w in re.findall(r"[a-z][a-z'’-]+", phrase) if w.strip("'’s") in _ANAPHOR_NOUNS
        }
    return frozenset(words)


def _proper_name(words: list[str]) -> str | None:
    """The naming part of a descriptive phrase: "Japanese television NHK" -> "NHK", "Yonhap agency" -> "Yonhap"."""
    kinds = [i for i, word in enumerate(words) if _is_kind_noun(word)]
    if not kinds:
        return None
    # A kind word followed by capitalised words to the end: the name comes after the description.
    tail = words[kinds[-1] + 1 :]
    if tail and not tail[0].startswith("(") and all(word[:1].isupper() or word[:1] == "(" for word in tail):
        return " ".join(tail)
    # A name followed only by lower-case kind words ("Yonhap agency", "Reuters news agency").
    head: list[str] = []
    for word in words:
        if word[:1].isupper() and not is_descriptive(word) and not _is_kind_noun(word):
            head.append(word)
        else:
            break
    rest = words[len(head) :]
    if head and rest and all(word in _ORGANISATION_NOUNS for word in rest):
        return " ".join(head)
    return None


def _unnamed_source(
    phrase: str, memory: _Memory, owner: Source | None = None, *, one: bool = False
) -> Source:
    """A source for people the article does not name, kept apart by whose they are or by the article."""
    noun = _UNNAMED_NOUN.search(phrase.lower())
    found = noun.group(1) if noun else "sources"
    singular = found[:-2] if found.endswith("sses") else found[:-1] if found.endswith("s") else found
    if found in ("people", "staff") or one:
        label = found
    else:
        label = singular + ("es" if singular.endswith("ss") else "s")
    if owner is not None:
        return Source(f"Unnamed {label} ({owner.name})", SourceKind.UNNAMED)
    # Unnamed people of different articles are different people: keep them apart by the article.
    title = memory.article.title
    short = title if len(title) <= 40 else title[:40].rsplit(" ", 1)[0] + "…"
    return Source(f"Unnamed {label} ({short})", SourceKind.UNNAMED)


def _mention(phrase: str, memory: _Memory, role: str = "") -> _Mention | None:
    """Who a phrase names; None when it does not look like a source at all.

    `role` is an apposition the text gave ("Petra Lind, the union's secretary"): it only helps
    to guess the kind and to resolve later references.
    """
    phrase = _LEADING_FILLERS.sub("", phrase.strip(" ,;:\"'"))
    phrase = _TRAILING_FILLERS.sub("", phrase).strip(" ,;:")
    if not phrase or "," in phrase:
        return None  # an apposition or a clause: the caller splits those
    words = phrase.split()
    if len(words) > MAX_SUBJECT_WORDS or words[0].lower() in _PRONOUNS | _CLAUSE_STARTS:
        return None
    if "@" in phrase:
        handle = re.search(r"@[\w.]+", phrase)
        if handle:
            source = Source(handle.group(0), SourceKind.SOCIAL_MEDIA)
            return _mention_of(source, phrase, memory, "kind guessed: social-media account (an @handle)")
    if _VAGUE_UNNAMED.search(phrase):
        source = _unnamed_source(phrase, memory)
        return _Mention(source, phrase, f"{source.name}: the article does not name them")
    bare, had_article = _strip_article(phrase)
    bare_words = bare.split()
    if not bare_words:
        return None
    possessive = re.match(r"^(.*?)['’]s\s+\w+", bare)  # "the ministry's figures" -> the ministry
    if possessive and len(possessive.group(1).split()) < len(bare_words):
        return _mention(possessive.group(1) if not had_article else f"the {possessive.group(1)}", memory)
    capitalised = [w for w in bare_words if w[:1].isupper() and not is_descriptive(w)]
    head_noun = bare_words[-1].lower()
    if had_article and not capitalised and head_noun in _ANAPHOR_NOUNS:
        # "the broadcaster" points back to any broadcaster; "the interior ministry" only to one
        # described with the same words, and is otherwise a new source named by its description.
        modifiers = [w.lower() for w in bare_words[:-1]]
        entry = memory.antecedent(head_noun, modifiers)
        if entry is not None:
            return _Mention(
                entry.source,
                phrase,
                f"“{phrase}” taken to mean {entry.source.name}, the last {head_noun} named before",
                tail=entry.tail,
            )
        if not modifiers:
            return None
    single = re.match(r"^(?:one|a|an)\s+(?:[a-z]+\s+)?([a-z]+)$", phrase)
    if single and _UNNAMED_NOUN.fullmatch(single.group(1)):
        source = _unnamed_source(single.group(1), memory, one=True)
        return _Mention(source, phrase, f"{source.name}: “{phrase}”, the article does not name them")
    guess = guess_kind(bare)
    if not capitalised and not guess.because:
        return None  # lower-case words with no telling noun: a clause, not a source
    if "," in bare or not re.match(r"^[\w\u00c0-\u024f@(]", bare) or _CLAUSE_WORDS.search(bare):
        return None
    if not guess.because and role:
        guess = guess_kind(role)
    name = _HONORIFICS.sub("", _proper_name(bare_words) or _title_case_first(bare))
    source = Source(name, guess.kind)
    return _mention_of(source, phrase, memory, guess.describe(), _descriptors(bare, role), role)


def _mention_of(
    source: Source,
    written: str,
    memory: _Memory,
    note: str,
    descriptors: frozenset[str] = frozenset(),
    role: str = "",
) -> _Mention:
    earlier = memory.same_as(source.name)
    if earlier is not None:
        return _Mention(
            earlier.source,
            written,
            f"“{written}” is {earlier.source.name}, named before",
            earlier.tail,
            descriptors,
        )
    described = ", ".join(
        part for part in (written if source_key(written) != source_key(source.name) else "", role) if part
    )
    # Stored with a new source, so the guess stays visible after the import: "{kind} guessed ...".
    parts = [f"Described in the article as “{described}”." if described else "", f"{_sentence_case(note)}."]
    notes = " ".join(part for part in parts if part) + f" Added from the article “{memory.article.title}”."
    return _Mention(
        Source(source.name, source.kind, notes=notes), written, f"{source.name}: {note}", (), descriptors
    )


def _mentions(phrase: str, memory: _Memory, role: str = "") -> list[_Mention]:
    """One mention per source in "A and B" or "A, B and C"; empty when any part is not a source."""
    # Commas separate sources only in a list that ends with "and"; otherwise they set off an apposition.
    separators = (
        r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+"
        if re.search(r"\s(?:and|as well as)\s", phrase)
        else r"$^"
    )
    parts = [part for part in re.split(separators, phrase) if part.strip()]
    if len(parts) > 1:
        several = [_mention(part, memory) for part in parts]
        if all(several) and len({source_key(m.source.name) for m in several if m}) == len(several):
            return [m for m in several if m]
    whole = _mention(phrase, memory, role)
    return [whole] if whole else []


@dataclass(frozen=True)
class _Attribution:
    mentions: list[_Mention]
    relation: Relation
    cues: tuple[str, ...]
    unnamed_own: str = ""  # the cue of "X, based on its sources"
    citing: _Mention | None = None  # "X, citing Y, reported"
    document: str | None = None  # "said the NIS in its communiqué"


def _mask_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out (same length), so cues inside quotes are not cues."""
    return _QUOTED.sub(lambda m: '"' + "\u2591" * (len(m.group(0)) - 2) + '"', sentence)


def _has_quote(sentence: str) -> bool:
    return any(len(m.group(0).split()) >= 3 for m in _QUOTED.finditer(sentence))


def _according_to(masked: str, memory: _Memory) -> _Attribution | None:
    match = _ACCORDING.search(masked)
    if match is None:
        return None
    mentions = _mentions(match.group("who"), memory)
    if not mentions:
        return None
    return _Attribution(
        mentions, Relation.ACCORDING_TO, (masked[match.start() : match.start("who")].strip(),)
    )


def _speaker_after_quote(sentence: str, masked: str, memory: _Memory) -> _Attribution | None:
    """ "…", said X  /  "…", stated X in its communiqué."""
    match = re.match(
        r'^\s*"[^"]*"\s*,?\s*(?P<verb>\w+)\s+(?P<who>[^,"]+?)(?:,\s*(?P<role>[^,"]+?))?\s*[.!]?\s*$', masked
    )
    if match is None or match.group("verb").lower() not in _VERBS:
        return None
    who = match.group("who")
    document = None
    in_document = _IN_DOCUMENT.search(who)
    if in_document:
        document = in_document.group("doc").lower()
        who = who[: in_document.start()]
    mentions = _mentions(who, memory, role=match.group("role") or "")
    if not mentions:
        return None
    cues = ("quotation marks", match.group("verb")) + ((in_document.group(0).strip(),) if in_document else ())
    return _Attribution(mentions, Relation.QUOTES, cues, document=document)


def _reporting_verb(sentence: str, masked: str, memory: _Memory) -> _Attribution | None:
    """X reported that / X and Y explained that / "…", X said / X said: "…"."""
    for match in _VERB.finditer(masked):
        verb = match.group("verb").lower()
        if verb in _NOUN_LIKE and not match.group("after").strip():
            continue
        # A source and its "based on its sources" insertion fit well within the words just before the verb.
        subject = masked[max(0, match.start() - SUBJECT_CHARS) : match.start()]
        cues: list[str] = []
        unnamed_own = ""
        own = _UNNAMED_OWN.search(subject)
        if own:
            unnamed_own = own.group("cue")
            cues.append(own.group("cue"))
            subject = subject[: own.start()] + " " + subject[own.end() :]
        citing = None
        cited = _CITING.search(subject)
        if cited:
            citing = _mention(cited.group("who"), memory)
            if citing is not None:
                cues.append(f"{cited.group('cue')} {cited.group('who')}")
            subject = subject[: cited.start()] + " " + subject[cited.end() :]
        document = None
        in_document = _IN_DOCUMENT.match(masked[match.end("verb") : match.end("verb") + 60].split(",")[0])
        if in_document:
            document = in_document.group("doc").lower()
            cues.append(in_document.group(0).strip())
        mentions = _subject_mentions(subject, memory)
        if not mentions:
            continue
        relation = _VERBS[verb]
        if relation is Relation.INTERPRETS and not all(m.source.kind in _INTERPRETERS for m in mentions):
            relation = Relation.STATES
        if _has_quote(sentence) and relation is Relation.STATES:
            relation = Relation.QUOTES
            cues.append("quotation marks")
        return _Attribution(mentions, relation, (match.group("verb"), *cues), unnamed_own, citing, document)
    return None


def _subject_mentions(subject: str, memory: _Memory) -> list[_Mention]:
    """The sources in the words before a reporting verb; a leading clause ("As early as May,") is skipped."""
    subject = subject.replace('"', " ").replace("\u2591", " ")
    subject = _TRAILING_FILLERS.sub("", subject.rstrip(" ,")).strip()
    if not subject:
        return []
    found = _mentions(subject, memory)
    if found:
        return found
    # Keep only the words after the last comma ("As early as May, residents"), else take the
    # name of an apposition ("The operator, Northgate Terminals," / "Tom Ellis, the mayor,").
    parts = [part.strip() for part in subject.split(",") if part.strip()]
    if not parts:
        return []
    found = _mentions(parts[-1], memory, role=parts[-2] if len(parts) > 1 else "")
    if found:
        return found
    if len(parts) > 1:
        return _mentions(parts[-2], memory, role=parts[-1])
    return []


def _credit(segment: Segment, memory: _Memory) -> tuple[int, _Mention, str] | None:
    """An image credit in a caption-like line: (where the credit starts, who, the cue)."""
    match = _CREDIT.search(segment.text)
    if match is None:
        return None
    who = match.group("who").replace("©", " ").strip(" .,;")
    who = re.sub(r"^(?:source|credit)\s*:\s*", "", who, flags=re.IGNORECASE)
    handle = re.search(r"@[\w.]+", who)
    if handle:
        platform = next(
            (PLATFORMS[w.lower()] for w in re.split(r"[\s,/|]+", who) if w.lower() in PLATFORMS), None
        )
        name = f"{platform} account {handle.group(0)}" if platform else handle.group(0)
        source = Source(name, SourceKind.SOCIAL_MEDIA)
        mention = _mention_of(source, who, memory, "kind guessed: social-media account (an @handle)")
    else:
        first = re.split(r"\s*[/|]\s*|\s+via\s+", who)[0].strip()
        found = _mention(first, memory) if first else None
        if found is None:
            return None
        mention = found
    return match.start(), mention, match.group("cue").strip()


# ---- the extractor ------------------------------------------------------------------------


def _chain(attribution: _Attribution, mention: _Mention, memory: _Memory) -> Chain:
    source = mention.source
    if attribution.document:
        document = Source(f"{_short_name(mention)} {attribution.document}", SourceKind.DOCUMENT)
        return (Hop(document, attribution.relation), Hop(source, Relation.STATES, is_origin=True))
    if attribution.unnamed_own:
        unnamed = _unnamed_source(attribution.unnamed_own, memory, owner=source)
        return (Hop(source, Relation.BASED_ON_UNNAMED_SOURCES), Hop(unnamed, Relation.STATES, is_origin=True))
    if attribution.citing is not None:
        cited = attribution.citing.source
        if cited.kind is SourceKind.UNNAMED:
            cited = _unnamed_source(attribution.citing.written, memory, owner=source)
        return (Hop(source, attribution.relation), Hop(cited, Relation.ACCORDING_TO, is_origin=True))
    # "According to the broadcaster" passes on what the broadcaster had from its unnamed sources;
    # "the ministry stated" is the ministry speaking for itself.
    relaying = attribution.relation in (Relation.ACCORDING_TO, Relation.REPORTS)
    return (Hop(source, attribution.relation), *(mention.tail if relaying else ()))


def _short_name(mention: _Mention) -> str:
    """How the text itself calls a source ("the NIS" -> "NIS"), for naming its documents."""
    bare, _ = _strip_article(mention.written)
    return _proper_name(bare.split()) or bare


def _remember(chain: Chain, memory: _Memory, descriptors: frozenset[str] = frozenset()) -> None:
    for position, hop in enumerate(chain):
        if hop.source.kind is not SourceKind.UNNAMED:
            described = descriptors if position == 0 else frozenset()
            memory.remember(hop.source, tuple(chain[position + 1 :]), described)


def _factual_reasons(sentence: str) -> list[str]:
    """What makes a sentence checkable: numbers, dates, named actors (up to a few of each)."""
    reasons: list[str] = []
    reasons += [m.group(0) for m in _DATE.finditer(sentence)][:2]
    reasons += [m.group(0) for m in _NUMBER.finditer(sentence) if m.group(0) not in reasons][:2]
    for match in _CAPITALISED_RUN.finditer(sentence):
        run = match.group(0)
        at_start = sentence[: match.start()].strip(" \"'(") == ""
        if at_start and " " not in run:
            continue  # a sentence's first word is capitalised anyway
        if run in reasons or re.fullmatch(_MONTHS, run) or run == "I":
            continue
        reasons.append(run)
        if len(reasons) >= 5:
            break
    return reasons


def _unattributed(segment: Segment, text: str) -> Proposal | None:
    sentence = segment.clean
    if segment.is_line or sentence.endswith("?") or len(sentence.split()) < _MIN_FACT_WORDS:
        return None
    reasons = _factual_reasons(sentence)
    if not reasons:
        return None
    return Proposal(
        text=sentence,
        passage=segment.text,
        anchor=anchor_at(text, segment.start, segment.end),
        chains=(),
        unattributed=True,
        cues=tuple(reasons),
        note="No source cited. Checkable because it names: " + ", ".join(reasons) + ".",
    )


def _attributed(segment: Segment, text: str, memory: _Memory) -> Proposal | None:
    sentence = segment.text
    masked = _mask_quotes(sentence)
    attribution = (
        _according_to(masked, memory)
        or _speaker_after_quote(sentence, masked, memory)
        or _reporting_verb(sentence, masked, memory)
    )
    if attribution is None:
        return None
    chains = tuple(_chain(attribution, mention, memory) for mention in attribution.mentions)
    for chain, mention in zip(chains, attribution.mentions, strict=True):
        _remember(chain, memory, mention.descriptors)
    notes = [mention.note for mention in attribution.mentions]
    if attribution.unnamed_own:
        notes.append("the origin is marked as the unnamed sources it relies on")
    return Proposal(
        text=segment.clean,
        passage=sentence,
        anchor=anchor_at(text, segment.start, segment.end),
        chains=chains,
        unattributed=False,
        cues=attribution.cues,
        note=_sentence_case("; ".join(notes)) + ".",
    )


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _photo(index: int, items: list[Segment], text: str, memory: _Memory) -> Proposal | None:
    segment = items[index]
    found = _credit(segment, memory)
    if found is None:
        return None
    offset, mention, cue = found
    start = segment.start
    caption = segment.text[:offset].strip(" .;|-–—")
    if not caption and index > 0:
        before = items[index - 1]
        same_line = before.unit == segment.unit
        line_above = (
            before.is_line and before.paragraph == segment.paragraph and before.unit == segment.unit - 1
        )
        if same_line or line_above:
            caption, start = before.clean.rstrip(" ."), before.start
    chain: Chain = (Hop(mention.source, Relation.IMAGE_CREDIT),)
    _remember(chain, memory, mention.descriptors)
    wording = f"Photo: {caption}" if caption else f"The article's image is credited to {mention.source.name}"
    return Proposal(
        text=wording,
        passage=text[start : segment.end],
        anchor=anchor_at(text, start, segment.end),
        chains=(chain,),
        unattributed=False,
        cues=(cue,),
        note=_sentence_case(mention.note) + ". An image credit names who posted or sold the image, "
        "not necessarily who took it.",
    )


def _merge(first: Proposal, extra: Segment, text: str) -> Proposal:
    """An attributed sentence and the next one that only carries it on ("This may…")."""
    start, end = first.anchor.start, extra.end
    return Proposal(
        text=f"{first.text} {extra.clean}",
        passage=text[start:end],
        anchor=anchor_at(text, start, end),
        chains=first.chains,
        unattributed=False,
        cues=(*first.cues, "next sentence carries it on"),
        note=first.note,
    )


_NAMED_OBJECT = re.compile(
    r"\b(?:[a-z]+\s+){0,3}(?:"
    + "|".join(sorted(_ORGANISATION_NOUNS | {"ministry", "union", "council"}))
    + r")"
    r"\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
)


def _remember_named_objects(masked: str, memory: _Memory) -> None:
    """Sources a sentence names without citing them ("told the radio station Ona Sud"), for later anaphora."""
    for match in _NAMED_OBJECT.finditer(masked):
        mention = _mention(match.group(0), memory)
        if mention is not None and mention.source.kind is not SourceKind.UNNAMED:
            memory.remember(mention.source, mention.tail, mention.descriptors)


def propose(
    article: Article,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Proposal]:
    """Every claim the rules find in the article's (normalised) text, in reading order.

    A long article takes a moment: `progress(done, total)` hears of it segment by segment, and
    `cancelled()` stops it with ImportCancelled (nothing has been written at this stage).
    """
    text = article.text
    memory = _Memory(article)
    items = segments(text)
    title_key = source_key(article.title)
    proposals: list[Proposal] = []
    for index, segment in enumerate(items):
        if index % _CHECK_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"Import of “{article.title}” cancelled; nothing was added.")
            if progress is not None:
                progress(index, len(items))
        photo = _photo(index, items, text, memory)
        if photo is not None:
            # The caption may have been taken for a claim of its own a moment ago: it is the photo's.
            while proposals and proposals[-1].anchor.end > photo.anchor.start:
                proposals.pop()
            proposals.append(photo)
            continue
        if segment.is_line:
            continue
        if source_key(segment.text) == title_key:
            continue
        attributed = _attributed(segment, text, memory)
        _remember_named_objects(_mask_quotes(segment.text), memory)
        if attributed is not None:
            proposals.append(attributed)
            continue
        previous = proposals[-1] if proposals else None
        if (
            previous is not None
            and not previous.unattributed
            and index > 0
            and items[index - 1].unit == segment.unit
            and previous.anchor.end == items[index - 1].end
            and _CONTINUATION.match(segment.text)
        ):
            proposals[-1] = _merge(previous, segment, text)
            continue
        unattributed = _unattributed(segment, text)
        if unattributed is not None:
            proposals.append(unattributed)
    return proposals
