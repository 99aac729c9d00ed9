"""Client-supplied text made safe for one log line: control characters escaped, length capped."""

from __future__ import annotations

import unicodedata

MAX_LOGGED = 200  # characters of one value; longer ones end with "…"


def _escape(char: str) -> str:
    # Control (Cc), format (Cf: bidi overrides), line and paragraph separators (Zl, Zp), and
    # lone surrogates (Cs): shown as escapes, so that a value can neither start a forged log
    # line nor reorder the text a terminal shows.
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if char == "\\":
        return "\\\\"
    return char


def shown(value: object, limit: int = MAX_LOGGED) -> str:
    """`value` as one printable line for a log message (None → "-")."""
    if value is None:
        return "-"
    text = str(value)
    cut = len(text) > limit
    escaped = "".join(_escape(char) for char in text[:limit])
    return escaped + ("…" if cut else "")
