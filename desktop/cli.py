"""Command line: `corroborate [DB]` opens the window; subcommands work headless.

Expected errors print one clear line to stderr and exit 2; anything else is a
bug and is left to raise with its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from desktop import __version__
from desktop.core.errors import CorroborateError
from desktop.core.grades import Status, parse_credibility, parse_reliability
from desktop.core.model import ClaimQuery
from desktop.core.wording import counted
from desktop.store import Store

EXIT_EXPECTED_ERROR = 2

Handler = Callable[[argparse.Namespace], int]
G = TypeVar("G")  # a grade: a reliability letter or a credibility number
# Every subcommand, known before the parser is built (see `main`).
COMMANDS = ("open", "stats", "agreement", "history", "new", "build-sample", "import", "export")


def _cmd_stats(args: argparse.Namespace) -> int:
    store = Store.open(args.db, read_only=True)  # counting needs no lock: a window may be editing it
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        for key, value in stats.items():
            if key == "reviewers":
                value = ", ".join(f"{name} ({count})" for name, count in value.items()) or "none"
            print(f"{key.replace('_', ' ')}: {value}")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from desktop.core.wording import local_time

    store = Store.open(args.db, read_only=True)  # reading needs no lock: a window may be editing it
    try:
        history = store.claim_history(args.claim, with_sources=not args.claim_only)
    finally:
        store.close()
    if args.json:
        record = {
            "claim": history.claim_id,
            "text": history.text,
            "came_from": history.came_from,
            "changes": [
                {
                    "id": entry.change_id,
                    "at": entry.at,
                    "reviewer": entry.reviewer,
                    "what": entry.what,
                    "detail": entry.detail,
                    "about_source": entry.about_source,
                }
                for entry in history.entries
            ],
        }
        print(json.dumps(record, indent=2, ensure_ascii=False))
        return 0
    print(f"Claim {history.claim_id}: {history.text}")
    print(history.came_from)
    if not history.entries:
        print("No changes yet.")
    width = max((len(entry.reviewer) for entry in history.entries), default=0)
    for entry in history.entries:
        print(f"{local_time(entry.at)}  {entry.reviewer:<{width}}  {entry.what}")
        for line in entry.detail.splitlines():
            print(" " * (20 + width) + line)  # under the change, past its time and reviewer
    return 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from desktop.core.agreement import Axis, agreement, as_json, describe

    store = Store.open(args.db, read_only=True)
    try:
        results = [agreement(axis, store.grades_given(axis.value)) for axis in Axis]
    finally:
        store.close()
    if args.json:
        print(json.dumps([as_json(result) for result in results], indent=2, ensure_ascii=False))
    else:
        print("\n".join(line for result in results for line in describe(result)))
    return 0


def _cmd_build_sample(args: argparse.Namespace) -> int:
    from desktop.io.sample import build_sample

    store = build_sample(Path(args.output))
    claims = store.count_claims()
    store.close()
    print(f"wrote {args.output}: {counted(claims, 'claim')}, unreviewed")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if path.exists():
        raise CorroborateError(f"{path} already exists; open it instead.")
    Store.open(path, create=True).close()
    print(f"created {path}")
    return 0


def _export_query(args: argparse.Namespace, store: Store) -> Sequence[int] | ClaimQuery:
    """The window's filters from the command line; a saved set stands alone."""
    graded = args.status or args.reliability or args.credibility
    if args.set is not None:
        if graded or args.source or args.search:
            raise CorroborateError("--set exports a saved set as it is; it cannot be combined with filters.")
        return store.saved_set_ids(args.set)
    if graded and not args.reviewer:
        raise CorroborateError(
            "--status, --reliability and --credibility filter on one reviewer's review: name whose with --reviewer."
        )
    source_ids = set()
    for name in args.source or ():
        found = store.find_source(name)
        if found is None or found.id is None:
            raise CorroborateError(f"--source {name!r}: no source of that name or alias in {store.path}.")
        source_ids.add(found.id)

    def graded_values(
        values: list[str] | None, parse: Callable[[str], G], option: str
    ) -> frozenset[G | None]:
        chosen: set[G | None] = set()
        for value in values or ():
            try:
                chosen.add(None if value.lower() == "none" else parse(value))
            except ValueError as error:
                raise CorroborateError(f"{option} {value!r}: {error}.") from None
        return frozenset(chosen)

    return ClaimQuery(
        reviewer=args.reviewer or "",
        text=args.search or "",
        statuses=frozenset(Status(s) for s in args.status or ()),
        source_ids=frozenset(source_ids),
        reliabilities=graded_values(args.reliability, parse_reliability, "--reliability"),
        credibilities=graded_values(args.credibility, parse_credibility, "--credibility"),
    )


