"""`python -m kiosk` runs the `kiosk` command."""

import sys

from kiosk.cli import main

# Guarded: the sync's parser processes (spawned) import this module again as __mp_main__.
if __name__ == "__main__":
    sys.exit(main())
