"""Making writes survive a crash or power cut: fsync a file, and the folder a rename happened in.

Shared by backups (desktop/store/backup.py) and exports (desktop/io/export/atomic.py), which both
write elsewhere and then rename into place.
"""

from __future__ import annotations

import os
from pathlib import Path


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
