"""Starting the window: the application object, the reviewer's name, and loud handling of bugs."""

from __future__ import annotations

import getpass
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from desktop import __version__
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

log = logging.getLogger("corroborate")


def log_file() -> Path:
    folder = Path(os.environ.get("CORROBORATE_LOG_DIR") or user_log_dir("corroborate", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "corroborate.log"


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


def install_error_dialog(window: MainWindow) -> None:
    """Unexpected errors are bugs: log them in full and show them, never swallow them."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("Unexpected error\n%s", details)
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Unexpected error")
        box.setText(
            f"Something went wrong that Corroborate did not expect: {error}\n\n"
            f"Edits already shown as saved are in the file. Details are in {log_file()}."
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def run_window(db: str | None, reviewer: str | None) -> int:
    logging.basicConfig(
        filename=log_file(), level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Corroborate")
    app.setApplicationVersion(__version__)
    settings = Settings()
    name = resolve_reviewer(reviewer, settings)
    if name is None:
        print("corroborate: a reviewer name is needed (use --reviewer NAME).", file=sys.stderr)
        return 2
    window = MainWindow(settings, name)
    install_error_dialog(window)
    window.show()
    if db is not None:
        window.open_file(db)
    return app.exec()
