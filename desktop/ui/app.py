"""Starting the window: the application object, the reviewer's name, and loud handling of bugs."""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from desktop import __version__
from desktop.ui.main_window import MainWindow
from desktop.ui.safety import install_error_reporter, setup_logging
from desktop.ui.settings import Settings

log = logging.getLogger("corroborate")


def resolve_reviewer(explicit: str | None, settings: Settings, parent: QWidget | None = None) -> str | None:
    """--reviewer, else $CORROBORATE_REVIEWER, else the remembered name, else ask once and remember."""
    for candidate in (explicit, os.environ.get("CORROBORATE_REVIEWER"), settings.reviewer):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        suggestion = getpass.getuser()
    except (KeyError, OSError):
        suggestion = ""
    name, accepted = QInputDialog.getText(
        parent,
        "Who is reviewing?",
        "Your name is stored with every grade and change you make in a file.\nReviewer name:",
        text=suggestion,
    )
    if not accepted or not name.strip():
        return None
    settings.reviewer = name.strip()
    return name.strip()


class _EndingWatch(QObject):
    """SIGTERM and SIGINT close the window the way Quit does, instead of ending the process mid-work.

    Python runs a signal handler only between its own instructions, and an idle window runs none:
    the signal's number is also written to a pipe (signal.set_wakeup_fd) that Qt watches, which
    wakes the event loop so the handler runs at once. A second signal ends the process as usual.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        if os.name == "nt":  # pragma: no cover - Windows wakes only on a socket
            import socket

            ends = socket.socketpair()
            for end in ends:
                end.setblocking(False)
            self._kept_open = ends
            receiving, sending = (end.fileno() for end in ends)
            self._read_wakeups: Callable[[], object] = lambda: ends[0].recv(64)
        else:
            receiving, sending = os.pipe()
            for fd in (receiving, sending):
                os.set_blocking(fd, False)
            self._read_wakeups = lambda: os.read(receiving, 64)
        signal.set_wakeup_fd(sending)
        self._notifier = QSocketNotifier(receiving, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        signal.signal(signal.SIGTERM, self._end)
        signal.signal(signal.SIGINT, self._end)

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            self._read_wakeups()

    def _end(self, number: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        log.info("Asked to end (%s): closing the window", signal.Signals(number).name)
        self._window.close_for_ending()
        QApplication.quit()


def close_when_asked_to_end(window: MainWindow) -> None:
    """Make SIGTERM (logout, shutdown, `kill`) and SIGINT (Ctrl+C) close `window` cleanly."""
    _EndingWatch(window)


def run_window(db: str | None, reviewer: str | None) -> int:
    path = setup_logging()
    log.info("Corroborate %s starting; log file %s", __version__, path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Corroborate")
    app.setApplicationVersion(__version__)
    settings = Settings()
    name = resolve_reviewer(reviewer, settings)
    if name is None:
        print("corroborate: a reviewer name is needed (use --reviewer NAME).", file=sys.stderr)
        return 2
    window = MainWindow(settings, name)
    # Installed before the file opens, so a bug while opening is shown too, not only logged.
    install_error_reporter(window)
    if db is not None:
        # Opened before the window is shown: it appears with the claims at once, with no welcome
        # page painted first and replaced.
        window.open_file(db)
    window.show()
    # Only now: a signal during the start ends the process as before, when nothing is typed yet.
    close_when_asked_to_end(window)
    log.info("Window shown; SIGTERM or SIGINT close it as Quit does")
    return app.exec()
