"""One small wrapper over QSettings: the reviewer's preferences, kept apart from window state.

Tests point it at a temporary folder through CORROBORATE_CONFIG_DIR.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT_FILES = 8


def config_dir() -> Path:
    override = os.environ.get("CORROBORATE_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("corroborate", appauthor=False))


class Settings:
    """Typed access to the few things Corroborate remembers between runs."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._prefs = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        self._state = QSettings(str(folder / "window-state.ini"), QSettings.Format.IniFormat)

    # -- preferences
    @property
    def reviewer(self) -> str:
        return str(self._prefs.value("reviewer/name", "") or "")

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        self._prefs.setValue("reviewer/name", name)
        self._prefs.sync()

    @property
    def text_points(self) -> float | None:
        """The text size chosen with View › Larger text / Smaller text; None: the system's own."""
        stored = self._prefs.value("view/text_points", 0)
        if not isinstance(stored, int | float | str):  # edited by hand
            return None
        try:
            points = float(stored or 0)
        except ValueError:  # edited by hand
            return None
        return points if points > 0 else None

    @text_points.setter
    def text_points(self, points: float | None) -> None:
        if points is None:
            self._prefs.remove("view/text_points")
        else:
            self._prefs.setValue("view/text_points", points)
        self._prefs.sync()

    def recent_files(self) -> list[str]:
        value = self._prefs.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives a list of one as the string itself
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember_file(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        recent = [p for p in self.recent_files() if p != path]
        self._prefs.setValue("files/recent", [path, *recent][:MAX_RECENT_FILES])
        self._prefs.sync()

    def forget_file(self, path: str) -> None:
        self._prefs.setValue("files/recent", [p for p in self.recent_files() if p != path])
        self._prefs.sync()

    # -- export choices (format, CSV byte-order mark, change log, ClaimReview publisher), by name
    def export_choice(self, name: str, default: str = "") -> str:
        return str(self._prefs.value(f"export/{name}", default) or default)

    def set_export_choice(self, name: str, value: str) -> None:
        self._prefs.setValue(f"export/{name}", value)
        self._prefs.sync()

    # -- window state
    def window_geometry(self) -> QByteArray | None:
        value = self._state.value("main/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, splitter: QByteArray, header: QByteArray | None) -> None:
        """Remember the window's place and layout; `header` None keeps the columns saved before."""
        self._state.setValue("main/geometry", geometry)
        self._state.setValue("main/splitter", splitter)
        if header is not None:
            self._state.setValue("main/header", header)
        self._state.sync()

    def feature_window_geometry(self, name: str) -> QByteArray | None:
        """Where the window of a feature (by its class name) was when it last closed."""
        value = self._state.value(f"windows/{name}")
        return value if isinstance(value, QByteArray) else None

    def save_feature_window_geometry(self, name: str, geometry: QByteArray) -> None:
        self._state.setValue(f"windows/{name}", geometry)
        self._state.sync()

    def splitter_state(self) -> QByteArray | None:
        value = self._state.value("main/splitter")
        return value if isinstance(value, QByteArray) else None

    def header_state(self) -> QByteArray | None:
        value = self._state.value("main/header")
        return value if isinstance(value, QByteArray) else None

    # -- where each recent file was left: the claim under the cursor when it was closed
    def last_claim(self, path: str | Path) -> int | None:
        claim_id = self._last_claims().get(str(Path(path).resolve()))
        return claim_id if isinstance(claim_id, int) and not isinstance(claim_id, bool) else None

    def remember_last_claim(self, path: str | Path, claim_id: int | None) -> None:
        key = str(Path(path).resolve())
        recent = set(self.recent_files())
        # Only the recent files are kept: the list never grows past them.
        kept = {p: c for p, c in self._last_claims().items() if p in recent and p != key}
        if claim_id is not None:
            kept[key] = claim_id
        self._state.setValue("files/last_claims", json.dumps(kept))
        self._state.sync()

    def _last_claims(self) -> dict[str, object]:
        try:
            value = json.loads(str(self._state.value("files/last_claims", "") or "{}"))
        except ValueError:  # edited by hand, or from a version that wrote something else
            return {}
        return value if isinstance(value, dict) else {}
