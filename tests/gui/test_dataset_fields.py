"""The detail pane shows what an imported dataset said of a claim: verdict, date, address, other columns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt


def test_the_detail_pane_shows_what_the_dataset_said_of_an_imported_claim(
    make_window, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "desk.db"
    subprocess.run([sys.executable, "-m", "desktop", "new", str(db)], check=True, capture_output=True)
    data = tmp_path / "checks.csv"
    data.write_text(
        "claim,speaker,rating,published,link,desk\n"
        "The ferry runs twice a day,Harbour Office,Half true,2026-03-02,https://example.org/f/1,Coast\n"
        "Rents doubled <b>overnight</b>,Tenant Union,Wrong,,,\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "import", str(db), str(data), "--map", "text=claim",
         "--map", "source=speaker", "--map", "verdict=rating", "--map", "date=published",
         "--map", "url=link", "--reviewer", "ana"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    window = make_window(db)
    window.table.setFocus()
    window.table.go_to_claim(1)
    assert window.detail.dataset_box.isVisibleTo(window.detail)
    shown = window.detail.dataset_label.text()
    for expected in ("Half true", "2026-03-02", "https://example.org/f/1", "desk:</b> Coast"):
        assert expected in shown
    qtbot.keyClick(window.table, Qt.Key.Key_J)  # the next claim: no date, address or desk
    assert window.detail.claim_id == 2
    shown = window.detail.dataset_label.text()
    assert "Wrong" in shown and "Date" not in shown and "Coast" not in shown

    window.open_file(str(window.store.path))  # reopened: still there
    window.table.go_to_claim(1)
    assert "Half true" in window.detail.dataset_label.text()


def test_claims_from_an_article_show_no_dataset_box(make_window, sample_copy) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_copy)
    window.table.go_to_claim(2)
    assert window.detail.claim_id == 2
    assert not window.detail.dataset_box.isVisibleTo(window.detail)
