"""schema.org JobPosting feeds: JSON-LD documents or HTML pages carrying JSON-LD, fetched with
a timeout and a size cap, parsed by the terminal's own JobPosting parser."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import orjson
import requests

from kiosk.domain import Offer
from kiosk.formats import FormatError, Rejection, pages, parse_payload
from kiosk.formats.common import safe_url
from kiosk.sources.errors import SourceError

TIMEOUT = (10.0, 60.0)
MAX_BYTES = 64 * 1024 * 1024
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)


class FeedError(SourceError):
    """The feed could not be fetched or read; the message says why."""


class _JsonLdScripts(HTMLParser):
    """Collects the text of every <script type="application/ld+json">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("type") or ""
        if tag == "script" and kind.split(";")[0].strip().lower() == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _has_postings(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_postings(item) for item in node)
    if not isinstance(node, dict):
        return False
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "@graph" in node or any(
        isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds
    )


def json_ld_from_html(html: str) -> list[Any]:
    """The JSON-LD blocks of an HTML page that hold job postings (unreadable ones skipped)."""
    parser = _JsonLdScripts()
    parser.feed(html)
    parser.close()
    found = []
    for block in parser.blocks:
        try:
            data = orjson.loads(block.strip())
        except orjson.JSONDecodeError:
            continue
        if _has_postings(data):
            found.append(data)
    return found


def _charset(content_type: str, content: bytes) -> str:
    """The declared charset (header, then <meta charset>), else UTF-8 — not HTTP/1.1's old
    ISO-8859-1 default for text/*, which would garble every accent of an undeclared page."""
    for source in (content_type, content[:4096].decode("ascii", errors="replace")):
        match = _CHARSET.search(source)
        if match is not None:
            name = match.group(1).lower()
            try:
                codecs.lookup(name)
            except LookupError:
                continue
            return name
    return "utf-8"


def decode_feed(content: bytes, content_type: str = "") -> Any:
    """The decoded JSON of a document, or the JSON-LD blocks when it is an HTML page."""
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind == "text/html" or content.lstrip()[:1] == b"<":
        encoding = _charset(content_type, content)
        blocks = json_ld_from_html(content.decode(encoding, errors="replace"))
        if not blocks:
            raise FeedError("the page holds no JobPosting JSON-LD")
        return blocks
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"the feed is not JSON: {exc}") from exc


def fetch_feed(session: requests.Session, url: str) -> Any:
    """The decoded JSON-LD of a feed URL (a JSON document, or the blocks of an HTML page)."""
    return decode_feed(*_download(session, url))


def _is_html(content_type: str, content: bytes) -> bool:
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    return kind == "text/html" or content.lstrip()[:1] == b"<"


def _download(session: requests.Session, url: str) -> tuple[bytes, str]:
    """A feed's bytes and Content-Type, with a timeout and a size cap."""
    try:
        response = session.get(
            url,
            timeout=TIMEOUT,
            stream=True,
            headers={"Accept": "application/ld+json, application/json;q=0.9, text/html;q=0.5"},
        )
    except requests.RequestException as exc:
        raise FeedError(f"cannot fetch the feed: {type(exc).__name__}") from exc
    with response:
        if response.status_code != 200:
            raise FeedError(f"the feed answered HTTP {response.status_code}")
        chunks = []
        size = 0
        try:
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedError(f"the feed is larger than {MAX_BYTES // (1024 * 1024)} MiB")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FeedError(f"cannot read the feed: {type(exc).__name__}") from exc
        content_type = response.headers.get("Content-Type", "")
    return b"".join(chunks), content_type


def parse_feed(data: Any, source: str) -> Iterator[Offer | Rejection]:
    """The records of a decoded feed, one by one (FeedError if it is no known format)."""
    try:
        return parse_payload(data, source, cards=True)
    except FormatError as exc:
        raise FeedError(str(exc)) from exc


def read_feed(session: requests.Session, url: str, source: str) -> Iterator[Offer | Rejection]:
    """The parsed postings of a feed URL, record by record. An HTML page is read as
    `kiosk import` reads a saved one (kiosk.formats.pages: blocks repaired or refused one by
    one), and its URL (its canonical URL first) is the identity of its one posting that has
    none of its own."""
    content, content_type = _download(session, url)
    if not _is_html(content_type, content):
        return parse_feed(decode_feed(content, content_type), source)
    try:
        page = pages.read_page(content, url, encoding=_charset(content_type, content))
    except FormatError as exc:
        raise FeedError(str(exc)) from exc
    page.page_url = page.page_url or safe_url(url)
    return pages.parse_page(page, source, cards=True)
