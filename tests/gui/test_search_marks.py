"""The words of the table's search are marked in the claim the detail pane shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

MARK = "<span style='background-color:#ffe066; color:#000000'>"


def search(window, qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    window.search_box.setFocus()
    window.search_box.selectAll()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(window.search_box, text)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)


def test_searched_words_are_marked_in_the_claim_and_its_passage(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    search(window, qtbot, "drone")
    assert window.model.rowCount() > 0
    claim = window.detail.claim_label.text()
    passage = window.detail.passage_label.text()
    assert f"{MARK}drone" in claim or f"{MARK}drone" in passage  # "drone", "drones"
    assert claim.count(MARK) == sum(
        word.lower().startswith("drone") for word in window.detail._detail.text.split()
    )

    search(window, qtbot, "")  # cleared: nothing marked, the text as it is
    assert MARK not in window.detail.claim_label.text()
    assert MARK not in window.detail.passage_label.text()


def test_markup_in_a_claim_is_shown_as_text(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    import sqlite3

    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE claims SET text = '<b>bold</b> & drones' WHERE id = 1")
    window = make_window(sample_copy)
    window.table.go_to_claim(1)
    search(window, qtbot, "drones")
    assert window.detail.claim_label.text() == f"&lt;b&gt;bold&lt;/b&gt; &amp; {MARK}drones</span>"


def test_a_source_name_found_is_marked_in_the_chain_sentence(make_window, sample_copy, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    search(window, qtbot, "yonhap")
    assert window.table.go_to_claim(2)  # "Yonhap reports, according to …"
    assert f"{MARK}Yonhap</span> reports" in window.detail.chain_label.text()
    assert "found only in" not in window.detail.context_label.text()

    search(window, qtbot, "")
    assert MARK not in window.detail.chain_label.text()


def test_a_word_found_only_in_another_reviewers_rationale_is_named_above_the_claim(
    make_window, sample_copy, qtbot
):  # type: ignore[no-untyped-def]
    import sqlite3

    with sqlite3.connect(sample_copy) as conn:
        conn.execute(
            "INSERT INTO reviews (claim_id, reviewer, status, rationale, created_at, updated_at) "
            "VALUES (5, 'lee', 'in_progress', 'Satellite imagery of Kursk disagrees', "
            "'2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z')"
        )
    window = make_window(sample_copy)
    search(window, qtbot, "satellite")
    assert [window.model.claim_id(row) for row in range(window.model.rowCount())] == [5]
    context = window.detail.context_label.text()
    assert context.startswith("Claim 5") and "“satellite” found only in a rationale" in context
    assert MARK not in window.detail.claim_label.text()

    search(window, qtbot, "")
    assert "found only in" not in window.detail.context_label.text()
