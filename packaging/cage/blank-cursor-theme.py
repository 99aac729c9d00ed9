#!/usr/bin/env python3
"""Writes an invisible Xcursor theme, so cage and Qt show no pointer on a touch terminal.

    python3 packaging/cage/blank-cursor-theme.py /opt/job-kiosk/share/icons

creates <folder>/job-kiosk-blank/ (index.theme + cursors/*); job-kiosk.service points
XCURSOR_PATH and XCURSOR_THEME at it. Standard library only.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

THEME = "job-kiosk-blank"
IMAGE_TYPE = 0xFFFD0002
# The names wlroots, cage and Qt ask for; all of them are the same transparent pixel.
NAMES = (
    "left_ptr default arrow top_left_arrow text xterm ibeam pointer hand1 hand2 pointing_hand "
    "grab grabbing openhand closedhand wait watch progress left_ptr_watch crosshair cross "
    "not-allowed forbidden crossed_circle help question_arrow whats_this copy move fleur "
    "all-scroll size_all size_ver size_hor size_bdiag size_fdiag ns-resize ew-resize "
    "nesw-resize nwse-resize col-resize row-resize split_v split_h sb_v_double_arrow "
    "sb_h_double_arrow context-menu cell alias no-drop vertical-text zoom-in zoom-out"
).split()


def blank_cursor(size: int = 1) -> bytes:
    """One Xcursor file holding a single transparent image of size×size pixels."""
    header = struct.pack("<4sIII", b"Xcur", 16, 0x10000, 1)
    toc = struct.pack("<III", IMAGE_TYPE, size, 16 + 12)
    image = struct.pack("<IIIIIIIII", 36, IMAGE_TYPE, size, 1, size, size, 0, 0, 0)
    return header + toc + image + bytes(4 * size * size)


def write_theme(folder: Path) -> Path:
    """Write the theme under `folder`; the theme's own folder."""
    theme = folder / THEME
    cursors = theme / "cursors"
    cursors.mkdir(parents=True, exist_ok=True)
    (theme / "index.theme").write_text(f"[Icon Theme]\nName={THEME}\nComment=No pointer\n")
    (cursors / "left_ptr").write_bytes(blank_cursor())
    for name in NAMES[1:]:
        link = cursors / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to("left_ptr")
    # wlroots loads the theme named "default" when none is set.
    default = folder / "default"
    if not default.exists():
        default.symlink_to(THEME)
    return theme


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: blank-cursor-theme.py FOLDER  (e.g. /opt/job-kiosk/share/icons)")
    print(write_theme(Path(sys.argv[1])))
