"""Claim datasets into a Corroborate file: CSV, TSV, JSON, JSON Lines and schema.org ClaimReview.

Pure Python (no Qt). The steps, shared by `corroborate import` and the window's import dialog, are
in run.py; the mapping of columns to claim fields in mapping.py; verdict presets in verdicts.py.
"""

from desktop.io.importing.dataset import Dataset, Record, Skipped
from desktop.io.importing.duplicates import NearDuplicate, find_near_duplicates
from desktop.io.importing.encoding import COMMON_ENCODINGS, EncodingGuess, detect_encoding
from desktop.io.importing.mapping import FIELD_LABELS, FIELDS, Mapping, guess_mapping, guess_preset
from desktop.io.importing.run import (
    DATASET_FORMATS,
    FORMAT_LABELS,
    FORMATS,
    ImportPlan,
    ImportResult,
    ReadOptions,
    guess_format,
    load_dataset,
    load_preview,
    plan_import,
    read_bytes,
    write_import,
)
from desktop.io.importing.verdicts import PRESET_DESCRIPTIONS, PRESETS

__all__ = [
    "COMMON_ENCODINGS",
    "DATASET_FORMATS",
    "FIELDS",
    "FIELD_LABELS",
    "FORMATS",
    "FORMAT_LABELS",
    "PRESETS",
    "PRESET_DESCRIPTIONS",
    "Dataset",
    "EncodingGuess",
    "ImportPlan",
    "ImportResult",
    "Mapping",
    "NearDuplicate",
    "ReadOptions",
    "Record",
    "Skipped",
    "detect_encoding",
    "find_near_duplicates",
    "guess_format",
    "guess_mapping",
    "guess_preset",
    "load_dataset",
    "load_preview",
    "plan_import",
    "read_bytes",
    "write_import",
]
