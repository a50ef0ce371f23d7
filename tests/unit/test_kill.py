"""Crash safety, short version: 50 writers killed with SIGKILL at random moments lose nothing they acknowledged.

The full run is `python -m tests.stress.kill --kills 1000` (see README, "Data safety").
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from tests.stress import kill

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


def test_fifty_kills_lose_no_acknowledged_edit(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    summary = kill.run(50, kill.REPO_ROOT / "sample.db", tmp_path, seed)
    assert summary.ok, f"seed {seed}: " + "; ".join(summary.problems[:5])
    assert summary.kills == 50
    # The run really exercised both moments and really wrote: a run that killed nothing proves nothing.
    assert summary.kills_while_writing > 25
    assert summary.kills_while_opening > 0
    assert summary.edits_acknowledged > 100
    assert summary.acknowledged_found == summary.edits_acknowledged
    assert summary.backups_checked > 0


def test_the_checker_notices_a_lost_edit(tmp_path: Path) -> None:
    """The check itself must be able to fail: an acknowledgement with no edit behind it is a loss."""
    db = tmp_path / "copy.db"
    db.write_bytes((kill.REPO_ROOT / "sample.db").read_bytes())
    summary = kill.Summary()
    kill._check_round(db, 0, [(1, "review.reliability", kill.digest("B"))], summary)
    assert summary.lost == 1 and not summary.ok


def test_the_stress_command_reports_and_exits_zero(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "tests.stress.kill", "--kills", "3", "--seed", "7", "--json"],
        cwd=kill.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"ok": true' in done.stdout and '"kills": 3' in done.stdout
