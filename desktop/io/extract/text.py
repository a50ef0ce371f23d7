"""Article intake: plain text, Markdown or HTML in, the visible text out, normalised.

Normalising happens before anything else, and the normalised text is what gets stored, so
every offset the extractor computes is an offset into exactly the text the file keeps.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.core.model import Article

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_TITLE_CHARS = 200


class ArticleReadError(CorroborateError):
    """An article file that cannot be read: missing, not text, or in an unknown encoding."""


# Spaces that look like a space but are not one; all become an ordinary space.
_ODD_SPACES = dict.fromkeys(
    map(
        ord,
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
    ),
    " ",
)
# Invisible characters that only get in the way of matching text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = {
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("\u201e"): '"',
    ord("\u201f"): '"',
    ord("\u00ab"): '"',
    ord("\u00bb"): '"',
    ord("\u2033"): '"',
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201a"): "'",
    ord("\u201b"): "'",
    ord("\u2032"): "'",
}

# Lines that belong to the page around the article, not to the article.
_BOILERPLATE = re.compile(
    r"^(?:related(?: content| articles| stories| news)?|read (?:more|also)\b.*|see also\b.*|"
    r"more on this(?: topic| story)?|recommended(?: for you)?|you may also like|"
    r"share(?: this)?(?: article| story)?|advertisement|subscribe\b.*|sign up\b.*newsletter.*)$",
    re.IGNORECASE,
)


_BOILERPLATE_HEADING = re.compile(
    r"^(?:related(?: content| articles| stories| news)?|read (?:more|also)|see also|more on this(?: topic| story)?|"
    r"recommended(?: for you)?|you may also like)\s*:?$",
    re.IGNORECASE,
)


def _without_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate lines; after a bare "Read more" or "Related" heading, also the list of links under it."""
    kept: list[str] = []
    under_heading = False
    for line in lines:
        if _BOILERPLATE.match(line):
            under_heading = bool(_BOILERPLATE_HEADING.match(line))
            continue
        if under_heading:
            # Link titles are short and end without a full stop; the first real sentence ends the list.
            if not line or (len(line) < 100 and not re.search(r"[.!?:\"]$", line)):
                continue
            under_heading = False
        kept.append(line)
    return kept


