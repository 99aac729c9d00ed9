"""Text helpers: folding for search, HTML to plain text, tidy whitespace."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

# Ligatures and letters that Unicode decomposition does not split into ASCII (after casefold,
# which already turns ß into ss and upper case into lower case).
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("ı", "i"))
_NON_WORD = re.compile(r"[^\w]+|_+")
# Combining marks of the Latin, Greek, Cyrillic, Hebrew, Arabic and Devanagari blocks, and the
# generic combining blocks: what NFKD splits off accented letters.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u093c\u0941-\u0948\u094d\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def fold(text: str) -> str:
    """Lower-case, strip accents and ligatures, and turn every non-word character into a space.

    Used on both sides of search: what is indexed and what the passer-by types. Words of
    other scripts (Arabic, Cyrillic…) are kept, only their diacritics go.
    """
    text = text.casefold()
    if not text.isascii():
        for ligature, letters in _LIGATURES:
            if ligature in text:
                text = text.replace(ligature, letters)
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def search_terms(text: str, min_length: int = 2) -> list[str]:
    """The folded words of a search text that are long enough to search by prefix."""
    return [term for term in fold(text).split() if len(term) >= min_length]


_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim each line, keep at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
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
