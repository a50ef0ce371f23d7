"""A CSV export worker process: see csv_workers.py. Started as `python -m desktop.io.export.csv_worker FILE`.

Reads (cells, reviewer), then batches of claim ids, from standard input; answers each batch with
("lines", CsvText or None) on standard output; an expected problem is answered ("refused", message)
and an unexpected one ("failed", traceback) before it ends.
"""

from __future__ import annotations

import sys
import traceback
from array import array
from pathlib import Path

from desktop.core.errors import CorroborateError
from desktop.io.export.csv_workers import read_message, write_message
from desktop.store import Store
from desktop.store.export_queries import CsvLineQuery


def serve(path: Path) -> None:
    """The worker: open the file read-only, then answer each batch of ids with its lines until EOF."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    try:
        cells, reviewer = read_message(requests)
        # The exporting process has opened and checked the file: no second quick check of it here.
        store = Store.open(path, read_only=True, background_checks=True)
    except EOFError:
        return
    except CorroborateError as error:
        write_message(answers, ("refused", error.message))
        return
    query = CsvLineQuery(cells)
    try:
        while True:
            try:
                ids = array("q")
                ids.frombytes(read_message(requests))
            except EOFError:
                return
            write_message(answers, ("lines", query.text(store, ids, reviewer=reviewer)))
    except CorroborateError as error:
        write_message(answers, ("refused", error.message))
    except Exception:
        write_message(answers, ("failed", traceback.format_exc()))
        raise
    finally:
        store.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
