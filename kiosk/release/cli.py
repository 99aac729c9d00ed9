"""The release and operator commands of `kiosk` (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's sub-commands to the `kiosk` parser."""
