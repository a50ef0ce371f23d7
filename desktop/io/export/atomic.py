"""Writing a file so that it is either complete or not there at all.

The export is written to a hidden temporary file in the target's own folder
(same file system, so the final rename is atomic), flushed to disk, then renamed
over the target. If anything goes wrong or the export is cancelled, the
temporary file is removed and a previous file at the target stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.store.durable import fsync_file, fsync_folder

# SQLite may leave these beside a database it was writing when the write failed.
_SQLITE_SIDECARS = ("-journal", "-wal", "-shm")


def _create_temp(target: Path) -> Path:
    folder = target.parent
    # os.open with 0o666 lets the umask decide the final permissions, as for any new
    # file; tempfile.mkstemp would leave an export readable by its owner only.
    for _ in range(100):
        temp = folder / f".{target.name}.{secrets.token_hex(6)}.part"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise CorroborateError(
                f"Cannot write {target}: the folder {folder} is not writable ({error.strerror or error})."
            ) from error
        os.close(fd)
        return temp
    raise CorroborateError(f"Cannot write {target}: no free temporary name in {folder}.")


def remove_leftovers(temp: Path) -> None:
    for path in (temp, *(temp.with_name(temp.name + suffix) for suffix in _SQLITE_SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def check_target(target: Path) -> None:
    """Refuse targets that can never be written, before any work is done."""
    if target.is_dir():
        raise CorroborateError(f"Cannot write {target}: it is a folder. Choose a file name.")
    folder = target.parent
    if not folder.exists():
        raise CorroborateError(f"Cannot write {target}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise CorroborateError(f"Cannot write {target}: {folder} is not a folder.")


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, otherwise it is removed."""
    check_target(target)
    temp = _create_temp(target)
    try:
        yield temp
        fsync_file(temp)
        os.replace(temp, target)
        fsync_folder(target.parent)
    except OSError as error:
        remove_leftovers(temp)
        raise CorroborateError(f"Could not write {target}: {error.strerror or error}.") from error
    except BaseException:
        remove_leftovers(temp)
        raise
