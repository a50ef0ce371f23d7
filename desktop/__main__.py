"""`python -m desktop` runs the same entry point as the `corroborate` command."""

import sys

from desktop.cli import main

# Guarded: worker processes (a large CSV export) import the main module again under another name.
if __name__ == "__main__":
    sys.exit(main())
