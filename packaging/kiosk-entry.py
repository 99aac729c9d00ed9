"""PyInstaller's entry script: the `kiosk` command of a terminal bundle."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
