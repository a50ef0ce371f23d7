"""Verdict scales of claim datasets, and presets that map them onto the credibility scale (1–6).

The label is always kept as the dataset wrote it; a preset only adds a credibility grade to the
importing reviewer's review, which they can change like any other. Labels are compared
case-blind, with hyphens, underscores and spacing ignored ("Pants on Fire!" = "pants-fire").

six-level (the true … pants-fire scale):
    true -> 1 Confirmed by other sources      (the fact-checkers confirmed it elsewhere)
    mostly true -> 2 Probably true
    half true -> 3 Possibly true
    barely true, mostly false -> 4 Doubtful
    false -> 5 Improbable
    pants on fire, pants fire -> 5 Improbable  (the scale has no grade below "improbable")

supports-refutes (claim verification sets):
    SUPPORTS -> 1 Confirmed by other sources  (the evidence found elsewhere supports it)
    REFUTES -> 5 Improbable
    NOT ENOUGH INFO -> 6 Truth cannot be judged

A label no preset knows gets no grade: it stays as written, and the claim stays ungraded.
"""

from __future__ import annotations

import re

PRESETS: dict[str, dict[str, int]] = {
    "six-level": {
        "true": 1,
        "mostly true": 2,
        "half true": 3,
        "barely true": 4,
        "mostly false": 4,
        "false": 5,
        "pants on fire": 5,
        "pants fire": 5,
    },
    "supports-refutes": {
        "supports": 1,
        "refutes": 5,
        "not enough info": 6,
    },
}

PRESET_DESCRIPTIONS = {
    "six-level": "true, mostly true, half true, barely true, false, pants on fire",
    "supports-refutes": "SUPPORTS, REFUTES, NOT ENOUGH INFO",
}


def label_key(label: str) -> str:
    """How labels are compared: case, punctuation and spacing aside."""
    return " ".join(re.sub(r"[\W_]+", " ", label.casefold()).split())


def credibility_for(
    label: str | None, preset: str | None, custom: dict[str, int] | None = None
) -> int | None:
    """The grade for a verdict label under a preset, a custom table taking precedence; None if unknown."""
    if not label:
        return None
    key = label_key(label)
    if custom:
        for written, grade in custom.items():
            if label_key(written) == key:
                return grade
    if preset is None:
        return None
    return PRESETS[preset].get(key)
