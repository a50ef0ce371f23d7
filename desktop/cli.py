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

from desktop import __version__
from desktop.core.errors import CorroborateError
from desktop.store import Store

EXIT_EXPECTED_ERROR = 2

Handler = Callable[[argparse.Namespace], int]


def _cmd_stats(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
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


def _cmd_build_sample(args: argparse.Namespace) -> int:
    from desktop.io.sample import build_sample

    store = build_sample(Path(args.output))
    claims = store.count_claims()
    store.close()
    print(f"wrote {args.output}: {claims} claims, unreviewed")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if path.exists():
        raise CorroborateError(f"{path} already exists; open it instead.")
    Store.open(path, create=True).close()
    print(f"created {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
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

    new = sub.add_parser("new", help="create an empty Corroborate file")
    new.add_argument("db", help="path of the file to create (must not exist)")
    new.set_defaults(handler=_cmd_new)

    sample = sub.add_parser(
        "build-sample", help="build the unreviewed sample file from resources/sample/ (see README)"
    )
    sample.add_argument("-o", "--output", required=True, help="where to write it (must not exist)")
    sample.set_defaults(handler=_cmd_build_sample)
    return parser


def _cmd_open(args: argparse.Namespace) -> int:
    from desktop.ui.app import run_window

    return run_window(args.db, args.reviewer)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = {name for name in parser._subparsers._group_actions[0].choices}  # type: ignore[union-attr]
    # `corroborate sample.db --reviewer ana` is the everyday form: treat it as `open`.
    if not argv or (argv[0] not in commands and argv[0] not in ("-h", "--help", "--version")):
        argv = ["open", *argv]
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CorroborateError as error:
        print(f"corroborate: {error.message}", file=sys.stderr)
        return EXIT_EXPECTED_ERROR
