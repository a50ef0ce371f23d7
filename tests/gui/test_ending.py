"""Asked to end by the system or the terminal (SIGTERM at logout or shutdown, Ctrl+C), the window closes
as Quit closes it: what is being typed is saved, the file is closed cleanly, and the process exits 0."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.store.lock import LOCK_SUFFIX
from desktop.ui.app import close_when_asked_to_end

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_signal_handling() -> Iterator[None]:
    """The test process's handlers and wakeup descriptor, put back afterwards."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    signal.set_wakeup_fd(-1)
    for number, handler in kept.items():
        signal.signal(number, handler)


def _rationale(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT rationale FROM reviews WHERE claim_id = 1 AND reviewer = 'ana'").fetchone()
    return None if row is None else row[0]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_termination_signal_saves_the_rationale_being_typed_and_closes_the_file(
    make_window, sample_copy, qtbot, own_signal_handling, number
):
    window = make_window(sample_copy)
    close_when_asked_to_end(window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClicks(window.detail.rationale_edit, "Only the NIS says so")  # not yet left: not saved
    assert _rationale(sample_copy) in (None, "")

    os.kill(os.getpid(), number)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)

    assert window.store is None
    assert not Path(f"{sample_copy}{LOCK_SUFFIX}").exists()  # closed cleanly: no full check next time
    assert _rationale(sample_copy) == "Only the NIS says so"
    # The handlers are back to the defaults: a second signal would end the process at once.
    assert signal.getsignal(number) is signal.SIG_DFL


def _log_says(folder: Path, text: str) -> bool:
    log = folder / "corroborate.log"
    return log.exists() and text in log.read_text(encoding="utf-8")


def test_sigterm_closes_an_idle_window_cleanly_and_the_process_exits_0(sample_copy, tmp_path):
    """In its own process: an idle window runs no Python, so only the wakeup pipe gets the signal heard."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CORROBORATE_LOG_DIR": str(tmp_path / "logs")}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", str(sample_copy), "--reviewer", "ana"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not _log_says(tmp_path / "logs", "Window shown") and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.05)
        assert _log_says(tmp_path / "logs", "Window shown")
        assert Path(f"{sample_copy}{LOCK_SUFFIX}").exists()
        time.sleep(0.3)  # the event loop is idle by now

        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert not Path(f"{sample_copy}{LOCK_SUFFIX}").exists()
    assert _log_says(tmp_path / "logs", "Asked to end (SIGTERM)")


# Run in a fresh process: the window opens a large file that was not closed properly, its full
# check (held here until cancelled) waits behind a dialog, and SIGTERM arrives meanwhile.
_ENDING_DURING_THE_CHECK = """
import os, signal, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop.store import access, integrity
from desktop.ui.app import close_when_asked_to_end
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

access.CHECK_BEFORE_OPEN_BYTES = 0
def held_until_cancelled(conn, *, full, cancelled=None):
    print("checking", flush=True)
    while not cancelled():
        time.sleep(0.01)
    raise integrity.Interrupted
integrity.problems_in = held_until_cancelled

app = QApplication([])
window = MainWindow(Settings(Path(sys.argv[2])), "ana")
window.show()
close_when_asked_to_end(window)
opened = []
QTimer.singleShot(0, lambda: opened.append(window.open_file(sys.argv[1])))
QTimer.singleShot(500, lambda: os.kill(os.getpid(), signal.SIGTERM))
code = app.exec()
print("opened", opened, "store", window.store, flush=True)
sys.exit(code)
"""


def test_sigterm_while_a_long_check_runs_stops_it_and_opens_nothing(sample_copy, tmp_path):
    lock = Path(f"{sample_copy}{LOCK_SUFFIX}")
    lock.write_bytes(b"")  # the mark an unclean end leaves
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    finished = subprocess.run(
        [sys.executable, "-c", _ENDING_DURING_THE_CHECK, str(sample_copy), str(tmp_path / "config")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert "checking" in finished.stdout
    assert "opened [False] store None" in finished.stdout  # the opening stopped; nothing half-open
    assert "Traceback" not in finished.stderr
    assert lock.exists()  # still marked: the next opening checks the file in full
