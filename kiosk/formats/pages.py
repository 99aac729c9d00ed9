"""Offer files as people save them: JSON, with the defects of real sites repaired only where the
meaning is unambiguous, and HTML pages whose JSON-LD blocks hold schema.org JobPostings.

The HTML is read with the standard library's `html.parser`: all a page's postings need is its
`<script type="application/ld+json">` blocks and its `<link rel="canonical">` or `og:url`
(`extruct` does that too, but brings lxml, rdflib and four more packages to every terminal
for microdata and RDFa that job sites do not use for postings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import json_repair
import orjson

from kiosk.domain import Offer
from kiosk.formats import FormatError, jobposting, parse_payload
from kiosk.formats.common import Rejection, safe_url

# `//<![CDATA[ … //]]>`, `/*<![CDATA[*/ … /*]]>*/`, `<!-- … -->` around a block: XHTML habits.
_OPENING = re.compile(r"^\s*(?:<!--)?\s*(?:(?://|/\*)\s*)?<!\[CDATA\[\s*(?:\*/)?|^\s*<!--")
_CLOSING = re.compile(r"(?:(?://|/\*)\s*)?\]\]>\s*(?:\*/)?\s*(?:-->)?\s*$|-->\s*$")
_TOKEN = re.compile(
    r'\s*(?:("(?:[^"\\]|\\.)*")'  # a string, raw control characters and all
    r"|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)"  # a number
    r"|(true|false|null)"
    r"|([{}\[\]:,]))"
)


class RepairError(ValueError):
    """JSON that could be repaired only by guessing; the message says where and why."""


@dataclass
class Page:
    """What a file holds: its decoded JSON payloads, the page's own URL, and notes."""

    payloads: list[Any]
    page_url: str | None = None
    html: bool = False
    notes: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def is_html(data: bytes) -> bool:
    """Whether a file is an HTML page (or a `<script>` block cut from one) rather than JSON."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and not head.startswith(b"<![cdata[")


def wanted(data: bytes) -> bool:
    """Whether a file is for this reader rather than the bulk France Travail path: an HTML
    page, JobPosting JSON (which may say what it skipped), or an empty block."""
    # Searched from the end: CPython then skips on the rare "J" rather than the common "g",
    # which took 10–50 % less time over a 237 MB France Travail file.
    return is_html(data) or data.rfind(b"JobPosting") >= 0 or data.strip() == b"{}"


def read_page(data: bytes, name: str, encoding: str = "utf-8-sig") -> Page:
    """The JSON payloads of a file: one for a JSON file, one per JSON-LD block of an HTML page.
    A block that cannot be read is a rejection naming it; a file that cannot be read at all
    raises FormatError. `encoding`: the charset a server declared for the page."""
    text = data.decode(encoding, errors="replace")
    if not is_html(data):
        try:
            return Page([decode_json(text)])
        except RepairError as exc:
            raise FormatError(f"not valid JSON: {exc}") from exc
    finder = _JsonLdFinder()
    finder.feed(text)
    finder.close()
    page = Page([], finder.page_url, html=True)
    for number, (line, block) in enumerate(finder.blocks, start=1):
        where = f"{name}: JSON-LD block {number} (line {line})"
        body = _unwrap(block)
        if not body:
            page.notes.append(f"{where} is empty: skipped")
            continue
        try:
            payload = decode_json(body)
        except RepairError as exc:
            page.rejections.append(Rejection(None, f"{where}: not valid JSON: {exc}"))
            continue
        if payload == {}:
            page.notes.append(f"JSON-LD block {number} (line {line}) is an empty {{}}: skipped")
        else:
            page.payloads.append(payload)
    if not finder.blocks:
        raise FormatError("an HTML page without any JSON-LD block: no offer in it")
    return page


def parse_page(
    page: Page, source: str | None, *, cards: bool = False
) -> Iterator[Offer | Rejection]:
    """The offers of a file read by `read_page`; notes of what was skipped go to `page.notes`."""
    yield from page.rejections
    if not page.html:
        [payload] = page.payloads
        if jobposting.contains_posting(payload) or payload == {}:
            yield from jobposting.parse(
                payload, source or jobposting.DEFAULT_SOURCE, notes=page.notes
            )
        else:
            yield from parse_payload(payload, source, cards=cards)
        return
    postings = [payload for payload in page.payloads if jobposting.contains_posting(payload)]
    skipped = [_kind(payload) for payload in page.payloads if payload not in postings]
    if skipped:
        page.notes.append(f"JSON-LD blocks without a JobPosting skipped: {', '.join(skipped)}")
    if not postings and not page.rejections:
        yield Rejection(None, "no JobPosting in the page's JSON-LD blocks")
        return
    yield from jobposting.parse(
        postings, source or jobposting.DEFAULT_SOURCE, page_url=page.page_url, notes=page.notes
    )


def _kind(payload: Any) -> str:
    """What a JSON-LD block is, for a note: its @type, or its shape."""
    kind = payload.get("@type") if isinstance(payload, dict) else None
    if isinstance(kind, list):
        kind = "/".join(str(k) for k in kind)
    return str(kind)[:40] if kind else type(payload).__name__


def _unwrap(block: str) -> str:
    """A block without the CDATA or comment markers around it."""
    body = _OPENING.sub("", block, count=1)
    return _CLOSING.sub("", body, count=1).strip()


def decode_json(text: str) -> Any:
    """JSON, strict when it can be; else repaired by `json_repair`, and the repair kept only if
    the document's strings, numbers and structure are exactly those written, commas aside (a
    trailing comma, a comma missing between two values): anything else would be a guess."""
    body = _unwrap(text)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        strict_error = str(exc)
    written = _tokens(body, strict_error)
    _check_commas(written)
    # json_repair repairs whatever it meets, silently: a cut-off document gets empty values.
    repaired = json_repair.loads(body, skip_json_loads=True)
    rewritten = _tokens(json.dumps(repaired, ensure_ascii=False), "")
    if [t for t in written if t != ("p", ",")] != [t for t in rewritten if t != ("p", ",")]:
        raise RepairError(f"{strict_error}; repairing it would mean guessing what was meant")
    return repaired


def _tokens(text: str, error: str) -> list[tuple[str, Any]]:
    """The JSON tokens of a text; RepairError at the first character no JSON has."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    end = len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            line = text.count("\n", 0, position) + 1
            snippet = text[position : position + 20].strip()
            raise RepairError(
                f"{error + '; ' if error else ''}{snippet!r} on line {line} is not JSON and "
                "cannot be repaired without guessing"
            )
        string, number, literal, punctuation = match.groups()
        if string is not None:
            try:
                tokens.append(("s", json.loads(string, strict=False)))
            except json.JSONDecodeError as exc:
                raise RepairError(f"{error}; a string has a bad escape: {exc.msg}") from exc
        elif number is not None:
            tokens.append(("n", Decimal(number)))
        elif literal is not None:
            tokens.append(("l", literal))
        else:
            tokens.append(("p", punctuation))
        position = match.end()
    return tokens


