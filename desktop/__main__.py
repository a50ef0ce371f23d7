"""`python -m desktop` runs the same entry point as the `corroborate` command."""

import sys

from desktop.cli import main

sys.exit(main())
