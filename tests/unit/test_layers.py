"""The layers' arrows point one way, and Qt stays inside desktop/ui.

An AST walk over the source, so a forbidden import fails here with its file and line even when
it sits inside a function that no other test happens to call.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "shiboken6", "pytestqt")

# What each layer may not import, besides Qt. Core imports nothing of ours but itself.
LAYER_RULES: dict[str, tuple[str, ...]] = {
    "desktop.core": ("desktop.store", "desktop.io", "desktop.ui", "desktop.cli", "desktop.__main__"),
    "desktop.store": ("desktop.io", "desktop.ui", "desktop.cli", "desktop.__main__"),
    "desktop.io": ("desktop.ui", "desktop.cli", "desktop.__main__"),
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports (relative imports resolved), with its line number."""
    module = _module_name(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, name
            # `from desktop import ui` imports the module desktop.ui.
            for alias in node.names:
                yield node.lineno, f"{name}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def layer_violations(root: Path) -> list[str]:
    """One line per forbidden import under root/desktop: 'file:line: imports X (why)'."""
    found: list[str] = []
    for path in sorted((root / "desktop").rglob("*.py")):
        module = _module_name(path, root)
        where = path.relative_to(root).as_posix()
        for line, name in imports_of(path, root):
            if not _within(module, "desktop.ui") and any(_within(name, qt) for qt in QT_PACKAGES):
                found.append(f"{where}:{line}: imports {name} (only desktop/ui may import Qt)")
            for layer, forbidden in LAYER_RULES.items():
                if _within(module, layer):
                    for banned in forbidden:
                        if _within(name, banned):
                            found.append(f"{where}:{line}: imports {name} ({layer} must not import {banned})")
    return sorted(set(found))


def test_layers_point_one_way_and_qt_stays_in_ui() -> None:
    violations = layer_violations(REPO_ROOT)
    assert not violations, "Forbidden imports:\n" + "\n".join(violations)


def test_unit_tests_do_not_import_qt() -> None:
    tests = REPO_ROOT / "tests"
    files = [tests / "conftest.py", *sorted((tests / "unit").rglob("*.py"))]
    violations = [
        f"{path.relative_to(REPO_ROOT).as_posix()}:{line}: imports {name}"
        for path in files
        if path.exists()
        for line, name in imports_of(path, REPO_ROOT)
        if any(_within(name, qt) for qt in QT_PACKAGES)
    ]
    assert not violations, "Qt imported by tests that must run without it:\n" + "\n".join(violations)


def test_importing_everything_below_ui_loads_no_qt() -> None:
    modules = [
        _module_name(path, REPO_ROOT)
        for path in sorted((REPO_ROOT / "desktop").rglob("*.py"))
        if not _within(_module_name(path, REPO_ROOT), "desktop.ui") and path.name != "__main__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_walk_catches_what_it_should(tmp_path: Path) -> None:
    files = {
        "desktop/__init__.py": "",
        "desktop/core/__init__.py": "",
        "desktop/core/rules.py": """
            from __future__ import annotations

            from ..store import schema
            from desktop import io
        """,
        "desktop/store/__init__.py": "",
        "desktop/store/db.py": """
            def helper():
                import PySide6.QtCore
        """,
        "desktop/io/__init__.py": "",
        "desktop/io/export.py": """
            import importlib

            importlib.import_module("shiboken6")
            from desktop.ui.app import run_window
        """,
        "desktop/ui/__init__.py": "",
        "desktop/ui/app.py": """
            from PySide6.QtWidgets import QApplication
            from desktop.store import db
        """,
        "desktop/cli.py": """
            def open_window():
                from desktop.ui.app import run_window
        """,
    }
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    assert layer_violations(tmp_path) == [
        "desktop/core/rules.py:3: imports desktop.store (desktop.core must not import desktop.store)",
        "desktop/core/rules.py:3: imports desktop.store.schema (desktop.core must not import desktop.store)",
        "desktop/core/rules.py:4: imports desktop.io (desktop.core must not import desktop.io)",
        "desktop/io/export.py:3: imports shiboken6 (only desktop/ui may import Qt)",
        "desktop/io/export.py:4: imports desktop.ui.app (desktop.io must not import desktop.ui)",
        "desktop/io/export.py:4: imports desktop.ui.app.run_window (desktop.io must not import desktop.ui)",
        "desktop/store/db.py:2: imports PySide6.QtCore (only desktop/ui may import Qt)",
    ]
