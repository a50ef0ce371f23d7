"""`corroborate import DB FILE …`: the headless import, printing what it added.

Kept here rather than in desktop/cli.py so the command line only has to register it; the heavy
modules (encoding detection, fuzzy matching, article extraction) load only when it runs.
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from desktop.core.errors import CorroborateError
from desktop.core.wording import counted
from desktop.io.importing.verdicts import PRESET_DESCRIPTIONS, PRESETS

# "corroborate": another Corroborate file, or its JSON or JSON Lines export (a colleague's copy).
FORMAT_CHOICES = ("article", "csv", "tsv", "json", "jsonl", "claimreview", "corroborate")
_DELIMITERS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "bar": "|", "pipe": "|"}


def add_import_parser(sub: Any) -> None:
    presets = "; ".join(f"{name}: {PRESET_DESCRIPTIONS[name]}" for name in PRESETS)
    command = sub.add_parser(
        "import",
        help="add claims from a dataset (CSV, TSV, JSON, JSONL, ClaimReview) or an article",
        description=(
            "Add the claims of FILE to DB in one step: either all of them come in, or (on an error) the "
            "file is left exactly as it was. Speakers become sources, matched to existing ones whatever "
            "their case, spacing or punctuation; an empty speaker leaves the claim unattributed. "
            "Verdict labels are kept as written. Near-duplicates are listed, never merged."
        ),
        epilog=(
            "Fields for --map: text (required), source, date, verdict, url, context; COLUMN is a column "
            "name or number (1 = first). Columns not mapped are kept as extra data. Verdict presets: "
            f"{presets}. Example: corroborate import checks.db claims.csv --map text=statement "
            "--map source=speaker --map verdict=label --verdict-preset six-level --save-mapping map.json"
        ),
    )
    command.add_argument("db", help="the Corroborate file to add to")
    command.add_argument(
        "file",
        help="the dataset or article to import, or a colleague's copy (a Corroborate file or its JSON export) to merge",
    )
    command.add_argument(
        "--format", choices=FORMAT_CHOICES, help="what FILE is (default: guessed from its extension)"
    )
    command.add_argument("--encoding", help="FILE's text encoding (default: detected, e.g. utf-8, cp1252)")
    command.add_argument(
        "--delimiter",
        help="CSV field separator: a character or tab, comma, semicolon, bar (default: sniffed)",
    )
    command.add_argument("--no-header", action="store_true", help="CSV/TSV: the first row is data")
    command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="which column holds a field (repeat); overrides --mapping and the guess from column names",
    )
    command.add_argument("--mapping", metavar="FILE", help="a mapping saved as JSON (see --save-mapping)")
    command.add_argument("--save-mapping", metavar="FILE", help="write the mapping used, as JSON, for reuse")
    command.add_argument(
        "--verdict-preset",
        choices=[*PRESETS, "none"],
        help="map verdict labels onto credibility 1-6 (grades go into the importing reviewer's review)",
    )
    command.add_argument(
        "--skip-near-duplicates",
        action="store_true",
        help="leave out claims that nearly repeat one in the file or earlier in FILE (default: add and list them)",
    )
    command.add_argument(
        "--again",
        action="store_true",
        help="an article already in DB (same title and text): import it a second time (default: refused)",
    )
    command.add_argument(
        "--reviewer",
        help="who imports (recorded with the import; default $CORROBORATE_REVIEWER or login name)",
    )
    command.set_defaults(handler=run_import_command)


def _reviewer(args: argparse.Namespace) -> str:
    name = args.reviewer or os.environ.get("CORROBORATE_REVIEWER") or ""
    if not name.strip():
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "importer"
    return name.strip()


def run_import_command(args: argparse.Namespace) -> int:
    from desktop.store import Store

    path = Path(args.file)
    if args.format == "corroborate" or (args.format is None and is_corroborate_copy(path)):
        return _merge_copy(args, path)
    if (args.format or _guessed_format(path, args.encoding)) == "article":
        return _import_article(args, path)
    # Read and check everything before the Corroborate file is even opened.
    plan = _plan(args, path)
    store = Store.open(args.db, reviewer=_reviewer(args))
    try:
        kept = _back_up_first(store, f"The import of {path.name}")
        result = _write(args, store, plan)
    finally:
        store.close()
    print("\n".join([*result.summary_lines(), kept]))
    return 0


def _back_up_first(store: Any, what: str) -> str:
    """Back the file up before `what` changes it (when it is small enough); says where, or why not."""
    from desktop.store.backup import BACKUP_BEFORE_IMPORT_UP_TO, backup_before_import

    kept = backup_before_import(store.path, what)
    if kept is None:
        limit = BACKUP_BEFORE_IMPORT_UP_TO // 2**20
        return f"no backup made first: the file is over {limit} MB"
    return f"backup from just before, to take it back: {kept}"


def is_corroborate_copy(path: Path) -> bool:
    """Whether `path` is a Corroborate file or a Corroborate JSON / JSON Lines export (by its first bytes)."""
    from desktop.store.opening import is_sqlite_file

    if is_sqlite_file(path):
        return True
    if path.suffix.lower() not in (".json", ".jsonl"):
        return False
    try:
        with path.open("rb") as handle:
            return b'"corroborate-export"' in handle.read(4096)
    except OSError:
        return False  # reading it for real says what is wrong


def _merge_copy(args: argparse.Namespace, path: Path) -> int:
    from desktop.io.import_sqlite import load_copy
    from desktop.store import Store

    store = Store.open(args.db, reviewer=_reviewer(args))
    try:
        kept = _back_up_first(store, f"The merge of {path.name}")
        result = load_copy(store, path)
    finally:
        store.close()
    print(f"merged {path.name} into {Path(args.db).name}: {result.summary()}\n{kept}")
    return 0


def _plan(args: argparse.Namespace, path: Path) -> Any:
    from desktop.io.importing.mapping import Mapping, guess_mapping
    from desktop.io.importing.run import ReadOptions, load_dataset, plan_import

    delimiter = args.delimiter
    if delimiter is not None:
        delimiter = _DELIMITERS.get(delimiter.lower(), delimiter)
    read = ReadOptions(args.format, args.encoding, delimiter, header=not args.no_header)
    dataset = load_dataset(path, read)
    base = Mapping.load(Path(args.mapping)) if args.mapping else guess_mapping(dataset)
    mapping = Mapping.from_pairs(args.map, base)
    if args.verdict_preset is not None:
        mapping = mapping.with_preset(None if args.verdict_preset == "none" else args.verdict_preset)
    plan = plan_import(dataset, mapping)
    if args.save_mapping:
        plan.mapping.save(Path(args.save_mapping))
    return plan


def _guessed_format(path: Path, encoding: str | None) -> str:
    from desktop.io.importing.encoding import decode, detect_encoding
    from desktop.io.importing.run import DELIMITED_EXTENSIONS, guess_format, read_bytes

    if path.suffix.lower() in DELIMITED_EXTENSIONS:
        return "csv"  # a delimited file is never an article: no need to read it whole here
    data = read_bytes(path)
    return guess_format(path, decode(data, encoding or detect_encoding(data).encoding, path))


def _write(args: argparse.Namespace, store: Any, plan: Any) -> Any:
    from desktop.io.importing.duplicates import find_near_duplicates
    from desktop.io.importing.run import write_import
    from desktop.terminal import TerminalProgress

    shown = TerminalProgress(f"adding {counted(len(plan.claims), 'claim')} to {Path(args.db).name}")
    shown.say("looking for near-duplicates…")
    near = find_near_duplicates(plan.claims, store.claim_texts())
    leave_out = {n.index for n in near} if args.skip_near_duplicates else set()
    try:
        return write_import(
            store, plan, _reviewer(args), near_duplicates=near, leave_out=leave_out, progress=shown.update
        )
    finally:
        shown.end()


def _import_article(args: argparse.Namespace, path: Path) -> int:
    from desktop.store import Store

    try:
        from desktop.io import extract
    except ImportError as error:
        raise CorroborateError(
            "Importing articles is not available in this version (the article extractor is missing)."
        ) from error
    if not path.is_file():
        raise CorroborateError(f"{path} does not exist or is not a file.")
    article = extract.read_article(path, args.encoding)
    proposals = extract.propose(article)
    store = Store.open(args.db, reviewer=_reviewer(args))
    try:
        already = store.same_articles(article.title, article.text)
        if already and not args.again:
            article_id, claims = already[0]
            raise CorroborateError(
                f"{path.name} is already in {args.db} as article {article_id} ({counted(claims, 'claim')}); "
                "nothing was imported. Add --again to import it a second time."
            )
        kept = _back_up_first(store, f"The import of {path.name}")
        ids = extract.save_proposals(store, article, proposals)
    finally:
        store.close()
    unattributed = sum(1 for p in proposals if p.unattributed)
    print(
        f"imported article “{article.title}” from {path.name}: {counted(len(ids), 'claim')} "
        f"({unattributed} unattributed), every proposal accepted; review them in the window.\n{kept}"
    )
    return 0
