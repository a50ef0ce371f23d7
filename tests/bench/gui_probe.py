"""Measurements that need the real window, run in a fresh process (offscreen) and printed as one JSON line.

    python -m tests.bench.gui_probe empty STARTED
    python -m tests.bench.gui_probe window STARTED FILE [--full]

STARTED is the wall-clock time the parent started this process, so that "start" covers the
interpreter, the imports and everything up to the first painted frame. `empty` shows a bare
QMainWindow of the same size (the baseline); `window` opens FILE in Corroborate's window the way
`corroborate FILE` does. With `--full` the same window then measures sorting every column, text
searches, filter combinations, memory after scrolling to the last claim, and the longest
event-loop stall while an export and an index build run in the background.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if sys.argv[1:2] == ["window"]:
    # `python -m desktop` imports its command line (and with it the store) before Qt: so does the
    # window probe, since modules imported after PySide6 load more slowly (it reads their source).
    import desktop.cli  # noqa: F401

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

WIDTH, HEIGHT = 1360, 820


def peak_rss_mb() -> float:
    """This process's own peak resident memory.

    Not getrusage's ru_maxrss: Linux carries it over an exec, so a probe started by a parent that
    had grown large (the benchmark runner, after generating the file) would report the parent's peak.
    VmHWM belongs to this process's address space alone.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: not Linux


def current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class FirstPaint(QObject):
    """Notes the moment the watched widget has finished its first paint."""

    def __init__(self, watched: QObject, done: Callable[[], None]) -> None:
        super().__init__()
        self._done = done
        self._seen = False
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            # A zero timer fires once this paint has been handled: the frame is complete.
            QTimer.singleShot(0, self._done)
        return False


def watch_first_table_paint(ready: Callable[[], bool], done: Callable[[], None]) -> None:
    """Call `done` once a claims table has finished a paint that `ready()` accepts.

    The table does not exist yet when the start is timed, so its class's paintEvent is wrapped
    (for good: Qt keeps calling a Python override it has found, so it cannot be taken back; after
    that paint it only passes each paint on). Not an event filter on the application: that runs Python
    for every event of every object, and each object handed to it needs a Python wrapper, whose
    type Qt sets up then, enums and all (126 enums on the first events of the window's first
    labels): costs the program itself never pays, and which the empty window's probe, watching
    its one window, did not pay either.
    """
    from desktop.ui.claims_view import ClaimsTableView

    inherited = ClaimsTableView.paintEvent
    waiting = True

    def paint_event(view: ClaimsTableView, event: QEvent) -> None:
        nonlocal waiting
        inherited(view, event)
        if waiting and ready():
            waiting = False
            # A zero timer fires once this paint has been handled: the frame is complete.
            QTimer.singleShot(0, done)

    ClaimsTableView.paintEvent = paint_event  # type: ignore[method-assign]


