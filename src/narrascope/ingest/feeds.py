"""RSS/Atom feeds to Articles with feedparser, fetching the linked page when an entry is only a teaser."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from narrascope.errors import IngestError
from narrascope.ingest.cleaning import normalise_title
from narrascope.ingest.dates import normalise_date
from narrascope.ingest.html import html_to_text
from narrascope.records import Article

Item = Article | IngestError
FetchPage = Callable[[str], Article]  # URL -> the article on that page (raises IngestError)
SHORT_ENTRY = 400  # entries with less text than this are teasers: fetch the linked page
_FEED_SNIFF = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether fetched bytes are an RSS/Atom feed (by content type, else by the root element)."""
    kind = content_type.lower()
    if "rss" in kind or "atom" in kind:
        return True
    if "html" in kind:
        return False
    return bool(_FEED_SNIFF.search(data[:2000]))


def read_feed(data: bytes, name: str, fetch_page: FetchPage | None = None) -> Iterator[Item]:
    """One Article per feed entry; broken XML with no entries gives one IngestError."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))  # a stream: bytes or str could be taken for a path or URL
    entries = list(parsed.get("entries", []))
    if not entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        reason = f"broken feed XML: {problem}" if problem else "not a feed, or a feed with no entries"
        yield IngestError(name, reason)
        return
    outlet = normalise_title(str(parsed.get("feed", {}).get("title", "")))
    broken = f" (the feed XML is broken: {parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
    for number, entry in enumerate(entries, start=1):
        item = _entry_article(entry, f"{name}#{number}", outlet, fetch_page)
        yield IngestError(item.source, item.reason + broken) if isinstance(item, IngestError) else item


def _entry_article(entry: Any, where: str, outlet: str, fetch_page: FetchPage | None) -> Item:
    link = str(entry.get("link", ""))
    text = _entry_text(entry)
    meta: dict[str, str] = {}
    if len(text) < SHORT_ENTRY and link and fetch_page is not None:
        try:
            page = fetch_page(link)
        except IngestError as exc:
            meta["link_error"] = exc.reason
        else:
            if len(page.text) > len(text):
                text = page.text
                meta["text_from"] = "linked page"
    if not text:
        detail = f" ({meta['link_error']})" if "link_error" in meta else ""
        return IngestError(where, f"feed entry has no text{detail}")
    published = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published", "")
    return Article(
        title=normalise_title(html_to_text(str(entry.get("title", "")))),
        text=text,
        name=str(entry.get("id") or link or where),
        source=outlet,
        url=link,
        published=normalise_date(published),
        meta=meta,
    )


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [str(c.get("value", "")) for c in contents if isinstance(c, dict)]
    best = max(values, key=len, default="")
    summary = str(entry.get("summary", ""))
    return html_to_text(best if len(best) >= len(summary) else summary)