def _check_commas(tokens: list[tuple[str, Any]]) -> None:
    """Refuse commas whose meaning is not clear: two in a row (a value left out?) or one
    opening an object or array."""
    previous: tuple[str, Any] | None = None
    for token in tokens:
        if token == ("p", ",") and previous in (("p", ","), ("p", "{"), ("p", "["), None):
            raise RepairError("a comma with no value before it: a value may be missing")
        previous = token


class _JsonLdFinder(HTMLParser):
    """The JSON-LD blocks of a page (with their line) and its canonical URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._canonical: str | None = None
        self._og_url: str | None = None
        self._block: list[str] | None = None
        self._line = 0

    @property
    def page_url(self) -> str | None:
        """`<link rel="canonical">` first, else `og:url`, when absolute http(s)."""
        return self._canonical or self._og_url

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: (value or "").strip() for key, value in attrs}
        if tag == "script" and "ld+json" in values.get("type", "").lower():
            self._block, self._line = [], self.getpos()[0]
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self._canonical = self._canonical or safe_url(values.get("href"))
        elif tag == "meta" and "og:url" in (values.get("property"), values.get("name")):
            self._og_url = self._og_url or safe_url(values.get("content"))

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._block is not None:
            self.blocks.append((self._line, "".join(self._block)))
            self._block = None