def _cmd_export(args: argparse.Namespace) -> int:
    from desktop.io.export import ExportOptions, export

    if args.format == "pdf":
        # Lazily: Qt is loaded only for the one format that lays out pages with it.
        from desktop.ui import pdf_export

        pdf_export.ensure_application()
    # Read-only: an export never changes the file it reads, and works while the file is open in a window.
    store = Store.open(args.db, read_only=True)
    try:
        selection = _export_query(args, store)
        options = ExportOptions(
            reviewer=args.reviewer or None,
            bom=args.bom,
            include_log=args.log,
            publisher_name=args.publisher_name or "",
            publisher_url=args.publisher_url or "",
        )
        from desktop.terminal import TerminalProgress

        shown = TerminalProgress(f"exporting to {Path(args.output).name}")
        try:
            result = export(store, selection, args.format, args.output, options, progress=shown.update)
        finally:
            shown.end()
    finally:
        store.close()
    print(
        f"wrote {result.target}: {counted(result.claims, 'claim')}, {counted(result.items, f'{args.format} item')}"
    )
    return 0


EXPORT_FORMATS = ("csv", "json", "jsonl", "claimreview", "sqlite", "html", "pdf")


def _add_export_parser(sub: Any) -> None:
    export = sub.add_parser(
        "export",
        help="write the claims (all, filtered, or a saved set) as CSV, JSON, ClaimReview, SQLite, HTML or PDF",
        description=(
            "Write the claims of DB to OUT in one format. With no filter every claim is exported; the filters "
            "are those of the window and combine (a claim must match all of them). The file appears only once "
            "complete: a failed export leaves any previous OUT as it was."
        ),
        epilog=(
            "Formats: csv (one row per claim and review), json (complete, nested, versioned), jsonl (one record "
            "per line), claimreview (schema.org JSON-LD; needs --publisher-name and --publisher-url), sqlite (a "
            "Corroborate file with just these claims), html (report with charts), pdf (the report on A4 pages). "
            "Example: corroborate export sample.db --format csv --reviewer ana --status reviewed -o done.csv"
        ),
    )
    export.add_argument("db", help="the Corroborate file to read (opened read-only)")
    export.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS, help="what to write")
    export.add_argument("-o", "--output", required=True, help="the file to write (replaced if it exists)")
    filters = export.add_argument_group("filters (as in the window)")
    filters.add_argument(
        "--reviewer",
        help="whose review the grade and status filters read; only this reviewer's reviews are exported",
    )
    filters.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in Status],
        help="keep claims with this review status (repeat for several)",
    )
    filters.add_argument(
        "--source", action="append", help="keep claims whose chains pass through this source (name or alias)"
    )
    filters.add_argument(
        "--reliability", action="append", metavar="A-F|none", help="keep claims graded this reliability"
    )
    filters.add_argument(
        "--credibility", action="append", metavar="1-6|none", help="keep claims graded this credibility"
    )
    filters.add_argument(
        "--search", help="keep claims matching these words (text, passage, rationale, source)"
    )
    filters.add_argument("--set", metavar="NAME", help="export a named saved set instead of filtering")
    options = export.add_argument_group("format options")
    options.add_argument(
        "--bom", action="store_true", help="csv: start with a byte-order mark for spreadsheets"
    )
    options.add_argument("--log", action="store_true", help="json, jsonl: include each claim's change log")
    options.add_argument("--publisher-name", help="claimreview: the fact-checking organisation publishing")
    options.add_argument(
        "--publisher-url",
        help="claimreview: absolute base URL of its fact-check pages (claim id is appended)",
    )
    export.set_defaults(handler=_cmd_export)


