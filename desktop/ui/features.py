"""Plumbing shared by the window's optional features (import, export, Sources view, attribution picture…).

A feature is a module with `install(window)`, which adds its actions to the window's menus and
follows the open file. Importing those modules (their dialogs, importers, exporters, PDF and SVG
support) costs more time and memory than painting the window, so they are not imported at start:
`LazyFeatures` puts a stand-in action for each of their menu entries in its place, with the same
text, shortcut and status tip, enabled by the same rule. The first use of any entry, or of the
attribute the feature sets on the window (`window.export_feature`), imports and installs the
feature: its real actions take the stand-ins' places, and the entry that was used is triggered.
To add a feature, add it to FEATURES.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from desktop.store import Store
    from desktop.ui.main_window import MainWindow


@dataclass(frozen=True)
class Entry:
    """One menu entry of a feature, exactly as the feature's own action has it."""

    text: str
    shortcut: str = ""
    status_tip: str = ""


@dataclass(frozen=True)
class Feature:
    """A feature module and the menu entries its `install(window)` adds, in the order it adds them."""

    module: str
    menu: str  # "file" (inserted before the window's file_menu_end), "view" or "review" (appended)
    entries: tuple[Entry, ...]
    attribute: str | None = None  # what `install` sets on the window, if anything
    writable_only: bool = False  # its entries are disabled while the file is read-only


FEATURES: tuple[Feature, ...] = (
    Feature("desktop.ui.sources_dialog", "view", (Entry("&Sources…", "Ctrl+Shift+S"),)),
    Feature("desktop.ui.attribution_view", "view", (Entry("&Attribution picture…", "Ctrl+Shift+A"),)),
    Feature(
        "desktop.ui.article_view",
        "view",
        (
            Entry(
                "A&rticle…",
                "Ctrl+Shift+R",
                "Read the whole article of the current claim, its claims' passages marked",
            ),
        ),
    ),
    Feature(
        "desktop.ui.agreement_view",
        "view",
        (
            Entry(
                "Reviewers' agr&eement…",
                "",
                "How far reviewers agree on the grades they gave the same claims",
            ),
        ),
        attribute="agreement_view",
    ),
    Feature(
        "desktop.ui.rewording",
        "review",
        (
            Entry(
                "E&dit claim wording…", "F2", "Reword the current claim; the article's words stay as written"
            ),
        ),
        attribute="rewording",
        writable_only=True,
    ),
    Feature(
        "desktop.ui.claim_removal",
        "review",
        (
            Entry(
                "Re&move claim…",
                "",
                "Take out the current claim, if nobody has worked on it (a wrong or doubled extraction)",
            ),
        ),
        attribute="claim_removal",
        writable_only=True,
    ),
    Feature(
        "desktop.ui.history_view",
        "review",
        (Entry("Claim &history…", "Ctrl+H", "Who changed this claim and its sources, what, and when"),),
    ),
    Feature(
        "desktop.ui.export_dialog",
        "file",
        (
            Entry(
                "&Export…", "Ctrl+Shift+E", "Export what the table shows, the selected claims or a saved set"
            ),
        ),
        attribute="export_feature",
    ),
    Feature(
        "desktop.ui.import_dialog",
        "file",
        (
            Entry(
                "&Import dataset…",
                "Ctrl+Shift+I",
                "Add claims from a CSV, TSV, JSON, JSON Lines or ClaimReview file",
            ),
        ),
        attribute="import_feature",
        writable_only=True,
    ),
    Feature(
        "desktop.ui.merge_copy",
        "file",
        (
            Entry(
                "&Merge a colleague's copy…",
                "",
                "Bring in the reviews and evidence of a copy of these claims (a Corroborate file or its JSON export)",
            ),
        ),
        attribute="merge_copy",
        writable_only=True,
    ),
    Feature(
        "desktop.ui.proposals_dialog",
        "file",
        (Entry("Import &article…"), Entry("&Paste article…")),
        attribute="article_import",
    ),
)


