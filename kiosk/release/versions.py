"""Release version numbers (1.4.2, 1.5.0rc1) and their order, without third-party packages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

_VERSION = re.compile(r"^(\d+(?:\.\d+){0,3})(?:(a|b|rc)(\d+))?$")
_PRE_ORDER = {"a": 0, "b": 1, "rc": 2}


@total_ordering
@dataclass(frozen=True, slots=True)
class Version:
    """A PEP 440 release number with an optional a/b/rc pre-release: the subset we publish."""

    release: tuple[int, ...]
    pre: tuple[int, int] | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse "1.4.2" or "1.5.0rc1"; ValueError for anything else."""
        match = _VERSION.match(text.strip())
        if not match:
            raise ValueError(f"not a release version: {text!r} (expected e.g. 1.4.2 or 1.5.0rc1)")
        release = tuple(int(part) for part in match.group(1).split("."))
        pre = (_PRE_ORDER[match.group(2)], int(match.group(3))) if match.group(2) else None
        return cls(release=release, pre=pre, text=text.strip())

    def _key(self) -> tuple[tuple[int, ...], tuple[int, int]]:
        release = self.release + (0,) * (4 - len(self.release))
        # A final release sorts after its pre-releases.
        return release, self.pre if self.pre is not None else (9, 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text or ".".join(map(str, self.release))


def is_version(text: str) -> bool:
    """Whether `text` is a version we publish (also used to tell release folders apart)."""
    return _VERSION.match(text) is not None
