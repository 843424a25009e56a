"""Library functions behind the read-only CLI commands (show, search, export)."""

from __future__ import annotations

from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.exports import export, row
from narrascope.settings import Settings
from narrascope.store import open_store


def show_article(settings: Settings, id_or_prefix: str) -> dict[str, Any]:
    """One article and its newest analysis as a JSON-ready dict (a unique id prefix is enough)."""
    store = open_store(settings.db_url, create=False)
    ids = store.find(id_or_prefix)
    if not ids:
        raise NarrascopeError(f"no article with id {id_or_prefix!r}")
    if len(ids) > 1:
        raise NarrascopeError(f"{id_or_prefix!r} matches {len(ids)} articles: {', '.join(ids[:5])}…")
    article, analysis = store.article(ids[0]), store.analysis(ids[0])
    if article is None or analysis is None:
        raise NarrascopeError(f"article {ids[0]} has no analysis")
    data = row(article, analysis)
    data.pop("embedding", None)
    return data


def search_articles(settings: Settings, query: str, limit: int = 20) -> list[dict[str, Any]]:
    store = open_store(settings.db_url, create=False)
    return [
        {"id": h.id, "title": h.title, "snippet": h.snippet, "rank": h.rank}
        for h in store.search(query, limit=limit)
    ]


def export_results(settings: Settings, fmt: str, out: str | None) -> tuple[int, str]:
    store = open_store(settings.db_url, create=False)
    return export(store.results(), fmt, out)
