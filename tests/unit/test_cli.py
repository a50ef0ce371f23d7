"""The command line, run as a separate process exactly as a user or a script would run it."""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli import build_parser
from desktop.core.grades import Status
from desktop.core.model import ReviewField
from desktop.store import Store
from desktop.store.schema import known_migration_names

EXPECTED_ERROR = 2
# Opening a file migrates it, so the sample reports the newest schema this version knows.
CURRENT_SCHEMA = len(known_migration_names())


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def _subcommands() -> list[str]:
    parser = build_parser()
    found = [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]
    assert found, "the parser lists no subcommands"
    return found


def _assert_expected_error(result: subprocess.CompletedProcess[str], names: Path) -> None:
    assert result.returncode == EXPECTED_ERROR
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("corroborate: ")
    assert str(names) in lines[0]


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"corroborate {__version__}"


def test_help_names_every_subcommand() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in _subcommands():
        assert name in result.stdout


@pytest.mark.parametrize("name", [n for n in _subcommands() if n != "open"])
def test_each_headless_subcommand_has_help(name: str) -> None:
    result = run_cli(name, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: corroborate {name}")


def _stats(path: Path) -> dict[str, object]:
    result = run_cli("stats", path, "--json")
    assert result.returncode == 0, result.stderr
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_stats_json_on_the_sample(sample_copy: Path) -> None:
    stats = _stats(sample_copy)
    expected = {
        "claims": 15,
        "sources": 9,
        "reviewed_claims": 0,
        "unattributed_claims": 6,
        "schema_version": CURRENT_SCHEMA,
        "reviewers": {},
    }
    assert {key: stats[key] for key in expected} == expected


def test_stats_json_counts_each_reviewers_grades(sample_copy: Path) -> None:
    store = Store.open(sample_copy)
    try:
        for claim_id in (1, 2, 3):
            store.set_review_field(claim_id, "ana", ReviewField.RELIABILITY, "B")
        store.set_review_field(2, "ana", ReviewField.STATUS, Status.REVIEWED)
        store.set_review_field(2, "bartek", ReviewField.CREDIBILITY, 4)
    finally:
        store.close()

    stats = _stats(sample_copy)
    assert stats["reviewers"] == {"ana": 3, "bartek": 1}
    assert stats["reviewed_claims"] == 1


def test_stats_as_text_on_the_sample(sample_copy: Path) -> None:
    result = run_cli("stats", sample_copy)
    assert result.returncode == 0, result.stderr
    assert "claims: 15" in result.stdout.splitlines()
    assert "reviewers: none" in result.stdout.splitlines()


def _write_text(path: Path) -> None:
    path.write_text("not a database, just notes\n", encoding="utf-8")


def _write_other_application(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make", [_write_text, _write_other_application], ids=["text", "other-application"])
def test_stats_refuses_files_that_are_not_ours_and_leaves_them_alone(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    target = tmp_path / "suspect.db"
    make(target)
    before = target.read_bytes()
    result = run_cli("stats", target, "--json")
    _assert_expected_error(result, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["suspect.db"]


def test_stats_on_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "nowhere.db"
    result = run_cli("stats", target)
    _assert_expected_error(result, target)
    assert not target.exists()


def test_new_creates_a_file_then_refuses_to_overwrite_it(tmp_path: Path) -> None:
    target = tmp_path / "fresh.db"
    created = run_cli("new", target)
    assert created.returncode == 0, created.stderr
    assert str(target) in created.stdout
    stats = _stats(target)
    assert (stats["claims"], stats["schema_version"]) == (0, CURRENT_SCHEMA)

    before = target.read_bytes()
    again = run_cli("new", target)
    _assert_expected_error(again, target)
    assert target.read_bytes() == before


def test_build_sample_writes_the_committed_sample(
    tmp_path: Path, sample_copy: Path, dump_content: Callable
) -> None:
    target = tmp_path / "rebuilt.db"
    result = run_cli("build-sample", "-o", target)
    assert result.returncode == 0, result.stderr
    assert "15 claims" in result.stdout
    assert dump_content(target) == dump_content(sample_copy)

    before = target.read_bytes()
    again = run_cli("build-sample", "-o", target)
    _assert_expected_error(again, target)
    assert target.read_bytes() == before
