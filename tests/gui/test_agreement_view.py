"""View › Reviewers' agreement…: counted in the background, shown per axis, claim links go to the claim."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl

from desktop.core.model import ReviewField
from desktop.store import Store
from desktop.ui.agreement_view import AgreementDialog


def _action(window, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.view_menu.actions() if a.text().replace("&", "") == text)


def test_agreement_of_two_reviewers_links_to_the_claims_far_apart(  # type: ignore[no-untyped-def]
    make_window, sample_copy, qtbot
) -> None:
    store = Store.open(sample_copy, reviewer="ana")
    try:
        for claim_id, (ana, bo) in {1: (1, 1), 5: (2, 5), 9: (3, 3), 12: (4, 4)}.items():
            store.set_review_field(claim_id, "ana", ReviewField.CREDIBILITY, ana)
            store.set_review_field(claim_id, "bo", ReviewField.CREDIBILITY, bo)
    finally:
        store.close()
    window = make_window(sample_copy)
    window.status_filter.setCurrentIndex(window.status_filter.count() - 1)  # a filter that hides claim 5
    _action(window, "Reviewers' agreement…").trigger()
    qtbot.waitUntil(lambda: window.findChild(AgreementDialog) is not None, timeout=20_000)
    dialog = window.findChild(AgreementDialog)
    shown = dialog.text.toPlainText()
    assert "4 claims graded by two or more" in shown
    assert "ana and bo" in shown and "3 (75%)" in shown
    assert "No claim has grades from two reviewers yet." in shown  # reliability: nobody graded it
    assert 'href="claim:5"' in dialog.text.toHtml()
    dialog.text.anchorClicked.emit(QUrl("claim:5"))
    assert window.table.current_claim_id() == 5


def test_cancel_while_counting_stops_it_and_shows_no_result(  # type: ignore[no-untyped-def]
    make_window, sample_copy, qtbot, monkeypatch
) -> None:
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    reading = threading.Event()
    real = Store.grades_given

    def slow_grades(self, axis):  # type: ignore[no-untyped-def]
        # Stands for the statement over a million reviews: it ends once Cancel was pressed.
        reading.set()
        while not window.task_runner.busy or not cancel_pressed.is_set():
            threading.Event().wait(0.01)
        return real(self, axis)

    cancel_pressed = threading.Event()
    told: list[str] = []
    monkeypatch.setattr(Store, "grades_given", slow_grades)
    monkeypatch.setattr("desktop.ui.tasks.QMessageBox.warning", lambda _p, _t, text: told.append(text))
    window = make_window(sample_copy)
    _action(window, "Reviewers' agreement…").trigger()
    qtbot.waitUntil(reading.is_set, timeout=20_000)
    progress = next(w for w in window.findChildren(QProgressDialog) if "agreement" in w.labelText())
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    cancel_pressed.set()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    window.task_runner.wait(3000)
    assert told == ["Counting agreement was cancelled; nothing was changed."]
    assert window.findChild(AgreementDialog) is None
