"""PyInstaller's entry script: the `kiosk` command of a terminal bundle."""

import multiprocessing
import sys

from kiosk.cli import main

if __name__ == "__main__":
    # A frozen bundle starts the sync's parser processes (kiosk.sync.feed) through itself:
    # this turns such a start into the worker it asks for instead of a second kiosk.
    multiprocessing.freeze_support()
    sys.exit(main())
