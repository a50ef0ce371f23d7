#!/usr/bin/env python3
"""Set up and run Corroborate from a checkout, with nothing but Python 3.11+.

    python3 dev.py run [ARGS]    set up .venv if needed, then `corroborate ARGS` (default: sample.db)
    python3 dev.py test [ARGS]   set up .venv if needed, then run the whole test suite (pytest ARGS)
    python3 dev.py bench [ARGS]  set up .venv if needed, then run the benchmarks

The virtual environment is rebuilt whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".corroborate-setup"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = _venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return python
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("Corroborate needs Python 3.11 or newer.")
    print("Setting up .venv (first run, or pyproject.toml changed)…", flush=True)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    python = str(ensure_environment())
    if command == "run":
        args = rest or [str(ROOT / "sample.db")]
        window = subprocess.Popen([python, "-m", "desktop", *args])
        # Ctrl+C in this terminal reaches the window too, which then closes itself as Quit does;
        # this process only waits for it (it used to stop the window outright).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return window.wait()
    if command == "test":
        return subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT)
    if command == "bench":
        return subprocess.call([python, "-m", "tests.bench", *rest], cwd=ROOT)
    if command == "setup":
        return 0
    sys.exit(f"unknown command {command!r}: use run, test, bench or setup")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