class Heartbeat(QObject):
    """A 5 ms timer on the GUI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest * 1000

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def run_empty(started: float) -> dict[str, Any]:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Empty")
    window.resize(WIDTH, HEIGHT)
    result: dict[str, Any] = {}

    def done() -> None:
        result.update(start_s=time.time() - started, peak_mb=peak_rss_mb())
        app.exit(0)  # not quit(): since Qt 6 that also closes every window

    probe = FirstPaint(window, done)
    window.show()
    app.exec()
    del probe
    return result


def run_window(started: float, path: Path, full: bool) -> dict[str, Any]:
    """Start as `corroborate FILE` does (its entry point, imports in its order), up to the first paint."""
    import desktop.cli

    app = QApplication(sys.argv[:1])
    result: dict[str, Any] = {}

    def painted() -> None:
        result.update(start_s=time.time() - started, peak_mb=peak_rss_mb())
        app.exit(0)  # not quit(): since Qt 6 that also closes every window

    def table_has_rows() -> bool:
        window = _main_window(app)
        return window is not None and window.model is not None and window.model.rowCount() > 0

    watch_first_table_paint(table_has_rows, painted)
    desktop.cli.main([str(path), "--reviewer", "amira"])
    window = _main_window(app)
    assert window is not None
    if full:
        result.update(_full(app, window))
    window.close()
    return result


def _main_window(app: QApplication) -> Any:
    from desktop.ui.main_window import MainWindow

    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)


class PaintCounter(QObject):
    """Counts the paints of one widget."""

    def __init__(self, widget: QObject) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def _timed(app: QApplication, window: Any, action: Callable[[], None]) -> float:
    """Milliseconds from the action to the table repainted with its result.

    The events the action posted are handled as the window's own loop would, which paints the
    table once; only if they did not is a paint forced, so the table is painted exactly once.
    """
    counter = PaintCounter(window.table.viewport())
    start = time.perf_counter()
    action()
    app.processEvents()
    if counter.paints == 0:
        window.table.viewport().repaint()
    elapsed = (time.perf_counter() - start) * 1000
    window.table.viewport().removeEventFilter(counter)
    return elapsed


def _full(app: QApplication, window: Any) -> dict[str, Any]:
    from desktop.core.grades import Status
    from desktop.core.model import ClaimQuery
    from desktop.core.vocabulary import SourceKind

    table = window.table
    out: dict[str, Any] = {}
    # First, before searches and sorts leave SQLite's working memory with the allocator.
    table.scrollToBottom()
    table.go_to_row(window.model.rowCount() - 1)
    app.processEvents()
    table.viewport().repaint()
    out["scrolled_rss_mb"] = current_rss_mb()
    table.go_to_row(0)
    sorts: dict[str, float] = {}
    model = window.model
    for column in range(model.columnCount()):
        name = str(model.headerData(column, Qt.Orientation.Horizontal))
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            label = f"{name} {'desc' if order == Qt.SortOrder.DescendingOrder else 'asc'}"
            sorts[label] = _timed(app, window, lambda c=column, o=order: table.sortByColumn(c, o))
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    out["sort_ms"] = sorts

    # Words drawn from the generated vocabulary: very common, common, rare, a pair, a source, a prefix.
    searches: dict[str, float] = {}
    for text in ("the", "forces", "convoy", "reported drone", "Agency 4242", "ministr", "zzqx"):
        searches[text] = _timed(app, window, lambda t=text: _search(window, t))
        searches[text + " (count)"] = float(window.model.rowCount())
    _search(window, "")
    out["search_ms"] = searches

    base = ClaimQuery("amira")
    source_id = window.store.all_sources()[0].id if hasattr(window.store, "all_sources") else 1
    combos = {
        "status in progress": replace(base, statuses=frozenset({Status.IN_PROGRESS})),
        "one source": replace(base, source_ids=frozenset({source_id})),
        "kind agency + unattributed": replace(
            base, kinds=frozenset({SourceKind.INTELLIGENCE_AGENCY, SourceKind.ARTICLE})
        ),
        "reliability A/B": replace(base, reliabilities=frozenset({"A", "B"})),
        "credibility 1 + ungraded": replace(base, credibilities=frozenset({1, None})),
        "reviewer bruno": replace(base, reviewer_filter="bruno"),
        "warnings only": replace(base, warnings_only=True),
        "has evidence": replace(base, has_evidence=True),
        "status + reliability + kind": replace(
            base,
            statuses=frozenset({Status.REVIEWED}),
            reliabilities=frozenset({"C"}),
            kinds=frozenset({SourceKind.NEWS_AGENCY}),
        ),
    }
    filters: dict[str, float] = {}
    for label, query in combos.items():
        filters[label] = _timed(app, window, lambda q=query: window.model.set_query(q))
    window.model.set_query(base)
    out["filter_ms"] = filters

    out["rss_after_all_mb"] = current_rss_mb()
    out["stall_ms"] = _stalls(app, window)
    return out


def _search(window: Any, text: str) -> None:
    window.search_box.setText(text)
    window._apply_filters_now()


def _stalls(app: QApplication, window: Any) -> dict[str, float]:
    """Longest event-loop stall while each kind of background work runs through the task helper."""
    import tempfile

    from desktop.core.model import ClaimQuery
    from desktop.io.export import export
    from desktop.store import Store
    from desktop.store.claim_queries import rebuild_search_index
    from desktop.ui.tasks import TaskRunner

    runner = TaskRunner()
    beat = Heartbeat()
    path = window.store.path
    out: dict[str, float] = {}
    folder = Path(tempfile.mkdtemp(prefix="corroborate-bench-"))

    def export_csv(progress: Any, cancelled: Any) -> object:
        store = Store.open(path, read_only=True)  # a worker has its own connection
        try:
            return export(store, ClaimQuery("amira"), "csv", folder / "out.csv", None, progress, cancelled)
        finally:
            store.close()

    def build_index(progress: Any, cancelled: Any) -> object:
        return rebuild_search_index(path, progress, cancelled)

    jobs: dict[str, Callable[[Any, Any], object]] = {"export": export_csv, "index build": build_index}
    importing = _import_job(folder, window.store.count_claims())
    if importing is not None:
        jobs["import"] = importing
    for label, work in jobs.items():
        succeeded: list[object] = []
        refused: list[object] = []
        beat.start()
        runner.start(work, succeeded.append, refused.append)
        while not (succeeded or refused):
            app.processEvents()
            time.sleep(0.001)
        out[label] = beat.stop()
        if refused:
            raise RuntimeError(f"{label} was refused: {refused[0]}")
    runner.wait()
    shutil.rmtree(folder, ignore_errors=True)
    return out


def _import_job(folder: Path, rows: int) -> Callable[[Any, Any], object] | None:
    """A CSV import of `rows` rows into a new file, or None while the importer is not there."""
    try:
        from desktop.io.importing.run import load_dataset, plan_import, write_import
    except ImportError:
        return None
    from desktop.store import Store
    from tests.bench.__main__ import import_mapping, write_import_csv

    mapping = import_mapping()

    source = folder / "import.csv"
    write_import_csv(source, rows, 1)

    def work(progress: Any, cancelled: Any) -> object:
        store = Store.open(folder / "imported.db", create=True)
        try:
            plan = plan_import(load_dataset(source, cancelled=cancelled), mapping)
            return write_import(store, plan, "bench", progress=progress, cancelled=cancelled)
        finally:
            store.close()

    return work


def main(argv: list[str]) -> None:
    mode, started = argv[0], float(argv[1])
    result = run_empty(started) if mode == "empty" else run_window(started, Path(argv[2]), "--full" in argv)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