class LazyFeatures:
    """Stand-in menu entries for FEATURES; each feature is imported and installed on first use."""

    def __init__(self, window: MainWindow, features: tuple[Feature, ...] = FEATURES) -> None:
        self._window = window
        self._features = features
        self._stand_ins: dict[Feature, list[QAction]] = {}
        self._installed: dict[Feature, list[QAction]] = {}  # each installed feature's real entries
        for feature in features:
            self._stand_ins[feature] = [
                self._stand_in(feature, index, entry) for index, entry in enumerate(feature.entries)
            ]
        window.store_opened.connect(self._follow)
        window.store_closed.connect(lambda: self._follow(None))
        self._follow(window.store)

    def install(self, feature: Feature) -> list[QAction]:
        """Import and install `feature` now, its real actions taking the stand-ins' places; returns them."""
        stand_ins = self._stand_ins.pop(feature, None)
        if stand_ins is None:
            return []  # installed already
        menu = self._menu(feature)
        before = set(menu.actions())
        importlib.import_module(feature.module).install(self._window)
        added = [action for action in menu.actions() if action not in before]
        if [a.text() for a in added] != [e.text for e in feature.entries]:
            raise RuntimeError(
                f"{feature.module} added {[a.text() for a in added]}, not its declared entries"
            )
        self._installed[feature] = added
        for stand_in, action in zip(stand_ins, added, strict=True):
            menu.insertAction(stand_in, action)
            menu.removeAction(stand_in)
            self._window.removeAction(stand_in)
            stand_in.deleteLater()
        return added

    def trigger(self, module: str, index: int = 0) -> None:
        """Use entry `index` of the feature in `module`, installing the feature first if need be."""
        feature = next(f for f in self._features if f.module == module)
        if feature in self._stand_ins:
            self._use(feature, index)
        else:
            self._installed[feature][index].trigger()

    def install_all(self) -> None:
        for feature in list(self._stand_ins):
            self.install(feature)

    def attribute(self, name: str) -> object | None:
        """The window attribute `name` set by a feature not installed yet, installing it; else None."""
        for feature in list(self._stand_ins):
            if feature.attribute == name:
                self.install(feature)
                installed: object = getattr(self._window, name)
                return installed
        return None

    def _stand_in(self, feature: Feature, index: int, entry: Entry) -> QAction:
        action = QAction(entry.text, self._window)
        if entry.shortcut:
            action.setShortcut(QKeySequence(entry.shortcut))
        if entry.status_tip:
            action.setStatusTip(entry.status_tip)
        self._window.addAction(action)
        menu = self._menu(feature)
        if feature.menu == "file":
            menu.insertAction(self._window.file_menu_end, action)
        else:
            menu.addAction(action)
        action.triggered.connect(lambda: self._use(feature, index))
        return action

    def _use(self, feature: Feature, index: int) -> None:
        real = self.install(feature)
        if real:
            real[index].trigger()

    def _menu(self, feature: Feature) -> QMenu:
        menus = {
            "file": self._window.file_menu,
            "view": self._window.view_menu,
            "review": self._window.review_menu,
        }
        return menus[feature.menu]

    def _follow(self, store: Store | None) -> None:
        for feature, stand_ins in self._stand_ins.items():
            enabled = store is not None and not (feature.writable_only and store.read_only)
            for action in stand_ins:
                action.setEnabled(enabled)


def install_editing_action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    triggered: Callable[[], object],
    *,
    shortcut: str = "",
    status_tip: str = "",
    before: QAction | None = None,
) -> QAction:
    """A feature's menu entry that edits the file: enabled while a file is open for editing.

    Appended to `menu`, or put just before `before`; its shortcut works anywhere in the window.
    """
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if status_tip:
        action.setStatusTip(status_tip)
    window.addAction(action)
    if before is not None:
        menu.insertAction(before, action)
    else:
        menu.addAction(action)
    action.triggered.connect(lambda: triggered())

    def follow(store: Store | None) -> None:
        action.setEnabled(store is not None and not store.read_only)

    window.store_opened.connect(follow)
    window.store_closed.connect(lambda: action.setEnabled(False))
    follow(window.store)
    return action


class FeatureWindow(QDialog):
    """A window beside the main one for one feature (Sources, the attribution picture, the article…):
    read again when it is asked for again, and opened where the reviewer last left it."""

    def refresh(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say how it reads the file again")


def install_feature_window(
    window: MainWindow,
    menu: QMenu,
    text: str,
    shortcut: str,
    make: Callable[[MainWindow], FeatureWindow],
) -> QAction:
    """One action opening one non-modal window per main window, enabled while a file is open.

    The window is built on first use, refreshed when asked for again, and closed with the file.
    Its place and size are remembered when it closes (by the name of its class), so a window kept on
    a second screen opens there again.
    """
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.setEnabled(window.store is not None)
    window.addAction(action)
    menu.addAction(action)
    holder: dict[str, FeatureWindow] = {}

    def show() -> None:
        if window.store is None:
            return
        shown = holder.get("window")
        if shown is None:
            shown = holder["window"] = make(window)
            name = type(shown).__name__
            geometry = window.settings.feature_window_geometry(name)
            if geometry is not None:
                shown.restoreGeometry(geometry)
            shown.finished.connect(
                lambda _result: window.settings.save_feature_window_geometry(name, shown.saveGeometry())
            )
        else:
            shown.refresh()
        shown.show()
        shown.raise_()
        shown.activateWindow()

    def file_closed() -> None:
        action.setEnabled(False)
        shown = holder.pop("window", None)
        if shown is not None:
            shown.close()
            shown.deleteLater()

    action.triggered.connect(show)
    window.store_opened.connect(lambda _: action.setEnabled(True))
    window.store_closed.connect(file_closed)
    return action
