"""Warnings and errors stay legible on a dark theme as on a light one."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from desktop.ui.look import TONES, alarming, is_dark, tone
from tests.unit.export_data import reviewed_sample


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.PlaceholderText, "#8c8c8c"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return QApplication.style().standardPalette()


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def dark_theme(qapp: QApplication) -> Iterator[QPalette]:
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    yield qapp.palette()
    qapp.setPalette(before)


@pytest.mark.parametrize("name", sorted(TONES))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_tone_reads_at_4_5_to_1_on_windows_and_text_boxes(qapp, name: str, theme: str) -> None:
    palette = light_palette() if theme == "light" else dark_palette()
    assert is_dark(palette) is (theme == "dark")
    colour = QColor(tone(name, palette))
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert contrast(colour, palette.color(role)) >= 4.5, (name, theme, role)


def test_an_error_label_follows_the_theme_it_is_made_in(qapp, dark_theme) -> None:
    label = QLabel("Not a date")
    alarming(label)
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == TONES["error"][1]


def test_the_evidence_warnings_of_a_claim_use_the_dark_tones_on_a_dark_theme(
    make_window, sample_copy, dark_theme
) -> None:
    reviewed_sample(sample_copy)  # claim 1: circular reporting, and ana's grade differs from the suggestion
    window = make_window(sample_copy, reviewer="ana")
    assert window.table.go_to_claim(1)
    summary = window.detail.evidence_panel.summary_label.text()
    colours = set(re.findall(r"color:(#[0-9a-f]{6})", summary))
    assert "Circular reporting" in summary and "Second look" in summary
    assert colours == {TONES["warning"][1], TONES["error"][1]}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_article_views_marks_keep_the_text_legible(qapp: QApplication, theme: str) -> None:
    from desktop.ui.article_view import CURRENT_PASSAGE, PASSAGE_BACKGROUNDS

    palette = light_palette() if theme == "light" else dark_palette()
    text = palette.color(QPalette.ColorRole.Text)
    for background in PASSAGE_BACKGROUNDS[1 if is_dark(palette) else 0]:
        assert contrast(QColor(background), text) >= 4.5, (theme, background)
    assert contrast(QColor(CURRENT_PASSAGE[0]), QColor(CURRENT_PASSAGE[1])) >= 4.5
