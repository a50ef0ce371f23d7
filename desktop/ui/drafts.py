"""The rationale being typed, kept beside the file until it is saved, so a crash does not take it.

A rationale is saved to the Corroborate file as one edit when the reviewer leaves the field: a
paragraph typed for ten minutes lives only in the window until then. A second after each pause in
typing it is also written to a draft in the data folder (`drafts/`, one per file and reviewer);
the draft goes once the rationale is handed over to be saved, or is back to what the file holds.
When a file is opened and a draft from a session that ended without saving it is found, the
reviewer is asked whether to put it back in the field (it is then saved the usual way) or drop it.
"""

from __future__ import annotations

import json
import logging
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from desktop.core.errors import CorroborateError
from desktop.store.backup import data_dir
from desktop.store.durable import write_json

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

log = logging.getLogger("corroborate")

# How long typing must pause before the draft is written: often enough to lose at most a sentence.
PAUSE_MS = 1_000


@dataclass(frozen=True)
class Draft:
    claim_id: int
    text: str
    written: str  # ISO time, UTC


def draft_path(db_path: Path, reviewer: str) -> Path:
    """Where the draft of `reviewer` for the file at `db_path` is kept (the name is readable, the
    checksum tells apart files of the same name in different folders)."""
    key = f"{db_path.resolve()}\n{reviewer}".encode()
    return data_dir() / "drafts" / f"{db_path.stem}-{zlib.crc32(key):08x}.json"


def save_draft(db_path: Path, reviewer: str, draft: Draft) -> None:
    """Write the draft whole, then rename it into place: a crash meanwhile leaves the one before."""
    path = draft_path(db_path, reviewer)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "what": "A rationale being written in Corroborate, not yet saved to the file",
        "file": str(db_path.resolve()),
        "reviewer": reviewer,
        "claim": draft.claim_id,
        "text": draft.text,
        "written": draft.written,
    }
    write_json(path, document)


def load_draft(db_path: Path, reviewer: str) -> Draft | None:
    """The draft kept for this file and reviewer, if there is a readable one."""
    path = draft_path(db_path, reviewer)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Draft(int(document["claim"]), str(document["text"]), str(document.get("written", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        # Not the reviewer's file: a draft that cannot be read is set aside, not shown as a bug.
        log.warning("The rationale draft %s could not be read (%s); it is left as it is", path, error)
        return None


def discard_draft(db_path: Path, reviewer: str) -> None:
    draft_path(db_path, reviewer).unlink(missing_ok=True)


class RationaleDrafts(QObject):
    """Keeps the window's rationale draft in step with what is typed, and offers it back on open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._write)
        self.offer: QMessageBox | None = None  # the question asked after opening, while it is open
        # Whether the draft beside the file is this window's: one left by an earlier session is
        # only ever put back or dropped by the reviewer's answer, never by this window's saves.
        self._own = False
        detail = window.detail
        detail.rationale_edit.textChanged.connect(self._timer.start)
        detail.rationale_handed_over.connect(self._drop)
        window.store_opened.connect(lambda _store: QTimer.singleShot(0, self._offer_kept_draft))
        window.store_closed.connect(self._timer.stop)

    def _target(self) -> Path | None:
        store = self._window.store
        return None if store is None or store.read_only else store.path

    def _write(self) -> None:
        path, detail = self._target(), self._window.detail
        if path is None or detail.claim_id is None:
            return
        if self.offer is not None:  # the earlier session's draft waits for the reviewer's answer
            return
        if detail.rationale_is_saved():
            self._drop()
            return
        written = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            save_draft(path, self._window.reviewer, Draft(detail.claim_id, detail.rationale_text(), written))
        except OSError as error:  # a full disk: the window's own save warns about that
            log.warning("The rationale draft could not be written: %s", error)
            return
        self._own = True

    def _drop(self) -> None:
        """The rationale left the field: this window's draft is no longer needed."""
        self._timer.stop()
        path = self._target()
        if path is not None and self._own:
            discard_draft(path, self._window.reviewer)
        self._own = False

    def _offer_kept_draft(self) -> None:
        path, store, reviewer = self._target(), self._window.store, self._window.reviewer
        if path is None or store is None:
            return
        draft = load_draft(path, reviewer)
        if draft is None:
            return
        try:
            review = store.claim_detail(draft.claim_id).review_by(reviewer)
        except CorroborateError:  # the claim is no longer in the file
            discard_draft(path, reviewer)
            return
        if (review.rationale if review is not None else "") == draft.text:  # saved after all
            discard_draft(path, reviewer)
            return
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Rationale not saved")
        box.setText(
            f"When Corroborate last ended, you were writing a rationale for claim {draft.claim_id} "
            "that was not saved to the file. Put it back in the rationale field? You can then go on "
            "writing; leaving the field saves it as usual."
        )
        box.setInformativeText(_excerpt(draft.text))
        put_back = box.addButton("&Put it back", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Discard it", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(put_back)
        box.setEscapeButton(put_back)  # dismissing the question must not lose the text

        def answered() -> None:
            self.offer = None
            if box.clickedButton() is put_back:
                # Once the question has closed and given focus back, so the field keeps it.
                QTimer.singleShot(0, lambda: self._put_back(draft))
            else:
                discard_draft(path, reviewer)

        box.finished.connect(answered)
        self.offer = box
        box.open()

    def _put_back(self, draft: Draft) -> None:
        window = self._window
        if window.store is None or not window.table.go_to_claim(draft.claim_id):
            window.statusBar().showMessage(
                f"Claim {draft.claim_id} is not listed now (clear the filters to see it); the draft is kept.",
                15_000,
            )
            return
        window.activateWindow()  # the question had it: typing goes on in the window's field
        window.detail.put_back_rationale(draft.text)
        self._own = True  # the draft is the field's now: saving the field removes it


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"


def install(window: MainWindow) -> RationaleDrafts:
    return RationaleDrafts(window)
