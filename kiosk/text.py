"""Text helpers: folding for search, HTML to plain text, tidy whitespace."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

# Ligatures and letters that Unicode decomposition does not split into ASCII.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
    }
)
_NON_WORD = re.compile(r"[^\w]+|_+")


def fold(text: str) -> str:
    """Lower-case, strip accents and ligatures, and turn every non-word character into a space.

    Used on both sides of search: what is indexed and what the passer-by types. Words of
    other scripts (Arabic, Cyrillic…) are kept, only their diacritics go.
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


def search_terms(text: str, min_length: int = 2) -> list[str]:
    """The folded words of a search text that are long enough to search by prefix."""
    return [term for term in fold(text).split() if len(term) >= min_length]


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim each line, keep at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str | None) -> str | None:
    """One line of text with its spaces collapsed, or None when nothing is left."""
    if text is None:
        return None
    value = " ".join(str(text).split())
    return value or None


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in self._BLOCKS:
            self.parts.append("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS and tag != "br":
            self.parts.append("\n\n" if tag not in {"li"} else "")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def html_to_text(value: str) -> str:
    """Plain text from an HTML fragment (JobPosting descriptions); text without tags is kept."""
    if not _TAG.search(value):
        return tidy(html.unescape(value))
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return tidy("".join(parser.parts))
