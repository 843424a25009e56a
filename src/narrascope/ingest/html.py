"""HTML pages to Articles with trafilatura (main text, title, date, site name)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from narrascope.errors import IngestError
from narrascope.ingest.cleaning import normalise_text, normalise_title
from narrascope.ingest.dates import normalise_date
from narrascope.ingest.files import read_bytes
from narrascope.records import Article

MIN_BODY_CHARS = 40  # less than this is a menu or a caption, not an article body
_BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")


def article_from_html(data: bytes | str, name: str, url: str = "") -> Article:
    """The article in an HTML page; IngestError when trafilatura finds no article body."""
    document = _extract(data, url)
    title = normalise_title(_attr(document, "title"))
    text = _drop_title_line(normalise_text(_attr(document, "text")), title)
    if len(text) < MIN_BODY_CHARS:
        raise IngestError(name, "no article body found in the HTML")
    return Article(
        title=title,
        text=text,
        name=name,
        source=_attr(document, "sitename"),
        url=url or _attr(document, "url"),
        published=normalise_date(_attr(document, "date")),
    )


def _drop_title_line(text: str, title: str) -> str:
    """trafilatura often repeats the headline as the first line of the body: keep it once, in the title."""
    first, _, rest = text.partition("\n")
    if title and normalise_title(first) == title:
        return rest.lstrip("\n")
    return text


def read_html_file(path: Path, max_bytes: int) -> Article:
    """An Article from a saved HTML file."""
    return article_from_html(read_bytes(path, max_bytes), str(path))


def html_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (a feed summary): block ends become line breaks."""
    import lxml.html
    from lxml.etree import ParserError

    if "<" not in fragment:
        return normalise_text(_unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(_BLOCK_END.sub("\n", fragment), create_parent="div")
    except (ParserError, ValueError):
        return normalise_text(_unescape(re.sub(r"<[^>]*>", " ", fragment)))
    return normalise_text(root.text_content())


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _extract(data: bytes | str, url: str) -> Any:
    import trafilatura

    if not data.strip():
        return None
    try:
        return trafilatura.bare_extraction(
            data, url=url or None, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError, LookupError, RecursionError):
        return None


def _attr(document: Any, name: str) -> str:
    if document is None:
        return ""
    value = document.get(name) if isinstance(document, dict) else getattr(document, name, None)
    return "" if value is None else str(value).strip()