def build_parser(*, window_only: bool = False) -> argparse.ArgumentParser:
    """The command line; `window_only` leaves out `import`, whose importers cost the window's start."""
    parser = argparse.ArgumentParser(
        prog="corroborate",
        description=(
            "Review the claims of an article: who says what, through which chain of sources, "
            "and how well it holds up. With no subcommand, opens DB in the review window."
        ),
        epilog=(
            "Run 'corroborate SUBCOMMAND --help' for each subcommand. "
            "Reviewer name: --reviewer, else $CORROBORATE_REVIEWER, else asked once and remembered."
        ),
    )
    parser.add_argument("--version", action="version", version=f"corroborate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")

    open_cmd = sub.add_parser("open", help="open DB in the review window (the default)")
    open_cmd.add_argument("db", nargs="?", help="the Corroborate file; omitted: choose or create one")
    open_cmd.add_argument("--reviewer", help="who is reviewing (stored on every grade and change)")
    open_cmd.set_defaults(handler=_cmd_open)

    stats = sub.add_parser("stats", help="print counts of claims, sources, reviews and reviewers")
    stats.add_argument("db", help="the Corroborate file")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler=_cmd_stats)

    agree = sub.add_parser(
        "agreement",
        help="how far reviewers agree on the grades they gave the same claims (Krippendorff's alpha)",
        description="For credibility and reliability: Krippendorff's alpha (ordinal) over every reviewer, "
        "and for each pair of reviewers the claims both graded, how many alike, their alpha and the "
        "claims two or more steps apart. Credibility 6 and reliability F count as no grade.",
    )
    agree.add_argument("db", help="the Corroborate file")
    agree.add_argument("--json", action="store_true", help="print one JSON array, an object per axis")
    agree.set_defaults(handler=_cmd_agreement)

    history = sub.add_parser(
        "history",
        help="print one claim's history: where it came from and every change, newest first",
        description="Every logged change to claim CLAIM of DB (grades, status, rationale, chain, evidence, "
        "media) and to the sources it relies on, newest first, in local time; a colleague's merged "
        "changes included.",
    )
    history.add_argument("db", help="the Corroborate file")
    history.add_argument("claim", type=int, help="the claim's number, as the window's # column shows it")
    history.add_argument(
        "--claim-only", action="store_true", help="leave out the changes to the sources it relies on"
    )
    history.add_argument("--json", action="store_true", help="print one JSON object (times in UTC)")
    history.set_defaults(handler=_cmd_history)

    new = sub.add_parser("new", help="create an empty Corroborate file")
    new.add_argument("db", help="path of the file to create (must not exist)")
    new.set_defaults(handler=_cmd_new)

    sample = sub.add_parser(
        "build-sample", help="build the unreviewed sample file from resources/sample/ (see README)"
    )
    sample.add_argument("-o", "--output", required=True, help="where to write it (must not exist)")
    sample.set_defaults(handler=_cmd_build_sample)
    if not window_only:
        from desktop.io.importing.command import add_import_parser

        add_import_parser(sub)
    _add_export_parser(sub)
    return parser


def _cmd_open(args: argparse.Namespace) -> int:
    from desktop.ui.app import run_window

    return run_window(args.db, args.reviewer)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `corroborate sample.db --reviewer ana` is the everyday form: treat it as `open`.
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["open", *argv]
    # Opening the window reads no dataset: the importers and their libraries stay out of its start.
    parser = build_parser(window_only=argv[0] == "open")
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CorroborateError as error:
        print(f"corroborate: {error.message}", file=sys.stderr)
        return EXIT_EXPECTED_ERROR
