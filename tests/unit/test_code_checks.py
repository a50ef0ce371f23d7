"""The house rules a machine can check, run with the suite so a change that breaks one does not land.

ruff's lint and formatter, with the settings in pyproject.toml, over the whole checkout; mypy --strict
over the layers without Qt (core, store, io and the command line: see [tool.mypy] there).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_the_layers_without_qt_type_check_strictly() -> None:
    done = _run("mypy")  # which files, and how strictly: pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing_to_fix() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_file_is_formatted() -> None:
    done = _run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
