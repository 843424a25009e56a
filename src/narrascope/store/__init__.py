"""The store: articles and analyses in SQLite (default) or PostgreSQL; all SQL lives in this package."""

from __future__ import annotations

from narrascope.store.queries import MARK_CLOSE, MARK_OPEN, ArticleFilter, ArticleRow, SearchHit
from narrascope.store.store import Store, open_store

__all__ = ["MARK_CLOSE", "MARK_OPEN", "ArticleFilter", "ArticleRow", "SearchHit", "Store", "open_store"]