def normalise(text: str) -> str:
    """NFC, plain spaces and straight quotes, one newline style, no trailing spaces, no boilerplate lines.

    Runs of blank lines shrink to one blank line so paragraphs stay visible and offsets stay short.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(_ODD_SPACES).translate(_INVISIBLE).translate(_QUOTES)
    text = text.replace("\t", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(_without_boilerplate(lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---- HTML -----------------------------------------------------------------------------

_DROPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "form",
    "button",
    "svg",
    "iframe",
    "select",
    "head",
}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "pre",
    "dd",
    "dt",
}
# class or id words that mark "related content", share bars, adverts and the like.
_BOILERPLATE_CLASS = re.compile(
    r"\b(?:related|read-?more|recommended|share|social|newsletter|advert|ad-|promo|comments?|breadcrumbs?|"
    r"cookie|subscribe|sidebar|menu)\b",
    re.IGNORECASE,
)
# A figure caption is dropped unless it carries an image credit: the credit is a claim about the photo.
_CREDIT_HINT = re.compile(r"©|\b(?:source|credit|photo|image|picture|fot)s?\b\s*:", re.IGNORECASE)


class _VisibleText(HTMLParser):
    """Collects the text a reader sees; block elements end paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.title = ""
        self.first_heading = ""
        self._current: list[str] = []
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, started skipping here)
        self._in_title = False
        self._heading: list[str] | None = None
        self._caption_start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self._skip_depth:
                self._current.append("\n")
            return
        marks = " ".join(value or "" for name, value in attrs if name in ("class", "id", "role"))
        hidden = any(name == "hidden" for name, _ in attrs) or "display:none" in "".join(
            (value or "").replace(" ", "") for name, value in attrs if name == "style"
        )
        skip = tag in _DROPPED_TAGS or hidden or bool(_BOILERPLATE_CLASS.search(marks))
        if tag == "title":
            self._in_title = True
        if skip:
            self._skip_depth += 1
        self._stack.append((tag, skip))
        if tag in _BLOCK_TAGS and not self._skip_depth:
            self._end_block()
            if tag == "figcaption":
                self._caption_start = len(self.blocks)
            if tag == "h1" and not self.first_heading:
                self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or not any(open_tag == tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, skipped = self._stack.pop()
            if skipped:
                self._skip_depth -= 1
            if open_tag == "title":
                self._in_title = False
            if open_tag in _BLOCK_TAGS and not self._skip_depth:
                self._end_block()
                if open_tag == "h1" and self._heading is not None:
                    self.first_heading = " ".join("".join(self._heading).split())
                    self._heading = None
                if open_tag == "figcaption" and self._caption_start is not None:
                    caption = self.blocks[self._caption_start :]
                    if not any(_CREDIT_HINT.search(block) for block in caption):
                        del self.blocks[self._caption_start :]
                    self._caption_start = None
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        self._current.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def _end_block(self) -> None:
        raw = "".join(self._current)
        self._current = []
        for line in raw.split("\n"):
            line = " ".join(line.split())
            if line:
                self.blocks.append(line)

    def close(self) -> None:
        super().close()
        self._end_block()


def html_to_text(markup: str) -> tuple[str, str]:
    """The visible text of an HTML page, one paragraph per block, and its title (or first heading)."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    title = " ".join(parser.first_heading.split()) or " ".join(parser.title.split())
    return "\n\n".join(parser.blocks), title


# ---- Markdown -------------------------------------------------------------------------

_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"^```.*?^```[^\n]*$", re.DOTALL | re.MULTILINE), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images: the alt text is not visible text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), ""),  # link reference definitions
    (re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE), r"\1"),
    (re.compile(r"^[ ]{0,3}>[ ]?", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def markdown_to_text(markup: str) -> tuple[str, str]:
    """Markdown without its markup, and the title (front matter or first heading)."""
    title = ""
    front = _FRONT_MATTER.match(markup)
    if front:
        found = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", front.group(1), re.MULTILINE)
        title = found.group(1) if found else ""
        markup = markup[front.end() :]
    if not title:
        heading = re.search(r"^[ ]{0,3}#[ \t]+(.*?)[ \t]*#*[ \t]*$", markup, re.MULTILINE)
        title = heading.group(1) if heading else ""
    text = markup
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text, title


# ---- files ----------------------------------------------------------------------------


def decode(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Bytes to text: the given encoding, else a byte-order mark, else UTF-8, else Windows-1252."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as error:
            raise ArticleReadError(f"{path}: unknown encoding {encoding!r}.") from error
        except UnicodeDecodeError as error:
            raise ArticleReadError(
                f"{path}: byte {error.start} is not valid {encoding}; try another encoding."
            ) from error
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ArticleReadError(
                f"{path} starts like UTF-16 text but byte {error.start} breaks it (truncated or not text)."
            ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if "\x00" in text or "\ufffd" in text:
        raise ArticleReadError(f"{path} does not look like a text file (give its encoding if it is one).")
    return text


def guess_title(text: str) -> str:
    """The first line; a page header glued before a repeated headline ("TechHeadline" / "Headline") is dropped."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return "Untitled article"
    first = lines[0]
    if len(lines) > 1 and lines[1] != first and first.endswith(lines[1]) and len(first) - len(lines[1]) <= 20:
        first = lines[1]
    return first[:MAX_TITLE_CHARS]


def article_from_text(raw: str, *, title: str = "", kind: str = "txt", url: str | None = None) -> Article:
    """An Article from pasted or read text; `kind` is txt, md or html."""
    found_title = ""
    if kind == "html":
        raw, found_title = html_to_text(raw)
    elif kind == "md":
        raw, found_title = markdown_to_text(raw)
    text = normalise(raw)
    if not text:
        raise ArticleReadError("The article has no visible text.")
    chosen = normalise(title) or normalise(found_title) or guess_title(text)
    return Article(title=chosen[:MAX_TITLE_CHARS], text=text, url=url)


def read_article(path: Path, encoding: str | None = None) -> Article:
    """Read a .txt, .md or .html article: visible text only, normalised; the title is guessed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleReadError(
            f"{path}: an article must be a .txt, .md or .html file (got {suffix or 'no extension'})."
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleReadError(f"Cannot read {path}: {error.strerror or error}.") from error
    raw = decode(data, path, encoding)
    kind = "html" if suffix in (".html", ".htm") else "md" if suffix in (".md", ".markdown") else "txt"
    try:
        return article_from_text(raw, kind=kind)
    except ArticleReadError as error:
        raise ArticleReadError(f"{path}: {error.message}") from error
