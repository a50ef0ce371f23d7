"""schema.org ClaimReview, from JSON-LD files and from HTML pages that carry JSON-LD.

Tolerant of what publishers actually write: `@type` as a list or with a prefix ("schema:…", a full
http or https address), objects nested in `@graph` or in arrays, a missing or textual
`ratingValue`, authors as plain text or as objects. A ClaimReview with no claim text, or a script
that is not valid JSON, is reported by its position and skipped; the others come in.

Each review becomes one record with the columns below; the suggested mapping uses the claim text,
whoever made the claim, when they made it, the verdict text and the review's address.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from desktop.core.imports import ImportFileError
from desktop.io.importing.dataset import Dataset, JsonProblem, Record, Skipped, parse_json

COLUMNS = [
    "claim",
    "claimant",
    "claim_date",
    "verdict",
    "rating_value",
    "best_rating",
    "worst_rating",
    "reviewed_by",
    "review_date",
    "review_url",
    "appearance",
]
SUGGESTED = {
    "text": "claim",
    "source": "claimant",
    "date": "claim_date",
    "verdict": "verdict",
    "url": "review_url",
}


def looks_like_claimreview(text: str) -> bool:
    return "ClaimReview" in text


def read_claimreview(text: str, path: Path, *, encoding: str | None = None) -> Dataset:
    """Every ClaimReview in a JSON-LD document, a JSON Lines file of them, or an HTML page."""
    dataset = Dataset(path, "claimreview", encoding, list(COLUMNS), [], suggested=dict(SUGGESTED))
    stripped = text.lstrip()
    if stripped.startswith("<"):
        scripts = _ld_scripts(text)
        if not scripts:
            raise ImportFileError(f'{path}: the page has no <script type="application/ld+json"> block.')
        for number, (line, script) in enumerate(scripts, start=1):
            where = f"script {number} (line {line})"
            try:
                data = parse_json(script)
            except JsonProblem as problem:
                dataset.skipped.append(Skipped(where, problem.at(line)))
                continue
            _walk(dataset, data, where)
    else:
        try:
            data = parse_json(text)
        except JsonProblem as whole:
            # Perhaps JSON Lines, one JSON-LD object per line: only if the first line is a whole object.
            lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
            if len(lines) < 2 or not _is_object(lines[0][1]):
                raise ImportFileError(f"{path}: {whole.at()}.") from whole
            for number, json_line in lines:
                try:
                    item = parse_json(json_line)
                except JsonProblem as problem:
                    dataset.skipped.append(Skipped(f"line {number}", problem.at(number)))
                    continue
                _walk(dataset, item, f"line {number}")
        else:
            _walk(dataset, data, "")
    if not dataset.records and not dataset.skipped:
        raise ImportFileError(f"{path}: no ClaimReview found.")
    return dataset


def _is_object(line: str) -> bool:
    try:
        return isinstance(parse_json(line), dict)
    except JsonProblem:
        return False


def _walk(dataset: Dataset, data: Any, where: str) -> None:
    """Find ClaimReview objects at the top, in arrays and in @graph; number them as they are met."""
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        here = f"{where}, object {number}" if where else f"object {number}"
        if len(items) == 1 and where:
            here = where
        if not isinstance(item, dict):
            dataset.skipped.append(Skipped(here, "not a JSON-LD object"))
            continue
        if "@graph" in item:
            graph = item["@graph"]
            graph_items = graph if isinstance(graph, list) else [graph]
            for index, node in enumerate(graph_items, start=1):
                _take(dataset, node, f"{here}, @graph item {index}", in_graph=True)
            continue
        _take(dataset, item, here, in_graph=False)


def _take(dataset: Dataset, node: Any, here: str, *, in_graph: bool) -> None:
    if not isinstance(node, dict):
        dataset.skipped.append(Skipped(here, "not a JSON-LD object"))
        return
    if not _is_type(node, "ClaimReview"):
        if not in_graph:
            # Outside a graph, anything else is probably a wrong file; inside one it is the page's other nodes.
            dataset.skipped.append(Skipped(here, f"not a ClaimReview (type {_types(node) or 'missing'})"))
        return
    item = node.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    claim = _text(node.get("claimReviewed")) or _text(item.get("text")) or _text(item.get("name"))
    if not claim:
        dataset.skipped.append(Skipped(here, "ClaimReview without claimReviewed or itemReviewed text"))
        return
    rating = node.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    rating = rating if isinstance(rating, dict) else {}
    appearance = item.get("appearance") or item.get("firstAppearance")
    values = {
        "claim": claim,
        "claimant": _name(item.get("author")),
        "claim_date": _text(item.get("datePublished")),
        "verdict": _text(rating.get("alternateName")) or _text(rating.get("name")),
        "rating_value": _text(rating.get("ratingValue")),
        "best_rating": _text(rating.get("bestRating")),
        "worst_rating": _text(rating.get("worstRating")),
        "reviewed_by": _name(node.get("author")),
        "review_date": _text(node.get("datePublished")),
        "review_url": _text(node.get("url")),
        "appearance": _url(appearance),
    }
    dataset.add(Record(here, values))


def _local_name(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def _types(node: dict[str, Any]) -> str:
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    return ", ".join(_local_name(v) for v in values if isinstance(v, str))


def _is_type(node: dict[str, Any], wanted: str) -> bool:
    return wanted in _types(node).split(", ")


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


def _name(value: Any) -> str:
    """Who: a plain name, a Person or Organization object, or the first of a list of them."""
    if isinstance(value, list):
        value = next((v for v in value if _name(v)), None)
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("alternateName"))
    return _text(value)


def _url(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("url")) or _text(value.get("@id"))
    return _text(value)


class _ScriptFinder(HTMLParser):
    """Collects the text of every <script type="application/ld+json"> with the line it starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[int, str]] = []
        self._inside = False
        self._parts: list[str] = []
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._inside, self._parts, self._line = True, [], self.getpos()[0]

    def handle_data(self, data: str) -> None:
        if self._inside:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inside:
            self._inside = False
            self.scripts.append((self._line, "".join(self._parts)))


def _ld_scripts(text: str) -> list[tuple[int, str]]:
    finder = _ScriptFinder()
    finder.feed(text)
    finder.close()
    return finder.scripts
