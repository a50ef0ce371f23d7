"""Starting the window: the application object, the reviewer's name, and loud handling of bugs."""

from __future__ import annotations

import getpass
import logging
import os
import sys

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
    return app.exec()
