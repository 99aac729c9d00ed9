"""The base exception of every offer source."""

from __future__ import annotations


class SourceError(RuntimeError):
    """A source could not be read; the message says why and never holds a secret."""
