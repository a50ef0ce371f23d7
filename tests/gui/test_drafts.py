"""The rationale being typed survives the program ending before it is saved: a draft beside the file,
offered back when the file is next opened."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui import drafts
from desktop.ui.drafts import draft_path

TEXT = "Only the NIS says so; the wire story repeats the same briefing."


def stored_rationale(path: Path, claim_id: int) -> str:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT rationale FROM reviews WHERE claim_id = ? AND reviewer = 'ana'", [claim_id]
        ).fetchone()
    return row[0] if row else ""


def type_rationale(window, qtbot, claim_number: int, text: str) -> None:  # type: ignore[no-untyped-def]
    window.table.setFocus()
    for _ in range(claim_number - 1):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.detail.rationale_edit.hasFocus()
    qtbot.keyClicks(window.detail.rationale_edit, text)


def crashed_with_a_draft(make_window, sample_copy, qtbot, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """What a crash while typing leaves: the file without the rationale, and the draft beside it."""
    window = make_window(sample_copy)
    type_rationale(window, qtbot, 3, TEXT)
    draft = draft_path(sample_copy, "ana")
    qtbot.waitUntil(draft.exists, timeout=20_000)  # written a moment after typing stops
    kept = tmp_path / "draft-at-the-crash.json"
    shutil.copyfile(draft, kept)
    window.detail.rationale_edit.clear()  # the crash took the window; the file never got the text
    window.close()
    shutil.copyfile(kept, draft)
    assert stored_rationale(sample_copy, 3) == ""
    return draft


def reopened_with_the_offer(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    """The file opened again after the crash: the window, once it asks about the draft."""
    window = make_window(sample_copy)
    qtbot.waitUntil(
        lambda: window.drafts.offer is not None and window.drafts.offer.isVisible(), timeout=20_000
    )
    return window


def test_a_pause_in_typing_writes_a_draft_and_leaving_the_field_saves_it_and_removes_it(
    make_window, sample_copy, qtbot
):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    type_rationale(window, qtbot, 2, TEXT)
    draft = draft_path(sample_copy, "ana")
    qtbot.waitUntil(draft.exists, timeout=20_000)
    document = json.loads(draft.read_text(encoding="utf-8"))
    assert (document["claim"], document["text"], document["reviewer"]) == (2, TEXT, "ana")
    assert stored_rationale(sample_copy, 2) == ""  # not in the file until the field is left

    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert stored_rationale(sample_copy, 2) == TEXT
    assert not draft.exists()


def test_after_a_crash_the_draft_is_offered_back_and_saved_from_the_field(
    make_window, sample_copy, qtbot, tmp_path
):  # type: ignore[no-untyped-def]
    draft = crashed_with_a_draft(make_window, sample_copy, qtbot, tmp_path)
    window = reopened_with_the_offer(make_window, sample_copy, qtbot)
    offer = window.drafts.offer
    assert "claim 3" in offer.text() and "Only the NIS says so" in offer.informativeText()
    qtbot.keyClick(offer, Qt.Key.Key_Escape)  # dismissing it puts it back too: nothing is lost

    qtbot.waitUntil(lambda: window.detail.rationale_edit.hasFocus(), timeout=20_000)
    assert window.table.current_claim_id() == 3
    assert window.detail.rationale_edit.toPlainText() == TEXT
    qtbot.keyClicks(window.detail.rationale_edit, " Checked twice.")
    qtbot.keyClick(window.detail.rationale_edit, Qt.Key.Key_Escape)
    assert stored_rationale(sample_copy, 3) == TEXT + " Checked twice."
    assert not draft.exists()
    assert QApplication.activeModalWidget() is None


def test_a_discarded_draft_is_gone_and_the_file_keeps_what_it_had(make_window, sample_copy, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    draft = crashed_with_a_draft(make_window, sample_copy, qtbot, tmp_path)
    window = reopened_with_the_offer(make_window, sample_copy, qtbot)
    discard = next(b for b in window.drafts.offer.buttons() if "Discard" in b.text())
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not draft.exists(), timeout=20_000)
    # Still on the claim the window was closed on; its field empty, as the file has it.
    assert window.table.current_claim_id() == 3 and window.detail.rationale_edit.toPlainText() == ""
    assert stored_rationale(sample_copy, 3) == ""


def test_a_draft_already_saved_or_of_a_claim_no_longer_there_is_dropped_without_asking(
    make_window, sample_copy, qtbot, tmp_path
):  # type: ignore[no-untyped-def]
    draft = draft_path(sample_copy, "ana")
    draft.parent.mkdir(parents=True, exist_ok=True)
    for claim, text in ((999, "A claim that is gone"), (1, "")):
        draft.write_text(json.dumps({"claim": claim, "text": text}), encoding="utf-8")
        window = make_window(sample_copy)
        qtbot.waitUntil(lambda: not draft.exists(), timeout=20_000)
        assert window.drafts.offer is None
        window.close()


def test_a_draft_that_cannot_be_read_is_left_alone_and_nothing_is_asked(
    make_window, sample_copy, qtbot, caplog
):  # type: ignore[no-untyped-def]
    draft = draft_path(sample_copy, "ana")
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text("{not json", encoding="utf-8")
    window = make_window(sample_copy)
    qtbot.wait(50)
    assert window.drafts.offer is None
    assert draft.read_text(encoding="utf-8") == "{not json"
    assert "could not be read" in caplog.text


def test_drafts_of_two_files_of_the_same_name_are_kept_apart(tmp_path) -> None:
    first, second = tmp_path / "a" / "review.db", tmp_path / "b" / "review.db"
    assert draft_path(first, "ana") != draft_path(second, "ana") != draft_path(first, "bruno")
    assert draft_path(first, "ana").parent.name == "drafts" and draft_path(first, "ana").name.startswith(
        "review-"
    )
    drafts.save_draft(first, "ana", drafts.Draft(4, "Text", "2026-12-03T10:00:00+00:00"))
    assert drafts.load_draft(first, "ana") == drafts.Draft(4, "Text", "2026-12-03T10:00:00+00:00")
    assert drafts.load_draft(second, "ana") is None


def test_closing_the_window_before_answering_keeps_the_draft_for_the_next_opening(
    make_window, sample_copy, qtbot, tmp_path
):  # type: ignore[no-untyped-def]
    draft = crashed_with_a_draft(make_window, sample_copy, qtbot, tmp_path)
    window = reopened_with_the_offer(make_window, sample_copy, qtbot)
    window.close()  # Quit, or the system ending the program, with the question still open
    assert draft.exists() and json.loads(draft.read_text(encoding="utf-8"))["text"] == TEXT
    reopened_with_the_offer(make_window, sample_copy, qtbot)  # asked again
