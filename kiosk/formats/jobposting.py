"""schema.org JobPosting JSON-LD (being written)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk.domain import Offer
from kiosk.formats.common import Rejection

FORMAT = "jobposting"
DEFAULT_SOURCE = "jobposting"


def parse(data: Any, source: str) -> Iterator[Offer | Rejection]:
    raise NotImplementedError
