"""Making writes survive a crash or power cut: fsync a file, and the folder a rename happened in.

Shared by backups (desktop/store/backup.py) and exports (desktop/io/export/atomic.py), which both
write elsewhere and then rename into place, and by the small JSON files the window keeps beside a
file (edits that could not be saved, the rationale being typed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def fsync_file(path: Path) -> None:
    """Flush the file's data to the disk (read-only descriptors are enough on POSIX)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. POSIX only: Windows cannot open a folder this way."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, document: Any) -> None:
    """Write `document` as JSON whole, flushed to the disk, then renamed into place over `path`:
    a crash meanwhile leaves the previous file as it was, never half of the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
